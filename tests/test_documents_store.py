"""Store tests: the one optimistic write (`store.documents.update_optimistically`) against a
real server, with a rival writer that comes between our read and our write."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum, IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.database import Database, Document
from store.documents import _plain, update_optimistically

COLLECTION = "optimistic"


class GaveUp(Exception):
    """The caller's own conflict error."""


async def _counter_update(db: Database, *, rival_writes: int, attempts: int) -> tuple[int, bool]:
    """Add one to a stored counter while a rival adds ten after each of our first reads."""
    await db[COLLECTION].insert_one({"_id": "c", "value": 0})
    rivals = iter(range(rival_writes))

    async def read() -> Document:
        document = await db[COLLECTION].find_one({"_id": "c"})
        assert document is not None
        if next(rivals, None) is not None:
            await db[COLLECTION].update_one({"_id": "c"}, {"$inc": {"value": 10}})
        return document

    async def add_one(document: Document) -> Document:
        return document | {"value": document["value"] + 1}

    async def write(before: Document, after: Document) -> bool:
        result = await db[COLLECTION].replace_one({"_id": "c", "value": before["value"]}, after)
        return result.matched_count == 1

    after, written = await update_optimistically(
        read=read, apply=add_one, write=write, what="c", conflict=GaveUp, attempts=attempts
    )
    return after["value"], written


async def test_update_after_a_rival_writer_lands_on_what_it_read_again(db: Database) -> None:
    value, written = await _counter_update(db, rival_writes=2, attempts=3)

    stored = await db[COLLECTION].find_one({"_id": "c"})
    assert (value, written) == (21, True)
    assert stored is not None
    assert stored["value"] == 21


@pytest.mark.parametrize("attempts", [1, 3])
async def test_update_beaten_on_every_attempt_raises_the_callers_conflict(
    db: Database, attempts: int
) -> None:
    with pytest.raises(GaveUp, match="c; try again"):
        await _counter_update(db, rival_writes=attempts, attempts=attempts)

    stored = await db[COLLECTION].find_one({"_id": "c"})
    assert stored is not None
    assert stored["value"] == 10 * attempts


async def test_update_with_nothing_left_to_write_writes_nothing(db: Database) -> None:
    await db[COLLECTION].insert_one({"_id": "c", "value": 0})

    async def read() -> Document:
        document = await db[COLLECTION].find_one({"_id": "c"})
        assert document is not None
        return document

    async def nothing(_: Document) -> None:
        return None

    async def never(before: Document, after: Document) -> bool:
        raise AssertionError("nothing to write, so no write")

    after, written = await update_optimistically(
        read=read, apply=nothing, write=never, what="c", conflict=GaveUp
    )

    assert (after["value"], written) == (0, False)


class _Colour(StrEnum):
    RED = "RED"


class _Level(IntEnum):
    LOW = 1


_LEAVES = st.one_of(
    st.text(max_size=5),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
    st.sampled_from([_Colour.RED, _Level.LOW]),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=12,
)


def _stored(value: Any) -> Any:
    """What a value is stored as (DESIGN.md §2.1), spelt out one rule at a time."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _stored(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    return value


@given(_VALUES)
def test_plain_stores_every_value_by_the_portable_rules(value: Any) -> None:
    """Enums as their values, dates as ISO strings, datetimes as they are, no None in a
    document, sequences as lists; the exact-type shortcut for common values changes none."""
    plain = _plain(value)

    assert plain == _stored(value)
    assert type(plain) is type(_stored(value))
