"""What repair applications and objections share in the store: list order, the one-open
rule, answers that race, and the overdue filter.

Both are lists newest first (store/ordered.py); both allow one open item per record through a
unique `open_key` that is the record id while open and "<record id>|<id>" once closed (a unique
index over a missing field is not portable, so the key is always set); both are overdue while
open past `due_on` (an ISO date string).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pymongo.errors import DuplicateKeyError

from domain.objections import Objection
from domain.repair import RepairApplication
from store.database import Database, Document
from store.documents import position
from store.errors import AlreadyOpen, ChangedMeanwhile
from store.ordered import NewestFirst

Item = TypeVar("Item", Objection, RepairApplication)


def _open_key(item: Objection | RepairApplication) -> str:
    return item.record_id if item.open else f"{item.record_id}|{item.id}"


def _due_on(item: Objection | RepairApplication) -> str | None:
    return None if item.due_on is None else item.due_on.isoformat()


def _extended(item: Objection | RepairApplication) -> bool:
    return item.extended_to is not None


class DeadlineList(Generic[Item]):
    """Repair applications or objections (`noun`), listed by the time they were `started` and
    their id; one in `open_state` is open. `derived` adds fields stored for queries only."""

    def __init__(
        self,
        collection: str,
        model: type[Item],
        *,
        started: Callable[[Item], datetime],
        open_state: StrEnum,
        noun: str,
        derived: Mapping[str, Callable[[Item], object]] | None = None,
    ) -> None:
        self.started: Callable[[Item], datetime] = started
        self.open_state = open_state.value
        self.noun = noun
        self.listed: NewestFirst[Item] = NewestFirst(
            collection,
            model,
            self.order_key,
            derived={"open_key": _open_key, "due_on": _due_on, "extended": _extended}
            | dict(derived or {}),
        )

    def order_key(self, item: Item) -> str:
        return position(self.started(item), item.id)

    async def insert(self, db: Database, item: Item) -> None:
        """Store a new one; `AlreadyOpen` when its record has an open one already."""
        try:
            await self.listed.insert(db, item)
        except DuplicateKeyError:
            raise AlreadyOpen(f"record {item.record_id} has an open {self.noun}") from None

    async def get(self, db: Database, item_id: str) -> Item | None:
        return await self.listed.get(db, {"_id": item_id})

    async def find_open(self, db: Database, record_id: str) -> Item | None:
        return await self.listed.get(db, {"open_key": record_id})

    async def update(self, db: Database, *, before: Item, after: Item) -> Item:
        """Replace `before` by `after` unless another writer answered or extended it first."""
        unchanged = {"_id": before.id, "state": before.state.value, "extended": _extended(before)}
        if not await self.listed.replace(db, unchanged, after):
            raise ChangedMeanwhile(f"{self.noun} {before.id} was answered or extended meanwhile")
        return after

    def query(
        self, *, state: StrEnum | None, overdue: bool | None, today: date, **equal: str | None
    ) -> Document:
        """Those in `state` (any when None) that are, or are not, overdue on `today` (either
        when None), with the fields given in `equal` (None: any). Overdue means open and due
        before today."""
        query = self._state_query(None if state is None else state.value, overdue, today)
        return query | {name: value for name, value in equal.items() if value is not None}

    def _state_query(self, state: str | None, overdue: bool | None, today: date) -> Document:
        query: Document = {} if state is None else {"state": state}
        if overdue is None:
            return query
        day = today.isoformat()
        if overdue:
            if state not in (None, self.open_state):
                return {"state": {"$in": []}}
            return {"state": self.open_state, "due_on": {"$lt": day}}
        if state == self.open_state:
            return query | {"due_on": {"$gte": day}}
        if state is not None:
            return query
        return {"$or": [{"state": {"$ne": self.open_state}}, {"due_on": {"$gte": day}}]}
