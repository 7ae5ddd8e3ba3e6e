"""API tests: every change to a basis record re-judges the entries citing it (二(八)).

Records are written through the service's write paths (submission, `write_new_records`), and
each event goes through its own mutation: revocation, correction of severity or subject,
objection removal, repair, and the end of display by the calendar alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from domain.blacklist import last_display_day
from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import Record
from domain.subjects import Subject
from server.settings import Settings
from store.changes import write_new_records
from store.database import Database
from store.records import get_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory, serving
from tests.helpers import data_of, graphql
from tests.submissions import as_input, penalty, ref

SAMR_FT = "440300-SAMR-FT"

LIST = """
mutation ($subject: ID!, $basis: [ID!]!, $until: Date!) {
  listOnBlacklist(subject: $subject, basisRecords: $basis, reason: "情节严重", until: $until) {
    ... on ListOnBlacklistSuccess { entry { id until history { event reason } } }
    ... on UserError { code message }
  }
}
"""

ENTRY = """
query ($subject: ID!) { blacklist(subject: $subject) { edges { node {
  id inForce until removedOn removalReason
  history { event on reason until recordId recordChange }
} } } }
"""

BLACKLISTED = "query ($id: ID!) { subject(id: $id) { blacklisted } }"

SUBMIT = """
mutation ($records: [RecordSubmissionInput!]!) { submitRecords(records: $records) {
  results { outcome recordId problems { code message } }
} }
"""

REVOKE = """
mutation ($id: ID!) { revokeRecord(id: $id, reason: "行政复议撤销原处罚决定") {
  __typename ... on UserError { code message }
} }
"""

FILE_OBJECTION = """
mutation ($record: ID!) { fileObjection(record: $record, grounds: ERROR) {
  ... on FileObjectionSuccess { objection { id } }
  ... on UserError { code message }
} }
"""

REMOVE_FROM_DISPLAY = """
mutation ($id: ID!) { resolveObjection(id: $id, outcome: REMOVED_FROM_DISPLAY, reason: "核实有误") {
  __typename ... on UserError { code message }
} }
"""

APPLY_FOR_REPAIR = """
mutation ($input: ApplyForRepairInput!) { applyForRepair(input: $input) {
  ... on ApplyForRepairSuccess { application { id } }
  ... on UserError { code message }
} }
"""

APPROVE_REPAIR = """
mutation ($id: ID!) { reviewRepair(id: $id, decision: APPROVE) {
  ... on ReviewRepairSuccess { application { state } }
  ... on UserError { code message }
} }
"""

MEASURES = ["CORRECTION", "PENALTY_FULFILLED", "COMMITMENT", "TRAINING", "CREDIT_REPORT"]


async def write(db: Database, subject: Subject, *records: Record) -> None:
    """Seed through the write path of new records, as a source unit's batch is stored."""
    await insert_new_subjects(db, subjects=[subject])
    await write_new_records(db, records=list(records))


def serious(catalogue: Catalogue, subject: Subject, decided: date = date(2020, 6, 1)) -> Record:
    record = factories.record(
        catalogue, subject, item_code="DISHONEST_2", decided=decided, severity=Severity.SERIOUS
    )
    return record.model_copy(update={"source_unit": SAMR_FT})


def general(catalogue: Catalogue, subject: Subject) -> Record:
    # Decided before the epidemic window: the plain 527号 general period, repairable by now.
    return factories.record(catalogue, subject, item_code="DISHONEST_4", decided=date(2019, 12, 1))


async def list_on(
    api: httpx.AsyncClient, token: TokenFactory, subject_id: str, basis: list[str], until: date
) -> dict[str, Any]:
    variables = {"subject": subject_id, "basis": basis, "until": until.isoformat()}
    body = await graphql(api, LIST, variables, token=token("credit_centre"))
    entry: dict[str, Any] = data_of(body)["listOnBlacklist"]["entry"]
    return entry


async def entry_of(api: httpx.AsyncClient, token: TokenFactory, subject_id: str) -> dict[str, Any]:
    body = await graphql(api, ENTRY, {"subject": subject_id}, token=token("credit_centre"))
    [edge] = data_of(body)["blacklist"]["edges"]
    node: dict[str, Any] = edge["node"]
    return node


