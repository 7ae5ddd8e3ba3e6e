"""API tests: a funding department records 资金资助 through the normal submission path (notice
三(十二)); the public sees that a grant was made, government also its amount in 元; it is on no
public list and earns no points; later FUNDING_PREFERENCE checks see it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.submissions import FIRM, as_input, commendation, funding

SUBMIT = """
mutation ($records: [RecordSubmissionInput!]!) {
  submitRecords(records: $records) {
    results { outcome recordId problems { code field message } }
  }
}
"""

RECORD = """
query ($id: ID!) { record(id: $id) {
  category item { code title } disclosure { end } dataItems { key value masked }
} }
"""

RED_LIST = "{ redList(first: 50) { edges { node { id } } } }"
COLUMN = "{ epidemicColumn { records(first: 50) { edges { node { id } } } } }"

ELIGIBILITY = """
query ($identifier: String!, $programme: String!) {
  eligibility(identifier: $identifier, programme: $programme) {
    eligible points blockers { code recordIds } rulesVersion
  }
}
"""

SCIENCE = "440300-STIC"


async def submitted(api: httpx.AsyncClient, token: str, *records: Any) -> list[dict[str, Any]]:
    body = await graphql(api, SUBMIT, {"records": [as_input(r) for r in records]}, token=token)
    results: list[dict[str, Any]] = data_of(body)["submitRecords"]["results"]
    return results


async def test_a_grant_submitted_by_a_funding_department_is_shown_by_attribute(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    [result] = await submitted(api, token("source_unit", unit=SCIENCE), funding())

    public = data_of(await graphql(api, RECORD, {"id": result["recordId"]}))["record"]
    government = data_of(
        await graphql(api, RECORD, {"id": result["recordId"]}, token=token("government"))
    )["record"]

    assert result["outcome"] == "ACCEPTED"
    assert public["category"] == "FUNDING"
    assert public["disclosure"] == {"end": "2023-05-20"}
    shown = {i["key"]: (i["value"], i["masked"]) for i in public["dataItems"]}
    assert shown["funding_programme"] == ("2020年企业技术攻关资助项目", False)
    assert shown["funding_amount"] == (None, True)
    assert shown["funding_purpose"] == (None, True)
    values = {i["key"]: i["value"] for i in government["dataItems"]}
    assert values["funding_amount"] == "500,000.00 元"


async def test_a_grant_is_refused_from_a_unit_that_grants_no_funding(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    [result] = await submitted(api, token("source_unit", unit="440300-HC"), funding())

    assert result["outcome"] == "REJECTED"
    assert [(p["code"], p["field"]) for p in result["problems"]] == [
        ("UNIT_NOT_AUTHORIZED", "item")
    ]


async def test_a_grant_is_on_no_public_list(api: httpx.AsyncClient, token: TokenFactory) -> None:
    [granted] = await submitted(api, token("source_unit", unit=SCIENCE), funding())
    [commended] = await submitted(api, token("source_unit", unit="440300-HC"), commendation())

    red = data_of(await graphql(api, RED_LIST))["redList"]["edges"]
    column = data_of(await graphql(api, COLUMN))["epidemicColumn"]["records"]["edges"]

    assert [e["node"]["id"] for e in red] == [commended["recordId"]]
    assert granted["recordId"] not in [e["node"]["id"] for e in column]


async def test_later_funding_preference_checks_see_the_grant(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    funder = token("funding", org="FUND-1")
    asked = {"identifier": FIRM.identifier, "programme": "FUNDING_PREFERENCE"}
    [granted] = await submitted(api, token("source_unit", unit=SCIENCE), funding())

    after = data_of(await graphql(api, ELIGIBILITY, asked, token=funder))["eligibility"]
    financing = data_of(
        await graphql(api, ELIGIBILITY, asked | {"programme": "FINANCING"}, token=funder)
    )["eligibility"]

    assert after["eligible"] is False
    assert after["blockers"] == [{"code": "FUNDED_RECENTLY", "recordIds": [granted["recordId"]]}]
    assert after["rulesVersion"] == "2020.2"
    assert (financing["eligible"], financing["points"]) == (True, 0)  # no good behaviour
