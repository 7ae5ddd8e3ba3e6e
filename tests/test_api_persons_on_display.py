"""API tests: an anonymous viewer meets a natural person only through a record on display."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue
from domain.records import RecordStatus
from domain.subjects import Subject
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

SUBJECTS = """
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
        page = data_of(await graphql(api, SUBJECTS, variables))["subjects"]
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

    body = await graphql(api, SUBJECTS, {"first": 10}, token=token("government"))

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
