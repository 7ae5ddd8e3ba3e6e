"""API tests: subjects and their records over HTTP through the app."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

SUBJECTS = """
query ($first: Int, $after: String, $kind: SubjectKind, $search: String) {
  subjects(first: $first, after: $after, kind: $kind, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id kind name identifier } }
  }
}
"""

SUBJECT_BY_IDENTIFIER = """
query ($identifier: String!) { subject(identifier: $identifier) { id name identifier } }
"""


async def test_subjects_paged_by_cursor_cover_every_subject_once(
    api: httpx.AsyncClient, db: Database
) -> None:
    firms = [factories.firm(i) for i in range(1, 8)]
    await insert_new_subjects(db, subjects=firms)

    seen: list[str] = []
    after = None
    while True:
        page = data_of(await graphql(api, SUBJECTS, {"first": 3, "after": after}))["subjects"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["totalCount"] == 7
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == sorted(f.id for f in firms)


async def test_subject_by_identifier_finds_firm(api: httpx.AsyncClient, db: Database) -> None:
    firm = factories.firm(42)
    await insert_new_subjects(db, subjects=[firm])

    body = await graphql(api, SUBJECT_BY_IDENTIFIER, {"identifier": firm.identifier.lower()})

    assert data_of(body)["subject"] == {
        "id": firm.id,
        "name": firm.name,
        "identifier": firm.identifier,
    }


async def test_subject_by_identifier_with_bad_check_character_is_refused(
    api: httpx.AsyncClient,
) -> None:
    body = await graphql(api, SUBJECT_BY_IDENTIFIER, {"identifier": "91350200776049653B"})

    assert error_codes(body) == ["INVALID_IDENTIFIER"]
    assert body["errors"][0]["extensions"]["field"] == "identifier"


async def test_subjects_page_over_100_is_refused(api: httpx.AsyncClient) -> None:
    body = await graphql(api, SUBJECTS, {"first": 101})

    assert error_codes(body) == ["PAGE_SIZE"]
    assert "first" in body["errors"][0]["message"]


async def test_subjects_with_foreign_cursor_is_refused(api: httpx.AsyncClient) -> None:
    body = await graphql(api, SUBJECTS, {"after": "bm90LWEtY3Vyc29y"})

    assert error_codes(body) == ["INVALID_CURSOR"]


async def test_subject_records_are_newest_first(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm(7)
    older = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    newer = factories.record(catalogue, firm, item_code="DISHONEST_4", decided=date(2020, 5, 1))
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [older, newer])

    body = await graphql(
        api,
        """query ($id: ID!) { subject(id: $id) { records { totalCount
            edges { node { id item { code } disclosure { state } } } } } }""",
        {"id": firm.id},
    )

    records = data_of(body)["subject"]["records"]
    assert records["totalCount"] == 2
    assert [e["node"]["id"] for e in records["edges"]] == [newer.id, older.id]
