"""Reading and writing typical cases, newest first."""

from __future__ import annotations

from domain.cases import CaseKind, TypicalCase
from store.database import CASES, Database, Document
from store.documents import position
from store.ordered import NewestFirst


def order_key(case: TypicalCase) -> str:
    return position(case.published_at, case.id)


CASE_LIST = NewestFirst(CASES, TypicalCase, order_key)


def _query(kind: CaseKind | None) -> Document:
    return {} if kind is None else {"kind": kind.value}


async def insert_case(db: Database, *, case: TypicalCase) -> None:
    await CASE_LIST.insert(db, case)


async def find_cases(
    db: Database, *, kind: CaseKind | None, after: str | None, limit: int
) -> list[TypicalCase]:
    return await CASE_LIST.find(db, _query(kind), after=after, limit=limit)


async def count_cases(db: Database, *, kind: CaseKind | None) -> int:
    return await CASE_LIST.count(db, _query(kind))
