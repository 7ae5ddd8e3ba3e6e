"""Reading and writing typical cases, newest first."""

from __future__ import annotations

from domain.cases import CaseKind, TypicalCase
from store.database import CASES, Database, Document
from store.documents import from_document, position, to_document


def order_key(case: TypicalCase) -> str:
    return position(case.published_at, case.id)


def _case(document: Document) -> TypicalCase:
    data = from_document(document)
    data.pop("order_key")
    return TypicalCase.model_validate(data)


async def insert_case(db: Database, *, case: TypicalCase) -> None:
    await db[CASES].insert_one(to_document(case) | {"order_key": order_key(case)})


async def find_cases(
    db: Database, *, kind: CaseKind | None, after: str | None, limit: int
) -> list[TypicalCase]:
    query: Document = {} if kind is None else {"kind": kind.value}
    if after is not None:
        query["order_key"] = {"$lt": after}
    cursor = db[CASES].find(query, sort=[("order_key", -1)], limit=limit)
    return [_case(doc) for doc in await cursor.to_list(None)]


async def count_cases(db: Database, *, kind: CaseKind | None) -> int:
    return await db[CASES].count_documents({} if kind is None else {"kind": kind.value})
