"""Store tests: blacklist entries on a real server; the in-force filter mirrors the domain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.blacklist import removed
from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.subjects import Subject
from store import blacklist as store
from store.blacklist import EntryFilter
from store.changes import write_change, write_new_records
from store.database import BLACKLIST_ENTRIES, Database
from store.errors import ChangedMeanwhile
from store.records import get_records
from tests import factories

LISTED = date(2020, 7, 1)
UNTIL = date(2021, 1, 31)
AT = datetime(2020, 9, 1, 4, tzinfo=UTC)


def basis(catalogue: Catalogue, subject: Subject) -> list[Record]:
    return [
        factories.record(
            catalogue,
            subject,
            item_code="DISHONEST_2",
            decided=date(2020, 6, 1),
            severity=Severity.SERIOUS,
        )
    ]


@pytest.mark.parametrize(
    "day", [date(2020, 6, 30), LISTED, date(2021, 1, 30), UNTIL, date(2021, 2, 1)]
)
async def test_in_force_filter_agrees_with_the_domain(
    db: Database, catalogue: Catalogue, day: date
) -> None:
    firm = factories.firm()
    entries = [
        factories.blacklist_entry(firm, basis(catalogue, firm), listed=LISTED, until=UNTIL),
        factories.blacklist_entry(
            firm, basis(catalogue, firm), listed=LISTED, until=UNTIL, removed=date(2020, 8, 1)
        ),
    ]
    for entry in entries:
        assert await store.insert_entry(db, entry=entry)

    in_force = await store.find_entries(db, spec=EntryFilter(in_force=True, day=day), limit=10)
    not_in_force = await store.find_entries(db, spec=EntryFilter(in_force=False, day=day), limit=10)

    assert {e.id for e in in_force} == {e.id for e in entries if e.in_force(day)}
    assert {e.id for e in not_in_force} == {e.id for e in entries if not e.in_force(day)}
    assert await store.count_entries(db, spec=EntryFilter(in_force=True, day=day)) == len(in_force)


async def test_entry_round_trips_with_its_notice(db: Database, catalogue: Catalogue) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(firm, basis(catalogue, firm), listed=LISTED, until=UNTIL)

    assert await store.insert_entry(db, entry=entry)
    assert not await store.insert_entry(db, entry=entry)

    assert await store.get_entry(db, entry_id=entry.id) == entry


async def test_entries_of_subjects_are_one_list_per_subject_in_key_order(
    db: Database, catalogue: Catalogue
) -> None:
    a, b, c = factories.firm(), factories.firm(), factories.firm()
    ea = factories.blacklist_entry(a, basis(catalogue, a), listed=LISTED, until=UNTIL)
    eb = factories.blacklist_entry(b, basis(catalogue, b), listed=LISTED, until=date(2020, 8, 1))
    for entry in (ea, eb):
        await store.insert_entry(db, entry=entry)

    everything = await store.entries_of_subjects(db, subject_ids=[c.id, b.id, a.id])
    current = await store.entries_of_subjects(
        db, subject_ids=[a.id, b.id], in_force_on=date(2020, 9, 1)
    )

    assert everything == [[], [eb], [ea]]
    assert current == [[ea], []]


async def test_replacing_stores_only_over_the_version_judged(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(firm, basis(catalogue, firm), listed=LISTED, until=UNTIL)
    await store.insert_entry(db, entry=entry)
    first = removed(entry, on=date(2020, 9, 1), by="centre", reason="一")
    second = removed(entry, on=date(2020, 9, 2), by="centre", reason="二")

    assert await store.replace_entry(db, before=entry, after=first)
    assert not await store.replace_entry(db, before=entry, after=second)

    assert await store.get_entry(db, entry_id=entry.id) == first


async def test_replacing_an_entry_stored_before_versions_treats_it_as_the_first(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(firm, basis(catalogue, firm), listed=LISTED, until=UNTIL)
    document = store.ENTRY_LIST.document(entry)
    del document["version"], document["history"]
    await db[BLACKLIST_ENTRIES].insert_one(document)
    after = removed(entry, on=date(2020, 9, 1), by="centre", reason="一")

    assert await store.get_entry(db, entry_id=entry.id) == entry
    assert await store.replace_entry(db, before=entry, after=after)
    assert not await store.replace_entry(db, before=entry, after=after)


async def test_rejudging_removes_entries_in_force_left_without_a_serious_basis(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    [record] = basis(catalogue, firm)
    [other] = basis(catalogue, firm)
    await write_new_records(db, records=[record, other])
    resting = factories.blacklist_entry(firm, [other, record], listed=LISTED, until=UNTIL)
    alone = factories.blacklist_entry(firm, [record], listed=LISTED, until=UNTIL)
    expired = factories.blacklist_entry(firm, [record], listed=LISTED, until=date(2020, 8, 31))
    for entry in (resting, alone, expired):
        await store.insert_entry(db, entry=entry)
    revoked = next_version(
        record, kind=ChangeKind.REVOKED, at=AT, by="440300-TEST", status=RecordStatus.REVOKED
    )

    await write_change(db, before=record, after=revoked, today=AT.date())

    assert await store.get_entry(db, entry_id=resting.id) == resting
    assert await store.get_entry(db, entry_id=expired.id) == expired
    after = await store.get_entry(db, entry_id=alone.id)
    assert after is not None
    assert (after.removed_on, after.removed_by, after.version) == (AT.date(), "440300-TEST", 2)
    assert (after.history[-1].record_id, after.history[-1].record_change) == (
        record.id,
        ChangeKind.REVOKED,
    )
    assert after.removal_reason is not None
    assert f"列入依据{record.id}已撤销（第2版撤销）" in after.removal_reason


async def test_the_sweep_rejudges_entries_a_write_left_unjudged_once(
    db: Database, catalogue: Catalogue
) -> None:
    """A record changed without its entries re-judged (the process died between the two, or
    the re-judgement kept losing races): the start-up sweep restores the invariant."""
    firm = factories.firm()
    [record] = basis(catalogue, firm)
    [other] = basis(catalogue, firm)
    await write_new_records(db, records=[record, other])
    revoked = next_version(
        record, kind=ChangeKind.REVOKED, at=AT, by="440300-TEST", status=RecordStatus.REVOKED
    )
    await write_change(db, before=record, after=revoked, today=AT.date())
    # Entries stored as they stood before the change: as if its re-judgement never ran.
    resting = factories.blacklist_entry(firm, [other, record], listed=LISTED, until=UNTIL)
    alone = factories.blacklist_entry(firm, [record], listed=LISTED, until=UNTIL)
    for entry in (resting, alone):
        await store.insert_entry(db, entry=entry)

    swept = await store.rejudge_in_force(db, day=AT.date())
    again = await store.rejudge_in_force(db, day=AT.date())

    assert (swept, again) == (1, 0)
    assert await store.get_entry(db, entry_id=resting.id) == resting
    after = await store.get_entry(db, entry_id=alone.id)
    assert after is not None
    assert after.removed_on == AT.date()
    assert after.history[-1].record_id == record.id


async def test_a_change_stands_when_its_entries_keep_changing_while_rejudged(
    db: Database, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Losing every re-judgement race does not undo or fail the record change (it is written
    and logged); the sweep judges the entries later."""
    firm = factories.firm()
    [record] = basis(catalogue, firm)
    await write_new_records(db, records=[record])
    revoked = next_version(
        record, kind=ChangeKind.REVOKED, at=AT, by="440300-TEST", status=RecordStatus.REVOKED
    )

    async def always_beaten(db: Database, *, record: Record, day: date) -> int:
        raise ChangedMeanwhile("kept changing")

    monkeypatch.setattr("store.changes.rejudge_entries_citing", always_beaten)
    written = await write_change(db, before=record, after=revoked, today=AT.date())

    assert written == revoked
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    assert stored.status is RecordStatus.REVOKED
