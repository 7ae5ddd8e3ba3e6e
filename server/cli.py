"""The `creditgraph` command: serve, seed, import, export, keys, token, schema."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
import uvicorn
from pydantic import ValidationError
from rich.progress import Progress

from auth.errors import ConfigurationError
from auth.keys import SIGNING_FILE, init_keys, load_signing_key
from auth.roles import Role, max_lifetimes
from auth.tokens import issue_token
from domain.catalogue import Catalogue, CatalogueError
from reports.certificates import ReportCertificateFiles, init_report_certificates
from reports.errors import ReportSetupError
from schema import sdl
from server.app import create_app, database, persisted_queries, token_verifier
from server.commands import fail, run_on_store, store_uri
from server.demo import seed_demo
from server.demo_tokens import print_demo_tokens
from server.logging import configure_logging
from server.record_export import run_export
from server.record_import import default_rejects, run_import
from server.reports import report_issuer
from server.settings import Settings
from server.telemetry import TracingUnavailable, tracing
from store.catalogue import read_default_catalogue
from store.database import SUBJECTS
from store.revocations import revoke_token

app = typer.Typer(help="creditgraph: the public credit information system's GraphQL API.")
keys_app = typer.Typer(help="Signing and verification keys.")
token_app = typer.Typer(help="Bearer tokens.")
app.add_typer(keys_app, name="keys")
app.add_typer(token_app, name="token")

DEMO_SUBJECTS = 2000
DEMO_SEED = 2020


async def _seed(
    settings: Settings, uri: str, *, subjects: int, seed: int, only_if_empty: bool
) -> None:
    async with database(settings, uri) as db:
        if only_if_empty and await db[SUBJECTS].find_one({}, {"_id": 1}) is not None:
            return
        catalogue: Catalogue = read_default_catalogue()
        with Progress(transient=False) as progress:
            task = progress.add_task("seeding demo subjects", total=subjects)
            summary = await seed_demo(
                db,
                catalogue,
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


def _check_store(settings: Settings, uri: str) -> None:
    async def check() -> None:
        async with database(settings, uri):
            pass

    run_on_store(check())


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
    settings = load_settings()
    configure_logging()
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
    with store_uri(settings, supervise=True) as uri:
        _check_store(settings, uri)
        if demo:
            run_on_store(
                _seed(settings, uri, subjects=demo_subjects, seed=DEMO_SEED, only_if_empty=True)
            )
            run_on_store(print_demo_tokens(settings, uri))
        typer.echo(f"GraphQL API: http://{settings.host}:{settings.port}/graphql")
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
    settings = load_settings()
    files = init_keys(settings.keys_dir)
    typer.echo(f"signing key: {files.signing}\nverification keys: {files.jwks}")
    reports = _init_report_certificates(settings)
    typer.echo(
        f"report signing key: {reports.key}\nreport certificate: {reports.cert}\n"
        f"report CA (development): {reports.ca}"
    )


def _init_report_certificates(settings: Settings) -> ReportCertificateFiles:
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
    settings = load_settings()
    try:
        token = issue_token(
            load_signing_key(settings.keys_dir / SIGNING_FILE),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role=role,
            sub=sub,
            org=org,
            unit=unit,
            subject=subject,
            ttl_seconds=ttl,
            now=datetime.now(UTC),
            max_lifetimes=settings.jwt_max_lifetimes,
        )
    except (ConfigurationError, ValueError) as exc:
        fail(str(exc))
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(
    jti: str = typer.Argument(..., help="The token's id (its `jti` claim)."),
) -> None:
    """Refuse a token from now on (TOKEN_REVOKED), until it could have expired anyway."""
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
    typer.echo(sdl(), nl=False)


def load_settings() -> Settings:
    """Settings from the environment; a bad one ends the command naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CREDITGRAPH_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        fail(f"invalid settings: {problems}")
