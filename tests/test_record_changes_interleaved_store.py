"""The change feed's invariants over interleavings of writes, crashes, races, changes and reads
(store/changes.py, store/feed.py), on the real store: whatever happened, once the feed is read
through,

- every stored version of every record shows exactly once, in version order, creation first;
- the feed shows nothing that is not stored, its sequence numbers rise, and any page size from
  any cursor reads the same feed;
- a consumer that read a page after every step, while writers had numbers allocated and not
  yet logged (some for longer than readers wait), has seen that same feed once it reads on;
- `count_changes` counts it, and every standing is that of its subject's stored records.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from pymongo.errors import DuplicateKeyError

from domain.catalogue import Catalogue
from domain.records import ChangeKind, Record, first_version, next_version
from store.catalogue import read_default_catalogue
from store.changes import (
    _allocate,
    _intent,
    _log,
    _log_write,
    create_logged,
    mark_applied,
    write_change,
    write_new_records,
)
from store.database import RECORD_CHANGES, RECORDS, Database, connect, ensure_indexes
from store.documents import insert_new
from store.errors import StaleRecord
from store.feed import LoggedChange, count_changes, find_changes, settle_changes
from store.records import LOGGED, get_records, record_document
from store.subjects import insert_new_subjects
from tests import factories
from tests.test_standings_store import assert_standings_follow_records

AT = datetime(2020, 9, 1, 4, tzinfo=UTC)
RECORDS_IN_PLAY = 6
SUBJECTS = [factories.firm(), factories.person()]


@dataclass(frozen=True)
class Write:
    """New records (positions in play) written whole, or cut short by a crash after logging
    (`crash` 0), after inserting its first `crash` records, or before marking (`crash` past
    the end); `racer`: another write of the same records logs meanwhile and finishes first."""

    records: tuple[int, ...]
    crash: int | None
    racer: bool
    claims_new_subjects: bool


@dataclass(frozen=True)
class Change:
    """A change to a record in play, applied, or cut short after logging."""

    record: int
    crash: bool


@dataclass(frozen=True)
class Allocate:
    """A writer of new records allocates its sequence numbers and logs them later (`Log`), or
    never: it died between the two."""

    records: tuple[int, ...]


@dataclass(frozen=True)
class Log:
    """The writer that allocated first of those still to log logs its write and finishes it."""


@dataclass(frozen=True)
class Stall:
    """Time passes: every entry logged so far was logged longer than `LOGGING_WAIT_MS` ago, so
    readers take the gaps before them for dead writers', while those writers may still log."""


@dataclass(frozen=True)
class Read:
    """A reader from `after` reads a page (the consumer reads one after every step)."""

    after: int
    page: int


@dataclass(frozen=True)
class Settle:
    pass


Step = Write | Change | Allocate | Log | Stall | Read | Settle
POSITIONS = st.lists(st.integers(0, RECORDS_IN_PLAY - 1), min_size=1, max_size=4).map(tuple)

STEPS = st.one_of(
    st.builds(
        Write,
        records=POSITIONS,
        crash=st.none() | st.integers(0, 5),
        racer=st.booleans(),
        claims_new_subjects=st.booleans(),
    ),
    st.builds(Change, record=st.integers(0, RECORDS_IN_PLAY - 1), crash=st.booleans()),
    # Writes logged late are what a consumer can miss: drawn twice as often as the rest.
    st.builds(Allocate, records=POSITIONS),
    st.builds(Allocate, records=POSITIONS),
    st.just(Log()),
    st.just(Log()),
    # Time passing, after which readers claim the gaps that writers still to log left.
    st.just(Stall()),
    st.just(Stall()),
    st.builds(Read, after=st.integers(0, 12), page=st.integers(1, 4)),
    st.just(Settle()),
)


def in_play(catalogue: Catalogue, run: str) -> list[Record]:
    """Version 1 of the records the steps write, across both subjects."""
    return [
        first_version(
            factories.record(
                catalogue,
                SUBJECTS[n % 2],
                item_code="DISHONEST_2",
                decided=date(2020, 3, n + 1),
                record_id=f"r-{run}-{n}",
            ),
            at=AT,
            by="unit",
        )
        for n in range(RECORDS_IN_PLAY)
    ]


async def write(db: Database, step: Write, records: Sequence[Record]) -> None:
    made = {r.subject_id for r in records} if step.claims_new_subjects else set()
    if step.crash is None and not step.racer:
        await write_new_records(db, records=records, new_subjects=made)
        return
    first, entry_id = await _log_write(db, factories.logged(records))
    if step.racer:
        await write_new_records(db, records=records)
    if step.crash is None:
        skipped = await create_logged(db, first, records, made)
        await mark_applied(db, entry_id, skipped)
    elif step.crash > len(records):
        await create_logged(db, first, records, made)
    else:
        part = [record_document(r) | {LOGGED: first + i} for i, r in enumerate(records)]
        await insert_new(db, RECORDS, part[: step.crash])


