"""API tests: the managing unit registers, fulfils and reports commitments; who sees them."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from domain.catalogue import Catalogue
from domain.commitments import CommitmentStatus
from domain.subjects import Subject
from server.app import prepare_store
from store import commitments as commitment_store
from store.database import AUDIT_EVENTS, Database
from store.database import COMMITMENTS as COMMITMENT_DOCUMENTS
from store.documents import WRITE_ATTEMPTS
from store.records import get_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

UNIT = "440300-IIT"  # 深圳市工业和信息化局: manages commitments
PENALTY_UNIT = "440300-SAMR-FT"  # decides penalties only

REGISTER = """
mutation ($input: RegisterCommitmentInput!) {
  registerCommitment(input: $input) {
    __typename
    ... on RegisterCommitmentSuccess { commitment {
      id kind status managingUnit signedOn validFrom validUntil
      dataItems { key value masked }
    } }
    ... on UserError { code message field }
  }
}
"""

FULFIL = """
mutation ($id: ID!) { fulfilCommitment(id: $id) {
  __typename
  ... on FulfilCommitmentSuccess { commitment { id status fulfilledOn } }
  ... on UserError { code message field }
} }
"""

REPORT = """
mutation ($id: ID!, $decided: Date!, $severity: Severity!, $facts: String!) {
  reportCommitmentViolation(id: $id, facts: $facts, decisionDate: $decided,
      documentNumber: "深工信认〔2020〕7号", epidemicImpact: "增加了疫情防控风险",
      severity: $severity) {
    __typename
    ... on ReportCommitmentViolationSuccess {
      commitment { id status violatedOn violationRecord { id } }
      record { id category severity decisionDate status item { code }
               disclosure { end } dataItems { key value } }
    }
    ... on UserError { code message field }
  }
}
"""

COMMITMENTS = """
query ($subject: ID, $status: CommitmentStatus, $first: Int, $after: String) {
  commitments(subject: $subject, status: $status, first: $first, after: $after) {
    totalCount
    edges { node { id status subject { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

SUBJECT_COMMITMENTS = """
query ($id: ID!) { subject(id: $id) {
  commitments { id status accessLevel dataItems { key value masked } }
} }
"""


def registration(subject: Subject, **changes: Any) -> dict[str, Any]:
    return {
        "subject": subject.id,
        "kind": "RESUMPTION_OF_WORK",
        "number": "深工信承诺〔2020〕15号",
        "content": "承诺复工后落实体温检测和口罩佩戴",
        "benefits": "容缺受理",
        "signatory": "李建国",
        "signedOn": "2020-03-01",
        "validFrom": "2020-03-01",
        "validUntil": "2021-02-28",
    } | changes


async def register(
    api: httpx.AsyncClient, token: TokenFactory, subject: Subject, **changes: Any
) -> dict[str, Any]:
    body = await graphql(
        api,
        REGISTER,
        {"input": registration(subject, **changes)},
        token=token("source_unit", unit=UNIT),
    )
    result: dict[str, Any] = data_of(body)["registerCommitment"]
    return result


async def report(
    api: httpx.AsyncClient,
    token: TokenFactory,
    commitment_id: str,
    *,
    decided: str = "2020-08-01",
    severity: str = "GENERAL",
    facts: str = "复工后未落实体温检测，员工聚集",
    unit: str = UNIT,
) -> dict[str, Any]:
    variables = {"id": commitment_id, "decided": decided, "severity": severity, "facts": facts}
    body = await graphql(api, REPORT, variables, token=token("source_unit", unit=unit))
    result: dict[str, Any] = data_of(body)["reportCommitmentViolation"]
    return result


async def test_managing_unit_registers_a_commitment(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])

    result = await register(api, token, firm)

    assert result["__typename"] == "RegisterCommitmentSuccess"
    commitment = result["commitment"]
    assert (commitment["kind"], commitment["status"], commitment["managingUnit"]) == (
        "RESUMPTION_OF_WORK",
        "ACTIVE",
        UNIT,
    )
    items = {i["key"]: i["value"] for i in commitment["dataItems"]}
    assert items["commitment_type"] == "复工复产"
    assert items["managing_unit"] == "深圳市工业和信息化局"
    assert items["signatory"] == "李**"  # AUTHORIZED: the unit sees it masked
    assert await db[AUDIT_EVENTS].count_documents({"subject_ids": firm.id}) == 1


async def test_registering_again_returns_the_first_and_other_content_conflicts(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    first = await register(api, token, firm)

    again = await register(api, token, firm)
    other = await register(api, token, firm, content="另一份承诺")

    assert again["commitment"]["id"] == first["commitment"]["id"]
    assert (other["code"], other["field"]) == ("COMMITMENT_EXISTS", "number")


async def test_registration_by_a_penalty_unit_is_unit_not_authorized(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])

    body = await graphql(
        api,
        REGISTER,
        {"input": registration(firm)},
        token=token("source_unit", unit=PENALTY_UNIT),
    )

    assert data_of(body)["registerCommitment"]["code"] == "UNIT_NOT_AUTHORIZED"


async def test_registration_by_an_unregistered_unit_or_another_role_is_forbidden(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])

    for holder in (token("source_unit", unit="999999-NONE"), token("credit_centre"), None):
        body = await graphql(api, REGISTER, {"input": registration(firm)}, token=holder)
        assert data_of(body)["registerCommitment"]["code"] == "FORBIDDEN"


async def test_fulfilment_and_breach_by_another_role_are_forbidden(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]
    government = token("government")
    variables = {"id": cid, "decided": "2020-08-01", "severity": "GENERAL", "facts": "未落实"}

    fulfil = await graphql(api, FULFIL, {"id": cid}, token=government)
    breach = await graphql(api, REPORT, variables, token=government)

    assert data_of(fulfil)["fulfilCommitment"]["code"] == "FORBIDDEN"
    assert data_of(breach)["reportCommitmentViolation"]["code"] == "FORBIDDEN"


async def test_registration_for_an_unknown_subject_is_not_found(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await register(api, token, factories.firm())

    assert (result["code"], result["field"]) == ("NOT_FOUND", "subject")


async def test_registration_breaking_a_rule_names_the_argument(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cases = {
        "validUntil": {"validUntil": "2023-03-02"},  # 36 months and a day
        "signedOn": {"signedOn": "2020-09-02", "validFrom": "2020-09-02"},
        "validFrom": {"validFrom": "2020-02-29"},  # before signing
        "content": {"content": "   "},
        "number": {"number": "号" * 65},
        "signatory": {"signatory": "张" * 51},
    }

    for field, changes in cases.items():
        result = await register(api, token, firm, **changes)
        assert (result["code"], result["field"]) == ("BAD_USER_INPUT", field), (field, result)


async def test_fulfilment_marks_the_day_and_twice_is_not_active(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]
    unit = token("source_unit", unit=UNIT)

    first = data_of(await graphql(api, FULFIL, {"id": cid}, token=unit))["fulfilCommitment"]
    second = data_of(await graphql(api, FULFIL, {"id": cid}, token=unit))["fulfilCommitment"]

    assert first["commitment"] == {"id": cid, "status": "FULFILLED", "fulfilledOn": "2020-09-01"}
    assert (second["code"], second["field"]) == ("COMMITMENT_NOT_ACTIVE", "id")


async def test_fulfilment_beaten_by_another_writer_every_time_is_conflict(
    api: httpx.AsyncClient, db: Database, token: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]
    tries: list[str] = []

    async def another_writer_came_first(db: Database, *, before: Any, after: Any) -> bool:
        tries.append(before.id)
        return False

    monkeypatch.setattr(commitment_store, "update_commitment", another_writer_came_first)
    body = await graphql(api, FULFIL, {"id": cid}, token=token("source_unit", unit=UNIT))

    result = data_of(body)["fulfilCommitment"]
    assert (result["__typename"], result["code"]) == ("UserError", "CONFLICT")
    assert "try again" in result["message"]
    assert tries == [cid] * WRITE_ATTEMPTS
    [stored] = await commitment_store.find_commitments(
        db, spec=commitment_store.CommitmentFilter(subject_id=firm.id), limit=2
    )
    assert stored.status is CommitmentStatus.ACTIVE


async def test_another_units_commitment_is_not_found(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]
    health = token("source_unit", unit="440300-HC")  # manages commitments too

    fulfil = data_of(await graphql(api, FULFIL, {"id": cid}, token=health))["fulfilCommitment"]
    reported = await report(api, token, cid, unit="440300-HC")

    assert fulfil["code"] == reported["code"] == "NOT_FOUND"


async def test_breach_creates_the_dishonest_5_record_linked_both_ways(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]

    result = await report(api, token, cid, severity="SERIOUS")

    assert result["__typename"] == "ReportCommitmentViolationSuccess"
    record = result["record"]
    assert result["commitment"] == {
        "id": cid,
        "status": "VIOLATED",
        "violatedOn": "2020-08-01",
        "violationRecord": {"id": record["id"]},
    }
    assert (record["item"]["code"], record["category"], record["severity"]) == (
        "DISHONEST_5",
        "DISHONEST",
        "SERIOUS",
    )
    # Decided in the epidemic and about it: disclosed for the serious period (notice 二(八)).
    assert record["disclosure"]["end"] == "2023-08-01"
    items = {i["key"]: i["value"] for i in record["dataItems"]}
    assert items["commitment_type"] == "复工复产"
    assert items["violation_facts"] == "复工后未落实体温检测，员工聚集"
    assert items["finding_document_number"] == "深工信认〔2020〕7号"
    [stored] = await get_records(db, ids=[record["id"]])
    assert stored is not None
    assert stored.commitment_id == cid
    assert stored.source_unit == UNIT


async def test_breach_reported_twice_is_already_violated_and_writes_one_record(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]

    first = await report(api, token, cid)
    second = await report(api, token, cid, facts="再次报送")

    assert (second["code"], second["field"]) == ("ALREADY_VIOLATED", "id")
    assert first["record"]["id"] in second["message"]
    assert await db["records"].count_documents({"subject_id": firm.id}) == 1


async def test_breach_of_a_fulfilled_commitment_is_not_active(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]
    await graphql(api, FULFIL, {"id": cid}, token=token("source_unit", unit=UNIT))

    result = await report(api, token, cid)

    assert result["code"] == "COMMITMENT_NOT_ACTIVE"


async def test_breach_with_a_bad_argument_names_it_and_writes_nothing(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]

    future = await report(api, token, cid, decided="2020-09-02")
    before = await report(api, token, cid, decided="2020-02-29")
    empty = await report(api, token, cid, facts=" ")
    too_long = await report(api, token, cid, facts="事" * 2001)

    assert [(r["code"], r["field"]) for r in (future, before, empty, too_long)] == [
        ("BAD_USER_INPUT", "decisionDate"),
        ("BAD_USER_INPUT", "decisionDate"),
        ("BAD_USER_INPUT", "facts"),
        ("BAD_USER_INPUT", "facts"),
    ]
    assert await db["records"].count_documents({}) == 0
    stored = await commitment_store.get_commitment(db, commitment_id=cid)
    assert stored is not None
    assert stored.status is CommitmentStatus.ACTIVE


async def test_breach_reported_by_a_penalty_unit_is_unit_not_authorized(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    cid = (await register(api, token, firm))["commitment"]["id"]

    assert (await report(api, token, cid, unit=PENALTY_UNIT))["code"] == "UNIT_NOT_AUTHORIZED"


async def seed_commitments(db: Database) -> tuple[Subject, Subject]:
    firm, person = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[firm, person])
    for c in (
        factories.commitment(firm, signed=date(2020, 3, 1)),
        factories.commitment(firm, signed=date(2020, 4, 1), status=CommitmentStatus.FULFILLED),
        factories.commitment(firm, signed=date(2020, 5, 1), unit="440300-HC"),
        factories.commitment(person, signed=date(2020, 6, 1)),
    ):
        await commitment_store.insert_commitment(db, commitment=c)
    return firm, person


async def test_commitments_list_for_each_viewer(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm, person = await seed_commitments(db)

    async def total(holder: str, **variables: Any) -> int:
        body = await graphql(api, COMMITMENTS, variables, token=holder)
        count: int = data_of(body)["commitments"]["totalCount"]
        return count

    assert await total(token("government")) == 4
    assert await total(token("credit_centre"), subject=firm.id) == 3
    assert await total(token("credit_centre"), status="FULFILLED") == 1
    assert await total(token("source_unit", unit=UNIT)) == 3
    assert await total(token("source_unit", unit=UNIT), subject=firm.id) == 2
    assert await total(token("subject", subject=person.id)) == 1


async def test_commitments_pages_with_cursors(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm, _ = await seed_commitments(db)
    centre = token("credit_centre")

    first = data_of(
        await graphql(api, COMMITMENTS, {"subject": firm.id, "first": 2}, token=centre)
    )["commitments"]
    rest = data_of(
        await graphql(
            api,
            COMMITMENTS,
            {"subject": firm.id, "first": 2, "after": first["pageInfo"]["endCursor"]},
            token=centre,
        )
    )["commitments"]

    assert first["pageInfo"]["hasNextPage"] is True
    assert len(first["edges"]) == 2
    assert len(rest["edges"]) == 1
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_commitments_refusals(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm, person = await seed_commitments(db)

    anonymous = await graphql(api, COMMITMENTS, {})
    bank = await graphql(api, COMMITMENTS, {}, token=token("bank", org="BANK-1"))
    others = await graphql(
        api, COMMITMENTS, {"subject": firm.id}, token=token("subject", subject=person.id)
    )
    cursor = await graphql(
        api, COMMITMENTS, {"after": "bm90LWEtY3Vyc29y"}, token=token("government")
    )
    size = await graphql(api, COMMITMENTS, {"first": 101}, token=token("government"))

    assert error_codes(anonymous) == error_codes(bank) == ["COUNT_NOT_OFFERED"]
    assert error_codes(others) == ["FORBIDDEN_FILTER"]
    assert error_codes(cursor) == ["INVALID_CURSOR"]
    assert error_codes(size) == ["PAGE_SIZE"]


async def test_person_commitments_are_shown_at_authorized_only(
    api: httpx.AsyncClient, db: Database, token: TokenFactory, catalogue: Catalogue
) -> None:
    _, person = await seed_commitments(db)
    # A record on public display, so that the public meets the person (domain.subjects.met).
    shown = factories.record(catalogue, person, item_code="DISHONEST_1", decided=date(2020, 6, 1))
    await seed_records(db, [shown])

    public = data_of(await graphql(api, SUBJECT_COMMITMENTS, {"id": person.id}))["subject"]
    own = data_of(
        await graphql(
            api, SUBJECT_COMMITMENTS, {"id": person.id}, token=token("subject", subject=person.id)
        )
    )["subject"]

    assert public["commitments"] == []
    [commitment] = own["commitments"]
    assert commitment["accessLevel"] == "AUTHORIZED"
    assert {"key": "signatory", "value": "李建国", "masked": False} in commitment["dataItems"]


async def test_firm_commitments_are_public_while_valid_with_the_signatory_masked(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    valid = factories.commitment(firm, signed=date(2020, 3, 1), valid_until=date(2020, 9, 1))
    lapsed = factories.commitment(firm, signed=date(2020, 3, 1), valid_until=date(2020, 8, 31))
    for c in (valid, lapsed):
        await commitment_store.insert_commitment(db, commitment=c)

    public = data_of(await graphql(api, SUBJECT_COMMITMENTS, {"id": firm.id}))["subject"]
    government = data_of(
        await graphql(api, SUBJECT_COMMITMENTS, {"id": firm.id}, token=token("government"))
    )["subject"]

    [shown] = public["commitments"]
    assert shown["id"] == valid.id
    assert {"key": "signatory", "value": "李**", "masked": True} in shown["dataItems"]
    assert {c["id"] for c in government["commitments"]} == {valid.id, lapsed.id}


PUBLIC_COMMITMENTS = """
query ($subject: ID, $status: CommitmentStatus, $first: Int, $after: String) {
  commitments(subject: $subject, status: $status, first: $first, after: $after) {
    edges { node { id status validFrom validUntil accessLevel
                   dataItems { key value masked } subject { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

PUBLIC_COUNT = """
query ($subject: ID) { commitments(subject: $subject) { totalCount } }
"""


async def test_public_list_shows_organisations_commitments_valid_today_with_status(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm, person = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[firm, person])
    lapsed = factories.commitment(firm, signed=date(2020, 3, 1), valid_until=date(2020, 8, 31))
    last_day = factories.commitment(firm, signed=date(2020, 4, 1), valid_until=date(2020, 9, 1))
    broken = factories.commitment(
        firm,
        signed=date(2020, 5, 1),
        status=CommitmentStatus.VIOLATED,
        violated_on=date(2020, 8, 1),
        violation_record_id="r-1",
    )
    future = factories.commitment(firm, signed=date(2020, 9, 2))
    persons = factories.commitment(person, signed=date(2020, 6, 1))
    for c in (lapsed, last_day, broken, future, persons):
        await commitment_store.insert_commitment(db, commitment=c)

    anonymous = data_of(await graphql(api, PUBLIC_COMMITMENTS, {}))["commitments"]
    bank = data_of(await graphql(api, PUBLIC_COMMITMENTS, {}, token=token("bank", org="BANK-1")))[
        "commitments"
    ]
    of_person = data_of(await graphql(api, PUBLIC_COMMITMENTS, {"subject": person.id}))

    nodes = [e["node"] for e in anonymous["edges"]]
    assert [(n["id"], n["status"]) for n in nodes] == [
        (broken.id, "VIOLATED"),
        (last_day.id, "ACTIVE"),
    ]
    assert bank == anonymous
    for node in nodes:
        assert node["accessLevel"] == "PUBLIC"
        assert node["subject"] == {"id": firm.id}
        assert {"key": "signatory", "value": "李**", "masked": True} in node["dataItems"]
    # Shenzhen regulation art. 38: a person's commitments are never on the public list.
    assert of_person["commitments"]["edges"] == []


async def test_public_list_pages_and_counts_only_per_subject(
    api: httpx.AsyncClient, db: Database
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    for day in (date(2020, 3, 1), date(2020, 4, 1), date(2020, 5, 1)):
        await commitment_store.insert_commitment(
            db, commitment=factories.commitment(firm, signed=day)
        )

    first = data_of(await graphql(api, PUBLIC_COMMITMENTS, {"first": 2}))["commitments"]
    rest = data_of(
        await graphql(
            api, PUBLIC_COMMITMENTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}
        )
    )["commitments"]
    fulfilled = data_of(await graphql(api, PUBLIC_COMMITMENTS, {"status": "FULFILLED"}))
    counted = data_of(await graphql(api, PUBLIC_COUNT, {"subject": firm.id}))
    uncounted = await graphql(api, PUBLIC_COUNT, {})

    assert (len(first["edges"]), first["pageInfo"]["hasNextPage"]) == (2, True)
    assert (len(rest["edges"]), rest["pageInfo"]["hasNextPage"]) == (1, False)
    assert fulfilled["commitments"]["edges"] == []
    assert counted["commitments"]["totalCount"] == 3
    assert error_codes(uncounted) == ["COUNT_NOT_OFFERED"]


async def test_start_up_gives_older_commitments_their_day_numbers(db: Database) -> None:
    firm = factories.firm()
    valid = factories.commitment(firm, signed=date(2020, 3, 1))
    await commitment_store.insert_commitment(db, commitment=valid)
    older = {"$unset": {"valid_from_day": "", "valid_until_day": ""}}
    await db[COMMITMENT_DOCUMENTS].update_many({}, older)

    await prepare_store(db)

    stored = await db[COMMITMENT_DOCUMENTS].find_one({"_id": valid.id})
    assert stored is not None
    assert (stored["valid_from_day"], stored["valid_until_day"]) == (20200301, 20210228)
