"""Cost limits and rate limits: refused before execution, counted in the store (issue 9.4, 8.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.counters import Window, add_to_window, count_in_window
from store.database import Database
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import error_codes, graphql
from tests.submissions import as_input, penalty, ref

ISSUE = """
mutation Issue($subject: ID!) {
  issueCreditReport(subject: $subject, purpose: FINANCING) { __typename }
}
"""
SUBMIT = """
mutation Submit($records: [RecordSubmissionInput!]!) {
  submitRecords(records: $records) { accepted rejected }
}
"""
PORTAL_PAGE = """
{ subjects(first: 20) { totalCount edges { node { id name identifier
  records(first: 5) { edges { node { id item { code title } decisionDate
    disclosure { state end } dataItems { key label value masked } } } } } } } }
"""
HUGE_PAGE = """
{ subjects(first: 100) { edges { node { id
  records(first: 100) { edges { node { id dataItems { key value } } } } } } } }
"""
SEARCH = "query ($q: String) { subjects(search: $q, first: 5) { edges { node { id } } } }"
SAMR_FT = "440300-SAMR-FT"


# The window counters (store)


async def test_window_counts_add_up_and_start_again_in_the_next_window(db: Database) -> None:
    now = datetime(2020, 9, 1, 4, 0, 30, tzinfo=UTC)
    window = Window(now=now, seconds=60)

    assert await add_to_window(db, counted="k", window=window) == 1
    assert await add_to_window(db, counted="k", window=window, amount=4) == 5
    assert await count_in_window(db, counted="k", window=window) == 5
    later = Window(now=now + timedelta(seconds=60), seconds=60)
    assert await count_in_window(db, counted="k", window=later) == 0
    assert await count_in_window(db, counted="other", window=window) == 0


@given(seconds=st.integers(1, 86_400), offset=st.integers(0, 10**9))
def test_window_holds_now_and_tells_seconds_left(seconds: int, offset: int) -> None:
    now = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=offset, microseconds=offset % 997)
    window = Window(now=now, seconds=seconds)

    assert window.start <= now < window.end
    assert window.end - window.start == timedelta(seconds=seconds)
    assert 1 <= window.seconds_left <= seconds


# Cost


async def test_cost_over_limit_is_refused_naming_cost_and_limit(api: httpx.AsyncClient) -> None:
    body = await graphql(api, HUGE_PAGE)

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "limit of 20000" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_cost_limit_admits_the_portal_page(api: httpx.AsyncClient) -> None:
    body = await graphql(api, PORTAL_PAGE)

    assert "errors" not in body


@pytest.mark.settings(max_query_cost=100)
async def test_cost_limit_is_a_setting(api: httpx.AsyncClient) -> None:
    body = await graphql(api, PORTAL_PAGE)

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "limit of 100" in body["errors"][0]["message"]


async def test_search_longer_than_50_characters_is_bad_user_input(api: httpx.AsyncClient) -> None:
    body = await graphql(api, SEARCH, {"q": "深" * 51})

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "search"


async def test_search_of_50_characters_is_served(api: httpx.AsyncClient) -> None:
    body = await graphql(api, SEARCH, {"q": "深" * 50})

    assert "errors" not in body


# Creating mutations


async def issue(http: httpx.AsyncClient, token: str, subject: str) -> httpx.Response:
    return await http.post(
        "/graphql",
        json={"query": ISSUE, "variables": {"subject": subject}},
        headers={"authorization": f"Bearer {token}"},
    )


def rate_limited(response: httpx.Response) -> bool:
    codes = [e["extensions"]["code"] for e in response.json().get("errors", [])]
    return codes == ["RATE_LIMITED"]


@pytest.mark.settings(creations_per_minute=2)
async def test_creating_mutation_over_rate_per_token_is_429_with_retry_after(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    centre = token("credit_centre")

    answers = [await issue(api, centre, f"s-{i}") for i in range(3)]

    assert [rate_limited(a) for a in answers] == [False, False, True]
    assert answers[2].status_code == 429
    assert 1 <= int(answers[2].headers["retry-after"]) <= 60


@pytest.mark.settings(creations_per_minute=2)
async def test_creating_mutation_over_rate_per_subject_is_limited_across_tokens(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    holders = [token("credit_centre", sub=f"operator-{i}") for i in range(3)]

    answers = [await issue(api, holder, "s-same") for holder in holders]

    assert [rate_limited(a) for a in answers] == [False, False, True]


@pytest.mark.settings(creations_per_minute=1)
async def test_queries_are_not_rate_limited(api: httpx.AsyncClient) -> None:
    bodies = [await graphql(api, "{ viewer { authenticated } }") for _ in range(3)]

    assert all("errors" not in b for b in bodies)


# Issue 8.9: rejected identifiers per token and hour


async def submit(http: httpx.AsyncClient, unit: str, *offsets: int) -> dict[str, Any]:
    """A batch whose items name firms with broken check characters (each one rejected)."""
    batch = []
    for offset in offsets:
        firm = factories.firm(9000 + offset)
        item = as_input(penalty(source_record_id=f"P{offset}", subject=ref(firm)))
        check = "1" if firm.identifier.endswith("0") else "0"
        item["subject"]["identifier"] = firm.identifier[:-1] + check
        batch.append(item)
    return await graphql(http, SUBMIT, {"records": batch}, token=unit)


@pytest.mark.settings(rejected_identifiers_per_hour=3)
async def test_rejected_identifiers_over_the_hourly_allowance_are_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    other = token("source_unit", unit=SAMR_FT, sub="another-unit-user")

    first = await submit(api, unit, 1, 2)
    second = await submit(api, unit, 3, 4)
    third = await submit(api, unit, 5)
    elsewhere = await submit(api, other, 6)

    assert first["data"]["submitRecords"]["rejected"] == 2
    assert second["data"]["submitRecords"]["rejected"] == 2
    assert error_codes(third) == ["RATE_LIMITED"]
    assert third["errors"][0]["extensions"]["retryAfter"] >= 1
    assert elsewhere["data"]["submitRecords"]["rejected"] == 1
