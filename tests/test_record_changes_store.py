"""Store tests of the change feed: every change once, in order, surviving a crash mid-write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue
from domain.records import ChangeKind, Record, RecordStatus, first_version, next_version
from store.changes import (
    _allocate,
    _intent,
    _log,
    _log_write,
    _write_entry,
    create_logged,
    mark_applied,
    write_change,
    write_new_records,
)
from store.counters import machine_ms
from store.database import COUNTERS, RECORD_CHANGES, RECORDS, Database
from store.documents import insert_new
from store.errors import StaleRecord
from store.feed import (
    LOGGING_WAIT_MS,
    SETTLED,
    LoggedChange,
    _claim,
    count_changes,
    find_changes,
    settle_changes,
)
from store.records import LOGGED, get_records, record_document
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


async def test_a_stale_writer_gives_its_number_up_so_readers_do_not_wait(
    db: Database, catalogue: Catalogue
) -> None:
    [record, later] = new_records(catalogue, 2)
    await write_new_records(db, records=[record])
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    first = next_version(stored, kind=ChangeKind.HIDDEN, at=AT, by="a")
    await write_change(db, before=stored, after=first, today=AT.date())
    with pytest.raises(StaleRecord):
        await write_change(db, before=stored, after=first, today=AT.date())
    await write_new_records(db, records=[later])

    changes = await find_changes(db, after=0, limit=10)

    assert [(c.record.id, c.record.version) for c in changes] == [
        (record.id, 1),
        (record.id, 2),
        (later.id, 1),
    ]
    assert await count_changes(db) == 3


async def test_a_reader_waits_at_a_number_allocated_but_not_logged_yet(
    db: Database, catalogue: Catalogue
) -> None:
    [slow, fast] = new_records(catalogue, 2)
    first = await _allocate(db, 1)  # the slow writer has its number, not yet its entry
    await write_new_records(db, records=[fast])

    assert await find_changes(db, after=0, limit=10) == []
    entry = _write_entry(first, factories.logged([slow]))
    await db[RECORD_CHANGES].insert_one(entry)
    await create_logged(db, first, [slow])
    await mark_applied(db, entry["_id"])

    changes = await find_changes(db, after=0, limit=10)
    assert [c.record.id for c in changes] == [slow.id, fast.id]


async def test_a_gap_left_by_a_writer_that_died_is_passed_once_the_wait_is_over(
    db: Database, catalogue: Catalogue
) -> None:
    [written] = new_records(catalogue, 1)
    await _allocate(db, 1)  # its writer dies before logging
    await write_new_records(db, records=[written])
    assert await settle_changes(db) == 0
    assert await db[COUNTERS].find_one({"_id": SETTLED}) is None  # settled short of the gap
    assert await find_changes(db, after=0, limit=10) == []

    await pass_the_wait(db)

    [change] = await find_changes(db, after=0, limit=10)
    assert change.record.id == written.id


async def pass_the_wait(db: Database) -> None:
    """Every entry logged so far was logged longer than `LOGGING_WAIT_MS` ago."""
    long_ago = machine_ms() - LOGGING_WAIT_MS - 1
    await db[RECORD_CHANGES].update_many({}, {"$set": {"logged_at": long_ago}})


async def test_a_writer_slower_than_the_wait_logs_under_new_numbers_that_a_reader_past_it_reads(
    db: Database, catalogue: Catalogue
) -> None:
    [slow, fast] = new_records(catalogue, 2)
    allocated = await _allocate(db, 1)  # the slow writer has its number, then stalls
    await write_new_records(db, records=[fast])
    await pass_the_wait(db)
    [seen] = await find_changes(db, after=0, limit=10)  # the gap is taken for a dead writer's
    assert seen.record.id == fast.id

    first, entry_id = await _log(
        db, allocated, factories.logged([slow])
    )  # the writer wakes up and logs
    await mark_applied(db, entry_id, await create_logged(db, first, [slow]))

    assert first > seen.seq
    [late] = await find_changes(db, after=seen.seq, limit=10)
    assert (late.seq, late.record.id) == (first, slow.id)
    assert [c.record.id for c in await find_changes(db, after=0, limit=10)] == [fast.id, slow.id]
    assert await count_changes(db) == 2


async def test_a_change_whose_number_a_reader_gave_up_is_logged_under_the_next(
    db: Database, catalogue: Catalogue
) -> None:
    [record] = new_records(catalogue, 1)
    await write_new_records(db, records=[record])
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    taken = await _allocate(db, 1) + 1  # the number the change will be given first
    assert await _claim(db, taken - 1, taken + 1)

    after = next_version(stored, kind=ChangeKind.HIDDEN, at=AT, by="a")
    await write_change(db, before=stored, after=after, today=AT.date())

    changes = await find_changes(db, after=0, limit=10)
    assert [(c.record.version, c.seq > taken) for c in changes] == [(1, False), (2, True)]
    assert (await get_records(db, ids=[record.id]))[0] == after


async def test_a_claim_of_numbers_stops_at_one_a_writer_logged(
    db: Database, catalogue: Catalogue
) -> None:
    [record] = new_records(catalogue, 1)
    start = await _allocate(db, 3)
    await _log(
        db, start + 1, factories.logged([record])
    )  # the middle number's writer logged in time

    assert not await _claim(db, start, start + 3)

    entries = await db[RECORD_CHANGES].find({}, sort=[("seq", 1)]).to_list(None)
    assert [e["_id"] for e in entries] == [f"given-up@{start}", f"write@{start + 1}"]


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
    await db[RECORD_CHANGES].insert_one(_intent(await _allocate(db, 1), repaired))

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
    await _log_write(db, factories.logged(records))


async def crash_after_some_records(db: Database, records: list[Record]) -> None:
    first, _ = await _log_write(db, factories.logged(records))
    await insert_new(db, RECORDS, [record_document(records[0]) | {LOGGED: first}])


async def crash_before_marking(db: Database, records: list[Record]) -> None:
    first, _ = await _log_write(db, factories.logged(records))
    documents = [record_document(r) | {LOGGED: first + i} for i, r in enumerate(records)]
    await insert_new(db, RECORDS, documents)


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
    assert await count_changes(db) == 4
    stored = await get_records(db, ids=expected)
    assert [r.version if r else None for r in stored] == [1, 1, 1, 1]


async def test_a_retry_after_a_crashed_write_shows_each_record_once(
    db: Database, catalogue: Catalogue
) -> None:
    """A retry of part of a write that crashed after logging: the record the retry stored
    shows under the retry, the crashed write's others under it, each once."""
    first, last = new_records(catalogue, 2)
    await crash_after_logging(db, [first, last])

    assert await write_new_records(db, records=[last]) == 1
    changes = await find_changes(db, after=0, limit=10)

    assert [(c.seq, c.record.id) for c in changes] == [(1, first.id), (3, last.id)]
    assert await count_changes(db) == 2
    assert all(r is not None for r in await get_records(db, ids=[first.id, last.id]))


