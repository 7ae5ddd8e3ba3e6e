"""Collections listed newest first and paged by keyset on a stored `order_key`.

Each document carries `order_key`, `store.documents.position` of the item's moment and id: one
string whose order is the list order, so "after this cursor" is a single `$lt` on an indexed
field (store/records.py says why not a compound index ending in `_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from store.database import Database, Document
from store.documents import from_document, one_of, to_document

M = TypeVar("M", bound=BaseModel)

ORDER = [("order_key", -1)]


@dataclass(frozen=True)
class NewestFirst(Generic[M]):
    """The `model`s of one collection; `derived` fields are stored for queries only, computed
    from the model on writing (a None value leaves the field out) and dropped on reading."""

    collection: str
    model: type[M]
    order_key: Callable[[M], str]
    derived: Mapping[str, Callable[[M], object]] = field(default_factory=dict)

    def derived_fields(self, item: M) -> Document:
        """`order_key` and the `derived` fields of `item`, None values left out."""
        derived = {name: value(item) for name, value in self.derived.items()}
        return {"order_key": self.order_key(item)} | {
            name: v for name, v in derived.items() if v is not None
        }

    def document(self, item: M) -> Document:
        return to_document(item) | self.derived_fields(item)

    def item(self, document: Document) -> M:
        data = from_document(document)
        for name in ("order_key", *self.derived):
            data.pop(name, None)
        return self.model.model_validate(data)

    async def insert(self, db: Database, item: M) -> None:
        await db[self.collection].insert_one(self.document(item))

    async def get(self, db: Database, query: Document) -> M | None:
        document = await db[self.collection].find_one(query)
        return None if document is None else self.item(document)

    async def replace(self, db: Database, query: Document, item: M) -> bool:
        """Store `item` over the one matching `query`; False when none matches (any more)."""
        result = await db[self.collection].replace_one(query, self.document(item))
        return result.matched_count == 1

    async def find(
        self, db: Database, query: Document, *, after: str | None, limit: int
    ) -> list[M]:
        """Items matching `query` newest first after the order key `after`, at most `limit`."""
        if after is not None:
            query = query | {"order_key": {"$lt": after}}
        found = await db[self.collection].find(query, sort=ORDER, limit=limit).to_list(None)
        return [self.item(document) for document in found]

    async def count(self, db: Database, query: Document) -> int:
        return await db[self.collection].count_documents(query)

    async def of_subjects(
        self, db: Database, *, subject_ids: Sequence[str], query: Document, limit_each: int
    ) -> list[list[M]]:
        """Each subject's items matching `query`, newest first, in one round trip, in key order;
        `limit_each` times the subjects bounds the whole read."""
        if not subject_ids:
            return []
        query = query | {"subject_id": one_of(subject_ids)}
        limit = limit_each * len(subject_ids)
        cursor = db[self.collection].find(query, sort=ORDER, limit=limit, batch_size=limit)
        by_subject: dict[str, list[M]] = {}
        for document in await cursor.to_list(None):
            by_subject.setdefault(document["subject_id"], []).append(self.item(document))
        return [by_subject.get(i, []) for i in subject_ids]
