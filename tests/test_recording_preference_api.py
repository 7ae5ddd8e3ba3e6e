"""API tests: a person refuses the recording of commendations, volunteering and donations."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue
from domain.records import Record
from domain.subjects import Subject
from store.database import Database
from store.subjects import get_subjects, insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

SET = """
mutation ($optOut: Boolean!) { setRecordingPreference(optOut: $optOut) {
  __typename
  ... on SetRecordingPreferenceSuccess { optedOut recordsChanged }
  ... on UserError { code message field }
} }
"""

FILE = """
query ($id: ID!) { subject(id: $id) { records { totalCount edges { node { id } } } } }
"""
RECORD = "query ($id: ID!) { record(id: $id) { id } }"
RECORDS = "query { records { edges { node { id } } } }"


async def seed(db: Database, catalogue: Catalogue, person: Subject) -> dict[str, Record]:
    """A volunteering record, an 'other support' one (both refusable) and a penalty, all
    disclosed."""
    records = {
        code: factories.record(catalogue, person, item_code=code, decided=date(2020, 3, 1))
        for code in ("GOOD_3", "GOOD_9", "DISHONEST_2")
    }
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, list(records.values()))
    return records


async def file_ids(api: httpx.AsyncClient, person: Subject, token: str | None) -> list[str]:
    body = data_of(await graphql(api, FILE, {"id": person.id}, token=token))
    records = body["subject"]["records"]
    assert records["totalCount"] == len(records["edges"])
    return sorted(e["node"]["id"] for e in records["edges"])


async def test_set_recording_preference_opt_out_withholds_refused_records_from_others(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    records = await seed(db, catalogue, person)
    me = token("subject", subject=person.id)
    everything = sorted(r.id for r in records.values())
    # Art. 39 covers every commendation: 一(一)9 "other support" as much as volunteering.
    kept = [records["DISHONEST_2"].id]
    refused = records["GOOD_3"].id

    result = data_of(await graphql(api, SET, {"optOut": True}, token=me))

    assert result["setRecordingPreference"] == {
        "__typename": "SetRecordingPreferenceSuccess",
        "optedOut": True,
        "recordsChanged": 2,
    }
    assert await file_ids(api, person, None) == kept
    assert await file_ids(api, person, token("government")) == kept
    assert await file_ids(api, person, me) == everything
    assert await file_ids(api, person, token("credit_centre")) == everything
    assert data_of(await graphql(api, RECORD, {"id": refused}))["record"] is None
    assert (
        data_of(await graphql(api, RECORD, {"id": refused}, token=token("government")))["record"]
        is None
    )
    assert data_of(await graphql(api, RECORD, {"id": refused}, token=me))["record"] == {
        "id": refused
    }
    listed = data_of(await graphql(api, RECORDS))["records"]["edges"]
    assert refused not in [e["node"]["id"] for e in listed]
    [stored] = await get_subjects(db, ids=[person.id])
    assert stored is not None
    assert stored.opted_out is True


async def test_set_recording_preference_withdrawn_shows_the_records_again(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    records = await seed(db, catalogue, person)
    me = token("subject", subject=person.id)
    await graphql(api, SET, {"optOut": True}, token=me)

    again = data_of(await graphql(api, SET, {"optOut": True}, token=me))
    withdrawn = data_of(await graphql(api, SET, {"optOut": False}, token=me))

    assert again["setRecordingPreference"]["recordsChanged"] == 0
    assert withdrawn["setRecordingPreference"] == {
        "__typename": "SetRecordingPreferenceSuccess",
        "optedOut": False,
        "recordsChanged": 2,
    }
    assert await file_ids(api, person, None) == sorted(r.id for r in records.values())


async def test_set_recording_preference_by_a_firm_is_not_applicable(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])

    body = await graphql(api, SET, {"optOut": True}, token=token("subject", subject=firm.id))

    result = data_of(body)["setRecordingPreference"]
    assert (result["code"], result["field"]) == ("NOT_APPLICABLE", "optOut")
    [stored] = await get_subjects(db, ids=[firm.id])
    assert stored is not None
    assert stored.opted_out is False


async def test_set_recording_preference_without_a_subject_token_is_forbidden(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    anonymous = data_of(await graphql(api, SET, {"optOut": True}))
    centre = data_of(await graphql(api, SET, {"optOut": True}, token=token("credit_centre")))

    assert anonymous["setRecordingPreference"]["code"] == "FORBIDDEN"
    assert centre["setRecordingPreference"]["code"] == "FORBIDDEN"


async def test_set_recording_preference_for_a_subject_not_on_file_is_not_found(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(api, SET, {"optOut": True}, token=token("subject", subject="s-nobody"))

    assert data_of(body)["setRecordingPreference"]["code"] == "NOT_FOUND"
