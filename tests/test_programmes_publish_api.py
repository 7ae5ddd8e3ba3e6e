"""API tests: the centre publishes a version of the programmes and the financing grade as data
(issue 12.2), refused when it does not validate, names an item no catalogue has, reuses a
number or starts before today; every
worker judges by the version in force on its day without a restart, and says which."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from server.settings import Settings
from store.database import Database
from store.programmes import read_programme_text
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory, at, serving_app
from tests.helpers import data_of, graphql

PUBLISH = """
mutation ($programmes: String!) {
  publishProgrammes(programmes: $programmes) {
    __typename
    ... on PublishProgrammesSuccess { programmes { version effectiveFrom programmes { code } } }
    ... on UserError { code message field }
  }
}
"""

ELIGIBILITY = """
query ($subject: ID!) { eligibility(subject: $subject, programme: "FUNDING_PREFERENCE") {
  eligible blockers { code } rulesVersion
} }
"""

SHIPPED = read_programme_text()


def version(number: str, effective: date, text: str = SHIPPED) -> str:
    """The shipped programmes renumbered, in force from `effective`."""
    return text.replace('version = "2020.2"', f'version = "{number}"', 1).replace(
        "effective_from = 2020-01-01", f"effective_from = {effective.isoformat()}", 1
    )


def stricter(number: str, effective: date) -> str:
    """A version in which FUNDING_PREFERENCE needs 100 points (nobody new qualifies)."""
    funding = SHIPPED.index('code = "FUNDING_PREFERENCE"')
    text = SHIPPED[:funding] + SHIPPED[funding:].replace("min_points = 0", "min_points = 100", 1)
    return version(number, effective, text)


async def publish(http: httpx.AsyncClient, token: str, text: str) -> dict[str, Any]:
    body = await graphql(http, PUBLISH, {"programmes": text}, token=token)
    result: dict[str, Any] = data_of(body)["publishProgrammes"]
    return result


async def test_a_published_version_judges_from_its_day_in_every_worker_without_a_restart(
    db: Database, token: TokenFactory, settings: Settings, store_uri: str
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    effective = date(2020, 10, 1)
    funder = token("funding", org="FUND-1")
    funder_later = token("funding", org="FUND-1", now=at(effective))
    async with (
        serving_app(settings, store_uri, TODAY) as (_, first),
        serving_app(settings, store_uri, effective) as (second_app, second),
    ):
        published = await publish(first, token("credit_centre"), stricter("2020.5", effective))
        # The other worker serves it at its next look (store.documents.Published).
        assert await second_app.state.programmes.reload_if_changed(db)
        there = data_of(
            await graphql(second, ELIGIBILITY, {"subject": firm.id}, token=funder_later)
        )
        here = data_of(await graphql(first, ELIGIBILITY, {"subject": firm.id}, token=funder))

    assert published["programmes"]["version"] == "2020.5"
    assert published["programmes"]["effectiveFrom"] == "2020-10-01"
    assert there["eligibility"]["rulesVersion"] == "2020.5"
    assert there["eligibility"]["blockers"] == [{"code": "INSUFFICIENT_POINTS"}]
    assert here["eligibility"] == {"eligible": True, "blockers": [], "rulesVersion": "2020.2"}


async def test_a_version_that_breaks_a_rule_is_refused_and_nothing_is_stored(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    later = date(2020, 10, 1)
    cases = {
        "not toml": "version = ",
        "invalid": version("2020.3", later).replace("min_points = 5", "min_points = -5", 1),
        "no effective day": SHIPPED.replace("effective_from = 2020-01-01\n", "", 1),
        "unknown graded programme": version("2020.3", later).replace(
            'programme = "FINANCING"', 'programme = "NOWHERE"', 1
        ),
        "unknown item": version("2020.3", later).replace('"GOOD_1", ', '"GOOD_99", ', 1),
        "taken number": version("2020.2", later),
        "retroactive": version("2020.3", date(2020, 8, 31)),
    }
    centre = token("credit_centre")

    answers = {name: await publish(api, centre, text) for name, text in cases.items()}
    again = await publish(api, centre, version("2020.3", later))

    assert {n: a["code"] for n, a in answers.items()} == {
        "not toml": "BAD_USER_INPUT",
        "invalid": "BAD_USER_INPUT",
        "no effective day": "BAD_USER_INPUT",
        "unknown graded programme": "BAD_USER_INPUT",
        "unknown item": "BAD_USER_INPUT",
        "taken number": "PROGRAMMES_VERSION_EXISTS",
        "retroactive": "BAD_USER_INPUT",
    }
    assert all(a["field"] == "programmes" for a in answers.values())
    assert "effective_from" in answers["no effective day"]["message"]
    assert "NOWHERE" in answers["unknown graded programme"]["message"]
    assert "GOOD_99" in answers["unknown item"]["message"]
    assert again["__typename"] == "PublishProgrammesSuccess"  # nothing of 2020.3 was stored


async def test_only_the_centre_publishes_programmes(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    answer = await publish(api, token("government"), version("2020.4", date(2020, 10, 1)))

    assert answer["code"] == "FORBIDDEN"
