"""The working-day calendar the centre publishes a year at a time: days off and 调休 as data.

Read whole on each use (a few dozen small documents), so a year the centre publishes counts in
every worker at once, without a restart. `default_calendar.toml` is what a new store starts
with; a year already stored is never overwritten by it.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from importlib import resources

from domain.calendar import HolidaySchedule, WorkingDayCalendar
from store.database import CALENDAR_YEARS, Database, Document
from store.documents import insert_new

# Who published a year, and when: kept beside the schedule, not part of it.
_PUBLICATION = ("_id", "published_at", "published_by")


def read_default_calendar() -> tuple[HolidaySchedule, ...]:
    """The years in `default_calendar.toml`; a bad file raises pydantic's ValidationError."""
    text = resources.files("store").joinpath("default_calendar.toml").read_text("utf-8")
    return tuple(HolidaySchedule.model_validate(y) for y in tomllib.loads(text)["years"])


def _document(schedule: HolidaySchedule, *, at: datetime, by: str) -> Document:
    return {
        "_id": str(schedule.year),
        **schedule.model_dump(mode="json"),
        "published_at": at,
        "published_by": by,
    }


async def insert_years_if_missing(
    db: Database, *, schedules: tuple[HolidaySchedule, ...], at: datetime
) -> int:
    """Store the years not stored yet (the shipped table on a new store); how many were new."""
    documents = [_document(s, at=at, by="default_calendar.toml") for s in schedules]
    return await insert_new(db, CALENDAR_YEARS, documents)


async def publish_year(
    db: Database, *, schedule: HolidaySchedule, at: datetime, by: str
) -> HolidaySchedule:
    """Publish a year's schedule, replacing the one stored (a provisional year made final)."""
    document = _document(schedule, at=at, by=by)
    await db[CALENDAR_YEARS].replace_one({"_id": document["_id"]}, document, upsert=True)
    return schedule


async def schedules(db: Database) -> list[HolidaySchedule]:
    """Every published year, oldest first."""
    found = await db[CALENDAR_YEARS].find({}, sort=[("year", 1)]).to_list(None)
    return [
        HolidaySchedule.model_validate({k: v for k, v in d.items() if k not in _PUBLICATION})
        for d in found
    ]


async def working_day_calendar(db: Database) -> WorkingDayCalendar:
    """The calendar every working-day deadline is counted in, as published now."""
    return WorkingDayCalendar.of(await schedules(db))
