"""API tests: the working-day calendar is data the centre publishes a year at a time; a
deadline in an unpublished year is refused with CALENDAR_NOT_PUBLISHED (never an internal
error, never guessed), /readyz warns 60 days ahead, and a year published counts at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from domain.catalogue import Catalogue
from server.settings import Settings
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory, at, serving
from tests.helpers import data_of, graphql
from tests.seed import seed_records

PUBLISH = """
mutation ($input: PublishCalendarYearInput!) {
  publishCalendarYear(input: $input) {
    __typename
    ... on PublishCalendarYearSuccess { year { year final daysOff { first last } workingDays } }
    ... on UserError { code message field }
  }
}
"""

FILE = """
mutation ($record: ID!) {
  fileObjection(record: $record, grounds: ERROR, description: "金额有误") {
    __typename
    ... on FileObjectionSuccess { objection { checkBy decideBy } }
    ... on UserError { code message field }
  }
}
"""

# From 国务院办公厅关于2028年部分节假日安排的通知, as a test fixture (dates illustrative).
YEAR_2028 = {
    "year": 2028,
    "notice": "国务院办公厅关于2028年部分节假日安排的通知（测试）",
    "daysOff": [
        {"first": "2028-01-01", "last": "2028-01-03"},
        {"first": "2028-03-06", "last": "2028-03-08"},
    ],
    "workingDays": ["2028-03-04"],
}


async def publish(http: httpx.AsyncClient, token: str, year: dict[str, Any]) -> dict[str, Any]:
    body = await graphql(http, PUBLISH, {"input": year}, token=token)
    result: dict[str, Any] = data_of(body)["publishCalendarYear"]
    return result


async def test_a_deadline_in_an_unpublished_year_is_refused_until_the_centre_publishes_it(
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    settings: Settings,
    store_uri: str,
) -> None:
    day = date(2028, 3, 3)  # a Friday: the check falls on the make-up Saturday 4 March
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2028, 1, 10))
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [record])
    subject = token("subject", subject=firm.id, now=at(day))
    centre = token("credit_centre", now=at(day))

    async with serving(settings, store_uri, day) as http:
        refused = data_of(await graphql(http, FILE, {"record": record.id}, token=subject))[
            "fileObjection"
        ]
        published = await publish(http, centre, YEAR_2028)
        filed = data_of(await graphql(http, FILE, {"record": record.id}, token=subject))[
            "fileObjection"
        ]

    assert refused["__typename"] == "UserError"
    assert refused["code"] == "CALENDAR_NOT_PUBLISHED"
    assert "2028" in refused["message"]
    assert published["__typename"] == "PublishCalendarYearSuccess"
    assert published["year"]["workingDays"] == ["2028-03-04"]
    # Counted in the year just published, by the same running app: Sat 4 March works, the
    # 6th to 8th are off.
    assert filed["objection"] == {"checkBy": "2028-03-04", "decideBy": "2028-03-10"}


async def test_readyz_warns_60_days_before_the_calendar_runs_out(
    token: TokenFactory, settings: Settings, store_uri: str
) -> None:
    async with serving(settings, store_uri, date(2027, 12, 1)) as http:
        warned = (await http.get("/readyz")).json()
        await publish(http, token("credit_centre", now=at(date(2027, 12, 1))), YEAR_2028)
        after = (await http.get("/readyz")).json()
    async with serving(settings, store_uri, date(2027, 10, 1)) as http:
        early = (await http.get("/readyz")).json()

    assert warned["status"] == "ready"
    assert ["2028" in w for w in warned["warnings"]] == [True]
    assert after == {"status": "ready"}
    assert early == {"status": "ready"}


async def test_publishing_a_year_checks_the_schedule_and_the_scope(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    weekday = {**YEAR_2028, "workingDays": ["2028-03-03"]}

    wrong = await publish(api, token("credit_centre"), weekday)
    government = await publish(api, token("government"), YEAR_2028)

    assert (wrong["code"], wrong["field"]) == ("BAD_USER_INPUT", "input")
    assert "not a weekend day" in wrong["message"]
    assert government["code"] == "FORBIDDEN"


async def test_the_published_calendar_is_public(api: httpx.AsyncClient) -> None:
    body = await graphql(api, "{ calendarYears { year final workingDays } }")

    years = data_of(body)["calendarYears"]
    assert [y["year"] for y in years] == list(range(2020, 2028))
    assert [y["year"] for y in years if not y["final"]] == [2027]
    assert "2020-01-19" in years[0]["workingDays"]
