"""Store tests: objections, one pending per record, conditional answers, who lists which."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue
from domain.objections import Objection, deadlines, extended, resolved
from domain.records import ObjectionGrounds, ObjectionOutcome, ObjectionState, Record
from store.database import Database
from store.errors import AlreadyOpen, ChangedMeanwhile
from store.objections import (
    count_objections,
    find_objections,
    find_open_objection,
    get_objection,
    insert_objection,
    objection_cursor_key,
    update_objection,
)
from tests import factories
from tests.factories import PRC_CALENDAR

FIRM = factories.firm(7101)
PERSON = factories.person(7102)


def disputed(catalogue: Catalogue, *, unit: str = "440300-A", person: bool = False) -> Record:
    record = factories.record(
        catalogue, PERSON if person else FIRM, item_code="DISHONEST_2", decided=date(2020, 3, 1)
    )
    return record.model_copy(update={"source_unit": unit})


def filed(record: Record, on: date, objection_id: str) -> Objection:
    check_by, decide_by = deadlines(on, PRC_CALENDAR)
    return Objection(
        id=objection_id,
        record_id=record.id,
        subject_id=record.subject_id,
        source_unit=record.source_unit,
        grounds=ObjectionGrounds.SHOWN_PAST_PERIOD,
        filed_at=datetime(on.year, on.month, on.day, 4, tzinfo=UTC),
        filed_by="subject-user",
        check_by=check_by,
        decide_by=decide_by,
    )


def upheld(objection: Objection) -> Objection:
    return resolved(
        objection,
        outcome=ObjectionOutcome.UPHELD,
        corrections={},
        at=datetime(2020, 9, 2, tzinfo=UTC),
        by="unit",
        reason="",
    )


async def test_insert_objection_round_trip_and_second_pending_is_already_open(
    db: Database, catalogue: Catalogue
) -> None:
    record = disputed(catalogue)
    first = filed(record, date(2020, 9, 1), "ob-1")
    await insert_objection(db, objection=first)

    with pytest.raises(AlreadyOpen):
        await insert_objection(db, objection=filed(record, date(2020, 9, 1), "ob-2"))

    assert await get_objection(db, objection_id="ob-1") == first
    assert await find_open_objection(db, record_id=record.id) == first


async def test_update_objection_resolved_frees_the_record_and_stale_copy_is_refused(
    db: Database, catalogue: Catalogue
) -> None:
    record = disputed(catalogue)
    first = filed(record, date(2020, 9, 1), "ob-1")
    await insert_objection(db, objection=first)

    await update_objection(db, before=first, after=upheld(first))
    with pytest.raises(ChangedMeanwhile):
        await update_objection(
            db, before=first, after=extended(first, today=date(2020, 9, 1), calendar=PRC_CALENDAR)
        )
    await insert_objection(db, objection=filed(record, date(2020, 9, 3), "ob-2"))

    assert await find_open_objection(db, record_id=record.id) == filed(
        record, date(2020, 9, 3), "ob-2"
    )
    stored = await get_objection(db, objection_id="ob-1")
    assert stored is not None
    assert stored.state is ObjectionState.UPHELD


async def test_find_objections_by_unit_subject_state_and_overdue(
    db: Database, catalogue: Catalogue
) -> None:
    # ob-a (unit A, firm) due 2020-08-26; ob-b (unit B, person) due 2020-09-04;
    # ob-c (unit A, person) upheld.
    a = filed(disputed(catalogue, unit="440300-A"), date(2020, 8, 21), "ob-a")
    b = filed(disputed(catalogue, unit="440300-B", person=True), date(2020, 9, 1), "ob-b")
    c = filed(disputed(catalogue, unit="440300-A", person=True), date(2020, 8, 31), "ob-c")
    for objection in (a, b, c):
        await insert_objection(db, objection=objection)
    await update_objection(db, before=c, after=upheld(c))

    async def ids(
        today: date,
        *,
        unit: str | None = None,
        subject: str | None = None,
        state: ObjectionState | None = None,
        overdue: bool | None = None,
    ) -> list[str]:
        found = await find_objections(
            db,
            subject_id=subject,
            source_unit=unit,
            state=state,
            overdue=overdue,
            today=today,
            after=None,
            limit=10,
        )
        count = await count_objections(
            db, subject_id=subject, source_unit=unit, state=state, overdue=overdue, today=today
        )
        assert count == len(found)
        return [o.id for o in found]

    assert a.decide_by == date(2020, 8, 26)
    assert await ids(date(2020, 8, 26), overdue=True) == []
    assert await ids(date(2020, 8, 27), overdue=True) == ["ob-a"]
    assert await ids(date(2020, 8, 27), overdue=False) == ["ob-b", "ob-c"]
    assert await ids(date(2020, 9, 5), overdue=True) == ["ob-b", "ob-a"]
    assert await ids(date(2020, 9, 5), unit="440300-A") == ["ob-c", "ob-a"]
    assert await ids(date(2020, 9, 5), subject=PERSON.id) == ["ob-b", "ob-c"]
    assert await ids(date(2020, 9, 5), state=ObjectionState.PENDING, unit="440300-B") == ["ob-b"]

    after = objection_cursor_key(b)
    rest = await find_objections(
        db,
        subject_id=None,
        source_unit=None,
        state=None,
        overdue=None,
        today=date(2020, 9, 5),
        after=after,
        limit=10,
    )
    assert [o.id for o in rest] == ["ob-c", "ob-a"]
