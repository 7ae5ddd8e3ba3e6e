"""API tests: amounts leave in 元, several penalty types per record, dated by the law in force."""

from __future__ import annotations

import httpx

from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.submissions import PENALTY_ITEMS, as_input, penalty

SUBMIT = """
mutation Submit($records: [RecordSubmissionInput!]!) {
  submitRecords(records: $records) {
    results { outcome recordId problems { code field message } }
  }
}
"""

RECORD = "query ($id: ID!) { record(id: $id) { dataItems { key value masked } } }"

SAMR_FT = "440300-SAMR-FT"


async def test_submitted_amount_in_fen_and_penalty_types_are_shown_in_yuan_and_in_order(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    submission = penalty(items=PENALTY_ITEMS | {"penalty_type": "罚款、警告"})

    body = await graphql(
        api, SUBMIT, {"records": [as_input(submission)]}, token=token("source_unit", unit=SAMR_FT)
    )
    [result] = data_of(body)["submitRecords"]["results"]
    shown = data_of(await graphql(api, RECORD, {"id": result["recordId"]}))["record"]

    values = {i["key"]: i["value"] for i in shown["dataItems"]}
    assert values["fine_amount"] == "5,000.00 元"  # submitted as 500000 fen
    assert values["penalty_type"] == "警告、罚款"


async def test_penalty_type_of_the_2021_law_on_an_earlier_decision_is_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    submission = penalty(items=PENALTY_ITEMS | {"penalty_type": "罚款、通报批评"})

    body = await graphql(
        api, SUBMIT, {"records": [as_input(submission)]}, token=token("source_unit", unit=SAMR_FT)
    )

    [result] = data_of(body)["submitRecords"]["results"]
    [problem] = result["problems"]
    assert (result["outcome"], problem["code"], problem["field"]) == (
        "REJECTED",
        "NOT_IN_ENUM",
        "dataItems.penalty_type",
    )
    assert "2021-07-15" in problem["message"]


CATALOGUE = """
{
  catalogue {
    items { code dataItems { key multiple datedValues { value effectiveFrom effectiveUntil } } }
  }
}
"""


async def test_catalogue_shows_the_penalty_types_as_multiple_with_their_dates(
    api: httpx.AsyncClient,
) -> None:
    items = data_of(await graphql(api, CATALOGUE))["catalogue"]["items"]

    [spec] = [
        s
        for i in items
        if i["code"] == "DISHONEST_1"
        for s in i["dataItems"]
        if s["key"] == "penalty_type"
    ]
    dated = {d["value"]: (d["effectiveFrom"], d["effectiveUntil"]) for d in spec["datedValues"]}
    assert spec["multiple"] is True
    assert dated["通报批评"] == ("2021-07-15", None)
    assert dated["吊销执照"] == (None, "2021-07-14")
