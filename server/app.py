"""The Starlette application: lifespan (store, indexes, catalogue), routes and middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from functools import partial

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from auth.keys import load_verification_keys
from auth.tokens import TokenVerifier
from domain.catalogue_versions import CatalogueVersions
from schema import Limits, create_schema
from server.admission import Admission, AdmitToStore
from server.authentication import Authenticate
from server.graphql import GraphQLEndpoint
from server.guards import RequestGuards, StoreFailureErrors
from server.health import healthz, metrics, readyz
from server.logging import configure_logging
from server.middleware import BodyLimit, Metrics, RequestId, StoreFailures
from server.reports import report_download, report_issuer
from server.settings import Settings
from store.catalogue import insert_catalogue_if_missing, list_catalogues, read_default_catalogue
from store.database import Database, ensure_indexes, opened
from store.source_units import insert_source_units_if_missing, read_default_source_units

log = logging.getLogger("creditgraph")


def utc_now() -> datetime:
    return datetime.now(UTC)


async def prepare_store(db: Database) -> CatalogueVersions:
    """Indexes, the default catalogue and source units when missing; the published versions."""
    await ensure_indexes(db)
    if await insert_catalogue_if_missing(db, catalogue=read_default_catalogue()):
        log.info("published the default catalogue")
    if await insert_source_units_if_missing(db, units=read_default_source_units()):
        log.info("registered the default source units")
    return CatalogueVersions(await list_catalogues(db))


def token_verifier(settings: Settings) -> TokenVerifier:
    """The verifier for the configured keys; a missing or bad key set stops start-up."""
    keys = load_verification_keys(settings.verification_keys_path)
    secret = settings.jwt_hs256_secret
    return TokenVerifier(
        keys,
        settings.jwt_issuer,
        settings.jwt_audience,
        max_lifetimes=settings.jwt_max_lifetimes,
        hs256_secret=None if secret is None else secret.get_secret_value().encode(),
        leeway_seconds=settings.jwt_leeway_seconds,
    )


def database(settings: Settings, uri: str) -> AbstractAsyncContextManager[Database]:
    """The configured database at `uri`, open for the length of a block."""
    return opened(uri, database=settings.database, timeout_ms=settings.store_timeout_ms)


def create_app(
    settings: Settings, *, mongodb_uri: str, clock: Callable[[], datetime] = utc_now
) -> Starlette:
    """The app for one database; `clock` is injectable so tests can stand on any day."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Requests never wait on a stalled store longer than the timeout; commands may.
        async with opened(
            mongodb_uri,
            database=settings.database,
            timeout_ms=settings.store_timeout_ms,
            read_timeout_ms=settings.store_read_timeout_ms,
        ) as db:
            app.state.catalogues = await prepare_store(db)
            app.state.db = db
            yield

    schema = create_schema(
        Limits(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_query_tokens,
        ),
        suggestions=not settings.production,
        guards=[
            partial(
                RequestGuards,
                max_cost=settings.max_query_cost,
                creations_per_minute=settings.creations_per_minute,
            ),
            StoreFailureErrors,
        ],
    )
    graphql = GraphQLEndpoint(
        schema,
        clock=clock,
        graphiql=settings.graphiql,
        max_json_depth=settings.max_json_depth,
        retry_after=settings.retry_after_seconds,
        rejected_identifiers_per_hour=settings.rejected_identifiers_per_hour,
    )
    admission = Admission(
        concurrency=settings.store_concurrency,
        queue_limit=settings.store_queue_limit,
        wait_seconds=settings.store_queue_wait_ms / 1000,
    )
    registry = CollectorRegistry()
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/reports/{serial}.pdf", report_download(clock), methods=["GET"]),
        ],
        middleware=[
            Middleware(RequestId),
            Middleware(Metrics, registry=registry),
            Middleware(BodyLimit, max_bytes=settings.max_request_bytes),
            Middleware(AdmitToStore, admission=admission, retry_after=settings.retry_after_seconds),
            Middleware(StoreFailures, retry_after=settings.retry_after_seconds),
            Middleware(Authenticate, clock=clock),
        ],
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.admission = admission
    app.state.verifier = token_verifier(settings)
    app.state.reports = report_issuer(settings)
    if not app.state.reports.font.embedded:
        log.warning("no CJK TrueType font found; reports use %s", app.state.reports.font.note)
    app.state.epidemic_window = settings.epidemic_window
    return app


def app_from_environment() -> Starlette:
    """The app of one `serve --workers N` process: settings from the environment, into which
    `serve` put the URI of the store it started, so every worker shares that one store."""
    settings = Settings()
    if settings.mongodb_uri is None:
        raise RuntimeError("CREDITGRAPH_MONGODB_URI is unset; start workers with creditgraph serve")
    configure_logging()
    return create_app(settings, mongodb_uri=settings.mongodb_uri)
