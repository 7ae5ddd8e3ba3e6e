"""CLI tests: `creditgraph publish catalogue|calendar` apply the checks of the mutations, end a
refusal with one line and exit 1, and store what they publish."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from server.cli import app
from store.calendar import schedules
from store.catalogue import insert_shipped_catalogue, list_catalogues, read_default_catalogue
from store.database import Database
from store.programmes import list_rules, read_programme_text

CALENDAR_2099 = """
[[years]]
year = 2099
notice = "国务院办公厅关于2099年部分节假日安排的通知（测试）"
days_off = [[2099-01-01, 2099-01-03]]
working_days = [2099-01-04]
"""

SHIPPED = resources.files("store").joinpath("default_catalogue.toml").read_text("utf-8")


async def invoke(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)
    return result.exit_code, result.output


async def test_publish_calendar_stores_the_years_of_the_file(
    db: Database, cli_environment: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "calendar.toml"
    file.write_text(CALENDAR_2099, encoding="utf-8")

    code, output = await invoke(cli_environment, "publish", "calendar", str(file))

    assert (code, output.strip()) == (0, "published the calendar of 2099")
    [year] = [s for s in await schedules(db) if s.year == 2099]
    assert year.working_days == (date(2099, 1, 4),)


async def test_publish_calendar_refuses_a_bad_schedule_in_one_line(
    db: Database, cli_environment: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "calendar.toml"
    file.write_text(CALENDAR_2099.replace("2099-01-04", "2099-01-05"), encoding="utf-8")

    code, output = await invoke(cli_environment, "publish", "calendar", str(file))

    assert code == 1
    assert "not a weekend day" in output
    assert await schedules(db) == []


async def test_publish_catalogue_publishes_once_and_refuses_the_same_number_again(
    db: Database, cli_environment: dict[str, str], tmp_path: Path
) -> None:
    tomorrow = date.today() + timedelta(days=1)  # the command stands on the real day
    file = tmp_path / "catalogue.toml"
    file.write_text(
        SHIPPED.replace('version = "2020.2"', 'version = "2099.1"', 1).replace(
            "effective_from = 2020-01-24", f"effective_from = {tomorrow.isoformat()}", 1
        ),
        encoding="utf-8",
    )

    first = await invoke(cli_environment, "publish", "catalogue", str(file))
    again = await invoke(cli_environment, "publish", "catalogue", str(file))
    broken = tmp_path / "broken.toml"
    broken.write_text("version = ", encoding="utf-8")
    unreadable = await invoke(cli_environment, "publish", "catalogue", str(broken))

    assert first == (0, f"published catalogue 2099.1, in force from {tomorrow.isoformat()}\n")
    assert again[0] == 1
    assert "published already" in again[1]
    assert unreadable[0] == 1
    assert "not TOML" in unreadable[1]
    assert [c.version for c in await list_catalogues(db)] == ["2099.1"]


async def test_publish_programmes_publishes_once_and_refuses_the_same_number_again(
    db: Database, cli_environment: dict[str, str], tmp_path: Path
) -> None:
    tomorrow = date.today() + timedelta(days=1)  # the command stands on the real day
    file = tmp_path / "programmes.toml"
    file.write_text(
        read_programme_text()
        .replace('version = "2020.2"', 'version = "2099.1"', 1)
        .replace("effective_from = 2020-01-01", f"effective_from = {tomorrow.isoformat()}", 1),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.toml"
    broken.write_text(file.read_text("utf-8").replace("min_points = 5", "min_points = -5"))
    await insert_shipped_catalogue(db, catalogue=read_default_catalogue())  # as `serve` does

    first = await invoke(cli_environment, "publish", "programmes", str(file))
    again = await invoke(cli_environment, "publish", "programmes", str(file))
    invalid = await invoke(cli_environment, "publish", "programmes", str(broken))

    assert first == (0, f"published programmes 2099.1, in force from {tomorrow.isoformat()}\n")
    assert again[0] == 1
    assert "published already" in again[1]
    assert invalid[0] == 1
    assert "min_points" in invalid[1]
    assert [r.version for r in await list_rules(db)] == ["2099.1"]
