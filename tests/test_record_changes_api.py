"""API tests of the provincial feed: government readers page through every change once."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue
from domain.records import ChangeKind, RecordStatus, next_version
from store.changes import write_change, write_new_records
from store.database import Database
from store.records import get_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory, at
from tests.helpers import data_of, error_codes, graphql

FEED = """
query ($after: String, $first: Int) {
  recordChanges(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { sequence kind record { id status } } }
  }
}
"""


async def test_feed_pages_every_change_once_and_resumes_after_restart(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    records = [
        factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, d))
        for d in (1, 2, 3)
    ]
    await insert_new_subjects(db, subjects=[firm])
    await write_new_records(db, records=records)
    government = token("government")

    first = data_of(await graphql(api, FEED, {"first": 2}, token=government))["recordChanges"]
    stored = (await get_records(db, ids=[records[0].id]))[0]
    assert stored is not None
    await write_change(
        db,
        before=stored,
        after=next_version(
            stored, kind=ChangeKind.REVOKED, at=at(TODAY), by="u", status=RecordStatus.REVOKED
        ),
        today=TODAY,
    )
    # The consumer comes back later (the service may have restarted): the cursor is all it keeps.
    rest = data_of(
        await graphql(api, FEED, {"after": first["pageInfo"]["endCursor"]}, token=government)
    )["recordChanges"]

    seen = [e["node"] for e in first["edges"] + rest["edges"]]
    assert [(n["kind"], n["record"]["id"]) for n in seen] == [
        ("CREATED", records[0].id),
        ("CREATED", records[1].id),
        ("CREATED", records[2].id),
        ("REVOKED", records[0].id),
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    sequences = [n["sequence"] for n in seen]
    assert sequences == sorted(set(sequences))


async def test_feed_is_forbidden_without_records_read(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    anonymous = await graphql(api, FEED)
    bank = await graphql(api, FEED, token=token("bank", org="B"))

    assert error_codes(anonymous) == error_codes(bank) == ["FORBIDDEN"]
    assert "records:read" in anonymous["errors"][0]["message"]


async def test_feed_with_foreign_cursor_is_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(api, FEED, {"after": "eyJ4Ijox"}, token=token("government"))

    assert error_codes(body) == ["INVALID_CURSOR"]


async def test_feed_withholds_records_the_person_refused_but_keeps_the_change(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    refused = factories.record(
        catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 1)
    ).model_copy(update={"opted_out": True})
    await insert_new_subjects(db, subjects=[person])
    await write_new_records(db, records=[refused])

    government = data_of(await graphql(api, FEED, token=token("government")))["recordChanges"]
    centre = data_of(await graphql(api, FEED, token=token("credit_centre")))["recordChanges"]

    assert [e["node"]["record"] for e in government["edges"]] == [None]
    assert government["pageInfo"]["endCursor"] is not None
    assert [e["node"]["record"]["id"] for e in centre["edges"]] == [refused.id]
