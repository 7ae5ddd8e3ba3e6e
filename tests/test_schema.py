"""The served schema matches the committed SDL, and the GraphQL guards hold."""

from __future__ import annotations

from functools import _lru_cache_wrapper
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

from schema import sdl
from server.settings import Settings
from tests.helpers import error_codes, graphql

# No test here writes: they share one app and database (tests/conftest.py `shares_app`).
pytestmark = pytest.mark.read_only

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"


def test_schema_matches_committed_sdl() -> None:
    assert sdl() == SCHEMA_FILE.read_text("utf-8"), (
        "schema.graphql drifted: run `uv run creditgraph schema > schema.graphql` and review"
    )


async def test_query_deeper_than_limit_is_refused(api: httpx.AsyncClient) -> None:
    deep = "{ records { edges { node { subject { records { edges { node { subject { records {"
    deep += " edges { node { id } } } } } } } } } } } }"

    body = await graphql(api, deep)

    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_query_with_too_many_aliases_is_refused(api: httpx.AsyncClient) -> None:
    aliases = " ".join(f"a{i}: catalogue {{ version }}" for i in range(16))

    body = await graphql(api, "{ " + aliases + " }")

    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"]
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_same_query_twice_is_validated_once(api: httpx.AsyncClient) -> None:
    # Issue 9: the limiters' rules are made once, so the validation cache hits.
    # strawberry's cache for the size schema/ gives it: an lru_cache of validate_document.
    cache = cast("_lru_cache_wrapper[Any]", _get_validate_cache(256))
    query = "{ catalogue { version items { code } } }"
    await graphql(api, query)
    before = cache.cache_info()

    await graphql(api, query)

    after = cache.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


async def test_query_with_too_many_tokens_is_refused(api: httpx.AsyncClient) -> None:
    fields = " ".join("version" for _ in range(2100))

    body = await graphql(api, "{ catalogue { " + fields + " } }")

    assert body.get("data") is None
    assert "token" in body["errors"][0]["message"].lower()
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_query_over_get_is_served(api: httpx.AsyncClient) -> None:
    response = await api.get("/graphql", params={"query": "{ catalogue { version } }"})

    assert response.status_code == 200
    assert response.json()["data"]["catalogue"]["version"]


async def test_oversized_body_is_refused_before_parsing(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    padding = " " * settings.max_request_bytes
    response = await api.post("/graphql", json={"query": "{ catalogue { version } }" + padding})

    assert response.status_code == 413
    assert error_codes(response.json()) == ["REQUEST_TOO_LARGE"]


async def test_malformed_query_reports_syntax_error(api: httpx.AsyncClient) -> None:
    body = await graphql(api, "{ catalogue { version ")

    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert error_codes(body) == ["GRAPHQL_PARSE_FAILED"]


async def test_mutation_over_get_is_refused(api: httpx.AsyncClient) -> None:
    mutation = 'mutation { revokeAuthorization(id: "g-1") { __typename } }'

    response = await api.get("/graphql", params={"query": mutation})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "mutation" in response.json()["errors"][0]["message"]
