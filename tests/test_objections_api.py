"""API tests: filing objections, the annotation every viewer sees, and their resolution."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from domain.catalogue import Catalogue
from domain.objections import Objection, deadlines
from domain.records import ObjectionGrounds, Record
from domain.subjects import Subject
from store.database import Database
from store.objections import insert_objection
from store.records import get_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.factories import PRC_CALENDAR
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records
from tests.submissions import HEALTH, commendation
from tests.test_submission_api import submit

UNIT = "440300-TEST"  # the source unit of factory records

OBJECTION = """
id state grounds description sourceUnit checkBy decideBy extendedTo dueOn overdue reason
record { id objection { state grounds } dataItems { key value } }
"""

FILE = f"""
mutation ($record: ID!, $grounds: ObjectionGrounds!, $description: String) {{
  fileObjection(record: $record, grounds: $grounds, description: $description) {{
    __typename
    ... on FileObjectionSuccess {{ objection {{ {OBJECTION} }} }}
    ... on UserError {{ code message field }}
  }}
}}
"""

RESOLVE = f"""
mutation ($id: ID!, $outcome: ObjectionOutcome!, $reason: String, $items: [DataItemValueInput!]) {{
  resolveObjection(id: $id, outcome: $outcome, reason: $reason, correctedDataItems: $items) {{
    __typename
    ... on ResolveObjectionSuccess {{ objection {{ {OBJECTION} }} }}
    ... on UserError {{ code message field }}
  }}
}}
"""

EXTEND = f"""
mutation ($id: ID!, $reason: String!) {{
  extendObjection(id: $id, reason: $reason) {{
    __typename
    ... on ExtendObjectionSuccess {{ objection {{ {OBJECTION} }} }}
    ... on UserError {{ code message field }}
  }}
}}
"""

OBJECTIONS = """
query ($state: ObjectionState, $overdue: Boolean) {
  objections(state: $state, overdue: $overdue) {
    totalCount edges { node { id state overdue subjectId } }
  }
}
"""

RECORD = """
query ($id: ID!) { record(id: $id) { id status
  objection { objectionId state grounds filedAt resolvedAt } } }
