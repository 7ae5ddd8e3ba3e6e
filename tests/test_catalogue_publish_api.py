"""API tests: the centre publishes a catalogue version as data (DESIGN.md §6), refused when it
does not validate, would identify persons, reuses a number, starts before today or drops an
item stored records are of; every worker serves it without a restart."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import httpx

from domain.catalogue import Catalogue
from server.settings import Settings
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory, serving_app
from tests.helpers import data_of, graphql
from tests.seed import seed_records

PUBLISH = """
mutation ($catalogue: String!) {
  publishCatalogueVersion(catalogue: $catalogue) {
    __typename
    ... on PublishCatalogueVersionSuccess { catalogue { version effectiveFrom } }
    ... on UserError { code message field }
  }
}
"""

IN_FORCE = "{ catalogue { version } }"
VERSION = "query ($v: String) { catalogue(version: $v) { version effectiveFrom } }"

SHIPPED = resources.files("store").joinpath("default_catalogue.toml").read_text("utf-8")


def version(number: str, effective: date, text: str = SHIPPED) -> str:
    """The shipped catalogue renumbered, in force from `effective`."""
    return text.replace('version = "2020.2"', f'version = "{number}"', 1).replace(
        "effective_from = 2020-01-24", f"effective_from = {effective.isoformat()}", 1
    )


async def publish(http: httpx.AsyncClient, token: str, text: str) -> dict[str, Any]:
    body = await graphql(http, PUBLISH, {"catalogue": text}, token=token)
    result: dict[str, Any] = data_of(body)["publishCatalogueVersion"]
    return result


async def test_a_published_version_is_served_by_every_worker_without_a_restart(
    db: Database, token: TokenFactory, settings: Settings, store_uri: str
) -> None:
    effective = date(2020, 10, 1)
    centre = token("credit_centre")
    async with (
        serving_app(settings, store_uri, TODAY) as (_, first),
        serving_app(settings, store_uri, effective) as (second_app, second),
    ):
        published = await publish(first, centre, version("2020.5", effective))
        asked_at_once = data_of(await graphql(first, VERSION, {"v": "2020.5"}))["catalogue"]
        # The other worker serves it at its next look (store.catalogue.PublishedCatalogues).
        assert await second_app.state.published.reload_if_changed(db)
        in_force_there = data_of(await graphql(second, IN_FORCE))["catalogue"]
        in_force_here = data_of(await graphql(first, IN_FORCE))["catalogue"]

    assert published == {
        "__typename": "PublishCatalogueVersionSuccess",
        "catalogue": {"version": "2020.5", "effectiveFrom": "2020-10-01"},
    }
    assert asked_at_once == {"version": "2020.5", "effectiveFrom": "2020-10-01"}
    assert in_force_there == {"version": "2020.5"}  # on its effective day
    assert in_force_here == {"version": "2020.2"}  # not yet in force on TODAY


async def test_a_version_that_breaks_a_rule_is_refused_and_nothing_is_stored(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(
        db,
        [factories.record(catalogue, firm, item_code="DISHONEST_3", decided=date(2020, 5, 1))],
    )
    later = date(2020, 10, 1)
    start = SHIPPED.index('code = "DISHONEST_3"')
    start = SHIPPED.rindex("[[items]]", 0, start)
    end = SHIPPED.index("[[items]]", start + 1)
    identifying = version("2020.3", later).replace(
        'public_attribute = "AUTHORIZED"\nmask = { kind = "HIDDEN" }\npersonal = true\n'
        'identity = "RESIDENT_ID"',
        'public_attribute = "AUTHORIZED"\nmask = { kind = "KEEP", front = 6, back = 4 }\n'
        'personal = true\nidentity = "RESIDENT_ID"',
        1,
    )
    cases = {
        "not toml": "version = ",
        "invalid": version("2020.3", later).replace('category = "GOOD"', 'category = "NICE"', 1),
        "identifying": identifying,
        "taken number": version("2020.2", later),
        "retroactive": version("2020.3", date(2020, 8, 31)),
        "drops an item in use": version("2020.3", later, SHIPPED[:start] + SHIPPED[end:]),
    }
    centre = token("credit_centre")

    answers = {name: await publish(api, centre, text) for name, text in cases.items()}
    versions = data_of(await graphql(api, VERSION, {"v": "2020.3"}))["catalogue"]

    assert {n: a["code"] for n, a in answers.items()} == {
        "not toml": "BAD_USER_INPUT",
        "invalid": "BAD_USER_INPUT",
        "identifying": "BAD_USER_INPUT",
        "taken number": "CATALOGUE_VERSION_EXISTS",
        "retroactive": "BAD_USER_INPUT",
        "drops an item in use": "BAD_USER_INPUT",
    }
    assert all(a["field"] == "catalogue" for a in answers.values())
    assert "identify" in answers["identifying"]["message"]
    assert "DISHONEST_3" in answers["drops an item in use"]["message"]
    assert versions is None


async def test_only_the_centre_publishes_a_catalogue(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    answer = await publish(api, token("government"), version("2020.4", date(2020, 10, 1)))

    assert answer["code"] == "FORBIDDEN"
