"""`creditgraph publish`: the rules the centre publishes as data, from files it keeps.

The same checks as the `publishCatalogueVersion`, `publishProgrammes` and `publishCalendarYear`
mutations, for the operator at the machine; a running `serve` picks a new catalogue or
programmes version up at its next look (`CREDITGRAPH_CATALOGUE_POLL_SECONDS`) and counts a
calendar year at once.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import typer
from pydantic import ValidationError

from domain.calendar import CITY_TIME
from server.commands import database, fail, load_settings, run_on_store, store_uri

publish_app = typer.Typer(
    help="Publish rules as data: catalogue and programmes versions, calendar years."
)


def _text(file: Path) -> str:
    try:
        return file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")


@publish_app.command("catalogue")
def publish_catalogue(
    file: Path = typer.Argument(..., help="A catalogue version as TOML (see README)."),
) -> None:
    """Publish a catalogue version: validated, de-identified, a new number, today or later."""
    from domain.catalogue import CatalogueError
    from store.catalogue import catalogue_of_text
    from store.catalogue import publish_catalogue as publish

    settings = load_settings()
    try:
        catalogue = catalogue_of_text(_text(file))
    except CatalogueError as exc:
        fail(str(exc))
    today = datetime.now(UTC).astimezone(CITY_TIME).date()

    async def work(uri: str) -> None:
        async with database(settings, uri) as db:
            await publish(db, catalogue=catalogue, today=today)

    with store_uri(settings) as uri:
        run_on_store(work(uri))
    typer.echo(
        f"published catalogue {catalogue.version}, in force from "
        f"{catalogue.effective_from.isoformat()}"
    )


@publish_app.command("programmes")
def publish_programmes(
    file: Path = typer.Argument(..., help="Programmes and the grade rule as TOML (see README)."),
) -> None:
    """Publish a version of the programmes and grading rule: validated, a new number, today or
    later."""
    from store.programmes import publish_rules, rules_of_text

    settings = load_settings()
    try:
        rules = rules_of_text(_text(file))
    except ValueError as exc:  # GradingError, ProgrammeError
        fail(str(exc))
    today = datetime.now(UTC).astimezone(CITY_TIME).date()

    async def work(uri: str) -> None:
        async with database(settings, uri) as db:
            await publish_rules(db, rules=rules, today=today)

    with store_uri(settings) as uri:
        run_on_store(work(uri))
    typer.echo(
        f"published programmes {rules.version}, in force from {rules.effective_from.isoformat()}"
    )


@publish_app.command("calendar")
def publish_calendar(
    file: Path = typer.Argument(..., help="[[years]] of days off and 调休, as TOML (see README)."),
) -> None:
    """Publish years of the working-day calendar, replacing those published before."""
    from domain.calendar import HolidaySchedule
    from store.calendar import publish_year

    settings = load_settings()
    try:
        years = [HolidaySchedule.model_validate(y) for y in tomllib.loads(_text(file))["years"]]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValidationError) as exc:
        fail(f"{file} is not a calendar of [[years]]: {exc}")
    now = datetime.now(UTC)

    async def work(uri: str) -> None:
        async with database(settings, uri) as db:
            for schedule in years:
                await publish_year(db, schedule=schedule, at=now, by="creditgraph publish")

    with store_uri(settings) as uri:
        run_on_store(work(uri))
    typer.echo(f"published the calendar of {', '.join(str(y.year) for y in years)}")