async def change(db: Database, step: Change, record: Record) -> None:
    [before] = await get_records(db, ids=[record.id])
    if before is None:
        return
    after = next_version(
        before, kind=ChangeKind.HIDDEN, at=AT, by="a", opted_out=not before.opted_out
    )
    # An intent of that version a crash left makes the writer stale; the feed redoes it. A
    # writer that crashes on finding it leaves its number a gap.
    if step.crash:
        with suppress(DuplicateKeyError):
            await db[RECORD_CHANGES].insert_one(_intent(await _allocate(db, 1), after))
        return
    with suppress(StaleRecord):
        await write_change(db, before=before, after=after, today=AT.date())


async def log_late(db: Database, allocated: int, records: list[Record]) -> None:
    first, entry_id = await _log(db, allocated, factories.logged(records))
    skipped = await create_logged(db, first, records)
    await mark_applied(db, entry_id, skipped)


async def stall(db: Database) -> None:
    await db[RECORD_CHANGES].update_many({}, {"$set": {"logged_at": 0}})


async def read_all(db: Database, page: int, after: int = 0) -> list[LoggedChange]:
    changes: list[LoggedChange] = []
    while found := await find_changes(db, after=changes[-1].seq if changes else after, limit=page):
        changes += found
    return changes


async def play(uri: str, catalogue: Catalogue, steps: list[Step]) -> None:
    client = await connect(uri, timeout_ms=10_000)
    name = f"test_{uuid.uuid4().hex[:12]}"
    db = client[name]
    try:
        await ensure_indexes(db)
        await insert_new_subjects(db, subjects=SUBJECTS)
        records = in_play(catalogue, name)
        allocated: deque[tuple[int, list[Record]]] = deque()
        consumed: list[LoggedChange] = []
        for step in steps:
            if isinstance(step, Write):
                await write(db, step, [records[i] for i in dict.fromkeys(step.records)])
            elif isinstance(step, Change):
                await change(db, step, records[step.record])
            elif isinstance(step, Allocate):
                chosen = [records[i] for i in dict.fromkeys(step.records)]
                allocated.append((await _allocate(db, len(chosen)), chosen))
            elif isinstance(step, Log) and allocated:
                await log_late(db, *allocated.popleft())
            elif isinstance(step, Stall):
                await stall(db)
            elif isinstance(step, Read):
                await find_changes(db, after=step.after, limit=step.page)
            elif isinstance(step, Settle):
                await settle_changes(db)
            consumed += await find_changes(db, after=consumed[-1].seq if consumed else 0, limit=2)
        # The writers still to log died; their gaps are passed once `LOGGING_WAIT_MS` is over.
        await stall(db)
        feed = await check(db, [r.id for r in records])
        consumed += await read_all(db, page=3, after=consumed[-1].seq if consumed else 0)
        assert consumed == feed
    finally:
        await client.drop_database(name)
        await client.close()


async def check(db: Database, ids: list[str]) -> list[LoggedChange]:
    """The feed read through, once it holds the invariants."""
    feed = await read_all(db, page=1000)

    stored = {r.id: r for r in await get_records(db, ids=ids) if r is not None}
    versions = {i: [c.record.version for c in feed if c.record.id == i] for i in ids}
    for record_id, shown in versions.items():
        expected = list(range(1, stored[record_id].version + 1)) if record_id in stored else []
        assert shown == expected, (record_id, shown)
    latest = {c.record.id: c.record for c in feed}
    assert latest == stored
    assert [c.kind is ChangeKind.CREATED for c in feed] == [c.record.version == 1 for c in feed]
    seqs = [c.seq for c in feed]
    assert seqs == sorted(set(seqs))
    for page in (1, 2, 3):
        assert await read_all(db, page=page) == feed
    for cut in seqs[:3]:
        assert await read_all(db, page=2, after=cut) == [c for c in feed if c.seq > cut]
    assert await count_changes(db) == len(feed)
    await assert_standings_follow_records(db, SUBJECTS)
    return feed


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(STEPS, max_size=10))
def test_the_feed_shows_every_stored_version_once_in_order_whatever_interleaved(
    store_uri: str, steps: list[Step]
) -> None:
    asyncio.run(play(store_uri, read_default_catalogue(), steps))
