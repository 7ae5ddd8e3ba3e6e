"""Shared fixtures: a real store server for the session, a clean database per test, the app.

The store is an nx-27017 server started for the session (temporary data dir, free port), or the
MongoDB named by CREDITGRAPH_TEST_MONGODB_URI, so the same suite proves production compatibility.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypedDict

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo import monitoring
from starlette.applications import Starlette

from auth.keys import SigningKey, init_keys, load_signing_key
from auth.tokens import issue_token
from demo.generator import DemoBatch, generate_demo
from domain.catalogue import Catalogue
from domain.records import Record
from domain.subjects import Subject
from reports.certificates import ReportCertificateFiles, init_report_certificates
from server.app import create_app
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.changes import write_new_records
from store.database import Client, Database, connect, ensure_indexes
from store.embedded import EmbeddedServer
from store.subjects import insert_new_subjects
from tests.factories import EPIDEMIC

# The day API tests stand on unless they pick another: inside the demo data's disclosure.
TODAY = date(2020, 9, 1)


@dataclass
class CommandLog(monitoring.CommandListener):
    """Every command any client sends, so tests can count a request's round trips."""

    names: list[str] = field(default_factory=list)
    # The commands themselves, for tests of the query shapes the store sends.
    documents: list[dict[str, Any]] = field(default_factory=list)
    recording: bool = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.recording and event.command_name not in (
            "hello",
            "isMaster",
            "ping",
            "endSessions",
        ):
            self.names.append(event.command_name)
            self.documents.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def start(self) -> None:
        self.names.clear()
        self.documents.clear()
        self.recording = True

    def stop(self) -> list[str]:
        self.recording = False
        return list(self.names)


COMMANDS = CommandLog()
# Registered before any client exists: PyMongo only tells clients created afterwards.
monitoring.register(COMMANDS)


@pytest.fixture(scope="session")
def store_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("CREDITGRAPH_TEST_MONGODB_URI")
    if given:
        yield given
        return
    with EmbeddedServer(tmp_path_factory.mktemp("store")) as server:
        yield server.uri


@pytest.fixture(scope="session")
async def client(store_uri: str) -> AsyncIterator[Client]:
    client = await connect(store_uri, timeout_ms=10_000)
    yield client
    await client.close()


def shares_app(request: pytest.FixtureRequest) -> bool:
    """Whether the test runs on its module's one app and database, seeded once: its module is
    marked `read_only` (no test there writes, so none sees another's traces) and the test
    itself asks for no settings of its own (the module's `settings` mark is the app's)."""
    return request.node.get_closest_marker("read_only") is not None and not any(
        mark.name == "settings" for mark in request.node.own_markers
    )


@asynccontextmanager
async def new_database(client: Client) -> AsyncIterator[Database]:
    name = f"test_{uuid.uuid4().hex[:12]}"
    database = client[name]
    await ensure_indexes(database)
    yield database
    await client.drop_database(name)


@pytest.fixture
async def own_db(client: Client) -> AsyncIterator[Database]:
    """A database of the test's own, dropped afterwards."""
    async with new_database(client) as database:
        yield database


@pytest.fixture(scope="module")
async def module_db(client: Client) -> AsyncIterator[Database]:
    """The database of a `read_only` module, dropped after its last test."""
    async with new_database(client) as database:
        yield database


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Database:
    """The test's database: its own, or its module's if the module is `read_only`."""
    database: Database = request.getfixturevalue("module_db" if shares_app(request) else "own_db")
    return database


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return read_default_catalogue()


@pytest.fixture
def commands() -> CommandLog:
    return COMMANDS


def at(day: date) -> datetime:
    return datetime.combine(day, time(4, 0), tzinfo=UTC)


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("keys")
    init_keys(directory)
    init_report_certificates(directory, now=datetime.now(UTC))
    return directory


class ReportKeys(TypedDict):
    report_signing_key: Path
    report_signing_cert: Path
    report_ca: Path


def report_settings(keys_dir: Path) -> ReportKeys:
    """Settings naming the session's report signing key and certificates in `keys_dir`."""
    files = ReportCertificateFiles.under(keys_dir)
    return ReportKeys(
        report_signing_key=files.key, report_signing_cert=files.cert, report_ca=files.ca
    )


@pytest.fixture(scope="session")
def signing_key(keys_dir: Path) -> SigningKey:
    return load_signing_key(keys_dir / "signing.jwks.json")


