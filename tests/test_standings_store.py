"""Store tests: every write of a record leaves its subject's standing equal to the facts of the
stored records (store/standings.py), whatever the path, the order or a crash in between."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import (
    ChangeKind,
    ObjectionGrounds,
    ObjectionNote,
    ObjectionState,
    Record,
    RecordStatus,
    first_version,
    next_version,
)
from domain.standings import Standing, in_list_order, standing_of
from domain.subjects import Subject
from server.settings import Settings
from store.changes import _allocate, _intent, _log_write, write_change, write_new_records
from store.database import MIGRATIONS, RECORD_CHANGES, RECORDS, STANDINGS, Database
from store.documents import insert_new
from store.feed import find_changes
from store.records import LOGGED, RecordFilter, files_of_subjects, get_records, record_document
from store.standings import ENTRIES_PER_UPDATE, add_standings, get_standings, update_standings
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, serving

AT = datetime(2020, 9, 1, 4, tzinfo=UTC)
TODAY = AT.date()
NOTE = ObjectionNote(
    objection_id="o-1",
    state=ObjectionState.PENDING,
    grounds=ObjectionGrounds.ERROR,
    filed_at=AT,
)


async def assert_standings_follow_records(db: Database, subjects: list[Subject]) -> None:
    """Each subject's standing is the standing of its stored records; every entry holds its
    record's stored version (one that stopped standing by its version alone; one never
    standing since its first version needs none); a subject with no record standing has no
    standing document (its first such record makes it)."""
    ids = [s.id for s in subjects]
    files = await files_of_subjects(db, subject_ids=ids, spec=RecordFilter(), limit_each=500)
    standings = await get_standings(db, ids=ids)
    for subject, records, standing in zip(subjects, files, standings, strict=True):
        expected = standing_of(subject.id, subject.kind, records)
        assert standing == Standing(subject.id, subject.kind, in_list_order(expected.records))
        document = await db[STANDINGS].find_one({"_id": subject.id}) or {}
        versions = {i: e["version"] for i, e in document.get("records", {}).items()}
        stored = {r.id: r.version for r in records}
        assert versions.items() <= stored.items()
        assert {f.id for f in expected.records} <= versions.keys()


async def stored(db: Database, record: Record) -> Record:
    [found] = await get_records(db, ids=[record.id])
    assert found is not None
    return found


async def change(db: Database, record: Record, kind: ChangeKind, **changes: Any) -> Record:
    before = await stored(db, record)
    after = next_version(before, kind=kind, at=AT, by="test", **changes)
    return await write_change(db, before=before, after=after, today=TODAY)


async def test_a_subject_with_no_record_stands_with_none_and_an_unknown_id_has_no_standing(
    db: Database, commands: CommandLog
) -> None:
    firm, person = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[firm, person])

    commands.start()
    found = await get_standings(db, ids=[person.id, "s-none", firm.id])
    sent = commands.stop()

    assert found == [Standing(person.id, person.kind), None, Standing(firm.id, firm.kind)]
    # The standings, then the subjects among the ids no standing has.
    assert [d["find"] for d in commands.documents] == [STANDINGS, "subjects"], sent


async def test_subjects_with_records_are_read_from_their_standings_alone(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    await write_new_records(
        db,
        records=[factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))],
    )

    commands.start()
    await get_standings(db, ids=[firm.id, firm.id])

    assert commands.stop() == ["find"]


async def test_new_records_stand_in_one_bulk_write_per_batch(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    firm, person = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[firm, person])
    records = [
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1)),
        factories.record(
            catalogue,
            firm,
            item_code="DISHONEST_2",
            decided=date(2020, 4, 1),
            severity=Severity.SERIOUS,
        ),
        factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 2)),
        factories.record(
            catalogue,
            firm,
            item_code="GOOD_5",
            decided=date(2020, 5, 1),
            status=RecordStatus.EXCUSED,
        ),
    ]

    commands.start()
    await write_new_records(db, records=records)
    sent = commands.stop()

    to_standings = [
        d for d in commands.documents if STANDINGS in (d.get("insert"), d.get("update"))
    ]
    assert [d.get("update") for d in to_standings] == [STANDINGS], sent
    # One update a subject: the excused record (it never stood) is not written at all.
    assert len(to_standings[0]["updates"]) == 2
    await assert_standings_follow_records(db, [firm, person])


async def test_the_standings_of_subjects_the_writer_made_are_inserted_whole(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    """A subject made with the batch gets its standing in one insert; the batch's other
    subjects are updated as ever, in the same constant number of round trips."""
    made, known = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[made, known])
    records = [
        factories.record(catalogue, made, item_code="GOOD_7", decided=date(2020, 3, 1)),
        factories.record(catalogue, made, item_code="DISHONEST_2", decided=date(2020, 4, 1)),
        factories.record(catalogue, known, item_code="GOOD_3", decided=date(2020, 3, 2)),
    ]

    commands.start()
    await write_new_records(db, records=records, new_subjects={made.id})
    commands.stop()

    to_standings = [
        d for d in commands.documents if STANDINGS in (d.get("insert"), d.get("update"))
    ]
    assert [(d.get("insert"), d.get("update")) for d in to_standings] == [
        (STANDINGS, None),
        (None, STANDINGS),
    ]
    assert [len(d.get("documents", d.get("updates", []))) for d in to_standings] == [1, 1]
    await assert_standings_follow_records(db, [made, known])


async def test_a_standing_made_meanwhile_of_a_subject_said_new_is_updated_not_lost(
    db: Database, catalogue: Catalogue
) -> None:
    """A writer told the subject is new may still meet its standing (a retried batch, a writer
    racing it): its entries then go in by the update, beside those already there."""
    firm = factories.firm()
    first = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    second = factories.record(catalogue, firm, item_code="GOOD_5", decided=date(2020, 3, 2))
    await write_new_records(db, records=[first], new_subjects={firm.id})

    await write_new_records(db, records=[second], new_subjects={firm.id})

    await assert_standings_follow_records(db, [firm])
    [standing] = await get_standings(db, ids=[firm.id])
    assert standing is not None
    assert {f.id for f in standing.records} == {first.id, second.id}


async def test_a_batch_of_many_records_of_one_subject_stands_whole(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    records = [
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
        for _ in range(2 * ENTRIES_PER_UPDATE + 1)
    ]

    await write_new_records(db, records=records)

    await assert_standings_follow_records(db, [firm])


async def test_a_retried_batch_changes_no_standing(db: Database, catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    await change(db, record, ChangeKind.REVOKED, status=RecordStatus.REVOKED)
    before = await db[STANDINGS].find_one({"_id": firm.id})

    await write_new_records(db, records=[record])

    assert await db[STANDINGS].find_one({"_id": firm.id}) == before
    await assert_standings_follow_records(db, [firm])


async def test_a_batch_mixing_a_retried_record_and_a_new_one_of_a_subject_adds_the_new(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    added = factories.record(catalogue, firm, item_code="GOOD_5", decided=date(2020, 3, 2))
    await write_new_records(db, records=[record])
    await change(db, record, ChangeKind.CORRECTED, decision_date=date(2020, 3, 5))

    await write_new_records(db, records=[record, added])

    await assert_standings_follow_records(db, [firm])
    [standing] = await get_standings(db, ids=[firm.id])
    assert standing is not None
    assert [(f.id, f.version) for f in standing.records] == [(record.id, 2), (added.id, 1)]


async def test_every_change_of_a_record_keeps_its_standing(
    db: Database, catalogue: Catalogue
) -> None:
    person = factories.person()
    await insert_new_subjects(db, subjects=[person])
    record = factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 2))
    other = factories.record(catalogue, person, item_code="GOOD_2", decided=date(2020, 3, 3))
    await write_new_records(db, records=[record, other])
    await assert_standings_follow_records(db, [person])
    steps: list[tuple[ChangeKind, dict[str, Any]]] = [
        # A correction of the decision day moves the record in list order.
        (ChangeKind.CORRECTED, {"decision_date": date(2020, 3, 9)}),
        # The person refuses its recording (art. 39), then withdraws the refusal.
        (ChangeKind.HIDDEN, {"opted_out": True}),
        (ChangeKind.SHOWN, {"opted_out": False}),
        # Disputed (annotated only), removed from display on the objection, shown again.
        (ChangeKind.OBJECTION_FILED, {"objection": NOTE}),
        (ChangeKind.HIDDEN, {"hidden": True}),
        (ChangeKind.SHOWN, {"hidden": False}),
        (ChangeKind.REPAIRED, {"status": RecordStatus.REPAIRED}),
    ]
    for kind, changes in steps:
        await change(db, record, kind, **changes)
        await assert_standings_follow_records(db, [person])
    await change(db, other, ChangeKind.REVOKED, status=RecordStatus.REVOKED)
    await assert_standings_follow_records(db, [person])
    assert await get_standings(db, ids=[person.id]) == [Standing(person.id, person.kind)]


async def test_an_older_version_applied_late_never_overwrites_a_newer(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    v1 = await stored(db, record)
    v2 = await change(db, record, ChangeKind.CORRECTED, decision_date=date(2020, 3, 5))
    await change(db, record, ChangeKind.REVOKED, status=RecordStatus.REVOKED)

    # Writers of versions 1 and 2 overtaken by that of version 3 reach the standing last.
    await update_standings(db, records=[v2])
    await update_standings(db, records=[v1])

    await assert_standings_follow_records(db, [firm])
    assert await get_standings(db, ids=[firm.id]) == [Standing(firm.id, firm.kind)]


async def test_an_intent_left_by_a_crash_is_redone_into_the_standing(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    repaired = next_version(
        await stored(db, record),
        kind=ChangeKind.REVOKED,
        at=AT,
        by="unit",
        status=RecordStatus.REVOKED,
    )
    # The writer died after logging its intent and before applying it.
    await db[RECORD_CHANGES].insert_one(_intent(await _allocate(db, 1), repaired))

    await find_changes(db, after=0, limit=10)

    await assert_standings_follow_records(db, [firm])
    assert await get_standings(db, ids=[firm.id]) == [Standing(firm.id, firm.kind)]


async def test_a_crash_between_the_record_and_its_standing_is_redone(
    db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))
    await write_new_records(db, records=[record])
    standing_before = await db[STANDINGS].find_one({"_id": firm.id})
    assert standing_before is not None
    await change(db, record, ChangeKind.REVOKED, status=RecordStatus.REVOKED)
    # As a crash after the record was replaced would leave it: the standing not yet written,
    # the intent not yet marked applied.
    await db[STANDINGS].replace_one({"_id": firm.id}, standing_before)
    await db[RECORD_CHANGES].update_one({"_id": f"{record.id}@2"}, {"$set": {"applied": False}})

    await find_changes(db, after=0, limit=10)

    await assert_standings_follow_records(db, [firm])


async def test_a_store_written_before_standings_gets_them_once(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    firm, person, alone = factories.firm(), factories.person(), factories.firm()
    await insert_new_subjects(db, subjects=[firm, person, alone])
    records = [
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1)),
        factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 2)),
    ]
    await write_new_records(db, records=records)
    await change(db, records[1], ChangeKind.HIDDEN, opted_out=True)
    # As the store was before this version: no standings, no note.
    await db[STANDINGS].delete_many({})
    await db[MIGRATIONS].delete_many({})

    assert await add_standings(db) == 2
    await assert_standings_follow_records(db, [firm, person, alone])
    commands.start()
    assert await add_standings(db) == 0
    assert commands.stop() == ["find"]


async def test_a_write_cut_short_is_finished_before_the_service_serves(
    db: Database, catalogue: Catalogue, settings: Settings, store_uri: str
) -> None:
    """A crash after a record was stored and before its standing was (or the record itself)
    is settled by the start-up, not left for a feed reader to pass by."""
    firm, person = factories.firm(), factories.person()
    stored_only = first_version(
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1)),
        at=AT, by="unit",
    )  # fmt: skip
    logged_only = first_version(
        factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 2)),
        at=AT, by="unit",
    )  # fmt: skip
    first, _ = await _log_write(db, factories.logged([stored_only, logged_only]))
    await insert_new(db, RECORDS, [record_document(stored_only) | {LOGGED: first}])

    async with serving(settings, store_uri):
        pass

    await assert_standings_follow_records(db, [firm, person])
    standings = await get_standings(db, ids=[firm.id, person.id])
    assert [s is not None and s.records != () for s in standings] == [True, True]
