"""API tests: subjects and their records over HTTP through the app.

An anonymous viewer meets a natural person only through a record on display; the database
round trips per request do not grow with the size of the result.
"""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from domain.catalogue import Catalogue
from domain.records import RecordStatus
from domain.subjects import Subject
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, TokenFactory
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


PERSONS_ON_DISPLAY = """
query ($first: Int, $after: String, $kind: SubjectKind) {
  subjects(first: $first, after: $after, kind: $kind) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind } }
  }
}
"""
SUBJECT = "query ($id: ID!) { subject(id: $id) { id name identifier } }"


async def seed(db: Database, catalogue: Catalogue) -> dict[str, Subject]:
    """A firm, a person on display, one whose record ended, one repaired, one with nothing."""
    people = {
        "shown": factories.person(name="王小明"),
        "ended": factories.person(name="李四"),
        "repaired": factories.person(name="张三"),
        "none": factories.person(name="赵六"),
        "firm": factories.firm(),
    }
    await insert_new_subjects(db, subjects=list(people.values()))
    await seed_records(
        db,
        [
            factories.record(
                catalogue, people["shown"], item_code="DISHONEST_1", decided=date(2020, 6, 1)
            ),
            factories.record(
                catalogue, people["ended"], item_code="DISHONEST_2", decided=date(2019, 8, 1)
            ),
            factories.record(
                catalogue,
                people["repaired"],
                item_code="DISHONEST_1",
                decided=date(2020, 6, 1),
                status=RecordStatus.REPAIRED,
            ),
        ],
    )
    return people


async def all_pages(api: httpx.AsyncClient, kind: str | None = None) -> tuple[list[str], int]:
    seen: list[str] = []
    after = None
    while True:
        variables = {"first": 1, "after": after, "kind": kind}
        page = data_of(await graphql(api, PERSONS_ON_DISPLAY, variables))["subjects"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen, page["totalCount"]
        after = page["pageInfo"]["endCursor"]


async def test_subjects_anonymous_lists_persons_only_with_a_record_on_display(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    people = await seed(db, catalogue)

    seen, total = await all_pages(api)

    assert seen == sorted([people["shown"].id, people["firm"].id])
    assert total == 2


async def test_subjects_anonymous_of_kind_person_lists_only_those_on_display(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    people = await seed(db, catalogue)

    seen, total = await all_pages(api, "NATURAL_PERSON")

    assert (seen, total) == ([people["shown"].id], 1)


async def test_subjects_government_lists_every_person(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    people = await seed(db, catalogue)

    body = await graphql(api, PERSONS_ON_DISPLAY, {"first": 10}, token=token("government"))

    page = data_of(body)["subjects"]
    assert sorted(e["node"]["id"] for e in page["edges"]) == sorted(p.id for p in people.values())
    assert page["totalCount"] == 5


async def test_subject_anonymous_person_without_disclosed_record_is_null_like_none(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    people = await seed(db, catalogue)

    answers = [
        await graphql(api, SUBJECT, {"id": people[key].id}) for key in ("ended", "repaired", "none")
    ]
    missing = await graphql(api, SUBJECT, {"id": "s-person-does-not-exist"})

    assert all(answer == {"data": {"subject": None}} for answer in answers)
    assert missing == {"data": {"subject": None}}


async def test_subject_anonymous_person_on_display_is_shown_masked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    people = await seed(db, catalogue)

    shown = data_of(await graphql(api, SUBJECT, {"id": people["shown"].id}))["subject"]

    assert shown == {"id": people["shown"].id, "name": "王**", "identifier": None}


async def test_subject_own_token_meets_itself_without_disclosed_record(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    people = await seed(db, catalogue)
    me = people["none"]

    body = await graphql(api, SUBJECT, {"id": me.id}, token=token("subject", subject=me.id))

    assert data_of(body)["subject"]["identifier"] == me.identifier


NESTED = """
query ($first: Int!) {
  subjects(first: $first) {
    edges { node { id name records(first: 20) {
      totalCount
      edges { node { id dataItems { key value } subject { id name } } }
    } } }
  }
}
"""


async def _seed(db: Database, catalogue: Catalogue, subjects: int, each: int) -> None:
    firms = [factories.firm(1000 + i) for i in range(subjects)]
    records = [
        factories.record(
            catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1) + timedelta(days=k)
        )
        for firm in firms
        for k in range(each)
    ]
    await insert_new_subjects(db, subjects=firms)
    await seed_records(db, records)


async def test_nested_subjects_and_records_cost_the_same_commands_for_5_and_50(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    await _seed(db, catalogue, subjects=50, each=3)

    counts = {}
    for first in (5, 50):
        commands.start()
        body = await graphql(api, NESTED, {"first": first})
        counts[first] = commands.stop()
        edges = data_of(body)["subjects"]["edges"]
        assert len(edges) == first
        assert all(len(e["node"]["records"]["edges"]) == 3 for e in edges)

    assert counts[5] == counts[50]
    # subjects page, the persons on public display (an anonymous viewer meets persons only
    # so), the records of all of them, their counts; nested Record.subject is primed.
    assert len(counts[50]) <= 4, counts[50]


RECORDS_WITH_SUBJECTS = """
{ records(first: 20) { edges { node { id subject { id name } } } } }
"""


async def test_persons_met_through_a_records_page_cost_no_display_count(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    """A person reached through a record the anonymous page shows is met by that record:
    the page costs the records and their subjects, not a count of what each has on display."""
    persons = [factories.person(1100 + i) for i in range(5)]
    await insert_new_subjects(db, subjects=persons)
    await seed_records(
        db,
        [
            factories.record(catalogue, p, item_code="DISHONEST_2", decided=date(2020, 6, 1))
            for p in persons
        ],
    )

    commands.start()
    body = await graphql(api, RECORDS_WITH_SUBJECTS)
    sent = commands.stop()

    edges = data_of(body)["records"]["edges"]
    assert sorted(e["node"]["subject"]["id"] for e in edges) == sorted(p.id for p in persons)
    assert [c for c in sent if c != "find"] == [], sent
