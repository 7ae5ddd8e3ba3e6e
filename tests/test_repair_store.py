"""Store tests: repair applications, one open per record, conditional decisions, overdue lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.catalogue import Catalogue
from domain.records import Record
from domain.repair import (
    Evidence,
    RepairApplication,
    RepairDecision,
    RepairMeasure,
    RepairState,
    reviewed,
    submitted,
)
from domain.subjects import Subject
from store.database import Database
from store.errors import AlreadyOpen, ChangedMeanwhile
from store.repair import (
    application_cursor_key,
    count_applications,
    find_applications,
    find_open_application,
    get_application,
    insert_application,
    update_application,
)
from tests import factories
from tests.factories import PRC_CALENDAR

GENERAL = (RepairMeasure.CORRECTION, RepairMeasure.PENALTY_FULFILLED, RepairMeasure.COMMITMENT)
FIRM = factories.firm(7001)
OTHER = factories.firm(7002)


def penalty(catalogue: Catalogue, subject: Subject = FIRM) -> Record:
    return factories.record(catalogue, subject, item_code="DISHONEST_2", decided=date(2020, 3, 1))


def apply(
    record: Record,
    on: date,
    *,
    app_id: str,
    measures: tuple[RepairMeasure, ...] = GENERAL,
    minute: int = 0,
) -> RepairApplication:
    return submitted(
        application_id=app_id,
        record=record,
        applicant="subject-user",
        measures=measures,
        evidence=[Evidence(kind=m, description="证明") for m in measures],
        required=GENERAL,
        fast_track=(),
        at=datetime(on.year, on.month, on.day, 4, minute, tzinfo=UTC),
        today=on,
        calendar=PRC_CALENDAR,
    )


def decide(app: RepairApplication, decision: RepairDecision, today: date) -> RepairApplication:
    return reviewed(
        app,
        decision=decision,
        reason="ok",
        at=datetime(today.year, today.month, today.day, 5, tzinfo=UTC),
        today=today,
        by="centre",
        calendar=PRC_CALENDAR,
    )


async def test_insert_application_round_trip_returns_equal_model(
    db: Database, catalogue: Catalogue
) -> None:
    app = apply(penalty(catalogue), date(2020, 9, 1), app_id="ra-1")

    await insert_application(db, application=app)

    assert await get_application(db, application_id="ra-1") == app
    assert await find_open_application(db, record_id=app.record_id) == app
    assert await get_application(db, application_id="ra-missing") is None


async def test_insert_application_second_open_for_one_record_is_already_open(
    db: Database, catalogue: Catalogue
) -> None:
    record = penalty(catalogue)
    await insert_application(db, application=apply(record, date(2020, 9, 1), app_id="ra-1"))

    with pytest.raises(AlreadyOpen):
        await insert_application(db, application=apply(record, date(2020, 9, 1), app_id="ra-2"))


async def test_insert_application_incomplete_ones_do_not_block_each_other_or_an_open_one(
    db: Database, catalogue: Catalogue
) -> None:
    record = penalty(catalogue)
    for app_id in ("ra-1", "ra-2"):
        incomplete = apply(record, date(2020, 9, 1), app_id=app_id, measures=())
        await insert_application(db, application=incomplete)

    await insert_application(db, application=apply(record, date(2020, 9, 1), app_id="ra-3"))

    found = await find_open_application(db, record_id=record.id)
    assert found is not None
    assert found.id == "ra-3"


async def test_update_application_decided_frees_the_record_for_a_new_one(
    db: Database, catalogue: Catalogue
) -> None:
    record = penalty(catalogue)
    app = apply(record, date(2020, 9, 1), app_id="ra-1")
    await insert_application(db, application=app)

    await update_application(
        db, before=app, after=decide(app, RepairDecision.REJECT, date(2020, 9, 2))
    )
    await insert_application(db, application=apply(record, date(2020, 9, 3), app_id="ra-2"))

    stored = await get_application(db, application_id="ra-1")
    assert stored is not None
    assert stored.state is RepairState.REJECTED


async def test_update_application_from_a_stale_copy_is_changed_meanwhile(
    db: Database, catalogue: Catalogue
) -> None:
    app = apply(penalty(catalogue), date(2020, 9, 1), app_id="ra-1")
    await insert_application(db, application=app)
    extended = decide(app, RepairDecision.EXTEND, date(2020, 9, 2))
    await update_application(db, before=app, after=extended)

    with pytest.raises(ChangedMeanwhile):
        await update_application(
            db, before=app, after=decide(app, RepairDecision.APPROVE, date(2020, 9, 2))
        )

    assert await get_application(db, application_id="ra-1") == extended


async def seed_deadlines(db: Database, catalogue: Catalogue) -> dict[str, RepairApplication]:
    """Open ones due 2020-08-25 (ra-old), 2020-09-04 (ra-new, FIRM) and 2020-09-04 extended to
    2020-09-09 (ra-ext); a decided one (ra-done) and an incomplete one (ra-inc), both OTHER's."""
    old = apply(penalty(catalogue), date(2020, 8, 20), app_id="ra-old")
    new = apply(penalty(catalogue), date(2020, 9, 1), app_id="ra-new", minute=1)
    ext = apply(penalty(catalogue, OTHER), date(2020, 9, 1), app_id="ra-ext", minute=2)
    done = apply(penalty(catalogue, OTHER), date(2020, 8, 20), app_id="ra-done", minute=3)
    inc = apply(penalty(catalogue, OTHER), date(2020, 8, 21), app_id="ra-inc", measures=())
    for app in (old, new, ext, done, inc):
        await insert_application(db, application=app)
    ext_after = decide(ext, RepairDecision.EXTEND, date(2020, 9, 2))
    done_after = decide(done, RepairDecision.APPROVE, date(2020, 8, 21))
    await update_application(db, before=ext, after=ext_after)
    await update_application(db, before=done, after=done_after)
    return {a.id: a for a in (old, new, ext_after, done_after, inc)}


