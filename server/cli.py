"""The `creditgraph` command: serve, seed, import, export, keys, token, publish, schema.

Each command imports what it needs inside its body: `token issue` loads neither the app nor the
store, and `schema` only the schema, so a call costs what its work costs (issue 11.5).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from auth.roles import Role
from server.commands import database, fail, load_settings, run_on_store, store_uri
from server.publish import publish_app

if TYPE_CHECKING:
    from reports.certificates import ReportCertificateFiles
    from server.settings import Settings

app = typer.Typer(help="creditgraph: the public credit information system's GraphQL API.")
keys_app = typer.Typer(help="Signing and verification keys.")
token_app = typer.Typer(help="Bearer tokens.")
app.add_typer(keys_app, name="keys")
app.add_typer(token_app, name="token")
app.add_typer(publish_app, name="publish")

DEMO_SUBJECTS = 2000
DEMO_SEED = 2020


async def _seed(
    settings: Settings, uri: str, *, subjects: int, seed: int, only_if_empty: bool
) -> None:
    from rich.progress import Progress

    from demo.seed import seed_demo
    from server.app import prepare_store
    from store.catalogue import read_default_catalogue
    from store.subjects import find_subjects

    async with database(settings, uri) as db:
        # As served, before any write: indexes first, and the backfills for older stores find
        # nothing and say so. Seeded before them, the first start read every record again to
        # build standings the seed had written (15 s for the demo on a slow machine).
        await prepare_store(db)
        if only_if_empty and await find_subjects(db, limit=1):
            return
        with Progress(transient=False) as progress:
            task = progress.add_task("seeding demo subjects", total=subjects)
            summary = await seed_demo(
                db,
                read_default_catalogue(),
                subjects=subjects,
                seed=seed,
                epidemic_window=settings.epidemic_window,
                created_at=datetime.now(UTC),
                progress=lambda n: progress.advance(task, n),
            )
        typer.echo(
            f"seeded {summary.subjects_written} new subjects and "
            f"{summary.records_written} new records "
            f"({summary.subjects_total} subjects, {summary.records_total} records in the seed)"
        )


async def _print_demo_tokens(settings: Settings, uri: str) -> None:
    """One ready token per role; the subject token is the demo firm of lowest id."""
    from demo.tokens import demo_token_lines
    from domain.identifiers import SubjectKind
    from store.subjects import find_subjects

    async with database(settings, uri) as db:
        firms = await find_subjects(db, kinds=[SubjectKind.LEGAL_PERSON], limit=1)
    lines = demo_token_lines(_token_issuer(settings), firm=firms[0] if firms else None)
    typer.echo("\n".join(lines))


def _token_issuer(settings: Settings) -> Callable[..., str]:
    """`issue_token` with the configured signing key, issuer, audience and lifetimes, now."""
    from auth.keys import SIGNING_FILE, load_signing_key
    from auth.tokens import issue_token

    return partial(
        issue_token,
        load_signing_key(settings.keys_dir / SIGNING_FILE),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        now=datetime.now(UTC),
        max_lifetimes=settings.jwt_max_lifetimes,
    )


async def _open_store(settings: Settings, uri: str) -> None:
    async with database(settings, uri):
        pass


def _refuse_broken_setup(settings: Settings, *, demo: bool) -> None:
    """Stop before serving, with one line, on what would fail a request later."""
    from auth.errors import ConfigurationError
    from auth.keys import init_keys
    from domain.catalogue import CatalogueError
    from reports.certificates import ReportCertificateFiles
    from reports.errors import ReportSetupError
    from server.app import persisted_queries, token_verifier
    from server.reports import report_issuer
    from server.telemetry import TracingUnavailable, tracing
    from store.catalogue import read_default_catalogue

    if demo and settings.production:
        fail("--demo is for development; CREDITGRAPH_ENV is production")
    if demo and settings.jwks_path is None:
        init_keys(settings.keys_dir)
    try:
        token_verifier(settings)
    except ConfigurationError as exc:
        fail(f"cannot verify tokens: {exc.message} (run `creditgraph keys init`)")
    if demo and settings.report_certificates == ReportCertificateFiles.under(settings.keys_dir):
        _init_report_certificates(settings)
    try:
        report_issuer(settings)
    except ReportSetupError as exc:
        fail(f"cannot sign credit reports: {exc.message} (run `creditgraph keys init`)")
    try:
        read_default_catalogue()
    except CatalogueError as exc:
        fail(str(exc))
    if settings.tracing is not None:
        try:
            tracing(settings.tracing)
        except TracingUnavailable as exc:
            fail(str(exc))
    try:
        persisted_queries(settings)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        fail(f"cannot read CREDITGRAPH_TRUSTED_DOCUMENTS: {exc}")


def _serve_http(settings: Settings, uri: str, *, workers: int) -> None:
    import uvicorn

    from server.app import create_app

    if workers == 1:
        uvicorn.run(
            create_app(settings, mongodb_uri=uri),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
        )
        return
    # Each worker process builds its app from the environment; the store is this one.
    os.environ["CREDITGRAPH_MONGODB_URI"] = uri
    uvicorn.run(
        "server.app:app_from_environment",
        factory=True,
        workers=workers,
        # A worker imports the whole app before it answers the supervisor's health check;
        # on a busy machine that takes longer than uvicorn's 5 s, and it would be killed.
        timeout_worker_healthcheck=60,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )


@app.command()
def serve(
    demo: bool = typer.Option(
        False, help="Development: seed demo data on first start and print a token per role."
    ),
    demo_subjects: int = typer.Option(DEMO_SUBJECTS, min=1, help="Subjects to seed with --demo."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes on the one port, sharing the one store."
    ),
) -> None:
    """Serve the API; without CREDITGRAPH_MONGODB_URI, start (and supervise) the embedded store."""
    from server.logging import configure_logging

    settings = load_settings()
    configure_logging()
    _refuse_broken_setup(settings, demo=demo)
    with store_uri(settings, supervise=True) as uri:
        run_on_store(_open_store(settings, uri))
        if demo:
            run_on_store(
                _seed(settings, uri, subjects=demo_subjects, seed=DEMO_SEED, only_if_empty=True)
            )
            run_on_store(_print_demo_tokens(settings, uri))
        typer.echo(f"GraphQL API: http://{settings.host}:{settings.port}/graphql")
        _serve_http(settings, uri, workers=workers)


@app.command()
def seed(
    subjects: int = typer.Option(DEMO_SUBJECTS, min=1, max=1_000_000, help="How many subjects."),
    seed: int = typer.Option(DEMO_SEED, help="Random seed: the same seed writes the same data."),
) -> None:
    """Write realistic, reproducible demo data (idempotent for the same seed)."""
    settings = load_settings()
    with store_uri(settings) as uri:
        run_on_store(_seed(settings, uri, subjects=subjects, seed=seed, only_if_empty=False))


@app.command("import")
def import_records(
    file: Path = typer.Argument(..., help="JSONL: one submission a line (see README)."),
    rejects: Path | None = typer.Option(None, help="Where rejected lines go [FILE.rejects.jsonl]."),
    operator: str = typer.Option("cli", help="Who imports, named in the audit trail."),
) -> None:
    """Submit records in bulk for their source units, as submitRecords would judge them."""
    from server.import_report import default_rejects
    from server.record_import import run_import

    settings = load_settings()
    rejects = rejects or default_rejects(file)
    with store_uri(settings) as uri:
        summary = run_on_store(run_import(settings, uri, file, rejects=rejects, operator=operator))
    typer.echo(summary.describe(rejects))


@app.command("export")
def export_changes(
    since: int = typer.Option(..., min=0, help="The cursor printed by the last run; 0: all."),
    out: Path | None = typer.Option(None, help="Write here instead of stdout."),
    limit: int | None = typer.Option(None, min=1, help="At most this many changes."),
    operator: str = typer.Option("cli", help="Who exports, named in the audit trail."),
) -> None:
    """Write the record changes after a cursor as JSONL, as a government viewer sees them."""
    from server.record_export import run_export

    settings = load_settings()
    with store_uri(settings) as uri:
        summary = run_on_store(
            run_export(settings, uri, since=since, out=out, limit=limit, operator=operator)
        )
    # The last line names the cursor, so that a scheduled job can resume from it.
    typer.echo(f"exported {summary.changes} changes; cursor: {summary.cursor}", err=True)


@keys_app.command("init")
def keys_init() -> None:
    """Write a development key set under $CREDITGRAPH_DATA_DIR/keys (kept if it exists)."""
    from auth.keys import init_keys

    settings = load_settings()
    files = init_keys(settings.keys_dir)
    typer.echo(f"signing key: {files.signing}\nverification keys: {files.jwks}")
    reports = _init_report_certificates(settings)
    typer.echo(
        f"report signing key: {reports.key}\nreport certificate: {reports.cert}\n"
        f"report CA (development): {reports.ca}"
    )


def _init_report_certificates(settings: Settings) -> ReportCertificateFiles:
    from reports.certificates import init_report_certificates
    from reports.errors import ReportSetupError

    try:
        return init_report_certificates(settings.keys_dir, now=datetime.now(UTC))
    except ReportSetupError as exc:
        fail(exc.message)


@token_app.command("issue")
def token_issue(
    role: Role = typer.Option(..., help="The role the token is for."),
    sub: str = typer.Option("cli", help="Who holds the token."),
    org: str | None = typer.Option(None, help="The holder's organisation (bank, funding)."),
    unit: str | None = typer.Option(None, help="The source unit (source_unit)."),
    subject: str | None = typer.Option(None, help="The subject id (subject)."),
    ttl: int | None = typer.Option(None, min=1, help="Lifetime in seconds (default: the role's)."),
) -> None:
    """Print a signed token, alone on stdout."""
    from auth.errors import ConfigurationError

    settings = load_settings()
    try:
        issue = _token_issuer(settings)
        token = issue(role=role, sub=sub, org=org, unit=unit, subject=subject, ttl_seconds=ttl)
    except (ConfigurationError, ValueError) as exc:
        fail(str(exc))
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(
    jti: str = typer.Argument(..., help="The token's id (its `jti` claim)."),
) -> None:
    """Refuse a token from now on (TOKEN_REVOKED), until it could have expired anyway."""
    from auth.roles import max_lifetimes
    from store.revocations import revoke_token

    settings = load_settings()
    longest = max(max_lifetimes(settings.jwt_max_lifetimes).values())
    expires_at = datetime.now(UTC) + timedelta(seconds=longest)

    async def revoke(uri: str) -> None:
        async with database(settings, uri) as db:
            await revoke_token(db, token_id=jti, expires_at=expires_at)

    with store_uri(settings) as uri:
        run_on_store(revoke(uri))
    typer.echo(f"revoked {jti} until {expires_at.isoformat(timespec='seconds')}")


@app.command("schema")
def print_schema() -> None:
    """Print the GraphQL SDL (committed as schema.graphql)."""
    from schema import sdl

    typer.echo(sdl(), nl=False)
