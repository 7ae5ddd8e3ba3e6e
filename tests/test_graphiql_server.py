"""GraphiQL from the app's own files: no network needed, immutable assets, a browser query."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from playwright.async_api import Request as BrowserRequest
from playwright.async_api import Route, async_playwright

from server.app import create_app
from server.graphiql import ASSETS_DIR, ASSETS_PATH, IMMUTABLE, MEDIA_TYPES
from server.settings import Settings
from tests.conftest import TODAY, at

# No test here writes: they share one app and database (tests/conftest.py `shares_app`).
pytestmark = pytest.mark.read_only

PAGE = (ASSETS_DIR / "index.html").read_text(encoding="utf-8")
# Every script and stylesheet the page loads, with the integrity hash it names.
LOADED = re.findall(r'(?:src|href)="\{assets\}/([^"]+)" integrity="(sha384-[^"]+)"', PAGE)

BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def graphiql_api(settings: Settings, store_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    on = settings.model_copy(update={"graphiql": True})
    app = create_app(on, mongodb_uri=store_uri, clock=lambda: at(TODAY))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


def test_graphiql_page_loads_every_shipped_asset_with_its_integrity_hash() -> None:
    assert sorted(name for name, _ in LOADED) == sorted(MEDIA_TYPES)
    for name, integrity in LOADED:
        digest = hashlib.sha384((ASSETS_DIR / name).read_bytes()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode(), name


async def test_graphiql_page_names_no_other_host(graphiql_api: httpx.AsyncClient) -> None:
    response = await graphiql_api.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert len(sources) == len(MEDIA_TYPES)
    assert all(s.startswith(ASSETS_PATH + "/") for s in sources)
    assert "://" not in response.text.split("<script>")[0]


@pytest.mark.parametrize("name", sorted(MEDIA_TYPES))
async def test_graphiql_asset_is_served_immutable_with_its_type(
    graphiql_api: httpx.AsyncClient, name: str
) -> None:
    response = await graphiql_api.get(f"{ASSETS_PATH}/{name}")

    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"].startswith(MEDIA_TYPES[name])
    assert response.content == (ASSETS_DIR / name).read_bytes()


@pytest.mark.parametrize("name", ["index.html", "graphiql.py", "graphiql-9.9.9.min.js"])
async def test_graphiql_asset_outside_the_table_is_not_found(
    graphiql_api: httpx.AsyncClient, name: str
) -> None:
    response = await graphiql_api.get(f"{ASSETS_PATH}/{name}")

    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphiql_turned_off_says_how_to_turn_it_on(api: httpx.AsyncClient) -> None:
    response = await api.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 404
    assert "CREDITGRAPH_GRAPHIQL=true" in response.text
    assert "<script" not in response.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def served_graphiql(settings: Settings, store_uri: str) -> AsyncIterator[str]:
    """The app with GraphiQL on, served by uvicorn on a loopback port for a real browser."""
    on = settings.model_copy(update={"graphiql": True})
    app = create_app(on, mongodb_uri=store_uri, clock=lambda: at(TODAY))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
        if task.done():
            task.result()
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    await task


def browser_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium on this machine: `make test` installs Debian's chromium")
    return found


async def test_graphiql_in_a_browser_without_network_runs_a_query(
    served_graphiql: str, tmp_path: Path
) -> None:
    executable = browser_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
        page = await browser.new_page()
        # Any request off this server fails, as on a network without internet.
        foreign: list[str] = []

        async def only_this_server(route: Route, request: BrowserRequest) -> None:
            if request.url.startswith(served_graphiql.removesuffix("/graphql")):
                await route.continue_()
            else:
                foreign.append(request.url)
                await route.abort()

        await page.route("**/*", only_this_server)
        await page.goto(served_graphiql + "?q=" + "%7B%20catalogue%20%7B%20version%20%7D%20%7D")
        await page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
        await page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        await result.get_by_text('"version"').wait_for(timeout=30_000)
        await page.screenshot(path=str(tmp_path / "graphiql.png"))
        answer = await result.inner_text()
        await browser.close()

    assert foreign == []
    assert '"catalogue"' in answer
    assert '"version"' in answer
