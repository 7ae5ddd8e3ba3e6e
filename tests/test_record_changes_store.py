"""Store tests of the change feed: every change once, in order, surviving a crash mid-write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue
from domain.records import ChangeKind, Record, RecordStatus, first_version, next_version
from store.changes import (
    SETTLED,
    _allocate,
    _intent,
    _log_new,
    find_changes,
    settle_changes,
    write_change,
    write_new_records,
)
from store.database import COUNTERS, RECORD_CHANGES, RECORDS, Database
from store.documents import insert_new
from store.errors import StaleRecord
from store.records import get_records, record_document
from tests import factories
from tests.conftest import CommandLog

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
    await db[RECORD_CHANGES].insert_one(_intent(999, repaired, through=999))

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
    await db[RECORD_CHANGES].insert_one(_intent(seq := await _allocate(db, 1), v3, through=seq))
    await write_new_records(db, records=[other])

    changes = await find_changes(db, after=0, limit=10)

    assert [c.record.id for c in changes] == [record.id]


def new_records(catalogue: Catalogue, count: int) -> list[Record]:
    """Records as `write_new_records` logs them: version 1, created by their unit."""
    firm = factories.firm()
    return [
        first_version(r, at=r.created_at, by=r.source_unit)
        for r in (
            factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, d))
            for d in range(1, count + 1)
        )
    ]


async def crash_after_logging(db: Database, records: list[Record]) -> None:
    await _log_new(db, records)


async def crash_after_some_records(db: Database, records: list[Record]) -> None:
    await _log_new(db, records)
    await insert_new(db, RECORDS, [record_document(records[0])])


async def crash_before_marking(db: Database, records: list[Record]) -> None:
    await _log_new(db, records)
    await insert_new(db, RECORDS, [record_document(r) for r in records])


Crash = Callable[[Database, list[Record]], Awaitable[None]]


@pytest.mark.parametrize(
    "crash", [crash_after_logging, crash_after_some_records, crash_before_marking]
)
async def test_write_of_new_records_ended_by_a_crash_is_settled_by_the_feed(
    db: Database, catalogue: Catalogue, crash: Crash
) -> None:
    """A crash between any two steps of `write_new_records` (log, insert, mark): the feed
    redoes what is unsettled, shows each record once and in order, and every record it
    shows is stored."""
    records = new_records(catalogue, 3)
    await crash(db, records)
    later = new_records(catalogue, 1)
    await write_new_records(db, records=later)

    first_read = await find_changes(db, after=0, limit=10)
    second_read = await find_changes(db, after=0, limit=10)

    expected = [r.id for r in records + later]
    assert [c.record for c in first_read] == records + later
    assert second_read == first_read
    stored = await get_records(db, ids=expected)
    assert [r.version if r else None for r in stored] == [1, 1, 1, 1]


async def test_retry_naming_only_the_last_record_of_a_crashed_write_settles_no_other(
    db: Database, catalogue: Catalogue
) -> None:
    """A write whose last record an earlier, crashed write logged does not mark that write's
    intent: the earlier write's other records are still redone, not taken as stored."""
    first, last = new_records(catalogue, 2)
    await crash_after_logging(db, [first, last])

    await write_new_records(db, records=[last])
    changes = await find_changes(db, after=0, limit=10)

    assert [c.record.id for c in changes] == [first.id, last.id]
    assert all(r is not None for r in await get_records(db, ids=[first.id, last.id]))


async def test_write_ended_while_logging_shows_only_what_was_logged(
    db: Database, catalogue: Catalogue
) -> None:
    records = new_records(catalogue, 3)
    first = await _allocate(db, 3)
    # The crash came after the first two intents: the write's last intent was never logged.
    logged = [_intent(first + i, r, through=first + 2) for i, r in enumerate(records[:2])]
    await insert_new(db, RECORD_CHANGES, logged)

    changes = await find_changes(db, after=0, limit=10)

    assert [c.record.id for c in changes] == [r.id for r in records[:2]]
    stored = await get_records(db, ids=[r.id for r in records])
    assert [r is not None for r in stored] == [True, True, False]