async def test_writers_racing_to_create_one_record_show_its_creation_once(
    db: Database, catalogue: Catalogue
) -> None:
    """Both writers log the record; the one whose insert stood shows it, whichever of the
    two finishes (or is settled by a reader) first."""
    [record] = new_records(catalogue, 1)
    slow, slow_id = await _log_write(db, factories.logged([record]))
    fast, fast_id = await _log_write(db, factories.logged([record]))
    fast_skipped = await create_logged(db, fast, [record])
    await mark_applied(db, fast_id, fast_skipped)
    slow_skipped = await create_logged(db, slow, [record])

    changes = await find_changes(db, after=0, limit=10)

    assert (fast_skipped, slow_skipped) == ([], [0])
    assert [(c.seq, c.record.id) for c in changes] == [(fast, record.id)]
    assert await count_changes(db) == 1
    assert slow_id != fast_id


async def test_a_write_a_reader_finished_first_still_counts_its_records_as_new(
    db: Database, catalogue: Catalogue
) -> None:
    """`write_new_records` answers how many records are new by what `create_logged` skips."""
    records = new_records(catalogue, 2)
    first, entry_id = await _log_write(db, factories.logged(records))
    assert len(await find_changes(db, after=0, limit=10)) == 2  # the reader finishes the write

    skipped = await create_logged(db, first, records)  # the writer goes on
    await mark_applied(db, entry_id, skipped)

    assert skipped == []
    assert [c.record.id for c in await find_changes(db, after=0, limit=10)] == [
        r.id for r in records
    ]