async def blacklisted(api: httpx.AsyncClient, subject_id: str) -> bool:
    body = await graphql(api, BLACKLISTED, {"id": subject_id})
    return bool(data_of(body)["subject"]["blacklisted"])


def assert_left(entry: dict[str, Any], record_id: str, change: str, why: str) -> None:
    assert (entry["inForce"], entry["removedOn"]) == (False, "2020-09-01")
    last = entry["history"][-1]
    assert (last["event"], last["recordId"], last["recordChange"]) == ("REMOVED", record_id, change)
    assert last["reason"] == entry["removalReason"]
    assert f"列入依据{record_id}{why}" in last["reason"]


async def submitted(api: httpx.AsyncClient, token: TokenFactory, *inputs: Any) -> str:
    body = await graphql(
        api, SUBMIT, {"records": list(inputs)}, token=token("source_unit", unit=SAMR_FT)
    )
    [result] = data_of(body)["submitRecords"]["results"]
    assert result["outcome"] == "ACCEPTED", result
    record_id: str = result["recordId"]
    return record_id


async def test_revoking_the_serious_basis_removes_the_entry_at_once(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm)
    await write(db, firm, record)
    await list_on(api, token, firm.id, [record.id], date(2021, 6, 1))

    body = await graphql(api, REVOKE, {"id": record.id}, token=token("source_unit", unit=SAMR_FT))

    assert data_of(body)["revokeRecord"]["__typename"] == "RevokeRecordSuccess"
    assert_left(await entry_of(api, token, firm.id), record.id, "REVOKED", "已撤销")
    assert not await blacklisted(api, firm.id)


