"""The working-day calendar the centre publishes a year at a time (days off and 调休)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import calendar as model
from resolvers import calendar as calendar_resolvers
from resolvers.context import Context
from schema.errors import UserError, mutation_result


@strawberry.type(description="Days off in a row, both ends included")
class DayRange:
    first: date = strawberry.field(description="The first day off")
    last: date = strawberry.field(description="The last day off")


@strawberry.type(description="One year's days off and make-up working days (调休) as published")
class CalendarYear:
    year: int = strawberry.field(description="The year")
    notice: str = strawberry.field(
        description="The State Council General Office notice it is taken from"
    )
    final: bool = strawberry.field(
        description="False while provisional: statutory holidays only, the notice not yet out"
    )
    days_off: list[DayRange] = strawberry.field(description="Public holidays and bridging days")
    working_days: list[date] = strawberry.field(description="Weekend days that are working days")

    @classmethod
    def of(cls, schedule: model.HolidaySchedule) -> CalendarYear:
        return cls(
            year=schedule.year,
            notice=schedule.notice,
            final=schedule.published,
            days_off=[DayRange(first=a, last=b) for a, b in schedule.days_off],
            working_days=list(schedule.working_days),
        )


@strawberry.input(description="Days off in a row, both ends included")
class DayRangeInput:
    first: date = strawberry.field(description="The first day off")
    last: date = strawberry.field(description="The last day off")


@strawberry.input(description="A year's schedule from the State Council General Office notice")
class PublishCalendarYearInput:
    year: int = strawberry.field(description="The year, 2000 to 2100")
    notice: str = strawberry.field(description="The notice it is taken from, with its date")
    final: bool = strawberry.field(
        default=True, description="False to publish a provisional year (statutory days only)"
    )
    days_off: list[DayRangeInput] = strawberry.field(
        description="Public holidays and bridging days; a New Year break may start on 31 Dec"
    )
    working_days: list[date] = strawberry.field(
        default_factory=list, description="Weekend days that are working days (调休)"
    )


@strawberry.type(description="The year is published: deadlines in it count from now on")
class PublishCalendarYearSuccess:
    year: CalendarYear = strawberry.field(description="The year as published")


PublishCalendarYearResult = Annotated[
    PublishCalendarYearSuccess | UserError,
    strawberry.union(
        "PublishCalendarYearResult",
        description="PublishCalendarYearSuccess when done, or a UserError saying why not",
    ),
]


@strawberry.type
class CalendarQuery:
    @strawberry.field(
        description="The working-day calendar as published, oldest year first: repair and "
        "objection deadlines are counted in it (public)"
    )
    async def calendar_years(self, info: Info[Context, None]) -> list[CalendarYear]:
        return [CalendarYear.of(s) for s in await calendar_resolvers.published(info.context)]


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(
        description="The credit centre publishes a year of the working-day calendar, or makes "
        "a provisional one final (catalogue:write); every worker counts in it at once"
    )
    async def publish_calendar_year(
        self,
        info: Info[Context, None],
        input: Annotated[
            PublishCalendarYearInput, strawberry.argument(description="The year's schedule")
        ],
    ) -> PublishCalendarYearResult:
        return await mutation_result(
            calendar_resolvers.publish_calendar_year(
                info.context,
                year=input.year,
                notice=input.notice,
                final=input.final,
                days_off=[(r.first, r.last) for r in input.days_off],
                working_days=list(input.working_days),
            ),
            lambda schedule: PublishCalendarYearSuccess(year=CalendarYear.of(schedule)),
        )
