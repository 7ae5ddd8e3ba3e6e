"""API tests: a records page reads its subjects ahead in one batch (schema.records.with_subjects)
and answers, audits and costs exactly what resolving each record's subject would; a page's
grants are read in one batch too (resolvers.access.read_grants).

The same query with `@include(if: true)` on `subject` is not read ahead (a directive may drop
a field), so it shows what `Record.subject` resolves record by record. A page whose query cannot
select `basicItems` reads its subjects ahead as headings, their other basic items unshown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from demo.generator import DemoBatch
from domain.catalogue import Catalogue
from domain.subjects import Subject
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from resolvers.subjects import SubjectView
from store.database import AUDIT_EVENTS, GRANTS, RECORDS, SUBJECTS, Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

SUBJECT = """fragment S on Subject { id kind name identifier accessLevel formerNames
  basicItems { key label value masked attribute } }"""
READ_AHEAD = (
    """query ($first: Int, $after: String) { records(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } edges { cursor node { id subject { ...S } } } } }"""
    + SUBJECT
)
RESOLVED = READ_AHEAD.replace("subject {", "subject @include(if: true) {")
HEADINGS = READ_AHEAD.replace("basicItems { key label value masked attribute } ", "")
RESOLVED_HEADINGS = HEADINGS.replace("subject {", "subject @include(if: true) {")
# Read ahead, but `basicItems` may be selected: the whole views.
ITEMS_MAYBE = READ_AHEAD.replace("basicItems {", "basicItems @include(if: true) {")
AUDITED = ("action", "subject_ids", "record_ids", "data_item_keys", "grant_ids")

PAGE_COLLECTIONS = {RECORDS, SUBJECTS, GRANTS}
# Every kind of viewer: (role, claims); a subject's own token is made for a demo subject.
VIEWERS: dict[str, tuple[str, dict[str, str]] | None] = {
    "anonymous": None,
    "government": ("government", {}),
    "credit_centre": ("credit_centre", {}),
    "bank": ("bank", {"org": "BANK-NO-GRANT"}),
    "funding": ("funding", {"org": "FUND-1"}),
    "subject": ("subject", {}),
}


def page_reads(commands: CommandLog) -> list[tuple[str, str]]:
    """The commands a request sent to the collections a page reads (not the token check or the
    audit write, nor what the app's background work sends meanwhile)."""
    return [
        (name, str(document[name]))
        for name, document in zip(commands.names, commands.documents, strict=True)
        if document[name] in PAGE_COLLECTIONS
    ]


async def page_reads_for_5_and_50(
    api: httpx.AsyncClient, commands: CommandLog, query: str, field: str, token: str | None
) -> dict[int, list[tuple[str, str]]]:
    """The page reads of `query` asking its list `field` for 5 and for 50 items."""
    sent = {}
    for first in (5, 50):
        commands.start()
        body = await graphql(api, query, {"first": first}, token=token)
        commands.stop()
        sent[first] = page_reads(commands)
        assert len(data_of(body)[field]["edges"]) == first
    return sent


def bearer(viewer: str, token: TokenFactory, demo: DemoBatch) -> str | None:
    found = VIEWERS[viewer]
    if found is None:
        return None
    role, claims = found
    if role == "subject":
        claims = {"subject": demo.records[0].subject_id}
    return token(role, **claims)


async def all_pages(
    api: httpx.AsyncClient, query: str, token: str | None, first: int = 50
) -> list[dict[str, Any]]:
    """Every page of the records list as the viewer reads it."""
    pages, after = [], None
    while True:
        body = await graphql(api, query, {"first": first, "after": after}, token=token)
        page = data_of(body)["records"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


@pytest.mark.read_only
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_subjects_read_ahead_are_those_resolved_for_every_viewer(
    api: httpx.AsyncClient, demo_data: DemoBatch, token: TokenFactory, viewer: str
) -> None:
    holder = bearer(viewer, token, demo_data)

    ahead = await all_pages(api, READ_AHEAD, holder)
    resolved = await all_pages(api, RESOLVED, holder)

    assert ahead == resolved
    subjects = [e["node"]["subject"] for page in ahead for e in page["edges"]]
    assert any(s is not None for s in subjects), "the day must show records and subjects"


@pytest.mark.read_only
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_records_page_with_subjects_costs_the_same_round_trips_for_5_and_50(
    api: httpx.AsyncClient,
    demo_data: DemoBatch,
    token: TokenFactory,
    commands: CommandLog,
    viewer: str,
) -> None:
    holder = bearer(viewer, token, demo_data)

    sent = await page_reads_for_5_and_50(api, commands, READ_AHEAD, "records", holder)

    assert sent[5] == sent[50]


@pytest.mark.read_only
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_subject_headings_answer_and_audit_as_resolved_subjects_for_every_viewer(
    api: httpx.AsyncClient, db: Database, demo_data: DemoBatch, token: TokenFactory, viewer: str
) -> None:
    holder = bearer(viewer, token, demo_data)
    answers, audits = [], []

    for n, query in enumerate((HEADINGS, RESOLVED_HEADINGS, RESOLVED, ITEMS_MAYBE)):
        request_id = f"headings-{viewer}-{n}"
        body = await graphql(
            api, query, {"first": 50}, token=holder, headers={"x-request-id": request_id}
        )
        answers.append(data_of(body))
        events = await db[AUDIT_EVENTS].find({"request_id": request_id}).to_list(None)
        audits.append([{k: event[k] for k in AUDITED} for event in events])

    assert answers[0] == answers[1]
    assert answers[2] == answers[3]
    assert audits[0] == audits[1] == audits[2] == audits[3]
    subjects = [e["node"]["subject"] for e in answers[0]["records"]["edges"]]
    assert any(s is not None for s in subjects), "the day must show records and subjects"


SUBJECTS = "query ($first: Int) { subjects(first: $first) { edges { node { id name } } } }"


@pytest.mark.read_only
async def test_subjects_page_for_a_bank_costs_the_same_round_trips_for_5_and_50(
    api: httpx.AsyncClient, demo_data: DemoBatch, token: TokenFactory, commands: CommandLog
) -> None:
    holder = token("bank", org="BANK-NO-GRANT")  # its grants are read for every subject shown

    sent = await page_reads_for_5_and_50(api, commands, SUBJECTS, "subjects", holder)

    assert sent[5] == sent[50]


@pytest.mark.read_only
async def test_a_subject_that_fails_to_read_fails_as_when_resolved(
    api: httpx.AsyncClient, demo_data: DemoBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    edges = data_of(await graphql(api, READ_AHEAD, {"first": 20}))["records"]["edges"]
    failing = next(e["node"]["subject"]["id"] for e in edges if e["node"]["subject"])
    view_of = subject_resolvers.view_of

    async def failing_view_of(ctx: Context, subject: Subject) -> SubjectView:
        if subject.id == failing:
            raise RuntimeError("the subject cannot be shown")
        return await view_of(ctx, subject)

    monkeypatch.setattr(subject_resolvers, "view_of", failing_view_of)

    ahead = await graphql(api, READ_AHEAD, {"first": 20})
    resolved = await graphql(api, RESOLVED, {"first": 20})

    assert ahead == resolved
    assert ahead["errors"]
    assert all(error["path"][-1] == "subject" for error in ahead["errors"])


async def test_subjects_read_ahead_are_audited_as_resolved_ones(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    people = [factories.person(1200 + i) for i in range(3)]
    await insert_new_subjects(db, subjects=[*people, factories.firm(1200)])
    await seed_records(
        db,
        [
            factories.record(catalogue, p, item_code="DISHONEST_2", decided=date(2020, 6, 1))
            for p in people
        ],
    )
    events = []
    for query in (READ_AHEAD, RESOLVED):
        await db[AUDIT_EVENTS].delete_many({})
        await graphql(api, query, {"first": 20}, token=token("government"))
        [event] = await db[AUDIT_EVENTS].find({"action": "READ"}).to_list(None)
        events.append(
            {k: sorted(event[k]) for k in ("subject_ids", "record_ids", "data_item_keys")}
        )

    assert events[0] == events[1]
    assert set(events[0]["subject_ids"]) == {p.id for p in people}