async def test_reader_starting_inside_a_crashed_write_leaves_the_rest_to_others(
    db: Database, catalogue: Catalogue
) -> None:
    """A reader whose cursor lies inside a write redoes only what follows the cursor, and marks
    only that: the intents before it stay unsettled for the next reader to redo."""
    records = new_records(catalogue, 3)
    await crash_after_logging(db, records)
    [first, *_] = await db[RECORD_CHANGES].find({}, sort=[("seq", 1)], limit=1).to_list(None)

    tail = await find_changes(db, after=first["seq"], limit=10)
    whole = await find_changes(db, after=0, limit=10)

    assert [c.record.id for c in tail] == [r.id for r in records[1:]]
    assert [c.record.id for c in whole] == [r.id for r in records]
    assert all(r is not None for r in await get_records(db, ids=[r.id for r in records]))


async def test_write_of_new_records_marks_only_its_last_intent(
    db: Database, catalogue: Catalogue
) -> None:
    """The writer never rewrites every intent to settle them: it marks the last one, and a
    reader then settles the whole write without writing anything."""
    records = new_records(catalogue, 3)
    await write_new_records(db, records=records)

    intents = await db[RECORD_CHANGES].find({}, sort=[("seq", 1)], limit=10).to_list(None)
    changes = await find_changes(db, after=0, limit=2)

    assert [(i["applied"], i["all_applied"]) for i in intents] == [
        (False, False),
        (False, False),
        (False, True),
    ]
    assert {i["through"] for i in intents} == {intents[-1]["seq"]}
    assert [c.record.id for c in changes] == [r.id for r in records[:2]]
    again = await db[RECORD_CHANGES].find({}, sort=[("seq", 1)], limit=10).to_list(None)
    assert again == intents


async def test_intents_logged_with_the_record_document_are_still_read_and_settled(
    db: Database, catalogue: Catalogue
) -> None:
    """Intents logged before 2026-12-01 carry the record document, their own mark and the
    sequence number as `_id`; one a crash left unapplied is redone and marked."""
    [record] = new_records(catalogue, 1)
    seq = await _allocate(db, 1)
    legacy = {
        "_id": f"{seq:020d}",
        "seq": seq,
        "record_id": record.id,
        "version": 1,
        "kind": "CREATED",
        "at": record.created_at,
        "applied": False,
        "document": record_document(record),
    }
    await db[RECORD_CHANGES].insert_one(legacy)

    [change] = await find_changes(db, after=0, limit=10)

    assert change.record == record
    assert await get_records(db, ids=[record.id]) == [record]
    marked = await db[RECORD_CHANGES].find_one({"_id": f"{seq:020d}"})
    assert marked is not None
    assert marked["applied"]


@pytest.mark.parametrize("page", [1, 2, 1000])
async def test_settling_finishes_writes_cut_short_and_reads_each_change_once(
    db: Database, catalogue: Catalogue, commands: CommandLog, page: int
) -> None:
    """What crashes left (a write cut after logging, one cut after some records) is stored by
    the start-up settling, whatever its page; the next settling reads only what came since."""
    cut, half = new_records(catalogue, 3), new_records(catalogue, 2)
    await crash_after_logging(db, cut)
    await write_new_records(db, records=new_records(catalogue, 1))
    await crash_after_some_records(db, half)

    assert await settle_changes(db, page=page) == 5  # the cut write's 3, the half one's 2

    stored = await get_records(db, ids=[r.id for r in cut + half])
    assert all(r is not None for r in stored)
    commands.start()
    assert await settle_changes(db, page=page) == 0
    assert commands.stop() == ["find", "find"]  # the mark, then the feed beyond it


async def test_settling_stops_before_an_intent_it_cannot_settle_and_keeps_its_place(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    stored = (await get_records(db, ids=[record.id]))[0]
    assert stored is not None
    v3 = next_version(next_version(stored, kind=ChangeKind.HIDDEN, at=AT, by="a"),
                      kind=ChangeKind.SHOWN, at=AT, by="a")  # fmt: skip
    # Version 3 logged while version 2 never was: nothing can make it apply.
    await db[RECORD_CHANGES].insert_one(_intent(seq := await _allocate(db, 1), v3, through=seq))
    await write_new_records(db, records=new_records(catalogue, 1))

    assert await settle_changes(db) == 0
    assert await settle_changes(db) == 0
    mark = await db[COUNTERS].find_one({"_id": SETTLED})
    assert mark is not None
    assert mark["seq"] == seq - 1
