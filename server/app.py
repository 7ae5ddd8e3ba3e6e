"""The Starlette application: lifespan (store, indexes, catalogue), routes and middleware."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from prometheus_client import CollectorRegistry
from pymongo.errors import PyMongoError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from auth.keys import load_verification_keys
from auth.tokens import TokenVerifier
from domain.calendar import CITY_TIME
from domain.catalogue import CatalogueVersions
from schema import Limits, create_schema
from server.admission import Admission, AdmitToStore
from server.authentication import Authenticate
from server.evidence import DOWNLOAD_PATH, evidence_download
from server.graphiql import ASSETS_PATH, graphiql_asset
from server.graphql import GraphQLEndpoint
from server.guards import RequestGuards, StoreFailureErrors
from server.health import healthz, metrics, readyz
from server.logging import configure_logging
from server.middleware import PREFLIGHT_HEADERS, BodyLimit, RequestId, StoreFailures
from server.persisted import PersistedQueries, read_trusted_documents
from server.refusals import http_refusal
from server.reports import report_download, report_issuer
from server.settings import Settings
from server.telemetry import RequestTelemetry, Telemetry, tracing
from server.verify import verification_routes
from store import blacklist, commitments, evidence, feed, records, standings
from store.calendar import insert_years_if_missing, read_default_calendar
from store.catalogue import (
    PublishedCatalogues,
    insert_shipped_catalogue,
    list_catalogues,
    read_default_catalogue,
)
from store.counters import take_turn
from store.database import Database, ensure_indexes, opened
from store.documents import Published
from store.monitoring import CommandObserver
from store.programmes import (
    PublishedProgrammes,
    insert_shipped_rules,
    list_rules,
    read_default_rules,
)
from store.source_units import insert_source_units_if_missing, read_default_source_units
from store.subjects import fill_name_keys

log = logging.getLogger("creditgraph")


def utc_now() -> datetime:
    return datetime.now(UTC)


async def prepare_store(db: Database) -> CatalogueVersions:
    """Indexes, the default catalogue and programmes on a new store, source units and calendar
    years when missing, the day numbers and standings of documents stored before they existed;
    the published catalogue versions."""
    await ensure_indexes(db)
    if await fill_name_keys(db):
        log.info("filled the name keys of subjects stored by an older version")
    for name, module in (
        ("records", records),
        ("blacklist entries", blacklist),
        ("commitments", commitments),
    ):
        if filled := await module.add_day_numbers(db):
            log.info("stored the day numbers of %d older %s", filled, name)
    if built := await standings.add_standings(db):
        log.info("built the standings of %d records stored before standings existed", built)
    if await insert_shipped_catalogue(db, catalogue=read_default_catalogue()):
        log.info("published the default catalogue")
    if await insert_shipped_rules(db, rules=read_default_rules()):
        log.info("published the default programmes and grading rule")
    if await insert_source_units_if_missing(db, units=read_default_source_units()):
        log.info("registered the default source units")
    if years := await insert_years_if_missing(db, schedules=read_default_calendar(), at=utc_now()):
        log.info("published %d years of the default working-day calendar", years)
    return CatalogueVersions(await list_catalogues(db))


async def _watch_publications(served: tuple[Published[Any], ...], db: Database, every: int) -> None:
    """Serve a catalogue or programmes version another worker published, within `every`
    seconds; a store that does not answer is asked again next time (requests meanwhile see it
    fail)."""
    while True:
        await asyncio.sleep(every)
        for published in served:
            try:
                if await published.reload_if_changed(db):
                    log.info("serving the %s published meanwhile", published.collection)
            except PyMongoError:
                log.warning("could not look for new %s; will look again", published.collection)


# The turn at `settle_in_turn`, kept among the counters.
SETTLE_TURN = "settle_turn"


async def settle_interrupted(db: Database, *, day: date) -> None:
    """Finish what writes cut short between their steps left: logged changes not yet applied
    (store.feed.settle_changes), blacklist entries not yet re-judged on `day`
    (store.blacklist.rejudge_in_force) and evidence uploads whose requests died
    (store.evidence.undo_dead_uploads). Each is idempotent and cheap when nothing is left."""
    if redone := await feed.settle_changes(db):
        log.info("finished %d logged changes that an interrupted write left", redone)
    if swept := await blacklist.rejudge_in_force(db, day=day):
        log.info("re-judged %d blacklist entries left unjudged by an interrupted write", swept)
    if undone := await evidence.undo_dead_uploads(db):
        log.info("took back %d evidence uploads whose requests died on the way", undone)


async def settle_in_turn(db: Database, *, day: date, every: int) -> bool:
    """`settle_interrupted`, by whichever worker takes the turn for the next `every` seconds
    (most of it: a worker waking a little early still finds it free); whether this one did.
    The sweep reads every blacklist entry in force, so N workers each doing it every period
    would cost the store N times what one does for all."""
    if not await take_turn(db, name=SETTLE_TURN, seconds=every * 0.9):
        return False
    await settle_interrupted(db, day=day)
    return True


async def _keep_settled(db: Database, clock: Callable[[], datetime], every: int) -> None:
    """`settle_in_turn` every `every` seconds while the app runs: a write is also cut short
    without any restart of the worker, when the store fails under it (the embedded store is
    restarted by its supervisor), and the changes it logged should not wait for a feed reader
    or the next start to be applied."""
    while True:
        await asyncio.sleep(every)
        try:
            await settle_in_turn(db, day=clock().astimezone(CITY_TIME).date(), every=every)
        except Exception:  # the loop outlives any one failure; the next turn tries again
            log.exception("could not settle interrupted writes; will try again")


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


def persisted_queries(settings: Settings) -> PersistedQueries:
    """APQ, or only the trusted documents when a file of them is set; a bad file stops start."""
    path = settings.trusted_documents
    return PersistedQueries(None if path is None else read_trusted_documents(path))


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
            observer=CommandObserver(telemetry.observe_store),
        ) as db:
            published = PublishedCatalogues(await prepare_store(db))
            programmes = PublishedProgrammes(await list_rules(db))
            await settle_interrupted(db, day=clock().astimezone(CITY_TIME).date())
            app.state.published = published
            app.state.programmes = programmes
            app.state.db = db
            upkeep = [
                asyncio.create_task(
                    _watch_publications(
                        (published, programmes), db, settings.catalogue_poll_seconds
                    )
                ),
                asyncio.create_task(_keep_settled(db, clock, settings.settle_seconds)),
            ]
            # What start-up built (schema, catalogue, division table: ~180k objects) lives as
            # long as the app; out of the collector's generations, a full collection no longer
            # walks it on a request (it cost ~14 ms a portal page). Unfrozen on the way out.
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()
                for task in upkeep:
                    task.cancel()
        for traced in tracers:
            traced.shutdown()  # spans still batched leave before the process does

    schema = create_schema(
        Limits(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_query_tokens,
        ),
        suggestions=not settings.production,
        introspection=settings.introspection_on,
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
        evidence_max_bytes=settings.evidence_max_bytes,
        persisted=persisted_queries(settings),
    )
    admission = Admission(
        concurrency=settings.store_concurrency,
        queue_limit=settings.store_queue_limit,
        wait_seconds=settings.store_queue_wait_ms / 1000,
    )
    registry = CollectorRegistry()
    telemetry = Telemetry(registry)
    tracers = [] if settings.tracing is None else [tracing(settings.tracing)]
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route(ASSETS_PATH + "/{name}", graphiql_asset, methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/reports/{serial}.pdf", report_download(clock), methods=["GET"]),
            Route(DOWNLOAD_PATH, evidence_download(clock), methods=["GET"]),
            *verification_routes(clock),
        ],
        middleware=[
            *(traced.middleware for traced in tracers),
            Middleware(RequestId),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_credentials=settings.cors_allow_credentials,
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "x-purpose",
                    "x-request-id",
                    *PREFLIGHT_HEADERS,
                ],
                expose_headers=["x-request-id", "retry-after"],
                max_age=600,
            ),
            Middleware(RequestTelemetry, telemetry=telemetry),
            Middleware(BodyLimit, max_bytes=settings.max_request_bytes),
            Middleware(AdmitToStore, admission=admission, retry_after=settings.retry_after_seconds),
            Middleware(StoreFailures, retry_after=settings.retry_after_seconds),
            Middleware(Authenticate, clock=clock),
        ],
        lifespan=lifespan,
        exception_handlers={404: http_refusal, 405: http_refusal},
    )
    app.state.registry = registry
    app.state.admission = admission
    app.state.metrics_token = settings.metrics_token
    app.state.verifier = token_verifier(settings)
    app.state.reports = report_issuer(settings)
    if not app.state.reports.font.embedded:
        log.warning("no CJK TrueType font found; reports use %s", app.state.reports.font.note)
    app.state.epidemic_window = settings.epidemic_window
    app.state.clock = clock
    return app


def app_from_environment() -> Starlette:
    """The app of one `serve --workers N` process: settings from the environment, into which
    `serve` put the URI of the store it started, so every worker shares that one store."""
    settings = Settings()
    if settings.mongodb_uri is None:
        raise RuntimeError("CREDITGRAPH_MONGODB_URI is unset; start workers with creditgraph serve")
    configure_logging()
    return create_app(settings, mongodb_uri=settings.mongodb_uri)