"""
RECORDS = "query { records { edges { node { id } } } }"


async def seed(db: Database, catalogue: Catalogue, subject: Subject | None = None) -> Record:
    subject = subject or factories.firm()
    record = factories.record(catalogue, subject, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await insert_new_subjects(db, subjects=[subject])
    await seed_records(db, [record])
    return record


async def file(
    api: httpx.AsyncClient,
    token: TokenFactory,
    record: Record,
    grounds: str = "ERROR",
    description: str | None = "产品名称有误",
) -> dict[str, Any]:
    variables = {"record": record.id, "grounds": grounds, "description": description}
    body = await graphql(api, FILE, variables, token=token("subject", subject=record.subject_id))
    result: dict[str, Any] = data_of(body)["fileObjection"]
    return result


async def resolve(
    api: httpx.AsyncClient,
    by: str,
    objection_id: str,
    outcome: str,
    items: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    variables = {"id": objection_id, "outcome": outcome, "reason": "经核查", "items": items}
    result: dict[str, Any] = data_of(await graphql(api, RESOLVE, variables, token=by))[
        "resolveObjection"
    ]
    return result


async def record_as(api: httpx.AsyncClient, record: Record, token: str | None) -> Any:
    return data_of(await graphql(api, RECORD, {"id": record.id}, token=token))["record"]


# --- filing -----------------------------------------------------------------------------------


async def test_file_objection_annotates_the_record_at_once_for_every_viewer(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)

    result = await file(api, token, record)

    objection = result["objection"]
    assert result["__typename"] == "FileObjectionSuccess"
    assert (objection["state"], objection["grounds"], objection["sourceUnit"]) == (
        "PENDING",
        "ERROR",
        UNIT,
    )
    assert (objection["checkBy"], objection["decideBy"], objection["dueOn"]) == (
        "2020-09-02",
        "2020-09-04",
        "2020-09-04",
    )
    assert objection["overdue"] is False
    for viewer in (None, token("bank", org="B1"), token("credit_centre")):
        shown = await record_as(api, record, viewer)
        assert shown["objection"]["objectionId"] == objection["id"]
        assert (shown["objection"]["state"], shown["objection"]["grounds"]) == ("PENDING", "ERROR")
        assert shown["objection"]["resolvedAt"] is None


async def test_file_objection_other_grounds_without_description_names_the_field(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)

    result = await file(api, token, record, grounds="OTHER", description=" ")

    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "description")


async def test_file_objection_twice_while_pending_is_already_open(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    await file(api, token, record)

    result = await file(api, token, record, grounds="SHOWN_PAST_PERIOD")

    assert (result["code"], result["field"]) == ("OBJECTION_ALREADY_OPEN", "record")


async def test_file_objection_on_another_subjects_record_is_not_found_anonymous_forbidden(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    variables = {"record": record.id, "grounds": "ERROR"}

    other = await graphql(api, FILE, variables, token=token("subject", subject="s-other"))
    anonymous = await graphql(api, FILE, variables)

    assert data_of(other)["fileObjection"]["code"] == "NOT_FOUND"
    assert data_of(anonymous)["fileObjection"]["code"] == "FORBIDDEN"


# --- resolving --------------------------------------------------------------------------------


async def test_resolve_objection_corrected_by_the_source_unit_changes_the_data_items(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]

    result = await resolve(
        api,
        token("source_unit", unit=UNIT),
        objection_id,
        "CORRECTED",
        [{"key": "product_name", "value": " 一次性使用医用口罩 "}],
    )

    objection = result["objection"]
    assert (objection["state"], objection["reason"]) == ("CORRECTED", "经核查")
    assert objection["record"]["objection"] == {"state": "CORRECTED", "grounds": "ERROR"}
    shown = {i["key"]: i["value"] for i in objection["record"]["dataItems"]}
    assert shown["product_name"] == "一次性使用医用口罩"
    anonymous = await record_as(api, record, None)
    assert anonymous["objection"]["state"] == "CORRECTED"
    assert anonymous["objection"]["resolvedAt"] is not None


async def test_resolve_objection_correction_outside_the_catalogue_changes_nothing(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]
    unit = token("source_unit", unit=UNIT)

    unknown = await resolve(api, unit, objection_id, "CORRECTED", [{"key": "mobile", "value": "1"}])
    bad = await resolve(
        api, unit, objection_id, "CORRECTED", [{"key": "decision_date", "value": "2020/3/1"}]
    )
    upheld_with_items = await resolve(
        api, unit, objection_id, "UPHELD", [{"key": "product_name", "value": "口罩"}]
    )
    corrected_without = await resolve(api, unit, objection_id, "CORRECTED", [])

    assert (unknown["code"], unknown["field"]) == ("NOT_IN_CATALOGUE", "correctedDataItems")
    assert "mobile" in unknown["message"]
    assert (bad["code"], bad["field"]) == ("BAD_USER_INPUT", "correctedDataItems")
    assert upheld_with_items["code"] == "BAD_USER_INPUT"
    assert corrected_without["code"] == "BAD_USER_INPUT"
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    assert stored.data_items == record.data_items
    assert stored.objection is not None
    assert stored.objection.state == "PENDING"


async def test_resolve_objection_removed_from_display_leaves_public_view_only(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record, "SHOWN_PAST_PERIOD"))["objection"]["id"]

    result = await resolve(api, token("credit_centre"), objection_id, "REMOVED_FROM_DISPLAY")

    assert result["objection"]["state"] == "REMOVED_FROM_DISPLAY"
    assert await record_as(api, record, None) is None
    assert await record_as(api, record, token("bank", org="B1")) is None
    assert data_of(await graphql(api, RECORDS))["records"]["edges"] == []
    for viewer in (token("subject", subject=record.subject_id), token("government")):
        shown = await record_as(api, record, viewer)
        assert (shown["status"], shown["objection"]["state"]) == ("ACTIVE", "REMOVED_FROM_DISPLAY")


async def test_resolve_objection_upheld_keeps_the_record_and_closes_the_annotation(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]

    result = await resolve(api, token("source_unit", unit=UNIT), objection_id, "UPHELD")

    assert result["objection"]["state"] == "UPHELD"
    shown = await record_as(api, record, None)
    assert shown["objection"]["state"] == "UPHELD"
    assert (await file(api, token, record))["objection"]["state"] == "PENDING"


async def test_resolve_objection_a_second_time_differently_is_not_open_same_is_accepted(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]
    centre = token("credit_centre")
    await resolve(api, centre, objection_id, "UPHELD")

    again = await resolve(api, centre, objection_id, "UPHELD")
    other = await resolve(api, centre, objection_id, "REMOVED_FROM_DISPLAY")

    assert again["objection"]["state"] == "UPHELD"
    assert (other["code"], other["field"]) == ("NOT_OPEN", "id")
    [stored] = await get_records(db, ids=[record.id])
    assert stored is not None
    assert [c.kind.value for c in stored.history] == [
        "CREATED",
        "OBJECTION_FILED",
        "OBJECTION_RESOLVED",
    ]


async def test_resolve_objection_by_another_unit_is_not_found_by_the_subject_forbidden(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]

    other_unit = await resolve(
        api, token("source_unit", unit="440300-OTHER"), objection_id, "UPHELD"
    )
    subject = await resolve(
        api, token("subject", subject=record.subject_id), objection_id, "UPHELD"
    )
    missing = await resolve(api, token("credit_centre"), "ob-missing", "UPHELD")

    assert (other_unit["code"], other_unit["field"]) == ("NOT_FOUND", "id")
    assert subject["code"] == "FORBIDDEN"
    assert missing["code"] == "NOT_FOUND"


# --- extending --------------------------------------------------------------------------------


async def test_extend_objection_once_by_three_working_days(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]
    unit = token("source_unit", unit=UNIT)

    blank = await graphql(api, EXTEND, {"id": objection_id, "reason": " "}, token=unit)
    first = await graphql(api, EXTEND, {"id": objection_id, "reason": "需调取案卷"}, token=unit)
    second = await graphql(api, EXTEND, {"id": objection_id, "reason": "仍需调取"}, token=unit)

    assert data_of(blank)["extendObjection"]["field"] == "reason"
    objection = data_of(first)["extendObjection"]["objection"]
    assert (objection["decideBy"], objection["extendedTo"], objection["dueOn"]) == (
        "2020-09-04",
        "2020-09-09",
        "2020-09-09",
    )
    assert data_of(second)["extendObjection"]["code"] == "ALREADY_EXTENDED"


async def test_extend_objection_past_its_deadline_or_resolved_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    late, done = await seed(db, catalogue), await seed(db, catalogue)
    await insert_objection(db, objection=filed_earlier(late, "ob-late"))
    done_id = (await file(api, token, done))["objection"]["id"]
    centre = token("credit_centre")
    await resolve(api, centre, done_id, "UPHELD")

    passed = await graphql(api, EXTEND, {"id": "ob-late", "reason": "需核实"}, token=centre)
    closed = await graphql(api, EXTEND, {"id": done_id, "reason": "需核实"}, token=centre)

    assert data_of(passed)["extendObjection"]["code"] == "DEADLINE_PASSED"
    assert data_of(closed)["extendObjection"]["code"] == "NOT_OPEN"


def filed_earlier(record: Record, objection_id: str) -> Objection:
    """Filed on 2020-08-20: checked by 2020-08-21, decided by 2020-08-25."""
    check_by, decide_by = deadlines(date(2020, 8, 20), PRC_CALENDAR)
    return Objection(
        id=objection_id,
        record_id=record.id,
        subject_id=record.subject_id,
        source_unit=record.source_unit,
        grounds=ObjectionGrounds.WRONGLY_LISTED,
        filed_at=datetime(2020, 8, 20, 4, tzinfo=UTC),
        filed_by="subject-user",
        check_by=check_by,
        decide_by=decide_by,
    )


# --- lists ------------------------------------------------------------------------------------


async def test_objections_listed_for_centre_unit_and_subject_with_overdue(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    late, fresh = await seed(db, catalogue), await seed(db, catalogue)
    await insert_objection(db, objection=filed_earlier(late, "ob-late"))
    fresh_id = (await file(api, token, fresh))["objection"]["id"]

    async def ids(viewer: str, **variables: Any) -> list[tuple[str, bool]]:
        body = data_of(await graphql(api, OBJECTIONS, variables, token=viewer))["objections"]
        assert body["totalCount"] == len(body["edges"])
        return [(e["node"]["id"], e["node"]["overdue"]) for e in body["edges"]]

    centre = token("credit_centre")
    assert await ids(centre) == [(fresh_id, False), ("ob-late", True)]
    assert await ids(centre, overdue=True) == [("ob-late", True)]
    assert await ids(centre, state="UPHELD") == []
    assert await ids(token("source_unit", unit=UNIT)) == [(fresh_id, False), ("ob-late", True)]
    assert await ids(token("source_unit", unit="440300-OTHER")) == []
    assert await ids(token("subject", subject=late.subject_id)) == [("ob-late", True)]
    assert error_codes(await graphql(api, OBJECTIONS, {})) == ["FORBIDDEN"]


async def test_resolve_objection_correction_breaking_the_conduct_rule_is_refused_with_its_code(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    health = token("source_unit", unit=HEALTH.code)
    [result] = (await submit(api, health, commendation()))["results"]
    [record] = await get_records(db, ids=[result["recordId"]])
    assert record is not None
    objection_id = (await file(api, token, record))["objection"]["id"]

    def correcting(conduct: str) -> list[dict[str, str]]:
        return [{"key": "conduct_date", "value": conduct}]

    after_window = await resolve(api, health, objection_id, "CORRECTED", correcting("2021-01-05"))
    after_award = await resolve(api, health, objection_id, "CORRECTED", correcting("2020-04-02"))
    [unchanged] = await get_records(db, ids=[record.id])
    fixed = await resolve(api, health, objection_id, "CORRECTED", correcting("2020-03-01"))

    assert (after_window["code"], after_window["field"]) == (
        "CONDUCT_OUTSIDE_EPIDEMIC",
        "correctedDataItems",
    )
    assert after_window["message"].startswith("conduct_date: ")
    assert (after_award["code"], after_award["field"]) == (
        "CONDUCT_AFTER_DECISION",
        "correctedDataItems",
    )
    assert unchanged is not None
    assert unchanged.data_items == record.data_items
    shown = {i["key"]: i["value"] for i in fixed["objection"]["record"]["dataItems"]}
    assert (fixed["objection"]["state"], shown["conduct_date"]) == ("CORRECTED", "2020-03-01")