async def ids(
    db: Database,
    *,
    today: date,
    overdue: bool | None = None,
    subject_id: str | None = None,
    state: RepairState | None = None,
) -> list[str]:
    """The ids found, newest first, after checking that the count agrees."""
    found = await find_applications(
        db, subject_id=subject_id, state=state, overdue=overdue, today=today, after=None, limit=100
    )
    count = await count_applications(
        db, subject_id=subject_id, state=state, overdue=overdue, today=today
    )
    assert count == len(found)
    return [a.id for a in found]


@pytest.mark.parametrize(
    ("today", "overdue", "not_overdue"),
    [
        (date(2020, 8, 25), [], ["ra-ext", "ra-new", "ra-inc", "ra-done", "ra-old"]),
        (date(2020, 8, 26), ["ra-old"], ["ra-ext", "ra-new", "ra-inc", "ra-done"]),
        (date(2020, 9, 4), ["ra-old"], ["ra-ext", "ra-new", "ra-inc", "ra-done"]),
        (date(2020, 9, 5), ["ra-new", "ra-old"], ["ra-ext", "ra-inc", "ra-done"]),
        (date(2020, 9, 9), ["ra-new", "ra-old"], ["ra-ext", "ra-inc", "ra-done"]),
        (date(2020, 9, 10), ["ra-ext", "ra-new", "ra-old"], ["ra-inc", "ra-done"]),
    ],
)
async def test_find_applications_overdue_on_each_side_of_each_deadline(
    db: Database,
    catalogue: Catalogue,
    today: date,
    overdue: list[str],
    not_overdue: list[str],
) -> None:
    apps = await seed_deadlines(db, catalogue)
    assert [a for a in overdue if not apps[a].overdue(today)] == []

    assert await ids(db, today=today, overdue=True) == overdue
    assert await ids(db, today=today, overdue=False) == not_overdue


async def test_find_applications_filters_combine_with_overdue(
    db: Database, catalogue: Catalogue
) -> None:
    await seed_deadlines(db, catalogue)
    today = date(2020, 9, 5)

    assert await ids(db, today=today, subject_id=FIRM.id) == ["ra-new", "ra-old"]
    accepted, approved = RepairState.ACCEPTED, RepairState.APPROVED
    assert await ids(db, today=today, subject_id=OTHER.id, state=accepted, overdue=False) == [
        "ra-ext"
    ]
    assert await ids(db, today=today, state=approved, overdue=True) == []
    assert await ids(db, today=today, state=approved, overdue=False) == ["ra-done"]


async def test_find_applications_pages_after_a_cursor_key_newest_first(
    db: Database, catalogue: Catalogue
) -> None:
    apps = await seed_deadlines(db, catalogue)
    day = date(2020, 9, 1)

    first = await find_applications(
        db, subject_id=None, state=None, overdue=None, today=day, after=None, limit=2
    )
    rest = await find_applications(
        db,
        subject_id=None,
        state=None,
        overdue=None,
        today=day,
        after=application_cursor_key(first[-1]),
        limit=10,
    )

    assert [a.id for a in first + rest] == ["ra-ext", "ra-new", "ra-inc", "ra-done", "ra-old"]
    assert sorted(apps) == sorted(a.id for a in first + rest)
    assert first[0].submitted_at - first[1].submitted_at == timedelta(minutes=1)
