"""API tests: applying for credit repair, the credit centre's review, and the lists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.repair import Evidence, RepairMeasure, submitted
from domain.subjects import Subject
from store.changes import write_change
from store.database import AUDIT_EVENTS, Database
from store.records import get_records
from store.repair import insert_application
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory
from tests.factories import PRC_CALENDAR
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

APPLICATION = """
id state recordId measures fastTrack fastTrackReasons missing { measure kind }
acceptBy decideBy extendedTo dueOn overdue reason history { state by reason }
record { id status }
"""

APPLY = f"""
mutation ($input: ApplyForRepairInput!) {{ applyForRepair(input: $input) {{
  __typename
  ... on ApplyForRepairSuccess {{ application {{ {APPLICATION} }} }}
  ... on UserError {{ code message field }}
}} }}
"""

REVIEW = f"""
mutation ($id: ID!, $decision: RepairDecision!, $reason: String) {{
  reviewRepair(id: $id, decision: $decision, reason: $reason) {{
    __typename
    ... on ReviewRepairSuccess {{ application {{ {APPLICATION} }} }}
    ... on UserError {{ code message field }}
  }}
}}
"""

APPLICATIONS = """
query ($state: RepairState, $overdue: Boolean, $subject: ID, $first: Int, $after: String) {
  repairApplications(state: $state, overdue: $overdue, subject: $subject, first: $first,
                     after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id state subjectId overdue dueOn } }
  }
}
"""

RECORD = "query ($id: ID!) { record(id: $id) { id status } }"
RECORDS = "query { records { edges { node { id } } } }"

GENERAL = ["CORRECTION", "PENALTY_FULFILLED", "COMMITMENT"]


def evidence(*kinds: str) -> list[dict[str, str]]:
    return [{"kind": k, "description": f"{k} 证明材料", "documentNumber": "深市监〔2020〕1号"}
            for k in kinds]  # fmt: skip


def complete(record: Record, measures: list[str] = GENERAL) -> dict[str, Any]:
    return {"input": {"record": record.id, "measures": measures, "evidence": evidence(*measures)}}


async def seed(
    db: Database,
    catalogue: Catalogue,
    subject: Subject,
    *,
    decided: date = date(2020, 1, 10),  # before the epidemic: repairable from 2020-04-11
    item_code: str = "DISHONEST_2",
    severity: Severity = Severity.GENERAL,
    epidemic_related: bool = False,
) -> Record:
    record = factories.record(
        catalogue,
        subject,
        item_code=item_code,
        decided=decided,
        severity=severity,
        epidemic_related=epidemic_related,
    )
    await insert_new_subjects(db, subjects=[subject])
    await seed_records(db, [record])
    return record


async def apply(api: httpx.AsyncClient, token: TokenFactory, record: Record) -> dict[str, Any]:
    body = await graphql(
        api, APPLY, complete(record), token=token("subject", subject=record.subject_id)
    )
    result: dict[str, Any] = data_of(body)["applyForRepair"]
    return result


async def review(
    api: httpx.AsyncClient, token: TokenFactory, app_id: str, decision: str, reason: str | None
) -> dict[str, Any]:
    variables = {"id": app_id, "decision": decision, "reason": reason}
    body = await graphql(api, REVIEW, variables, token=token("credit_centre"))
    result: dict[str, Any] = data_of(body)["reviewRepair"]
    return result


async def stored_late(db: Database, record: Record, app_id: str) -> None:
    """An application accepted on 2020-08-20, due 2020-08-25: overdue on 2020-09-01."""
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
            fast_track=(),
            at=datetime(2020, 8, 20, 4, tzinfo=UTC),
            today=date(2020, 8, 20),
            calendar=PRC_CALENDAR,
        ),
    )


# --- applying ---------------------------------------------------------------------------------


async def test_apply_for_repair_complete_is_accepted_today_and_decided_within_three_days(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())

    result = await apply(api, token, record)

    app = result["application"]
    assert result["__typename"] == "ApplyForRepairSuccess"
    assert (app["state"], app["recordId"], app["missing"]) == ("ACCEPTED", record.id, [])
    assert (app["acceptBy"], app["decideBy"], app["dueOn"]) == (
        "2020-09-01",
        "2020-09-04",
        "2020-09-04",
    )
    assert (app["extendedTo"], app["overdue"], app["fastTrack"]) == (None, False, False)
    assert [s["state"] for s in app["history"]] == ["SUBMITTED", "ACCEPTED"]
    assert app["record"] == {"id": record.id, "status": "ACTIVE"}
    event = await db[AUDIT_EVENTS].find_one({"action": "WRITE"})
    assert event is not None
    assert event["subject_ids"] == [record.subject_id]


async def test_apply_for_repair_incomplete_needs_materials_listing_every_missing_item(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm(), severity=Severity.SERIOUS)
    variables = {"input": {"record": record.id, "measures": ["CORRECTION", "TRAINING"],
                           "evidence": evidence("TRAINING")}}  # fmt: skip

    body = await graphql(api, APPLY, variables, token=token("subject", subject=record.subject_id))

    app = data_of(body)["applyForRepair"]["application"]
    assert app["state"] == "NEEDS_MATERIALS"
    assert app["missing"] == [
        {"measure": "CORRECTION", "kind": "EVIDENCE"},
        {"measure": "PENALTY_FULFILLED", "kind": "MEASURE"},
        {"measure": "COMMITMENT", "kind": "MEASURE"},
        {"measure": "CREDIT_REPORT", "kind": "MEASURE"},
    ]
    assert (app["acceptBy"], app["decideBy"], app["dueOn"], app["overdue"]) == (
        None,
        None,
        None,
        False,
    )


async def test_apply_for_repair_needing_materials_leaves_room_for_a_complete_one(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    subject = token("subject", subject=record.subject_id)
    await graphql(api, APPLY, {"input": {"record": record.id, "measures": []}}, token=subject)

    result = await apply(api, token, record)

    assert result["application"]["state"] == "ACCEPTED"


async def test_apply_for_repair_of_an_epidemic_offence_is_never_fast_tracked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    # Notice 二(八), 三(十一): fake medical supplies (一(二)2) are punished strictly, whatever
    # the flag says or the firm did besides (tests/test_fast_track_api.py: who is).
    firm = factories.firm()
    record = await seed(db, catalogue, firm, epidemic_related=True)
    supplies = factories.record(catalogue, firm, item_code="GOOD_4", decided=date(2020, 2, 20))
    await seed_records(db, [supplies])

    app = (await apply(api, token, record))["application"]

    assert (app["fastTrack"], app["fastTrackReasons"]) == (False, [])
    assert app["decideBy"] == "2020-09-04"


async def test_apply_for_repair_serious_penalty_from_its_earliest_date_is_accepted(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    measures = [*GENERAL, "TRAINING", "CREDIT_REPORT"]
    record = await seed(
        db, catalogue, factories.firm(), decided=date(2020, 2, 29), severity=Severity.SERIOUS
    )
    # 民法典 art. 202: the 6 months end on 08-29 (no 08-31 from a 29th); repair from 08-30.
    assert record.disclosure.earliest_repair_date == date(2020, 8, 30)

    body = await graphql(
        api, APPLY, complete(record, measures), token=token("subject", subject=record.subject_id)
    )

    assert data_of(body)["applyForRepair"]["application"]["state"] == "ACCEPTED"


async def test_apply_for_repair_the_day_before_the_earliest_date_is_too_early_naming_it(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(
        db, catalogue, factories.firm(), decided=date(2020, 3, 1), severity=Severity.SERIOUS
    )

    result = await apply(api, token, record)

    assert result["code"] == "REPAIR_TOO_EARLY"
    assert result["field"] == "record"
    assert "2020-09-02" in result["message"]  # the 6 months' last day is 2020-09-01, today


async def test_apply_for_repair_of_a_good_record_is_not_applicable(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm(), item_code="GOOD_4")

    assert (await apply(api, token, record))["code"] == "REPAIR_NOT_APPLICABLE"


async def test_apply_for_repair_of_another_subjects_record_is_not_found(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    other = token("subject", subject="s-someone-else")

    body = await graphql(api, APPLY, complete(record), token=other)

    result = data_of(body)["applyForRepair"]
    assert (result["code"], result["field"]) == ("NOT_FOUND", "record")


async def test_apply_for_repair_twice_while_under_review_is_already_open(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    await apply(api, token, record)

    assert (await apply(api, token, record))["code"] == "REPAIR_ALREADY_OPEN"


async def test_apply_for_repair_with_blank_evidence_names_it(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    variables = complete(record)
    variables["input"]["evidence"][1]["description"] = "  "

    body = await graphql(api, APPLY, variables, token=token("subject", subject=record.subject_id))

    result = data_of(body)["applyForRepair"]
    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "evidence")
    assert result["message"].startswith("evidence[1].description:")


async def test_apply_for_repair_with_more_than_twenty_pieces_of_evidence_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    variables = complete(record)
    variables["input"]["evidence"] = evidence(*["CORRECTION"] * 21)

    body = await graphql(api, APPLY, variables, token=token("subject", subject=record.subject_id))

    result = data_of(body)["applyForRepair"]
    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "evidence")


async def test_apply_for_repair_without_a_subject_token_is_forbidden(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())

    anonymous = data_of(await graphql(api, APPLY, complete(record)))["applyForRepair"]
    bank = data_of(await graphql(api, APPLY, complete(record), token=token("bank", org="B1")))

    assert anonymous["code"] == "FORBIDDEN"
    assert bank["applyForRepair"]["code"] == "FORBIDDEN"


# --- reviewing --------------------------------------------------------------------------------


async def test_review_repair_approved_ends_public_disclosure_the_record_stays_on_file(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    result = await review(api, token, app_id, "APPROVE", None)

    assert result["application"]["state"] == "APPROVED"
    assert data_of(await graphql(api, RECORD, {"id": record.id}))["record"] is None
    assert data_of(await graphql(api, RECORDS))["records"]["edges"] == []
    for viewer in (token("subject", subject=record.subject_id), token("credit_centre")):
        shown = data_of(await graphql(api, RECORD, {"id": record.id}, token=viewer))["record"]
        assert shown == {"id": record.id, "status": "REPAIRED"}
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    assert [c.kind for c in stored.history] == [ChangeKind.CREATED, ChangeKind.REPAIRED]
    assert stored.history[-1].reason == f"repair application {app_id} approved"


async def test_review_repair_rejected_with_a_reason_leaves_the_record_disclosed(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    without = await review(api, token, app_id, "REJECT", " ")
    result = await review(api, token, app_id, "REJECT", "罚款尚未缴纳")

    assert (without["code"], without["field"]) == ("BAD_USER_INPUT", "reason")
    assert (result["application"]["state"], result["application"]["reason"]) == (
        "REJECTED",
        "罚款尚未缴纳",
    )
    assert data_of(await graphql(api, RECORD, {"id": record.id}))["record"]["status"] == "ACTIVE"


async def test_review_repair_extended_once_by_three_working_days_then_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    first = await review(api, token, app_id, "EXTEND", "需向处罚机关核实")
    second = await review(api, token, app_id, "EXTEND", "仍需核实")

    app = first["application"]
    assert (app["state"], app["decideBy"], app["extendedTo"], app["dueOn"]) == (
        "ACCEPTED",
        "2020-09-04",
        "2020-09-09",
        "2020-09-09",
    )
    assert app["history"][-1] == {
        "state": "ACCEPTED",
        "by": "credit_centre-user",
        "reason": "extended: 需向处罚机关核实",
    }
    assert (second["code"], second["field"]) == ("ALREADY_EXTENDED", "decision")


async def test_review_repair_extension_after_the_deadline_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    await stored_late(db, record, "ra-late")

    result = await review(api, token, "ra-late", "EXTEND", "需核实")

    assert result["code"] == "DEADLINE_PASSED"
    assert "2020-08-25" in result["message"]


async def test_review_repair_decided_or_incomplete_application_is_not_open(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    subject = token("subject", subject=record.subject_id)
    incomplete = data_of(
        await graphql(api, APPLY, {"input": {"record": record.id, "measures": []}}, token=subject)
    )["applyForRepair"]["application"]["id"]
    app_id = (await apply(api, token, record))["application"]["id"]
    await review(api, token, app_id, "APPROVE", None)

    for target in (app_id, incomplete):
        result = await review(api, token, target, "REJECT", "重复")
        assert (result["code"], result["field"]) == ("NOT_OPEN", "id")


async def test_review_repair_approving_again_completes_an_interrupted_approval(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]
    await review(api, token, app_id, "APPROVE", None)
    # As if the request had died after deciding and before repairing the record.
    [repaired] = await get_records(db, ids=[record.id])
    assert repaired is not None
    reopened = next_version(
        repaired, kind=ChangeKind.SHOWN, at=repaired.created_at, by="test",
        status=RecordStatus.ACTIVE,
    )  # fmt: skip
    await write_change(db, before=repaired, after=reopened, today=TODAY)

    result = await review(api, token, app_id, "APPROVE", None)

    assert result["application"]["state"] == "APPROVED"
    [now] = await get_records(db, ids=[record.id])
    assert now is not None
    assert now.status is RecordStatus.REPAIRED


async def test_review_repair_of_a_record_revoked_meanwhile_is_not_applicable(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]
    revoked = next_version(
        record, kind=ChangeKind.REVOKED, at=record.created_at, by=record.source_unit,
        status=RecordStatus.REVOKED,
    )  # fmt: skip
    await write_change(db, before=record, after=revoked, today=TODAY)

    result = await review(api, token, app_id, "APPROVE", None)

    assert (result["code"], result["field"]) == ("REPAIR_NOT_APPLICABLE", "decision")
    assert "REVOKED" in result["message"]


async def test_review_repair_unknown_id_is_not_found_and_subject_is_forbidden(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]
    variables = {"id": app_id, "decision": "APPROVE"}

    missing = await review(api, token, "ra-missing", "APPROVE", None)
    body = await graphql(api, REVIEW, variables, token=token("subject", subject=record.subject_id))

    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "id")
    assert data_of(body)["reviewRepair"]["code"] == "FORBIDDEN"


async def test_review_repair_with_an_unknown_decision_fails_validation(
    api: httpx.AsyncClient,
) -> None:
    body = await graphql(api, REVIEW, {"id": "ra-1", "decision": "MAYBE"})

    assert body.get("data") is None
    assert "MAYBE" in body["errors"][0]["message"]


# --- lists ------------------------------------------------------------------------------------


async def test_repair_applications_centre_lists_overdue_ones(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    late = await seed(db, catalogue, factories.firm())
    fresh = await seed(db, catalogue, factories.firm())
    await stored_late(db, late, "ra-late")
    fresh_id = (await apply(api, token, fresh))["application"]["id"]
    centre = token("credit_centre")

    overdue = data_of(await graphql(api, APPLICATIONS, {"overdue": True}, token=centre))
    on_time = data_of(await graphql(api, APPLICATIONS, {"overdue": False}, token=centre))
    accepted = data_of(await graphql(api, APPLICATIONS, {"state": "ACCEPTED"}, token=centre))

    assert [e["node"] for e in overdue["repairApplications"]["edges"]] == [
        {"id": "ra-late", "state": "ACCEPTED", "subjectId": late.subject_id, "overdue": True,
         "dueOn": "2020-08-25"},
    ]  # fmt: skip
    assert [e["node"]["id"] for e in on_time["repairApplications"]["edges"]] == [fresh_id]
    assert accepted["repairApplications"]["totalCount"] == 2


async def test_repair_applications_subject_sees_its_own_only(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    mine = await seed(db, catalogue, factories.firm())
    theirs = await seed(db, catalogue, factories.firm())
    mine_id = (await apply(api, token, mine))["application"]["id"]
    await apply(api, token, theirs)
    me = token("subject", subject=mine.subject_id)

    own = data_of(await graphql(api, APPLICATIONS, {}, token=me))["repairApplications"]
    other = await graphql(api, APPLICATIONS, {"subject": theirs.subject_id}, token=me)

    assert [e["node"]["id"] for e in own["edges"]] == [mine_id]
    assert error_codes(other) == ["FORBIDDEN_FILTER"]


async def test_repair_applications_page_through_with_cursors(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    records = [await seed(db, catalogue, factories.firm()) for _ in range(3)]
    for record in records:
        await apply(api, token, record)
    centre = token("credit_centre")

    first = data_of(await graphql(api, APPLICATIONS, {"first": 2}, token=centre))
    after = first["repairApplications"]["pageInfo"]["endCursor"]
    rest = data_of(await graphql(api, APPLICATIONS, {"first": 2, "after": after}, token=centre))

    assert first["repairApplications"]["pageInfo"]["hasNextPage"] is True
    assert len(first["repairApplications"]["edges"]) == 2
    assert len(rest["repairApplications"]["edges"]) == 1
    assert rest["repairApplications"]["pageInfo"]["hasNextPage"] is False


async def test_repair_applications_anonymous_is_forbidden_and_bad_cursor_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    anonymous = await graphql(api, APPLICATIONS, {})
    bad = await graphql(api, APPLICATIONS, {"after": "nope"}, token=token("credit_centre"))

    assert error_codes(anonymous) == ["FORBIDDEN"]
    assert error_codes(bad) == ["INVALID_CURSOR"]