async def test_a_change_made_before_the_creating_write_is_settled_keeps_its_creation(
    db: Database, catalogue: Catalogue
) -> None:
    """The record a crashed write stored is changed before anyone settles the write: the
    change keeps the creation's sequence number, so the creation still shows, before it."""
    [record] = new_records(catalogue, 1)
    await crash_before_marking(db, [record])
    hidden = next_version(record, kind=ChangeKind.HIDDEN, at=AT, by="a")
    await write_change(db, before=record, after=hidden, today=AT.date())

    changes = await find_changes(db, after=0, limit=10)

    assert [(c.kind, c.record.version) for c in changes] == [
        (ChangeKind.CREATED, 1),
        (ChangeKind.HIDDEN, 2),
    ]


async def test_a_reader_starting_inside_a_crashed_write_shows_only_what_follows(
    db: Database, catalogue: Catalogue
) -> None:
    """A reader whose cursor lies inside a write settles the write and shows what follows
    the cursor; a reader from the start then reads the whole write, settled."""
    records = new_records(catalogue, 3)
    await crash_after_logging(db, records)

    tail = await find_changes(db, after=1, limit=10)
    whole = await find_changes(db, after=0, limit=10)

    assert [(c.seq, c.record.id) for c in tail] == [(2, records[1].id), (3, records[2].id)]
    assert [c.record.id for c in whole] == [r.id for r in records]
    assert all(r is not None for r in await get_records(db, ids=[r.id for r in records]))


async def test_a_write_of_new_records_is_one_entry_marked_once_and_read_in_pages(
    db: Database, catalogue: Catalogue
) -> None:
    """The writer logs one entry for the whole write and marks it; readers, in pages of any
    size and from any cursor, read its records without writing anything."""
    records = new_records(catalogue, 5)
    await write_new_records(db, records=records)
    entries = await db[RECORD_CHANGES].find({}, limit=10).to_list(None)

    paged: list[LoggedChange] = []
    while page := await find_changes(db, after=paged[-1].seq if paged else 0, limit=2):
        paged += page

    assert len(entries) == 1
    assert entries[0]["applied"]
    assert [c.record for c in paged] == records
    assert [c.seq for c in paged] == [1, 2, 3, 4, 5]
    assert await db[RECORD_CHANGES].find({}, limit=10).to_list(None) == entries


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


@pytest.mark.parametrize("marked", [True, False])
async def test_intents_of_a_write_logged_one_by_one_are_still_read_and_settled(
    db: Database, catalogue: Catalogue, marked: bool
) -> None:
    """Writes logged on 2026-12-01 have an intent per record, their last marked for all
    (`all_applied`, `through`); a write whose mark a crash left out is redone."""
    records = new_records(catalogue, 2)
    first = await _allocate(db, 2)
    intents = [
        {
            "_id": f"{r.id}@1",
            "seq": first + i,
            "through": first + 1,
            "record_id": r.id,
            "version": 1,
            "kind": "CREATED",
            "at": r.created_at,
            "applied": False,
            "all_applied": marked and i == 1,
            "record": r.model_dump_json(),
        }
        for i, r in enumerate(records)
    ]
    await insert_new(db, RECORD_CHANGES, intents)
    if marked:
        await insert_new(db, RECORDS, [record_document(r) for r in records])

    changes = await find_changes(db, after=0, limit=10)

    assert [(c.seq, c.record) for c in changes] == [(first, records[0]), (first + 1, records[1])]
    assert await get_records(db, ids=[r.id for r in records]) == records
    assert await count_changes(db) == 2


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

    assert await settle_changes(db, page=page) == 2  # the cut write and the half one

    stored = await get_records(db, ids=[r.id for r in cut + half])
    assert all(r is not None for r in stored)
    commands.start()
    assert await settle_changes(db, page=page) == 0
    # The mark, the write it ends in, and the feed beyond it.
    assert commands.stop() == ["find", "find", "find"]


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
    await db[RECORD_CHANGES].insert_one(_intent(seq := await _allocate(db, 1), v3))
    await write_new_records(db, records=new_records(catalogue, 1))

    assert await settle_changes(db) == 0
    assert await settle_changes(db) == 0
    mark = await db[COUNTERS].find_one({"_id": SETTLED})
    assert mark is not None
    assert mark["seq"] == seq - 1
