"""The working-day calendar: deadlines counted in the years the centre has published, and the
publication of a year (holidays and 调休 are data, not code)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from pydantic import ValidationError

from auth.viewer import Scope
from domain.calendar import CalendarNotCovered, HolidaySchedule, WorkingDayCalendar
from resolvers import errors
from resolvers.access import require
from resolvers.context import Context
from store import calendar as calendar_store

ARGUMENT_NAMES = {
    "year": "year",
    "notice": "notice",
    "published": "final",
    "days_off": "daysOff",
    "working_days": "workingDays",
}


async def working_days(ctx: Context) -> WorkingDayCalendar:
    """The calendar as published now: a year published a moment ago counts at once."""
    return await calendar_store.working_day_calendar(ctx.db)


@contextmanager
def published_years() -> Iterator[None]:
    """Refuse a deadline in a year the calendar does not cover with CALENDAR_NOT_PUBLISHED:
    a legal deadline (repair 三(十一), objections) is counted, never guessed."""
    try:
        yield
    except CalendarNotCovered as exc:
        raise errors.CalendarNotPublished(str(exc)) from None


async def publish_calendar_year(
    ctx: Context,
    *,
    year: int,
    notice: str,
    final: bool,
    days_off: list[tuple[date, date]],
    working_days: list[date],
) -> HolidaySchedule:
    """Publish (or replace, a provisional one made final) a year's days off and make-up days."""
    require(ctx, Scope.CATALOGUE_WRITE, f"publishing the calendar needs {Scope.CATALOGUE_WRITE}")
    try:
        schedule = HolidaySchedule(
            year=year,
            notice=notice,
            published=final,
            days_off=tuple(days_off),
            working_days=tuple(working_days),
        )
    except ValidationError as exc:
        raise errors.invalid_argument(exc, ARGUMENT_NAMES) from None
    return await calendar_store.publish_year(
        ctx.db, schedule=schedule, at=ctx.now, by=ctx.viewer.sub or "credit centre"
    )


async def published(ctx: Context) -> list[HolidaySchedule]:
    """Every year of the calendar as published, oldest first (public: deadlines count in it)."""
    return await calendar_store.schedules(ctx.db)