async def test_correcting_the_basis_to_general_removes_the_entry(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    record_id = await submitted(api, token, as_input(penalty(severity=Severity.SERIOUS)))
    await list_on(
        api, token, await subject_of(api, token, record_id), [record_id], date(2021, 1, 4)
    )

    await submitted(api, token, as_input(penalty(severity=Severity.GENERAL, correction=True)))

    subject_id = await subject_of(api, token, record_id)
    assert_left(await entry_of(api, token, subject_id), record_id, "CORRECTED", "不是严重失信记录")
    assert not await blacklisted(api, subject_id)


async def test_correcting_the_basis_to_another_subject_removes_the_entry(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    record_id = await submitted(api, token, as_input(penalty(severity=Severity.SERIOUS)))
    listed_id = await subject_of(api, token, record_id)
    await list_on(api, token, listed_id, [record_id], date(2021, 1, 4))
    other = ref(factories.firm(7101))

    await submitted(
        api, token, as_input(penalty(severity=Severity.SERIOUS, subject=other, correction=True))
    )

    assert await subject_of(api, token, record_id) != listed_id
    assert_left(await entry_of(api, token, listed_id), record_id, "CORRECTED", "已更正为其他主体")
    assert not await blacklisted(api, listed_id)


async def subject_of(api: httpx.AsyncClient, token: TokenFactory, record_id: str) -> str:
    body = await graphql(
        api, "query ($id: ID!) { record(id: $id) { subject { id } } }", {"id": record_id},
        token=token("credit_centre"),
    )  # fmt: skip
    subject_id: str = data_of(body)["record"]["subject"]["id"]
    return subject_id


async def test_removing_the_basis_from_display_on_an_objection_removes_the_entry(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm)
    await write(db, firm, record)
    await list_on(api, token, firm.id, [record.id], date(2021, 6, 1))
    filed = await graphql(
        api, FILE_OBJECTION, {"record": record.id}, token=token("subject", subject=firm.id)
    )
    objection_id = data_of(filed)["fileObjection"]["objection"]["id"]
    assert await blacklisted(api, firm.id), "filing alone changes nothing"

    body = await graphql(
        api, REMOVE_FROM_DISPLAY, {"id": objection_id}, token=token("credit_centre")
    )

    assert data_of(body)["resolveObjection"]["__typename"] == "ResolveObjectionSuccess"
    assert_left(await entry_of(api, token, firm.id), record.id, "HIDDEN", "已不予公示")
    assert not await blacklisted(api, firm.id)


async def repair(api: httpx.AsyncClient, token: TokenFactory, record: Record) -> None:
    application = {
        "record": record.id,
        "measures": MEASURES,
        "evidence": [{"kind": m, "description": "已提交证明材料"} for m in MEASURES],
    }
    applied = await graphql(
        api,
        APPLY_FOR_REPAIR,
        {"input": application},
        token=token("subject", subject=record.subject_id),
    )
    application_id = data_of(applied)["applyForRepair"]["application"]["id"]
    approved = await graphql(
        api, APPROVE_REPAIR, {"id": application_id}, token=token("credit_centre")
    )
    assert data_of(approved)["reviewRepair"] == {"application": {"state": "APPROVED"}}


async def test_repairing_a_general_basis_leaves_the_entry_on_its_serious_basis(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    hard, light = serious(catalogue, firm), general(catalogue, firm)
    await write(db, firm, hard, light)
    await list_on(api, token, firm.id, [hard.id, light.id], date(2021, 6, 1))

    await repair(api, token, light)

    entry = await entry_of(api, token, firm.id)
    assert (entry["inForce"], entry["removedOn"], entry["until"]) == (True, None, "2021-06-01")
    assert [line["event"] for line in entry["history"]] == ["LISTED"]
    assert await blacklisted(api, firm.id)


async def test_repairing_the_serious_basis_removes_the_entry(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    # Serious, decided 2020-02-01: repair may be asked for from 2020-08-01.
    hard, light = serious(catalogue, firm, date(2020, 2, 1)), general(catalogue, firm)
    await write(db, firm, hard, light)
    await list_on(api, token, firm.id, [hard.id, light.id], date(2021, 6, 1))

    await repair(api, token, hard)

    assert_left(await entry_of(api, token, firm.id), hard.id, "REPAIRED", "已完成信用修复")
    assert not await blacklisted(api, firm.id)


async def test_entry_ends_with_the_display_of_its_serious_basis_without_a_job(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    settings: Settings,
    store_uri: str,
) -> None:
    firm = factories.firm()
    longer, shorter = serious(catalogue, firm), serious(catalogue, firm, date(2020, 3, 1))
    await write(db, firm, longer, shorter)
    listed = await list_on(api, token, firm.id, [longer.id, shorter.id], last_display_day(longer))
    revoked = await graphql(
        api, REVOKE, {"id": longer.id}, token=token("source_unit", unit=SAMR_FT)
    )
    assert data_of(revoked)["revokeRecord"]["__typename"] == "RevokeRecordSuccess"
    [stored] = await get_records(db, ids=[shorter.id])
    assert stored is not None
    last_day = last_display_day(stored)

    entry = await entry_of(api, token, firm.id)
    on_last_day = serving(settings, store_uri, last_day)
    async with on_last_day as http:
        in_force_then = await blacklisted(http, firm.id)
    async with serving(settings, store_uri, last_day + timedelta(days=1)) as http:
        in_force_after = await blacklisted(http, firm.id)

    assert listed["history"][0]["event"] == "LISTED"
    assert (entry["inForce"], entry["until"]) == (True, last_day.isoformat())
    shortened = entry["history"][-1]
    assert (shortened["event"], shortened["recordId"], shortened["recordChange"]) == (
        "SHORTENED",
        longer.id,
        "REVOKED",
    )
    assert (in_force_then, in_force_after) == (True, False)


async def test_listing_refuses_a_basis_not_on_display(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    hard = serious(catalogue, firm)
    hidden = serious(catalogue, firm).model_copy(update={"hidden": True})
    ended = factories.record(catalogue, firm, item_code="DISHONEST_4", decided=date(2019, 7, 1))
    await write(db, firm, hard, hidden, ended)

    refused = {}
    for record in (hidden, ended):
        variables = {"subject": firm.id, "basis": [hard.id, record.id], "until": "2021-06-01"}
        body = await graphql(api, LIST, variables, token=token("credit_centre"))
        refused[record.id] = data_of(body)["listOnBlacklist"]

    assert refused == {
        hidden.id: {
            "code": "BLACKLIST_BASIS_INVALID",
            "message": f"record {hidden.id} is removed from public display",
        },
        ended.id: {
            "code": "BLACKLIST_BASIS_INVALID",
            "message": f"record {ended.id} is not on public display today",
        },
    }
    assert not await blacklisted(api, firm.id)
