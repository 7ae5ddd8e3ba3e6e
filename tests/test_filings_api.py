"""API tests: a registration authority reports a filed annual report (notice 三(十))."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from domain.records import ChangeKind, RecordStatus
from store.database import Database
from store.feed import count_changes
from store.records import get_records
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.submissions import as_input, late_report, penalty
from tests.test_commitments_api import REGISTER, registration

SUBMIT = """
mutation Submit($records: [RecordSubmissionInput!]!) {
  submitRecords(records: $records) { results { outcome recordId problems { code field } } }
}
"""

FILED = """
mutation Filed($id: ID!, $filedOn: Date!) {
  recordAnnualReportFiled(id: $id, filedOn: $filedOn) {
    __typename
    ... on RecordAnnualReportFiledSuccess {
      record { id status disclosure { state } dataItems { key value } }
    }
    ... on UserError { code field message }
  }
}
"""

RECORD = "query ($id: ID!) { record(id: $id) { id disclosure { state } } }"

SAMR_FT = "440300-SAMR-FT"  # decides penalties only
SAMR = "440300-SAMR"  # also the registration authority


async def submitted(api: httpx.AsyncClient, token: TokenFactory, submission: Any) -> str:
    body = await graphql(
        api, SUBMIT, {"records": [as_input(submission)]}, token=token("source_unit", unit=SAMR_FT)
    )
    [result] = data_of(body)["submitRecords"]["results"]
    assert result["outcome"] == "ACCEPTED", result
    record_id: str = result["recordId"]
    return record_id


async def filed(
    api: httpx.AsyncClient, bearer: str, record_id: str, filed_on: date = date(2020, 8, 20)
) -> dict[str, Any]:
    variables = {"id": record_id, "filedOn": filed_on.isoformat()}
    result: dict[str, Any] = data_of(await graphql(api, FILED, variables, token=bearer))[
        "recordAnnualReportFiled"
    ]
    return result


async def test_record_annual_report_filed_clears_the_record_through_the_change_feed(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    # Not caused by the epidemic: recorded, on display.
    record_id = await submitted(api, token, late_report(epidemic_related=False))
    shown = data_of(await graphql(api, RECORD, {"id": record_id}))["record"]
    assert shown["disclosure"]["state"] == "DISCLOSED"

    result = await filed(api, token("source_unit", unit=SAMR), record_id)

    assert result["__typename"] == "RecordAnnualReportFiledSuccess"
    assert result["record"]["status"] == "CLEARED"
    assert result["record"]["disclosure"]["state"] == "CLEARED"
    assert {"key": "filed_on", "value": "2020-08-20"} in result["record"]["dataItems"]
    assert data_of(await graphql(api, RECORD, {"id": record_id}))["record"] is None
    [record] = await get_records(db, ids=[record_id])
    assert record is not None
    assert record.status is RecordStatus.CLEARED
    assert [c.kind for c in record.history] == [ChangeKind.CREATED, ChangeKind.CLEARED]
    assert await count_changes(db) == 2


async def test_record_annual_report_filed_by_a_unit_not_the_registrar_is_refused(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    record_id = await submitted(api, token, late_report(epidemic_related=False))

    result = await filed(api, token("source_unit", unit=SAMR_FT), record_id)

    assert (result["code"], result["field"]) == ("UNIT_NOT_AUTHORIZED", "id")
    [record] = await get_records(db, ids=[record_id])
    assert record is not None
    assert record.status is RecordStatus.ACTIVE


async def test_record_annual_report_filed_for_a_penalty_or_excused_record_is_not_clearable(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    penalty_id = await submitted(api, token, penalty())
    excused_id = await submitted(
        api, token, late_report(epidemic_related=True, source_record_id="2020-000002")
    )
    registrar = token("source_unit", unit=SAMR)

    for record_id in (penalty_id, excused_id):
        result = await filed(api, registrar, record_id)
        assert (result["code"], result["field"]) == ("NOT_CLEARABLE", "id")


async def test_record_annual_report_filed_on_a_future_day_names_filed_on(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    record_id = await submitted(api, token, late_report(epidemic_related=False))

    result = await filed(api, token("source_unit", unit=SAMR), record_id, date(2020, 9, 2))

    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "filedOn")


async def test_record_annual_report_filed_missing_record_or_no_unit_is_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    missing = await filed(api, token("source_unit", unit=SAMR), "r-nothing")
    body = await graphql(
        api, FILED, {"id": "r-nothing", "filedOn": "2020-08-20"}, token=token("credit_centre")
    )

    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "id")
    assert data_of(body)["recordAnnualReportFiled"]["code"] == "FORBIDDEN"


async def test_every_unit_write_refuses_an_unregistered_unit_by_the_one_authority_check(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    # Issue 11.3: submission, commitments and filings ask the same question the same way.
    bearer = token("source_unit", unit="999999-NONE")

    filing = await filed(api, bearer, "r-nothing")
    commitment = data_of(
        await graphql(api, REGISTER, {"input": registration(factories.firm())}, token=bearer)
    )["registerCommitment"]
    submission = await graphql(api, SUBMIT, {"records": [as_input(penalty())]}, token=bearer)

    assert filing["code"] == commitment["code"] == "FORBIDDEN"
    assert filing["message"] == commitment["message"] == submission["errors"][0]["message"]
    assert "999999-NONE is not a registered source unit" in filing["message"]
