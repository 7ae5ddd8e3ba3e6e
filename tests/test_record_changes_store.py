"""Store tests of the change feed: every change once, in order, surviving a crash mid-write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue
from domain.records import ChangeKind, RecordStatus, next_version
from store.changes import _allocate, _intent, find_changes, write_change, write_new_records
from store.database import RECORD_CHANGES, Database
from store.errors import StaleRecord
from store.records import get_records
from tests import factories

AT = datetime(2020, 9, 1, 4, tzinfo=UTC)


async def test_new_records_appear_once_in_order_even_when_sent_twice(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    records = [
        factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, d))
        for d in (1, 2, 3)
    ]

    assert await write_new_records(db, records=records) == 3
    assert await write_new_records(db, records=records) == 0

    changes = await find_changes(db, after=0, limit=10)
    assert [c.record.id for c in changes] == [r.id for r in records]
    assert [c.kind for c in changes] == [ChangeKind.CREATED] * 3
    assert changes[0].seq < changes[1].seq < changes[2].seq
    stored = await get_records(db, ids=[records[0].id])
    assert stored[0] is not None
    assert stored[0].history[0].kind is ChangeKind.CREATED


async def test_change_is_logged_and_resumable_from_cursor(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    [created] = await find_changes(db, after=0, limit=10)
    stored = (await get_records(db, ids=[record.id]))[0]
    assert stored is not None

    revoked = next_version(
        stored, kind=ChangeKind.REVOKED, at=AT, by="unit", reason="overturned",
        status=RecordStatus.REVOKED,
    )  # fmt: skip
    await write_change(db, before=stored, after=revoked, today=AT.date())

    later = await find_changes(db, after=created.seq, limit=10)
    assert [(c.kind, c.record.version, c.record.status) for c in later] == [
        (ChangeKind.REVOKED, 2, RecordStatus.REVOKED)
    ]
    assert await find_changes(db, after=later[0].seq, limit=10) == []


async def test_second_writer_of_same_version_is_stale(db: Database, catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    stored = (await get_records(db, ids=[record.id]))[0]
    assert stored is not None
    first = next_version(stored, kind=ChangeKind.HIDDEN, at=AT, by="a")
    second = next_version(stored, kind=ChangeKind.REVOKED, at=AT, by="b")

    await write_change(db, before=stored, after=first, today=AT.date())
    with pytest.raises(StaleRecord):
        await write_change(db, before=stored, after=second, today=AT.date())

    now = (await get_records(db, ids=[record.id]))[0]
    assert now is not None
    assert (now.version, now.history[-1].kind) == (2, ChangeKind.HIDDEN)


async def test_intent_left_by_a_crash_is_redone_by_the_feed(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    stored = (await get_records(db, ids=[record.id]))[0]
    assert stored is not None
    repaired = next_version(
        stored, kind=ChangeKind.REPAIRED, at=AT, by="centre", status=RecordStatus.REPAIRED
    )
    # The writer died after logging its intent and before applying it.
    await db[RECORD_CHANGES].insert_one(_intent(999, repaired))

    changes = await find_changes(db, after=0, limit=10)

    assert [c.kind for c in changes] == [ChangeKind.CREATED, ChangeKind.REPAIRED]
    now = (await get_records(db, ids=[record.id]))[0]
    assert now is not None
    assert now.status is RecordStatus.REPAIRED


async def test_feed_stops_before_an_intent_it_cannot_settle(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    other = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 2))
    await write_new_records(db, records=[record])
    stored = (await get_records(db, ids=[record.id]))[0]
    assert stored is not None
    v2 = next_version(stored, kind=ChangeKind.HIDDEN, at=AT, by="a")
    v3 = next_version(v2, kind=ChangeKind.SHOWN, at=AT, by="a")
    # Version 3 logged while version 2 never was: nothing can make it apply.
    await db[RECORD_CHANGES].insert_one(_intent(await _allocate(db, 1), v3))
    await write_new_records(db, records=[other])

    changes = await find_changes(db, after=0, limit=10)

    assert [c.record.id for c in changes] == [record.id]
