"""Back-pressure and store failures: 503, Retry-After and a code, never a 500 (issue 9.3, 9.5)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from store.embedded import EmbeddedServer
from tests.conftest import TODAY, TokenFactory, at

TYPENAME = {"query": "{ __typename }"}
RECORDS = {"query": "{ records(first: 1) { edges { node { id } } } }"}


@asynccontextmanager
async def serving(
    settings: Settings, uri: str
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = create_app(settings, mongodb_uri=uri, clock=lambda: at(TODAY))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield app, http


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert int(response.headers["retry-after"]) >= 1
    body: dict[str, Any] = error
    return body


async def test_request_beyond_saturated_limiter_is_503_overloaded(
    settings: Settings, store_uri: str
) -> None:
    limited = settings.model_copy(update={"store_concurrency": 1, "store_queue_wait_ms": 0})
    async with serving(limited, store_uri) as (app, http):
        async with app.state.admission.slot() as held:
            assert held
            response = await http.post("/graphql", json=TYPENAME)
            health = await http.get("/healthz")
        after = await http.post("/graphql", json=TYPENAME)

    refused(response, 503, "OVERLOADED")
    assert health.status_code == 200
    assert after.json() == {"data": {"__typename": "Query"}}


async def test_request_beyond_full_queue_is_503_at_once(settings: Settings, store_uri: str) -> None:
    limited = settings.model_copy(
        update={"store_concurrency": 1, "store_queue_limit": 0, "store_queue_wait_ms": 60_000}
    )
    async with serving(limited, store_uri) as (app, http), app.state.admission.slot():
        response = await http.post("/graphql", json=TYPENAME)

    refused(response, 503, "OVERLOADED")


async def test_queued_request_runs_when_a_slot_frees_within_the_wait(
    settings: Settings, store_uri: str
) -> None:
    limited = settings.model_copy(update={"store_concurrency": 1, "store_queue_wait_ms": 60_000})
    async with serving(limited, store_uri) as (app, http):
        admission = app.state.admission
        async with admission.slot():
            queued = asyncio.create_task(http.post("/graphql", json=RECORDS))
            while admission.waiting == 0:
                await asyncio.sleep(0)
            assert not queued.done()
        response = await queued

    assert response.status_code == 200
    assert "errors" not in response.json()


async def answers_while_the_store_is_down(
    settings: Settings, server: EmbeddedServer, token: str
) -> list[httpx.Response]:
    async with serving(settings, server.uri) as (_, http):
        server.stop()
        anonymous = await http.post("/graphql", json=RECORDS)
        authenticated = await http.post(
            "/graphql", json=RECORDS, headers={"authorization": f"Bearer {token}"}
        )
        ready = await http.get("/readyz")
    return [anonymous, authenticated, ready]


async def test_store_down_is_503_store_unavailable_for_anonymous_and_authenticated(
    tmp_path: Path, settings: Settings, token: TokenFactory
) -> None:
    server = EmbeddedServer(tmp_path / "store")
    server.start()
    quick = settings.model_copy(update={"store_timeout_ms": 300})
    try:
        anonymous, authenticated, ready = await answers_while_the_store_is_down(
            quick, server, token("bank", org="DEMO-BANK")
        )
    finally:
        server.stop()
    gc.collect()

    for response in (anonymous, authenticated):
        error = refused(response, 503, "STORE_UNAVAILABLE")
        assert "store" in error["message"]
    assert ready.status_code == 503
