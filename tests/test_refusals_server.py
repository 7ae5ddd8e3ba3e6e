"""Malformed requests get 400 with a GraphQL-shaped body and a code, never a 500 (issue 9.6)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TokenFactory

# No test here writes: they share one app and database (tests/conftest.py `shares_app`).
pytestmark = pytest.mark.read_only

TYPENAME = '{"query": "{ __typename }"}'
GRANT = """
mutation Grant($until: DateTime!) {
  grantAuthorization(input: {org: "DEMO-BANK", purpose: "loan", dataClasses: [DISHONEST],
                             until: $until}) { __typename }
}
"""
GRANT_LITERAL = """
mutation {
  grantAuthorization(input: {org: "DEMO-BANK", purpose: "loan", dataClasses: [DISHONEST],
                             until: "2020-10-01T00:00:00"}) { __typename }
}
"""


async def post_raw(api: httpx.AsyncClient, body: bytes, **headers: str) -> httpx.Response:
    return await api.post(
        "/graphql", content=body, headers={"content-type": "application/json", **headers}
    )


def refused_with(response: httpx.Response, status: int, code: str) -> str:
    """The message of a GraphQL-shaped refusal with `status` and `code`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename \xff }"}',
        b'{"query": "{ __typename }", "variables": {"name": "\xc3\x28"}}',
        b'{"query": "{ __typename }", "variables": {"name": "\xed\xa0\x80"}}',
    ],
    ids=["query", "variables", "encoded-surrogate"],
)
async def test_invalid_utf8_in_body_is_400_malformed(api: httpx.AsyncClient, body: bytes) -> None:
    response = await post_raw(api, body)

    assert "UTF-8" in refused_with(response, 400, "MALFORMED_REQUEST")


async def test_lone_surrogate_escape_in_variables_is_400_malformed(
    api: httpx.AsyncClient,
) -> None:
    body = b'{"query": "{ __typename }", "variables": {"name": "\\ud800"}}'

    response = await post_raw(api, body)

    assert "surrogate" in refused_with(response, 400, "MALFORMED_REQUEST")


@pytest.mark.parametrize("depth", [33, 2000, 100_000])
async def test_json_nested_deeper_than_limit_is_400_malformed(
    api: httpx.AsyncClient, depth: int
) -> None:
    nested = b"[" * depth + b"]" * depth
    body = b'{"query": "{ __typename }", "variables": {"a": ' + nested + b"}}"

    response = await post_raw(api, body)

    assert "deeper than 32" in refused_with(response, 400, "MALFORMED_REQUEST")


async def test_json_within_depth_limit_is_served(api: httpx.AsyncClient) -> None:
    nested = b"[" * 28 + b"]" * 28
    body = b'{"query": "{ __typename }", "variables": {"a": ' + nested + b"}}"

    response = await post_raw(api, body)

    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "body", [b'{"query"', b'"query"', b"[1, 2]", b"17", b"null", b""], ids=repr
)
async def test_body_that_is_not_one_request_object_is_400_malformed(
    api: httpx.AsyncClient, body: bytes
) -> None:
    response = await post_raw(api, body)

    refused_with(response, 400, "MALFORMED_REQUEST")


async def test_several_operations_without_operation_name_are_400_malformed(
    api: httpx.AsyncClient,
) -> None:
    body = b'{"query": "query A { __typename } query B { viewer { authenticated } }"}'

    response = await post_raw(api, body)

    assert "operationName" in refused_with(response, 400, "MALFORMED_REQUEST")


async def test_several_operations_with_operation_name_run_the_named_one(
    api: httpx.AsyncClient,
) -> None:
    body = b'{"query": "query A { __typename } query B { __typename }", "operationName": "B"}'

    response = await post_raw(api, body)

    assert response.json() == {"data": {"__typename": "Query"}}


async def test_unknown_operation_name_is_400_malformed(api: httpx.AsyncClient) -> None:
    body = b'{"query": "query A { __typename }", "operationName": "B"}'

    response = await post_raw(api, body)

    refused_with(response, 400, "MALFORMED_REQUEST")


async def test_two_authorization_headers_are_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    bank = token("bank", org="DEMO-BANK")
    headers = [
        ("content-type", "application/json"),
        ("authorization", f"Bearer {bank}"),
        ("authorization", "Bearer another"),
    ]

    response = await api.post("/graphql", content=TYPENAME.encode(), headers=headers)

    assert "one Authorization" in refused_with(response, 400, "MALFORMED_REQUEST")


async def test_naive_datetime_variable_is_bad_user_input(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    subject = token("subject", subject="s-1")

    response = await api.post(
        "/graphql",
        json={"query": GRANT, "variables": {"until": "2020-10-01T00:00:00"}},
        headers={"authorization": f"Bearer {subject}"},
    )

    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "until" in error["message"]
    assert "UTC offset" in error["message"]


async def test_naive_datetime_literal_is_bad_user_input(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    subject = token("subject", subject="s-1")

    response = await api.post(
        "/graphql", json={"query": GRANT_LITERAL}, headers={"authorization": f"Bearer {subject}"}
    )

    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "UTC offset" in error["message"]
