"""Store tests: the store's visibility filters agree with the domain's, flag by flag."""

from __future__ import annotations

from datetime import date, timedelta

from domain.catalogue import Catalogue
from domain.records import Record, publicly_visible
from store.database import RECORDS, Database
from store.records import (
    RecordFilter,
    count_records,
    find_records,
    find_records_of_items,
    get_records_by_source,
)
from tests import factories
from tests.conftest import CommandLog
from tests.seed import seed_records

PERSON = factories.person(7201)
EVERYTHING = 100


def flagged(catalogue: Catalogue) -> list[Record]:
    """Disclosed 2020-03-01 to 2021-03-01 (penalties) or 2023-03-01 (commendations)."""

    def make(record_id: str, item_code: str, **flags: bool) -> Record:
        record = factories.record(
            catalogue, PERSON, item_code=item_code, decided=date(2020, 3, 1), record_id=record_id
        )
        return record.model_copy(update=flags)

    return [
        make("v-plain", "DISHONEST_2"),
        make("v-hidden", "DISHONEST_2", hidden=True),
        make("v-good", "GOOD_3"),
        make("v-refused", "GOOD_3", opted_out=True),
        make("v-both", "GOOD_5", opted_out=True, hidden=True),
    ]


def days() -> list[date]:
    start, end = date(2020, 3, 1), date(2021, 3, 1)
    return [start - timedelta(days=1), start, end - timedelta(days=1), end, date(2023, 3, 1)]


async def ids(db: Database, spec: RecordFilter) -> list[str]:
    found = await find_records(db, spec=spec, limit=EVERYTHING)
    assert await count_records(db, spec=spec) == len(found)
    return sorted(r.id for r in found)


async def test_find_records_disclosed_on_equals_publicly_visible_with_hidden_and_refused(
    db: Database, catalogue: Catalogue
) -> None:
    records = flagged(catalogue)
    await seed_records(db, records)

    for day in days():
        expected = sorted(r.id for r in records if publicly_visible(r, day))
        assert await ids(db, RecordFilter(disclosed_on=day)) == expected, day
    assert await ids(db, RecordFilter(disclosed_on=date(2020, 9, 1))) == ["v-good", "v-plain"]


async def test_find_records_hide_opted_out_leaves_out_refused_records_only(
    db: Database, catalogue: Catalogue
) -> None:
    await seed_records(db, flagged(catalogue))

    assert await ids(db, RecordFilter(hide_opted_out=True)) == ["v-good", "v-hidden", "v-plain"]
    assert len(await ids(db, RecordFilter())) == 5


async def test_find_records_stored_before_the_flags_existed_stay_visible(
    db: Database, catalogue: Catalogue
) -> None:
    records = flagged(catalogue)[:1]
    await seed_records(db, records)
    # A document written before `hidden` and `opted_out` were part of a record.
    await db[RECORDS].update_one({"_id": "v-plain"}, {"$unset": {"hidden": "", "opted_out": ""}})

    assert await ids(db, RecordFilter(disclosed_on=date(2020, 9, 1))) == ["v-plain"]
    assert await ids(db, RecordFilter(hide_opted_out=True)) == ["v-plain"]


async def test_find_records_of_items_returns_the_subjects_records_of_those_items(
    db: Database, catalogue: Catalogue
) -> None:
    other = factories.record(catalogue, factories.person(7202), item_code="GOOD_3",
                             decided=date(2020, 3, 1))  # fmt: skip
    await seed_records(db, [*flagged(catalogue), other])

    found = await find_records_of_items(
        db, subject_id=PERSON.id, item_codes=["GOOD_3", "GOOD_5"], limit=EVERYTHING
    )

    assert sorted(r.id for r in found) == ["v-both", "v-good", "v-refused"]


async def test_get_records_by_source_reads_a_batch_of_any_size_in_one_round_trip(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    # More than the 101 documents a first reply holds when only a limit is given.
    firm = factories.firm()
    records = [
        factories.record(catalogue, firm, item_code="DISHONEST_1", decided=date(2020, 6, 1))
        for _ in range(150)
    ]
    await seed_records(db, records)
    asked = [r.source_record_id for r in reversed(records)] + ["never-sent"]

    commands.start()
    found = await get_records_by_source(
        db, source_unit=factories.SOURCE_UNIT, source_record_ids=asked
    )

    assert commands.stop() == ["find"]
    assert [r and r.id for r in found] == [*(r.id for r in reversed(records)), None]
