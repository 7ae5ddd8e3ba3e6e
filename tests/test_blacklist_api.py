"""API tests: the credit centre lists and removes; the public reads entries in force (二(八))."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import ChangeKind, Record
from domain.subjects import Subject
from store import blacklist as blacklist_store
from store.database import AUDIT_EVENTS, Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

LIST = """
mutation ($subject: ID!, $basis: [ID!]!, $reason: String!, $until: Date!) {
  listOnBlacklist(subject: $subject, basisRecords: $basis, reason: $reason, until: $until) {
    __typename
    ... on ListOnBlacklistSuccess { entry {
      id basisRecordIds reason listedOn until inForce removedOn
      notice { reason measures removalConditions remedies text
               basis { recordId itemTitle documentNumber decisionDate severity } }
      subject { id blacklisted }
    } }
    ... on UserError { code message field }
  }
}
"""

REMOVE = """
mutation ($id: ID!, $reason: String!) { removeFromBlacklist(id: $id, reason: $reason) {
  __typename
  ... on RemoveFromBlacklistSuccess { entry { id inForce removedOn removalReason } }
  ... on UserError { code message field }
} }
"""

BLACKLIST = """
query ($subject: ID, $inForce: Boolean) { blacklist(subject: $subject, inForce: $inForce) {
  totalCount edges { node { id inForce until subject { name blacklisted } } }
} }
"""

BLACKLISTED = "query ($id: ID!) { subject(id: $id) { blacklisted } }"


async def seed(db: Database, catalogue: Catalogue, subject: Subject) -> dict[str, Record]:
    """A serious and a general penalty on display, decided 2020-06-01, and one no longer shown."""
    records = {
        "serious": factories.record(
            catalogue,
            subject,
            item_code="DISHONEST_2",
            decided=date(2020, 6, 1),
            severity=Severity.SERIOUS,
        ),
        "general": factories.record(
            catalogue, subject, item_code="DISHONEST_4", decided=date(2020, 6, 1)
        ),
    }
    await insert_new_subjects(db, subjects=[subject])
    await seed_records(db, list(records.values()))
    return records


async def list_on(
    api: httpx.AsyncClient,
    token: TokenFactory,
    subject: Subject,
    basis: list[str],
    *,
    until: str = "2021-06-01",
    reason: str = "销售伪劣口罩，情节严重",
    holder: str | None = None,
) -> dict[str, Any]:
    variables = {"subject": subject.id, "basis": basis, "reason": reason, "until": until}
    body = await graphql(api, LIST, variables, token=holder or token("credit_centre"))
    result: dict[str, Any] = data_of(body)["listOnBlacklist"]
    return result


async def test_centre_lists_a_subject_with_the_notice_kept(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)
    basis = [records["serious"].id, records["general"].id]

    result = await list_on(api, token, firm, basis)

    entry = result["entry"]
    assert (entry["listedOn"], entry["until"], entry["inForce"], entry["removedOn"]) == (
        "2020-09-01",
        "2021-06-01",
        True,
        None,
    )
    assert entry["basisRecordIds"] == basis
    assert entry["subject"] == {"id": firm.id, "blacklisted": True}
    notice = entry["notice"]
    assert notice["reason"] == "销售伪劣口罩，情节严重"
    assert notice["basis"][0] == {
        "recordId": records["serious"].id,
        "itemTitle": catalogue.by_code["DISHONEST_2"].title_zh,
        "documentNumber": records["serious"].document_number,
        "decisionDate": "2020-06-01",
        "severity": "SERIOUS",
    }
    assert any("取消各类评优评选" in m for m in notice["measures"])
    assert any("2021-06-01" in c for c in notice["removalConditions"])
    assert any("行政复议" in r for r in notice["remedies"])
    assert "列入理由：销售伪劣口罩，情节严重" in notice["text"]
    assert await db[AUDIT_EVENTS].count_documents({"subject_ids": firm.id}) == 1


async def test_listing_on_general_dishonesty_alone_is_basis_invalid(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)

    result = await list_on(api, token, firm, [records["general"].id])

    assert (result["code"], result["field"]) == ("BLACKLIST_BASIS_INVALID", "basisRecords")
    assert records["general"].id in result["message"]


async def test_listing_on_another_subjects_or_a_missing_record_is_basis_invalid(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, other = factories.firm(), factories.firm()
    mine = await seed(db, catalogue, firm)
    theirs = await seed(db, catalogue, other)

    foreign = await list_on(api, token, firm, [mine["serious"].id, theirs["serious"].id])
    missing = await list_on(api, token, firm, [mine["serious"].id, "r-missing"])

    assert foreign["code"] == missing["code"] == "BLACKLIST_BASIS_INVALID"
    assert "another subject" in foreign["message"]
    assert "r-missing does not exist" in missing["message"]


async def test_listing_until_the_last_display_day_and_not_a_day_more(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    serious = (await seed(db, catalogue, firm))["serious"].id

    beyond = await list_on(api, token, firm, [serious], until="2023-06-02")
    last_day = await list_on(api, token, firm, [serious], until="2023-06-01")

    assert (beyond["code"], beyond["field"]) == ("BAD_USER_INPUT", "until")
    assert "2023-06-01" in beyond["message"]
    assert last_day["entry"]["until"] == "2023-06-01"


async def test_listing_with_an_empty_reason_or_basis_is_bad_input(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)

    no_reason = await list_on(api, token, firm, [records["serious"].id], reason=" ")
    no_basis = await list_on(api, token, firm, [])
    too_many = await list_on(api, token, firm, [f"r-{i}" for i in range(21)])
    past = await list_on(api, token, firm, [records["serious"].id], until="2020-09-01")

    assert (no_reason["code"], no_reason["field"]) == ("BAD_USER_INPUT", "reason")
    assert (no_basis["code"], no_basis["field"]) == ("BAD_USER_INPUT", "basisRecords")
    assert (too_many["code"], too_many["field"]) == ("BAD_USER_INPUT", "basisRecords")
    assert (past["code"], past["field"]) == ("BAD_USER_INPUT", "until")


async def test_listing_twice_on_the_same_record_is_already_listed(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)
    await list_on(api, token, firm, [records["serious"].id])

    again = await list_on(api, token, firm, [records["serious"].id], until="2021-01-01")

    assert (again["code"], again["field"]) == ("ALREADY_LISTED", "basisRecords")


async def test_listing_by_anyone_but_the_centre_is_forbidden(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)

    for holder in (token("government"), token("source_unit", unit="440300-SAMR-FT")):
        result = await list_on(api, token, firm, [records["serious"].id], holder=holder)
        assert result["code"] == "FORBIDDEN"


async def test_listing_an_unknown_subject_is_not_found(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await list_on(api, token, factories.firm(), ["r-1"])

    assert (result["code"], result["field"]) == ("NOT_FOUND", "subject")


async def test_removal_ends_the_entry_at_once_and_twice_is_not_in_force(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)
    entry_id = (await list_on(api, token, firm, [records["serious"].id]))["entry"]["id"]
    centre = token("credit_centre")

    first = await graphql(api, REMOVE, {"id": entry_id, "reason": "处罚决定已撤销"}, token=centre)
    second = await graphql(api, REMOVE, {"id": entry_id, "reason": "再次移出"}, token=centre)

    assert data_of(first)["removeFromBlacklist"]["entry"] == {
        "id": entry_id,
        "inForce": False,
        "removedOn": "2020-09-01",
        "removalReason": "处罚决定已撤销",
    }
    assert data_of(second)["removeFromBlacklist"]["code"] == "NOT_IN_FORCE"
    assert data_of(await graphql(api, BLACKLISTED, {"id": firm.id}))["subject"] == {
        "blacklisted": False
    }


async def test_removal_refusals(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)
    expired = factories.blacklist_entry(
        firm, [records["serious"]], listed=date(2020, 6, 1), until=date(2020, 8, 31)
    )
    await blacklist_store.insert_entry(db, entry=expired)
    centre = token("credit_centre")

    missing = await graphql(api, REMOVE, {"id": "bl-none", "reason": "x"}, token=centre)
    ended = await graphql(api, REMOVE, {"id": expired.id, "reason": "x"}, token=centre)
    empty = await graphql(api, REMOVE, {"id": expired.id, "reason": ""}, token=centre)
    subject = await graphql(
        api, REMOVE, {"id": expired.id, "reason": "x"}, token=token("subject", subject=firm.id)
    )

    assert data_of(missing)["removeFromBlacklist"]["code"] == "NOT_FOUND"
    assert data_of(ended)["removeFromBlacklist"]["message"] == "the entry ended on 2020-08-31"
    assert data_of(ended)["removeFromBlacklist"]["code"] == "NOT_IN_FORCE"
    assert data_of(empty)["removeFromBlacklist"]["code"] == "NOT_IN_FORCE"
    assert data_of(subject)["removeFromBlacklist"]["code"] == "FORBIDDEN"


async def test_removal_without_a_reason_is_bad_input(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = await seed(db, catalogue, firm)
    entry_id = (await list_on(api, token, firm, [records["serious"].id]))["entry"]["id"]

    body = await graphql(api, REMOVE, {"id": entry_id, "reason": " "}, token=token("credit_centre"))

    result = data_of(body)["removeFromBlacklist"]
    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "reason")
    entry = await blacklist_store.get_entry(db, entry_id=entry_id)
    assert entry is not None
    assert entry.removed_on is None


async def test_blacklist_list_refuses_bad_paging(api: httpx.AsyncClient) -> None:
    cursor = await graphql(api, '{ blacklist(after: "bm9wZQ") { totalCount } }')
    size = await graphql(api, "{ blacklist(first: -1) { totalCount } }")

    assert error_codes(cursor) == ["INVALID_CURSOR"]
    assert error_codes(size) == ["PAGE_SIZE"]


async def test_public_sees_entries_in_force_with_the_person_masked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    records = await seed(db, catalogue, person)
    current = factories.blacklist_entry(
        person, [records["serious"]], listed=date(2020, 7, 1), until=date(2020, 9, 1)
    )
    expired = factories.blacklist_entry(
        person, [records["serious"]], listed=date(2020, 6, 1), until=date(2020, 8, 31)
    )
    for entry in (current, expired):
        await blacklist_store.insert_entry(db, entry=entry)

    public = data_of(await graphql(api, BLACKLIST, {}))["blacklist"]
    refused = await graphql(api, BLACKLIST, {"inForce": False})
    centre = data_of(
        await graphql(api, BLACKLIST, {"inForce": False}, token=token("credit_centre"))
    )
    own = data_of(
        await graphql(
            api, BLACKLIST, {"subject": person.id}, token=token("subject", subject=person.id)
        )
    )["blacklist"]

    assert public["totalCount"] == 1
    assert public["edges"][0]["node"] == {
        "id": current.id,
        "inForce": True,
        "until": "2020-09-01",
        "subject": {"name": "王**", "blacklisted": True},
    }
    assert error_codes(refused) == ["FORBIDDEN_FILTER"]
    assert [e["node"]["id"] for e in centre["blacklist"]["edges"]] == [expired.id]
    assert own["totalCount"] == 2


async def test_entry_expires_by_date_without_a_job(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    ended, running = factories.firm(), factories.firm()
    for firm, until in ((ended, date(2020, 8, 31)), (running, date(2020, 9, 1))):
        records = await seed(db, catalogue, firm)
        entry = factories.blacklist_entry(
            firm, [records["serious"]], listed=date(2020, 7, 1), until=until
        )
        await blacklist_store.insert_entry(db, entry=entry)

    assert data_of(await graphql(api, BLACKLISTED, {"id": ended.id}))["subject"] == {
        "blacklisted": False
    }
    assert data_of(await graphql(api, BLACKLISTED, {"id": running.id}))["subject"] == {
        "blacklisted": True
    }


APPLY_FOR_REPAIR = """
mutation ($input: ApplyForRepairInput!) { applyForRepair(input: $input) {
  ... on ApplyForRepairSuccess { application { id state } }
  ... on UserError { code message }
} }
"""

APPROVE_REPAIR = """
mutation ($id: ID!) { reviewRepair(id: $id, decision: APPROVE) {
  ... on ReviewRepairSuccess { application { state } }
  ... on UserError { code message }
} }
"""


async def test_approved_repair_lifts_the_entry_resting_on_the_record(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    # Serious, decided 2020-02-01: repair may be asked for from 2020-08-01.
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 2, 1),
        severity=Severity.SERIOUS,
    )
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [serious])
    entry_id = (await list_on(api, token, firm, [serious.id]))["entry"]["id"]
    measures = ["CORRECTION", "PENALTY_FULFILLED", "COMMITMENT", "TRAINING", "CREDIT_REPORT"]
    application = {
        "record": serious.id,
        "measures": measures,
        "evidence": [{"kind": m, "description": "已提交证明材料"} for m in measures],
    }

    applied = data_of(
        await graphql(
            api, APPLY_FOR_REPAIR, {"input": application}, token=token("subject", subject=firm.id)
        )
    )["applyForRepair"]
    approved = data_of(
        await graphql(
            api, APPROVE_REPAIR, {"id": applied["application"]["id"]}, token=token("credit_centre")
        )
    )["reviewRepair"]

    assert approved == {"application": {"state": "APPROVED"}}
    entry = await blacklist_store.get_entry(db, entry_id=entry_id)
    assert entry is not None
    assert entry.removed_on == date(2020, 9, 1)
    assert entry.removal_reason is not None
    assert f"列入依据{serious.id}已完成信用修复" in entry.removal_reason
    assert entry.history[-1].record_change is ChangeKind.REPAIRED
    assert data_of(await graphql(api, BLACKLISTED, {"id": firm.id}))["subject"] == {
        "blacklisted": False
    }
