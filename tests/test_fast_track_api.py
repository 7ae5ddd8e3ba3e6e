"""API tests: the repair fast track (notice 三(十一)) shortens the deadline and leads the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from domain.catalogue import Catalogue
from domain.fast_track import FastTrackReason
from domain.records import Record
from domain.repair import Evidence, RepairMeasure, submitted
from store.database import Database
from store.repair import insert_application
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.factories import PRC_CALENDAR
from tests.helpers import data_of, graphql
from tests.seed import seed_records

APPLY = """
mutation ($input: ApplyForRepairInput!) { applyForRepair(input: $input) {
  ... on ApplyForRepairSuccess { application { id fastTrack fastTrackReasons decideBy } }
  ... on UserError { code message field }
} }
"""

QUEUE = """
query ($state: RepairState, $first: Int, $after: String) {
  repairApplications(state: $state, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id fastTrack } }
  }
}
"""

GENERAL = ["CORRECTION", "PENALTY_FULFILLED", "COMMITMENT"]


async def seed_late_report(db: Database, catalogue: Catalogue, *, epidemic_related: bool) -> Record:
    """A late annual report on display: a general lapse outside the 一(二) offences."""
    firm = factories.firm()
    record = factories.record(
        catalogue,
        firm,
        item_code="ANNUAL_REPORT_LATE",
        decided=date(2020, 3, 1),
        epidemic_related=epidemic_related,
    )
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [record])
    return record


async def apply(api: httpx.AsyncClient, token: TokenFactory, record: Record) -> dict[str, Any]:
    evidence = [{"kind": k, "description": f"{k} 证明材料"} for k in GENERAL]
    variables = {"input": {"record": record.id, "measures": GENERAL, "evidence": evidence}}
    body = await graphql(api, APPLY, variables, token=token("subject", subject=record.subject_id))
    result: dict[str, Any] = data_of(body)["applyForRepair"]["application"]
    return result


async def test_apply_for_repair_lapse_the_epidemic_caused_is_fast_tracked_and_due_next_day(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_late_report(db, catalogue, epidemic_related=True)

    app = await apply(api, token, record)

    # Accepted on Tuesday 2020-09-01, due Wednesday instead of Friday.
    assert (app["fastTrack"], app["fastTrackReasons"], app["decideBy"]) == (
        True,
        ["EPIDEMIC_CAUSE"],
        "2020-09-02",
    )


async def test_apply_for_repair_lapse_without_epidemic_cause_keeps_three_working_days(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_late_report(db, catalogue, epidemic_related=False)

    app = await apply(api, token, record)

    assert (app["fastTrack"], app["decideBy"]) == (False, "2020-09-04")


async def test_apply_for_repair_by_a_subject_with_good_behaviour_is_fast_tracked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_late_report(db, catalogue, epidemic_related=False)
    firm = factories.firm().model_copy(update={"id": record.subject_id})
    # 一(一)9, "other support": every good-behaviour item counts, not a hand-picked few.
    support = factories.record(catalogue, firm, item_code="GOOD_9", decided=date(2020, 4, 1))
    await seed_records(db, [support])

    app = await apply(api, token, record)

    assert app["fastTrackReasons"] == ["EPIDEMIC_SUPPORT_SUBJECT"]


async def queued(db: Database, record: Record, app_id: str, at: datetime, fast: bool) -> None:
    measures = [RepairMeasure(m) for m in GENERAL]
    await insert_application(
        db,
        application=submitted(
            application_id=app_id,
            record=record,
            applicant="subject-user",
            measures=measures,
            evidence=[Evidence(kind=m, description="证明") for m in measures],
            required=measures,
            fast_track=(FastTrackReason.EPIDEMIC_CAUSE,) if fast else (),
            at=at,
            today=at.date(),
            calendar=PRC_CALENDAR,
        ),
    )


async def test_repair_applications_reviewer_queue_is_fast_track_first_then_oldest(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    plan = [  # (id, submitted on, fast track)
        ("ra-old", datetime(2020, 8, 24, 2, tzinfo=UTC), False),
        ("ra-fast-new", datetime(2020, 8, 31, 2, tzinfo=UTC), True),
        ("ra-new", datetime(2020, 8, 31, 1, tzinfo=UTC), False),
        ("ra-fast-old", datetime(2020, 8, 27, 2, tzinfo=UTC), True),
    ]
    for app_id, at, fast in plan:
        record = await seed_late_report(db, catalogue, epidemic_related=fast)
        await queued(db, record, app_id, at, fast)
    centre = token("credit_centre")

    first = data_of(await graphql(api, QUEUE, {"first": 3}, token=centre))["repairApplications"]
    after = first["pageInfo"]["endCursor"]
    rest = data_of(await graphql(api, QUEUE, {"first": 3, "after": after}, token=centre))
    open_only = data_of(await graphql(api, QUEUE, {"state": "ACCEPTED"}, token=centre))

    ids = [e["node"]["id"] for e in first["edges"] + rest["repairApplications"]["edges"]]
    assert ids == ["ra-fast-old", "ra-fast-new", "ra-old", "ra-new"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in open_only["repairApplications"]["edges"]] == ids


async def test_repair_applications_subject_sees_its_own_newest_first(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_late_report(db, catalogue, epidemic_related=False)
    await queued(db, record, "ra-1", datetime(2020, 8, 24, 2, tzinfo=UTC), False)
    me = token("subject", subject=record.subject_id)

    own = data_of(await graphql(api, QUEUE, {}, token=me))["repairApplications"]

    assert [e["node"]["id"] for e in own["edges"]] == ["ra-1"]
