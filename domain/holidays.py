"""The PRC public holiday table (全国法定节假日安排), as data.

UPDATE YEARLY. Each year's days off and make-up working days (调休) are fixed by a notice of the
State Council General Office (国务院办公厅关于XXXX年部分节假日安排的通知), usually published in
November for the year after. When it is out: add the year below (or replace its provisional
entry) from the notice's text, cite it in `notice`, and run the working-day tests. The
calendar refuses a year it does not cover (`CalendarNotCovered`) rather than guess a legal
deadline.

2027 is provisional: its notice was not yet available when this table was written, so it
holds only the statutory holidays fixed by 《全国年节及纪念日放假办法》 as amended by
国务院令第795号 (in force 2025-01-01; lunar dates: Spring Festival eve 5 Feb, Dragon Boat
9 Jun, Mid-Autumn 15 Sep; Qingming 5 Apr), without the bridging days and make-up working days
the notice will add: until it is replaced, a 2027 deadline near a holiday may be a day or two
off the one the notice will give.
"""

from __future__ import annotations

from domain.calendar import HolidaySchedule, WorkingDayCalendar

_TABLE: list[dict[str, object]] = [
    {
        "year": 2020,
        "notice": "国务院办公厅关于2020年部分节假日安排的通知（2019-11-21）；"
        "国务院办公厅关于延长2020年春节假期的通知（2020-01-27）: Spring Festival extended to "
        "2 February because of the epidemic, the make-up day of 1 February thereby cancelled",
        "days_off": [
            ("2020-01-01", "2020-01-01"),
            ("2020-01-24", "2020-02-02"),
            ("2020-04-04", "2020-04-06"),
            ("2020-05-01", "2020-05-05"),
            ("2020-06-25", "2020-06-27"),
            ("2020-10-01", "2020-10-08"),
        ],
        "working_days": [
            "2020-01-19",
            "2020-04-26",
            "2020-05-09",
            "2020-06-28",
            "2020-09-27",
            "2020-10-10",
        ],
    },
    {
        "year": 2021,
        "notice": "国务院办公厅关于2021年部分节假日安排的通知（2020-11-25）",
        "days_off": [
            ("2021-01-01", "2021-01-03"),
            ("2021-02-11", "2021-02-17"),
            ("2021-04-03", "2021-04-05"),
            ("2021-05-01", "2021-05-05"),
            ("2021-06-12", "2021-06-14"),
            ("2021-09-19", "2021-09-21"),
            ("2021-10-01", "2021-10-07"),
        ],
        "working_days": [
            "2021-02-07",
            "2021-02-20",
            "2021-04-25",
            "2021-05-08",
            "2021-09-18",
            "2021-09-26",
            "2021-10-09",
        ],
    },
    {
        "year": 2022,
        "notice": "国务院办公厅关于2022年部分节假日安排的通知（2021-10-25）",
        "days_off": [
            ("2022-01-01", "2022-01-03"),
            ("2022-01-31", "2022-02-06"),
            ("2022-04-03", "2022-04-05"),
            ("2022-04-30", "2022-05-04"),
            ("2022-06-03", "2022-06-05"),
            ("2022-09-10", "2022-09-12"),
            ("2022-10-01", "2022-10-07"),
        ],
        "working_days": [
            "2022-01-29",
            "2022-01-30",
            "2022-04-02",
            "2022-04-24",
            "2022-05-07",
            "2022-10-08",
            "2022-10-09",
        ],
    },
    {
        "year": 2023,
        "notice": "国务院办公厅关于2023年部分节假日安排的通知（2022-12-08）",
        "days_off": [
            ("2022-12-31", "2023-01-02"),
            ("2023-01-21", "2023-01-27"),
            ("2023-04-05", "2023-04-05"),
            ("2023-04-29", "2023-05-03"),
            ("2023-06-22", "2023-06-24"),
            ("2023-09-29", "2023-10-06"),
        ],
        "working_days": [
            "2023-01-28",
            "2023-01-29",
            "2023-04-23",
            "2023-05-06",
            "2023-06-25",
            "2023-10-07",
            "2023-10-08",
        ],
    },
    {
        "year": 2024,
        "notice": "国务院办公厅关于2024年部分节假日安排的通知（2023-10-25）",
        "days_off": [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        "working_days": [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    },
    {
        "year": 2025,
        "notice": "国务院办公厅关于2025年部分节假日安排的通知（2024-11-12）",
        "days_off": [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        "working_days": [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ],
    },
    {
        "year": 2026,
        "notice": "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）",
        "days_off": [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        "working_days": [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    },
    {
        "year": 2027,
        "notice": "PROVISIONAL — statutory holidays only (《全国年节及纪念日放假办法》, "
        "国务院令第795号); replace with the State Council General Office notice for 2027",
        "published": False,
        "days_off": [
            ("2027-01-01", "2027-01-01"),
            ("2027-02-05", "2027-02-08"),
            ("2027-04-05", "2027-04-05"),
            ("2027-05-01", "2027-05-02"),
            ("2027-06-09", "2027-06-09"),
            ("2027-09-15", "2027-09-15"),
            ("2027-10-01", "2027-10-03"),
        ],
    },
]

SCHEDULES = tuple(HolidaySchedule.model_validate(year) for year in _TABLE)

# The calendar every working-day deadline is counted in.
PRC_CALENDAR = WorkingDayCalendar.of(SCHEDULES)
