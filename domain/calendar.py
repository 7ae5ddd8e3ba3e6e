"""The calendar the rules are written in: months, closed date windows and working days.

Working days (工作日): weekends and public holidays off, make-up working days (调休) on.
Deadlines of credit repair and objections run in working days (Shenzhen Social Credit
Regulation arts. 79–85). Which days are off is not a rule but a yearly State Council General
Office notice, so the holiday table is data the credit centre publishes a year at a time
(store/calendar.py; a new store starts with store/default_calendar.toml), and the calendar
refuses to answer for a year it does not cover rather than guess a legal deadline.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

ONE_DAY = timedelta(days=1)
SATURDAY = 5

# Days are counted in the city's calendar (Shenzhen, UTC+8): "today", disclosure days, deadlines.
CITY_TIME = ZoneInfo("Asia/Shanghai")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class DateWindow(BaseModel):
    """A closed window of days, both ends included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateWindow:
        if self.end < self.start:
            raise ValueError("a window ends on or after its start")
        return self

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class CalendarNotCovered(LookupError):
    """No published schedule covers the year asked about: the centre must publish it."""


class AlreadyExtended(ValueError):
    """A deadline may be extended once only."""


class DeadlinePassed(ValueError):
    """A deadline can no longer be extended: it has passed."""


class HolidaySchedule(BaseModel):
    """One year's schedule as published: days off (ranges, both ends in) and make-up days."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=2000, le=2100)
    notice: str = Field(min_length=1)
    # False while the year's notice is not out: the statutory days only, no 调休 (provisional).
    published: bool = True
    days_off: tuple[tuple[date, date], ...]
    working_days: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for start, end in self.days_off:
            if end < start:
                raise ValueError(f"{self.year}: range {start} to {end} ends before it starts")
            # A New Year break may begin on 31 December of the year before.
            if start.year not in (self.year - 1, self.year) or end.year != self.year:
                raise ValueError(f"{self.year}: range {start} to {end} is outside the year")
        for day in self.working_days:
            if day.weekday() < SATURDAY:
                raise ValueError(f"{self.year}: make-up working day {day} is not a weekend day")
            if any(start <= day <= end for start, end in self.days_off):
                raise ValueError(f"{self.year}: {day} is both a day off and a working day")
        return self


@dataclass(frozen=True)
class WorkingDayCalendar:
    """The days off and make-up working days of the years it covers."""

    years: frozenset[int]
    days_off: frozenset[date]
    working_days: frozenset[date]

    @classmethod
    def of(cls, schedules: Iterable[HolidaySchedule]) -> Self:
        schedules = list(schedules)
        years = [s.year for s in schedules]
        if len(set(years)) != len(years):
            raise ValueError("a year has more than one schedule")
        off = {
            start + ONE_DAY * i
            for s in schedules
            for start, end in s.days_off
            for i in range((end - start).days + 1)
        }
        return cls(
            frozenset(years),
            frozenset(off),
            frozenset(d for s in schedules for d in s.working_days),
        )


def is_working_day(day: date, calendar: WorkingDayCalendar) -> bool:
    if day.year not in calendar.years:
        raise CalendarNotCovered(
            f"the working-day calendar for {day.year} is not published yet, so no deadline "
            f"in it can be counted; the credit centre publishes it from the State Council notice"
        )
    if day in calendar.working_days:
        return True
    return day.weekday() < SATURDAY and day not in calendar.days_off


def add_working_days(day: date, n: int, calendar: WorkingDayCalendar) -> date:
    """The `n`th working day after `day`, which itself does not count (期间开始之日不计算在内).

    `n` = 0 gives `day` itself.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    while n > 0:
        day += ONE_DAY
        if is_working_day(day, calendar):
            n -= 1
    return day


def first_working_day_from(day: date, calendar: WorkingDayCalendar) -> date:
    """`day` if it is a working day, else the next one: when something filed on a day off counts."""
    while not is_working_day(day, calendar):
        day += ONE_DAY
    return day


def extend_deadline(
    due: date, extended_to: date | None, *, today: date, days: int, calendar: WorkingDayCalendar
) -> date:
    """The deadline after its one extension by `days` working days, asked for by `due` at latest."""
    if extended_to is not None:
        raise AlreadyExtended(f"the deadline was already extended once, to {extended_to}")
    if today > due:
        raise DeadlinePassed(f"the deadline {due} has passed; it can no longer be extended")
    return add_working_days(due, days, calendar)


# How far ahead /readyz looks for a year the calendar does not cover.
CALENDAR_HORIZON = timedelta(days=60)


def missing_years(calendar: WorkingDayCalendar, today: date) -> list[int]:
    """The years from `today` to `CALENDAR_HORIZON` ahead that no schedule covers: a deadline
    counted in them would be refused, so the operator is warned before it happens."""
    last = (today + CALENDAR_HORIZON).year
    return [y for y in range(today.year, last + 1) if y not in calendar.years]
