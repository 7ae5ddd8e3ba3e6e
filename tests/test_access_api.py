"""API tests: each viewer sees data raw, masked or not at all; reveals are audited."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import httpx

from domain.catalogue import Catalogue
from domain.records import RecordStatus
from domain.subjects import Subject
from store.database import AUDIT_EVENTS, Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

SUBJECT = """
query ($id: ID!) { subject(id: $id) {
  name identifier accessLevel basicItems { key value masked attribute }
  records { totalCount edges { node { id status dataItems { key value masked attribute } } } }
} }
"""

GRANT = """
mutation ($org: String!, $until: DateTime!) {
  grantAuthorization(input: {org: $org, purpose: "贷款审查", dataClasses: [BASIC, DISHONEST],
                             until: $until}) {
    __typename
    ... on GrantAuthorizationSuccess { grant { id org live dataClasses } }
    ... on UserError { code message field }
  }
}
"""

REVOKE = """
mutation ($id: ID!) { revokeAuthorization(id: $id) {
  __typename ... on RevokeAuthorizationSuccess { grant { live revokedAt } }
  ... on UserError { code field } } }
"""

PERSON_BASIC = {"district": "南山区", "address": "深圳市南山区科技园南区高新南四道18号"}


async def seed(db: Database, catalogue: Catalogue, *subjects: Subject) -> dict[str, str]:
    """Each subject with a disclosed penalty naming a RESTRICTED case handler, and an ended one."""
    await insert_new_subjects(db, subjects=list(subjects))
    ids = {}
    for subject in subjects:
        disclosed = factories.record(
            catalogue,
            subject,
            item_code="DISHONEST_1",
            decided=date(2020, 6, 1),
            data_items={
                "offence": "拒不执行隔离措施",
                "penalty_type": "罚款",
                "penalty_basis": "《中华人民共和国传染病防治法》",
                "deciding_authority": "深圳市公安局南山分局",
                "decision_date": "2020-06-01",
                "case_handler": "赵警官",
            },
        )
        ended = factories.record(
            catalogue, subject, item_code="DISHONEST_2", decided=date(2019, 8, 1)
        )
        await seed_records(db, [disclosed, ended])
        ids[subject.id] = disclosed.id
    return ids


def items(node: dict[str, Any]) -> dict[str, tuple[str | None, bool]]:
    return {i["key"]: (i["value"], i["masked"]) for i in node["basicItems"]}


async def test_anonymous_sees_person_masked_and_only_disclosed_records(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)

    subject = data_of(await graphql(api, SUBJECT, {"id": person.id}))["subject"]

    assert subject["accessLevel"] == "PUBLIC"
    assert subject["name"] == "王**"
    assert subject["identifier"] is None
    assert items(subject)["address"] == ("深圳市南山区", True)
    assert items(subject)["mobile"] == (None, True)
    assert items(subject)["district"] == ("南山区", False)
    assert subject["records"]["totalCount"] == 1
    record = subject["records"]["edges"][0]["node"]
    assert {i["key"]: i["value"] for i in record["dataItems"]}["case_handler"] is None


async def test_subject_sees_own_file_whole_at_authorized(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)

    body = await graphql(api, SUBJECT, {"id": person.id}, token=token("subject", subject=person.id))

    subject = data_of(body)["subject"]
    assert subject["accessLevel"] == "AUTHORIZED"
    assert (subject["name"], subject["identifier"]) == ("王小明", person.identifier)
    assert items(subject)["mobile"] == ("138****5678", True)
    assert subject["records"]["totalCount"] == 2


async def test_subject_token_is_public_for_other_subjects(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    me, other = factories.person(name="王小明"), factories.person(name="李四")
    await seed(db, catalogue, me, other)

    body = await graphql(api, SUBJECT, {"id": other.id}, token=token("subject", subject=me.id))

    assert data_of(body)["subject"]["name"] == "李*"


async def test_government_sees_government_items_and_ended_records(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)

    subject = data_of(await graphql(api, SUBJECT, {"id": person.id}, token=token("government")))[
        "subject"
    ]

    assert items(subject)["mobile"] == ("13812345678", False)
    assert subject["records"]["totalCount"] == 2
    case_handlers = [
        {i["key"]: i for i in e["node"]["dataItems"]}.get("case_handler")
        for e in subject["records"]["edges"]
    ]
    assert {"key": "case_handler", "value": None, "masked": True, "attribute": "RESTRICTED"} in (
        case_handlers
    )


async def test_credit_centre_sees_restricted_items(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    ids = await seed(db, catalogue, person)

    body = await graphql(
        api,
        "query ($id: ID!) { record(id: $id) { dataItems { key value masked } } }",
        {"id": ids[person.id]},
        token=token("credit_centre"),
    )

    shown = {i["key"]: (i["value"], i["masked"]) for i in data_of(body)["record"]["dataItems"]}
    assert shown["case_handler"] == ("赵警官", False)


async def test_bank_sees_firm_at_authorized_only_while_its_grant_lives(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, other = factories.firm(), factories.firm()
    await seed(db, catalogue, firm, other)
    bank = token("bank", org="BANK-1")

    before = data_of(await graphql(api, SUBJECT, {"id": firm.id}, token=bank))["subject"]
    granted = data_of(
        await graphql(
            api,
            GRANT,
            {"org": "BANK-1", "until": "2021-03-01T00:00:00Z"},
            token=token("subject", subject=firm.id),
        )
    )["grantAuthorization"]
    during = data_of(await graphql(api, SUBJECT, {"id": firm.id}, token=bank))["subject"]
    not_granted = data_of(await graphql(api, SUBJECT, {"id": other.id}, token=bank))["subject"]
    revoked = data_of(
        await graphql(
            api, REVOKE, {"id": granted["grant"]["id"]}, token=token("subject", subject=firm.id)
        )
    )["revokeAuthorization"]
    after = data_of(await graphql(api, SUBJECT, {"id": firm.id}, token=bank))["subject"]

    assert items(before)["legal_representative"] == ("李**", True)
    assert granted["__typename"] == "GrantAuthorizationSuccess"
    assert granted["grant"]["live"] is True
    assert during["accessLevel"] == "AUTHORIZED"
    assert items(during)["legal_representative"] == ("李建国", False)
    assert items(during)["contact_phone"] == ("139****5678", True)
    assert items(not_granted)["legal_representative"] == ("李**", True)
    assert revoked["grant"]["live"] is False
    assert items(after)["legal_representative"] == ("李**", True)


async def test_bank_reveal_is_audited_with_grant_and_purpose(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    granted = data_of(
        await graphql(
            api,
            GRANT,
            {"org": "BANK-1", "until": "2021-03-01T00:00:00Z"},
            token=token("subject", subject=firm.id),
        )
    )["grantAuthorization"]

    await graphql(
        api,
        "query Check($id: ID!) { subject(id: $id) { basicItems { key value } } }",
        {"id": firm.id},
        token=token("bank", org="BANK-1", sub="loan-officer-7"),
        headers={"x-purpose": quote("流动资金贷款审查"), "x-request-id": "req-42"},
    )

    events = await db[AUDIT_EVENTS].find({"action": "READ"}).to_list(None)
    assert len(events) == 1
    event = events[0]
    assert event["viewer_sub"] == "loan-officer-7"
    assert event["viewer_org"] == "BANK-1"
    assert event["subject_ids"] == [firm.id]
    assert event["data_item_keys"] == ["legal_representative"]
    assert event["grant_ids"] == [granted["grant"]["id"]]
    assert event["purpose"] == "流动资金贷款审查"
    assert event["request_id"] == "req-42"
    assert event["operation"] == "Check"


async def test_subject_reads_who_looked_at_its_file(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person, other = factories.person(), factories.person()
    await seed(db, catalogue, person, other)
    await graphql(api, SUBJECT, {"id": person.id}, token=token("government", sub="officer-1"))
    await graphql(api, SUBJECT, {"id": other.id}, token=token("government", sub="officer-2"))

    body = await graphql(
        api,
        "{ auditEvents { totalCount edges { node { viewerSub subjectIds dataItemKeys } } } }",
        token=token("subject", subject=person.id),
    )

    events = data_of(body)["auditEvents"]
    assert events["totalCount"] == 1
    assert events["edges"][0]["node"]["viewerSub"] == "officer-1"
    assert events["edges"][0]["node"]["subjectIds"] == [person.id]


async def test_subject_may_not_read_another_file_audit_trail(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person, other = factories.person(), factories.person()
    await seed(db, catalogue, person, other)

    body = await graphql(
        api,
        "query ($s: ID!) { auditEvents(subject: $s) { totalCount } }",
        {"s": other.id},
        token=token("subject", subject=person.id),
    )

    assert error_codes(body) == ["FORBIDDEN"]


async def test_anonymous_reads_are_not_audited(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)

    await graphql(api, SUBJECT, {"id": person.id})

    assert await db[AUDIT_EVENTS].count_documents({}) == 0


async def test_failed_audit_write_withholds_the_response(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)
    # A real write failure: the event's request id collides with a unique index.
    await db[AUDIT_EVENTS].create_index("request_id", unique=True)
    await db[AUDIT_EVENTS].insert_one({"_id": "a-x", "request_id": "dup", "order_key": "x"})

    body = await graphql(
        api,
        SUBJECT,
        {"id": person.id},
        token=token("government"),
        headers={"x-request-id": "dup"},
    )

    assert body["data"] is None
    assert error_codes(body) == ["AUDIT_FAILED"]
    assert "王小明" not in str(body)


async def test_anonymous_lookup_by_identity_number_is_refused_whether_or_not_found(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    query = "query ($i: String!) { subject(identifier: $i) { id } }"

    found = await graphql(api, query, {"i": person.identifier})
    missing = await graphql(api, query, {"i": factories.resident_id(999, "19700101")})

    assert error_codes(found) == error_codes(missing) == ["FORBIDDEN_FILTER"]
    assert found["errors"][0]["message"] == missing["errors"][0]["message"]
    assert person.identifier not in str(found)


async def test_subject_looks_itself_up_by_identity_number(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)

    body = await graphql(
        api,
        "query ($i: String!) { subject(identifier: $i) { id } }",
        {"i": person.identifier},
        token=token("subject", subject=person.id),
    )

    assert data_of(body)["subject"] == {"id": person.id}


async def test_anonymous_name_search_of_persons_is_refused(api: httpx.AsyncClient) -> None:
    body = await graphql(
        api, '{ subjects(search: "王", kind: NATURAL_PERSON) { edges { node { id } } } }'
    )

    assert error_codes(body) == ["FORBIDDEN_FILTER"]
    assert body["errors"][0]["extensions"]["field"] == "search"


async def test_anonymous_name_search_finds_only_organisations(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    person = factories.person(name="深圳人")
    firm = factories.firm(name="深圳市华鹏科技有限公司")
    await seed(db, catalogue, person, firm)

    body = await graphql(api, '{ subjects(search: "深圳") { totalCount edges { node { id } } } }')

    subjects = data_of(body)["subjects"]
    assert [e["node"]["id"] for e in subjects["edges"]] == [firm.id]
    assert subjects["totalCount"] == 1


async def test_government_name_search_finds_persons(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="深圳人")
    await seed(db, catalogue, person)

    body = await graphql(
        api,
        '{ subjects(search: "深圳", kind: NATURAL_PERSON) { edges { node { id } } } }',
        token=token("government"),
    )

    assert [e["node"]["id"] for e in data_of(body)["subjects"]["edges"]] == [person.id]


async def test_total_count_never_counts_records_the_viewer_may_not_see(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    revoked = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 7, 1),
        status=RecordStatus.REVOKED,
    )
    await seed_records(db, [revoked])

    body = await graphql(
        api,
        "query ($s: ID!) { records(filter: {subject: $s}) { totalCount edges { node { id } } } }",
        {"s": firm.id},
    )

    records = data_of(body)["records"]
    assert records["totalCount"] == len(records["edges"]) == 1


async def test_grant_longer_than_a_year_is_refused_naming_field(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)

    body = await graphql(
        api,
        GRANT,
        {"org": "BANK-1", "until": "2022-01-01T00:00:00Z"},
        token=token("subject", subject=firm.id),
    )

    error = data_of(body)["grantAuthorization"]
    assert (error["__typename"], error["code"], error["field"]) == (
        "UserError",
        "BAD_USER_INPUT",
        "until",
    )


async def test_revoking_someone_elses_grant_is_not_found(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, other = factories.firm(), factories.firm()
    await seed(db, catalogue, firm, other)
    granted = data_of(
        await graphql(
            api,
            GRANT,
            {"org": "BANK-1", "until": "2021-03-01T00:00:00Z"},
            token=token("subject", subject=firm.id),
        )
    )["grantAuthorization"]

    body = await graphql(
        api, REVOKE, {"id": granted["grant"]["id"]}, token=token("subject", subject=other.id)
    )

    assert data_of(body)["revokeAuthorization"] == {
        "__typename": "UserError",
        "code": "NOT_FOUND",
        "field": "id",
    }
