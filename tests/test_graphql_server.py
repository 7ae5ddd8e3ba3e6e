"""GraphQL over HTTP as the spec has it: media types, status codes, refusals, persisted queries."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from hypothesis import given
from hypothesis import strategies as st

from server.app import create_app
from server.graphql import GRAPHQL_RESPONSE, encode_answer, media_type_for
from server.persisted import read_trusted_documents
from server.settings import Environment, Settings
from tests.conftest import TODAY, at

# No test here writes: they share one app and database (tests/conftest.py `shares_app`).
pytestmark = pytest.mark.read_only

CATALOGUE = "{ catalogue { version } }"
BROKEN = "{ catalogue { version }"
UNKNOWN_FIELD = "{ catalogue { nothingHere } }"
WITH_VARIABLE = "query Page($first: Int!) { records(first: $first) { edges { node { id } } } }"
MUTATION = 'mutation { revokeRecord(id: "r-1", reason: "x") { __typename } }'
INTROSPECTION = "{ __schema { queryType { name } } }"
NEW_ACCEPT = {"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def persisted(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


@asynccontextmanager
async def served(
    settings: Settings, store_uri: str, **changes: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update=changes), mongodb_uri=store_uri, clock=lambda: at(TODAY)
    )
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


def code_of(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


async def test_graphql_response_media_type_is_used_when_accepted(api: httpx.AsyncClient) -> None:
    response = await api.post("/graphql", json={"query": CATALOGUE}, headers=NEW_ACCEPT)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["data"]["catalogue"]["version"]


async def test_plain_json_stays_for_legacy_clients(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/graphql", json={"query": CATALOGUE}, headers={"accept": "application/json"}
    )

    assert response.headers["content-type"].startswith("application/json")


async def test_answers_carry_chinese_text_as_utf8_not_escapes(api: httpx.AsyncClient) -> None:
    query = "{ catalogue { items { title } } }"
    response = await api.post("/graphql", json={"query": query})

    titles = [i["title"] for i in response.json()["data"]["catalogue"]["items"]]
    assert any(not t.isascii() for t in titles)
    assert b"\\u" not in response.content
    assert all(t.encode() in response.content for t in titles)


# Text with lone surrogates (category Cs) often: UTF-8 cannot carry them.
texts = st.text(st.characters(categories=["Cs"]) | st.sampled_from('a中"\\\n') | st.characters())
# Integers beyond 64 bits and finite floats too: what a GraphQL answer can hold (no NaN).
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner) | st.dictionaries(texts, inner),
    max_leaves=20,
)


@given(json_values)
def test_an_answer_encodes_to_utf8_that_reads_back_as_itself(data: object) -> None:
    encoded = encode_answer(data)

    assert json.loads(encoded) == data


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": BROKEN}, "GRAPHQL_PARSE_FAILED"),
        ({"query": UNKNOWN_FIELD}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": WITH_VARIABLE, "variables": {"first": "many"}}, "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_request_error_is_400_without_data_when_client_accepts_it(
    api: httpx.AsyncClient, body: dict[str, object], code: str
) -> None:
    new = await api.post("/graphql", json=body, headers=NEW_ACCEPT)
    legacy = await api.post("/graphql", json=body, headers={"accept": "application/json"})

    assert new.status_code == 400
    assert "data" not in new.json()
    assert code_of(new) == code
    assert legacy.status_code == 200
    assert "data" not in legacy.json()


async def test_mutation_over_get_is_405_with_allow_post(api: httpx.AsyncClient) -> None:
    response = await api.get("/graphql", params={"query": MUTATION})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert code_of(response) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"query": 12}', "application/json"),
        (b"query=x", "text/plain"),
    ],
)
async def test_malformed_request_is_a_json_400_with_a_code(
    api: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await api.post("/graphql", content=content, headers={"content-type": content_type})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert code_of(response) == "MALFORMED_REQUEST"
    assert "data" not in response.json()


async def test_apq_unknown_hash_then_register_then_hit(api: httpx.AsyncClient) -> None:
    digest = sha(CATALOGUE)

    missing = await api.post("/graphql", json={"extensions": persisted(digest)})
    registered = await api.post(
        "/graphql", json={"query": CATALOGUE, "extensions": persisted(digest)}
    )
    hit = await api.get("/graphql", params={"extensions": json.dumps(persisted(digest))})

    assert code_of(missing) == "PERSISTED_QUERY_NOT_FOUND"
    assert registered.json()["data"]["catalogue"]["version"]
    assert hit.json() == registered.json()


async def test_apq_hash_that_does_not_match_the_query_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/graphql", json={"query": CATALOGUE, "extensions": persisted(sha("{ viewer { role } }"))}
    )

    assert code_of(response) == "BAD_PERSISTED_QUERY"
    assert "data" not in response.json()


async def test_trusted_documents_run_alone(
    settings: Settings, store_uri: str, tmp_path: Path
) -> None:
    manifest = tmp_path / "trusted.json"
    manifest.write_text(json.dumps({sha(CATALOGUE): CATALOGUE}), encoding="utf-8")

    async with served(settings, store_uri, trusted_documents=manifest) as api:
        by_hash = await api.post("/graphql", json={"extensions": persisted(sha(CATALOGUE))})
        by_text = await api.post("/graphql", json={"query": CATALOGUE})
        other = await api.post(
            "/graphql", json={"query": "{ viewer { role } }"}, headers=NEW_ACCEPT
        )

    assert by_hash.json()["data"]["catalogue"]["version"]
    assert by_text.json() == by_hash.json()
    assert other.status_code == 400
    assert code_of(other) == "DOCUMENT_NOT_TRUSTED"


def test_trusted_documents_file_must_match_its_hashes(tmp_path: Path) -> None:
    manifest = tmp_path / "trusted.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha(CATALOGUE), "name": "C", "body": "{ viewer { role } }"}],
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(ValueError, match="does not have that SHA-256"):
        read_trusted_documents(manifest)


@pytest.mark.parametrize(
    ("env", "introspection", "allowed"),
    [
        (Environment.DEVELOPMENT, None, True),
        (Environment.PRODUCTION, None, False),
        (Environment.PRODUCTION, True, True),
        (Environment.DEVELOPMENT, False, False),
    ],
)
async def test_introspection_follows_the_setting_and_is_off_in_production_by_default(
    settings: Settings,
    store_uri: str,
    env: Environment,
    introspection: bool | None,
    allowed: bool,
) -> None:
    async with served(settings, store_uri, env=env, introspection=introspection) as api:
        response = await api.post("/graphql", json={"query": INTROSPECTION})

    if allowed:
        assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    else:
        assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"


@given(
    st.lists(
        st.sampled_from(["application/json", GRAPHQL_RESPONSE, "*/*", "text/html"]), max_size=4
    ),
    st.lists(st.sampled_from(["", ";q=0", ";q=0.5", ";q=1", ";q=x"]), min_size=4, max_size=4),
)
def test_media_type_is_json_family_and_new_only_when_accepted(
    types: list[str], weights: list[str]
) -> None:
    accept = ", ".join(t + w for t, w in zip(types, weights, strict=False))

    chosen = media_type_for(accept)

    assert chosen in (GRAPHQL_RESPONSE, "application/json")
    if chosen == GRAPHQL_RESPONSE:
        assert GRAPHQL_RESPONSE in accept


PORTAL = "https://portal.example.gov.cn"
PREFLIGHT = {
    "origin": PORTAL,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def test_cors_preflight_is_answered_for_an_allowed_origin(
    settings: Settings, store_uri: str
) -> None:
    async with served(settings, store_uri, cors_origins=[PORTAL]) as api:
        preflight = await api.options("/graphql", headers=PREFLIGHT)
        simple = await api.post("/graphql", json={"query": CATALOGUE}, headers={"origin": PORTAL})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == PORTAL
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert simple.headers["access-control-allow-origin"] == PORTAL
    assert "access-control-allow-credentials" not in simple.headers


async def test_cors_allows_no_origin_by_default(api: httpx.AsyncClient) -> None:
    preflight = await api.options("/graphql", headers=PREFLIGHT)
    simple = await api.post("/graphql", json={"query": CATALOGUE}, headers={"origin": PORTAL})

    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


def test_cors_credentials_are_never_allowed_with_every_origin() -> None:
    with pytest.raises(ValueError, match="cors_allow_credentials"):
        Settings(cors_origins=["*"], cors_allow_credentials=True)


def test_cors_origin_must_be_an_origin() -> None:
    with pytest.raises(ValueError, match="not an origin"):
        Settings(cors_origins=["portal.example.gov.cn/path"])


async def test_unknown_path_is_a_json_404_with_a_code(api: httpx.AsyncClient) -> None:
    response = await api.get("/no-such-page")

    assert response.status_code == 404
    assert code_of(response) == "NOT_FOUND"


async def test_method_a_path_does_not_take_is_a_json_405_with_allow(api: httpx.AsyncClient) -> None:
    response = await api.put("/graphql", json={"query": CATALOGUE})

    assert response.status_code == 405
    assert code_of(response) == "METHOD_NOT_ALLOWED"
    assert "POST" in response.headers["allow"]
