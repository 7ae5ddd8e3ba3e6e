"""API tests: a funding department checks eligibility by USCC and resident identity number
(notice 三(十二): the identifiers it holds), with the same answer for unknown ones as for
unknown ids."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue
from store.database import AUDIT_EVENTS, Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

BY_IDENTIFIERS = """
query ($identifiers: [String!], $subjects: [ID!]) {
  eligibilities(identifiers: $identifiers, subjects: $subjects, programme: "CREDIT_BONUS_POINTS") {
    subjectId identifier eligible points blockers { code message } subject { name }
  }
}
"""

ONE = """
query ($identifier: String) {
  eligibility(identifier: $identifier, programme: "CREDIT_BONUS_POINTS") {
    subjectId identifier eligible points
  }
}
"""


async def seed(db: Database, catalogue: Catalogue) -> tuple[str, str]:
    """A person with good-behaviour records and a firm with none; their identifiers."""
    person, firm = factories.person(name="王小明"), factories.firm()
    await insert_new_subjects(db, subjects=[person, firm])
    await seed_records(
        db,
        [
            factories.record(catalogue, person, item_code="GOOD_2", decided=date(2020, 3, 1)),
            factories.record(catalogue, person, item_code="GOOD_5", decided=date(2020, 4, 1)),
        ],
    )
    return person.identifier, firm.identifier


async def test_eligibilities_by_identifiers_answer_each_in_the_order_asked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person_id, firm_id = await seed(db, catalogue)
    unknown = factories.firm().identifier  # well formed, never on file
    malformed = "91440300MA5XXXXXX0"

    body = await graphql(
        api,
        BY_IDENTIFIERS,
        {"identifiers": [firm_id, person_id, unknown, malformed, person_id]},
        token=token("funding", org="FUND-1"),
    )

    answers = data_of(body)["eligibilities"]
    assert [a["identifier"] for a in answers] == [firm_id, person_id, unknown, malformed, person_id]
    assert [a["eligible"] for a in answers] == [False, True, False, False, True]
    assert answers[1]["points"] == 8
    assert answers[1]["subject"] == {"name": "王**"}
    assert answers[0]["subjectId"] is not None
    assert answers[2]["subjectId"] is None
    assert answers[2]["subject"] is None
    assert answers[2]["blockers"] == [
        {"code": "SUBJECT_NOT_FOUND", "message": "no subject has this identifier"}
    ]
    assert [b["code"] for b in answers[3]["blockers"]] == ["IDENTIFIER_INVALID"]
    assert answers[3]["blockers"][0]["message"].startswith(
        "identifier is neither a valid resident identity number"
    )
    # Notice 三(十二): each subject found was consulted, and audited as such.
    events = await db[AUDIT_EVENTS].find({"viewer_org": "FUND-1"}).to_list(None)
    assert sorted(set(sum((e["subject_ids"] for e in events), []))) == sorted(
        {answers[0]["subjectId"], answers[1]["subjectId"]}
    )


async def test_eligibility_by_identifier_of_one_subject(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person_id, _ = await seed(db, catalogue)

    body = await graphql(api, ONE, {"identifier": person_id}, token=token("funding", org="FUND-1"))

    answer = data_of(body)["eligibility"]
    assert (answer["identifier"], answer["eligible"], answer["points"]) == (person_id, True, 8)


async def test_eligibilities_need_exactly_one_of_ids_and_identifiers(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person_id, _ = await seed(db, catalogue)
    funding = token("funding", org="FUND-1")

    both = await graphql(
        api, BY_IDENTIFIERS, {"identifiers": [person_id], "subjects": ["s-1"]}, token=funding
    )
    neither = await graphql(api, BY_IDENTIFIERS, {}, token=funding)

    assert error_codes(both) == ["BAD_USER_INPUT"]
    assert error_codes(neither) == ["BAD_USER_INPUT"]


async def test_eligibilities_by_identifiers_need_the_eligibility_scope(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person_id, _ = await seed(db, catalogue)

    anonymous = await graphql(api, BY_IDENTIFIERS, {"identifiers": [person_id]})

    assert error_codes(anonymous) == ["FORBIDDEN"]
