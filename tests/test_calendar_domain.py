"""Domain tests: working days on both sides of weekends, holidays and make-up days."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain.calendar import (
    AlreadyExtended,
    CalendarNotCovered,
    DeadlinePassed,
    HolidaySchedule,
    WorkingDayCalendar,
    add_working_days,
    extend_deadline,
    first_working_day_from,
    is_working_day,
    missing_years,
)
from tests.factories import PRC_CALENDAR, SCHEDULES


def working(*days: date) -> list[bool]:
    return [is_working_day(d, PRC_CALENDAR) for d in days]


def test_is_working_day_2020_spring_festival_extended_to_february_2_is_off_throughout() -> None:
    assert working(date(2020, 1, 23), date(2020, 1, 24)) == [True, False]
    assert working(date(2020, 1, 31), date(2020, 2, 2), date(2020, 2, 3)) == [False, False, True]


def test_is_working_day_2020_make_up_sunday_january_19_is_working() -> None:
    assert working(date(2020, 1, 18), date(2020, 1, 19), date(2020, 1, 20)) == [
        False,
        True,
        True,
    ]


def test_is_working_day_2020_february_1_make_up_cancelled_by_the_extension_is_off() -> None:
    assert working(date(2020, 2, 1)) == [False]


def test_is_working_day_national_day_week_2020_off_with_make_up_weekend_days() -> None:
    assert working(date(2020, 9, 27), date(2020, 9, 30), date(2020, 10, 1)) == [
        True,
        True,
        False,
    ]
    assert working(date(2020, 10, 8), date(2020, 10, 9), date(2020, 10, 10)) == [
        False,
        True,
        True,
    ]
    assert working(date(2020, 10, 11)) == [False]


def test_is_working_day_plain_weekend_is_off_weekday_is_on() -> None:
    assert working(date(2020, 9, 4), date(2020, 9, 5), date(2020, 9, 6), date(2020, 9, 7)) == [
        True,
        False,
        False,
        True,
    ]


def test_is_working_day_new_year_2023_range_beginning_in_2022_is_off() -> None:
    assert working(date(2022, 12, 30), date(2023, 1, 2), date(2023, 1, 3)) == [True, False, True]


def test_is_working_day_year_outside_the_table_is_refused() -> None:
    with pytest.raises(CalendarNotCovered, match="2028"):
        is_working_day(date(2028, 1, 3), PRC_CALENDAR)
    with pytest.raises(CalendarNotCovered, match="2019"):
        is_working_day(date(2019, 12, 31), PRC_CALENDAR)


def test_add_working_days_across_a_weekend_skips_it() -> None:
    assert add_working_days(date(2020, 9, 3), 1, PRC_CALENDAR) == date(2020, 9, 4)
    assert add_working_days(date(2020, 9, 4), 1, PRC_CALENDAR) == date(2020, 9, 7)
    assert add_working_days(date(2020, 9, 4), 3, PRC_CALENDAR) == date(2020, 9, 9)


def test_add_working_days_across_the_extended_spring_festival_lands_after_it() -> None:
    assert add_working_days(date(2020, 1, 22), 1, PRC_CALENDAR) == date(2020, 1, 23)
    assert add_working_days(date(2020, 1, 23), 1, PRC_CALENDAR) == date(2020, 2, 3)
    assert add_working_days(date(2020, 1, 17), 1, PRC_CALENDAR) == date(2020, 1, 19)


def test_add_working_days_across_national_day_counts_the_make_up_saturday() -> None:
    assert add_working_days(date(2020, 9, 29), 1, PRC_CALENDAR) == date(2020, 9, 30)
    assert add_working_days(date(2020, 9, 30), 1, PRC_CALENDAR) == date(2020, 10, 9)
    assert add_working_days(date(2020, 9, 29), 3, PRC_CALENDAR) == date(2020, 10, 10)


def test_add_working_days_across_the_year_end_holiday_enters_the_new_year() -> None:
    assert add_working_days(date(2022, 12, 30), 1, PRC_CALENDAR) == date(2023, 1, 3)


def test_add_working_days_zero_is_the_day_itself_negative_is_refused() -> None:
    assert add_working_days(date(2020, 9, 5), 0, PRC_CALENDAR) == date(2020, 9, 5)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2020, 9, 5), -1, PRC_CALENDAR)


def test_first_working_day_from_a_day_off_is_the_next_working_day() -> None:
    assert first_working_day_from(date(2020, 9, 4), PRC_CALENDAR) == date(2020, 9, 4)
    assert first_working_day_from(date(2020, 9, 5), PRC_CALENDAR) == date(2020, 9, 7)
    assert first_working_day_from(date(2020, 10, 1), PRC_CALENDAR) == date(2020, 10, 9)


def test_extend_deadline_on_its_last_day_adds_three_working_days() -> None:
    extended = extend_deadline(
        date(2020, 9, 4), None, today=date(2020, 9, 4), days=3, calendar=PRC_CALENDAR
    )
    assert extended == date(2020, 9, 9)


def test_extend_deadline_the_day_after_it_passed_is_refused() -> None:
    with pytest.raises(DeadlinePassed, match="2020-09-04"):
        extend_deadline(
            date(2020, 9, 4), None, today=date(2020, 9, 5), days=3, calendar=PRC_CALENDAR
        )


def test_extend_deadline_a_second_time_is_refused() -> None:
    with pytest.raises(AlreadyExtended):
        extend_deadline(
            date(2020, 9, 4),
            date(2020, 9, 9),
            today=date(2020, 9, 2),
            days=3,
            calendar=PRC_CALENDAR,
        )


def test_shipped_calendar_covers_2020_to_2027_with_2027_provisional() -> None:
    assert sorted(PRC_CALENDAR.years) == list(range(2020, 2028))
    assert [s.year for s in SCHEDULES if not s.published] == [2027]


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (date(2027, 11, 1), []),  # 2028 is more than 60 days away
        (date(2027, 11, 2), [2028]),  # 1 January 2028 is 60 days ahead
        (date(2027, 12, 31), [2028]),
        (date(2028, 3, 1), [2028]),
        (date(2020, 6, 1), []),
    ],
)
def test_missing_years_warns_60_days_before_the_calendar_runs_out(
    today: date, missing: list[int]
) -> None:
    assert missing_years(PRC_CALENDAR, today) == missing


def test_holiday_schedule_make_up_day_on_a_weekday_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a weekend day"):
        HolidaySchedule(year=2020, notice="x", days_off=(), working_days=(date(2020, 9, 28),))


def test_holiday_schedule_range_outside_its_year_is_refused() -> None:
    with pytest.raises(ValidationError, match="outside the year"):
        HolidaySchedule(year=2021, notice="x", days_off=((date(2020, 1, 1), date(2020, 1, 1)),))


def test_holiday_schedule_day_both_off_and_working_is_refused() -> None:
    with pytest.raises(ValidationError, match="both"):
        HolidaySchedule(
            year=2020,
            notice="x",
            days_off=((date(2020, 1, 24), date(2020, 2, 2)),),
            working_days=(date(2020, 2, 1),),
        )


def test_working_day_calendar_two_schedules_for_one_year_are_refused() -> None:
    with pytest.raises(ValueError, match="more than one"):
        WorkingDayCalendar.of([SCHEDULES[0], SCHEDULES[0]])