def app_settings(db: Database, data_dir: Path, keys_dir: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = dict(
        database=db.name,
        data_dir=data_dir,
        jwks_path=keys_dir,
        graphiql=False,
        # The app's upkeep loops (server.app) stay asleep: their commands would land in the
        # round trips a test counts. Tests call what they run directly.
        catalogue_poll_seconds=3600,
        settle_seconds=3600,
        **report_settings(keys_dir),
    )
    return Settings(**values | changes)


@pytest.fixture(scope="module")
def module_settings(
    module_db: Database,
    keys_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Settings:
    """The settings of a `read_only` module's app; the module's `settings` mark changes some."""
    marker = request.node.get_closest_marker("settings")
    changes = marker.kwargs if marker else {}
    return app_settings(module_db, tmp_path_factory.mktemp("data"), keys_dir, **changes)


@pytest.fixture
def settings(db: Database, keys_dir: Path, request: pytest.FixtureRequest) -> Settings:
    """The app's settings; a test marked `@pytest.mark.settings(name=value)` changes some."""
    if shares_app(request):
        shared: Settings = request.getfixturevalue("module_settings")
        return shared
    marker = request.node.get_closest_marker("settings")
    changes = marker.kwargs if marker else {}
    return app_settings(db, request.getfixturevalue("tmp_path"), keys_dir, **changes)


@pytest.fixture
def token(signing_key: SigningKey, settings: Settings) -> TokenFactory:
    """Issue a token for a role, valid at `TODAY`."""

    def issue(role: str, **claims: Any) -> str:
        return issue_token(
            signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role=role,
            sub=claims.pop("sub", f"{role}-user"),
            now=claims.pop("now", at(TODAY)),
            **claims,
        )

    return issue


TokenFactory = Callable[..., str]


@asynccontextmanager
async def serving_app(
    settings: Settings, store_uri: str, day: date = TODAY
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    """One serving process standing on `day`: its app (for its state) and HTTP through it."""
    app = create_app(settings, mongodb_uri=store_uri, clock=lambda: at(day))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield app, http


@asynccontextmanager
async def serving(
    settings: Settings, store_uri: str, day: date = TODAY
) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP through the app with its lifespan, standing on `day`."""
    async with serving_app(settings, store_uri, day) as (_, http):
        yield http


@pytest.fixture
async def own_api(settings: Settings, store_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(settings, store_uri) as http:
        yield http


@pytest.fixture(scope="module")
async def module_api(module_settings: Settings, store_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(module_settings, store_uri) as http:
        yield http


@pytest.fixture
def api(request: pytest.FixtureRequest) -> httpx.AsyncClient:
    """HTTP through the app: the test's own, or its module's if the module is `read_only`
    (started once, so the module's tests run faster)."""
    http: httpx.AsyncClient = request.getfixturevalue(
        "module_api" if shares_app(request) else "own_api"
    )
    return http


# The demo data seeded in each database, so a `read_only` module seeds it once.
_DEMO_SEEDED: dict[str, DemoBatch] = {}


@pytest.fixture
async def demo_data(db: Database, catalogue: Catalogue) -> DemoBatch:
    """150 demo subjects and their records, stored as the demo seed stores them: through the
    change feed."""
    if db.name in _DEMO_SEEDED:
        return _DEMO_SEEDED[db.name]
    subjects: list[Subject] = []
    records: list[Record] = []
    for batch in generate_demo(
        catalogue,
        subjects=150,
        seed=11,
        epidemic_window=EPIDEMIC,
        created_at=datetime(2021, 7, 1, tzinfo=UTC),
    ):
        subjects += batch.subjects
        records += batch.records
    await insert_new_subjects(db, subjects=subjects)
    await write_new_records(db, records=records)
    _DEMO_SEEDED[db.name] = DemoBatch(subjects=subjects, records=records)
    return _DEMO_SEEDED[db.name]


@pytest.fixture
def cli_environment(store_uri: str, db: Database, tmp_path: Path) -> dict[str, str]:
    """The environment a `creditgraph` command needs to use this test's database."""
    return {
        "CREDITGRAPH_MONGODB_URI": store_uri,
        "CREDITGRAPH_DATABASE": db.name,
        "CREDITGRAPH_DATA_DIR": str(tmp_path),
    }
