"""API tests: typical cases published by the centre and read by the portal, masked."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from domain.catalogue import Catalogue
from domain.records import Record, RecordStatus
from domain.subjects import Subject
from store.changes import write_new_records
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

PUBLISH = """
mutation ($input: PublishCaseInput!) { publishCase(input: $input) {
  __typename
  ... on PublishCaseSuccess { case { id kind title subject { name } records { id } } }
  ... on UserError { code field message }
} }
"""

SAMR_FT = "440300-SAMR-FT"

REVOKE = """
mutation ($id: ID!) { revokeRecord(id: $id, reason: "行政复议撤销原处罚决定") { __typename } }
"""

CASES = """
query ($kind: CaseKind) { cases(kind: $kind) { totalCount edges { node {
  kind title summary subject { name identifier } records { id dataItems { key value } } } } } }
"""


async def test_centre_publishes_bad_case_portal_sees_it_masked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    penalty = factories.record(catalogue, person, item_code="DISHONEST_4", decided=date(2020, 3, 1))
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, [penalty])

    published = await graphql(
        api,
        PUBLISH,
        {
            "input": {
                "kind": "BAD",
                "title": "哄抬口罩价格案",
                "summary": "某药店在疫情期间将口罩价格提高十倍，被依法处罚。",
                "subject": person.id,
                "records": [penalty.id],
            }
        },
        token=token("credit_centre"),
    )
    portal = data_of(await graphql(api, CASES, {"kind": "BAD"}))["cases"]

    assert data_of(published)["publishCase"]["__typename"] == "PublishCaseSuccess"
    assert portal["totalCount"] == 1
    case = portal["edges"][0]["node"]
    assert case["title"] == "哄抬口罩价格案"
    assert case["subject"]["name"] == "王**"
    assert case["subject"]["identifier"] != person.identifier
    assert [r["id"] for r in case["records"]] == [penalty.id]
    assert data_of(await graphql(api, CASES, {"kind": "GOOD"}))["cases"]["totalCount"] == 0


async def test_case_linking_records_of_the_other_kind_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    good = factories.record(catalogue, firm, item_code="GOOD_4", decided=date(2020, 3, 1))
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [good])

    body = await graphql(
        api,
        PUBLISH,
        {"input": {"kind": "BAD", "title": "t", "summary": "s", "subject": firm.id,
                   "records": [good.id]}},
        token=token("credit_centre"),
    )  # fmt: skip

    result = data_of(body)["publishCase"]
    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "records")


async def test_case_linking_another_subjects_record_is_not_found(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, other = factories.firm(), factories.firm()
    penalty = factories.record(catalogue, other, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await insert_new_subjects(db, subjects=[firm, other])
    await seed_records(db, [penalty])

    body = await graphql(
        api,
        PUBLISH,
        {"input": {"kind": "BAD", "title": "t", "summary": "s", "subject": firm.id,
                   "records": [penalty.id]}},
        token=token("credit_centre"),
    )  # fmt: skip

    assert data_of(body)["publishCase"]["code"] == "NOT_FOUND"


async def test_case_title_too_long_is_refused_naming_field(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(
        api,
        PUBLISH,
        {"input": {"kind": "GOOD", "title": "长" * 101, "summary": "s"}},
        token=token("credit_centre"),
    )

    result = data_of(body)["publishCase"]
    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "title")


async def test_publishing_a_case_needs_the_centre(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(
        api,
        PUBLISH,
        {"input": {"kind": "GOOD", "title": "t", "summary": "s"}},
        token=token("government"),
    )

    result = data_of(body)["publishCase"]
    assert result["code"] == "FORBIDDEN"
    assert "cases:write" in result["message"]


async def test_cases_with_unknown_kind_fail_validation(api: httpx.AsyncClient) -> None:
    body = await graphql(api, CASES, {"kind": "NEUTRAL"})

    assert body.get("data") is None
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


def penalty_of(catalogue: Catalogue, subject: Subject, **changes: object) -> Record:
    record = factories.record(
        catalogue, subject, item_code="DISHONEST_2", decided=date(2020, 6, 1)
    ).model_copy(update={"source_unit": SAMR_FT})
    return Record.model_validate(record.model_dump() | changes)


def case_input(subject: Subject, records: list[Record]) -> dict[str, object]:
    return {
        "kind": "BAD",
        "title": "销售伪劣口罩案",
        "summary": "某公司在疫情期间销售伪劣口罩，被依法处罚。",
        "subject": subject.id,
        "records": [r.id for r in records],
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"status": RecordStatus.REVOKED},
        {"status": RecordStatus.REPAIRED},
        {"hidden": True},
        {"decision_date": date(2019, 7, 1)},
    ],
    ids=["revoked", "repaired", "withdrawn on an objection", "past its period"],
)
async def test_case_linking_a_record_not_on_display_is_refused(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    changes: dict[str, object],
) -> None:
    firm = factories.firm()
    if "decision_date" in changes:
        record = factories.record(
            catalogue, firm, item_code="DISHONEST_4", decided=date(2019, 7, 1)
        )
    else:
        record = penalty_of(catalogue, firm, **changes)
    await insert_new_subjects(db, subjects=[firm])
    await write_new_records(db, records=[record])

    body = await graphql(
        api, PUBLISH, {"input": case_input(firm, [record])}, token=token("credit_centre")
    )

    result = data_of(body)["publishCase"]
    assert (result["code"], result["field"]) == ("RECORD_NOT_ON_DISPLAY", "records")
    assert record.id in result["message"]
    assert data_of(await graphql(api, CASES, {}))["cases"]["totalCount"] == 0


CASE_SHOWN = """
{ cases { edges { node { title withdrawn subject { name } records { id } } } } }
"""


async def test_case_hides_records_that_leave_display_and_then_its_subject(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm(name="深圳市某某医疗器械有限公司")
    first, second = penalty_of(catalogue, firm), penalty_of(catalogue, firm)
    await insert_new_subjects(db, subjects=[firm])
    await write_new_records(db, records=[first, second])
    await graphql(
        api, PUBLISH, {"input": case_input(firm, [first, second])}, token=token("credit_centre")
    )
    unit, centre = token("source_unit", unit=SAMR_FT), token("credit_centre")

    await graphql(api, REVOKE, {"id": first.id}, token=unit)
    one_left = {
        viewer: data_of(await graphql(api, CASE_SHOWN, token=viewer))["cases"]["edges"][0]["node"]
        for viewer in (None, centre)
    }
    await graphql(api, REVOKE, {"id": second.id}, token=unit)
    none_left = data_of(await graphql(api, CASE_SHOWN))["cases"]["edges"][0]["node"]

    for node in one_left.values():
        assert (node["withdrawn"], node["records"]) == (False, [{"id": second.id}])
        assert node["subject"] is not None
    assert none_left == {
        "title": "销售伪劣口罩案",
        "withdrawn": True,
        "subject": None,
        "records": [],
    }
