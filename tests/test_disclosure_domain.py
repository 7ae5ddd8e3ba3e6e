"""Disclosure periods under the default catalogue's rule sets, and the calendar beneath them."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.calendar import DateWindow, add_months
from domain.catalogue import parse_catalogue
from domain.disclosure import (
    NO_MINIMUM_BASIS,
    NOTICE,
    SERIOUS_PERIOD_BASIS,
    TOLERANCE_BASIS,
    DisclosurePeriod,
    DisclosureRuleSet,
    DisclosureState,
    NoRuleInForce,
    PeriodBounds,
    Severity,
    disclosure_period,
    first_day_after,
    last_day,
    rule_in_force,
)

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "store" / "default_catalogue.toml"
EPIDEMIC = DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31))
RULES_2019 = "发改办财金〔2019〕527号"
RULES_2023 = "国家发展改革委令第58号"
ONE_DAY = timedelta(days=1)


@cache
def rules() -> tuple[DisclosureRuleSet, ...]:
    with DEFAULT_CATALOGUE.open("rb") as file:
        return parse_catalogue(tomllib.load(file)).disclosure_rules


def penalty(
    decided: date,
    severity: Severity,
    *,
    epidemic_related: bool = False,
    clause: str = "一(二)2",
    tolerable: bool = False,
) -> DisclosurePeriod:
    return disclosure_period(
        rules=rules(),
        family="dishonesty",
        clause=clause,
        decision_date=decided,
        severity=severity,
        dishonest=True,
        epidemic_related=epidemic_related,
        epidemic_window=EPIDEMIC,
        tolerable=tolerable,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2020, 8, 31), 1, date(2020, 9, 30)),
        (date(2019, 12, 15), 1, date(2020, 1, 15)),
        (date(2020, 3, 31), -1, date(2020, 2, 29)),
        (date(2020, 5, 17), 0, date(2020, 5, 17)),
        (date(2020, 12, 31), 36, date(2023, 12, 31)),
    ],
)
def test_add_months_past_month_end_is_clamped(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2020, 1, 23), False),
        (date(2020, 1, 24), True),
        (date(2020, 6, 30), True),
        (date(2020, 12, 31), True),
        (date(2021, 1, 1), False),
    ],
)
def test_date_window_contains_both_ends(day: date, inside: bool) -> None:
    assert (day in EPIDEMIC) is inside


def test_date_window_non_date_is_not_contained() -> None:
    assert "2020-06-30" not in EPIDEMIC


def test_date_window_single_day_contains_that_day() -> None:
    window = DateWindow(start=date(2020, 2, 26), end=date(2020, 2, 26))

    assert date(2020, 2, 26) in window
    assert date(2020, 2, 27) not in window


def test_date_window_ending_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError, match="a window ends on or after its start"):
        DateWindow(start=date(2020, 2, 26), end=date(2020, 2, 25))


def test_disclosure_period_general_penalty_before_epidemic_has_3_months_to_1_year() -> None:
    period = penalty(date(2019, 12, 1), Severity.GENERAL)

    assert period.start == date(2019, 12, 1)
    # 民法典 arts. 201-202: the 3 months run 2019-12-02..2020-03-01; repair from the day after.
    assert period.earliest_repair_date == date(2020, 3, 2)
    assert period.end == date(2020, 12, 1)
    assert period.rule == RULES_2019


def test_disclosure_period_serious_penalty_in_2021_has_6_months_to_3_years() -> None:
    period = penalty(date(2021, 3, 1), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2021, 9, 2)
    assert period.end == date(2024, 3, 1)
    assert period.rule == RULES_2019
    assert "发改办财金〔2019〕527号" in period.basis


def test_disclosure_period_serious_penalty_under_2023_rules_has_1_year_minimum() -> None:
    period = penalty(date(2023, 5, 1), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2024, 5, 2)
    assert period.end == date(2026, 5, 1)
    assert period.rule == RULES_2023
    assert "国家发展改革委令2023年第58号" in period.basis


def test_disclosure_period_serious_penalty_on_last_day_of_2019_rules_has_6_months() -> None:
    period = penalty(date(2023, 4, 30), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2023, 10, 31)
    assert period.end == date(2026, 4, 30)
    assert period.rule == RULES_2019


# --- the decision table of domain/disclosure.py, one test per row -----------------------------

ACTS = [f"一(二){n}" for n in range(1, 6)] + ["一（二）3"]  # full-width brackets are the same


@pytest.mark.parametrize("clause", ACTS)
@pytest.mark.parametrize("decided", [EPIDEMIC.start, date(2020, 6, 15), EPIDEMIC.end])
@pytest.mark.parametrize("severity", list(Severity))
@pytest.mark.parametrize("flag", [True, False])
def test_disclosure_period_epidemic_act_in_window_has_serious_bounds_whatever_the_flag(
    clause: str, decided: date, severity: Severity, flag: bool
) -> None:
    period = penalty(decided, severity, epidemic_related=flag, clause=clause)

    assert period.earliest_repair_date == add_months(decided, 6) + ONE_DAY
    assert period.end == add_months(decided, 36)
    assert period.rule == f"{RULES_2019} + epidemic serious period"
    assert period.basis.endswith(SERIOUS_PERIOD_BASIS)


def test_disclosure_period_epidemic_act_on_window_end_clamps_to_month_end() -> None:
    period = penalty(date(2020, 12, 31), Severity.GENERAL)

    assert period.earliest_repair_date == date(2021, 7, 1)  # the minimum's last day: 06-30
    assert period.end == date(2023, 12, 31)


@pytest.mark.parametrize("clause", ["一(二)2", "三(十)", "其他"])
@pytest.mark.parametrize(
    ("decided", "earliest", "end"),
    [
        (date(2020, 1, 23), date(2020, 4, 24), date(2021, 1, 23)),
        (date(2021, 1, 1), date(2021, 4, 2), date(2022, 1, 1)),
    ],
)
@pytest.mark.parametrize("flag", [True, False])
def test_disclosure_period_dishonesty_outside_window_uses_its_own_severity(
    clause: str, decided: date, earliest: date, end: date, flag: bool
) -> None:
    period = penalty(
        decided,
        Severity.GENERAL,
        epidemic_related=flag,
        clause=clause,
        tolerable=clause == "三(十)",
    )

    assert (period.earliest_repair_date, period.end) == (earliest, end)
    assert period.rule == RULES_2019
    assert period.basis == rules()[0].basis


@pytest.mark.parametrize("decided", [date(2020, 1, 24), date(2020, 6, 15), date(2020, 12, 31)])
def test_disclosure_period_other_general_penalty_caused_by_epidemic_has_no_minimum(
    decided: date,
) -> None:
    period = penalty(decided, Severity.GENERAL, epidemic_related=True, clause="其他")

    assert period.earliest_repair_date is None
    assert period.end == add_months(decided, 12)
    assert period.rule == f"{RULES_2019} + epidemic no minimum"
    assert period.basis.endswith(NO_MINIMUM_BASIS)


def test_disclosure_period_other_serious_penalty_caused_by_epidemic_keeps_its_minimum() -> None:
    period = penalty(date(2020, 6, 15), Severity.SERIOUS, epidemic_related=True, clause="其他")

    assert period.earliest_repair_date == date(2020, 12, 16)
    assert period.end == date(2023, 6, 15)
    assert period.rule == RULES_2019


@pytest.mark.parametrize("severity", list(Severity))
def test_disclosure_period_other_penalty_in_window_not_caused_by_epidemic_is_ordinary(
    severity: Severity,
) -> None:
    period = penalty(date(2020, 6, 15), severity, clause="其他")

    bounds = rules()[0].bounds(severity)
    assert bounds.min_months is not None
    assert period.earliest_repair_date == add_months(date(2020, 6, 15), bounds.min_months) + ONE_DAY
    assert period.end == add_months(date(2020, 6, 15), bounds.max_months)
    assert period.rule == RULES_2019


def test_disclosure_period_tolerated_matter_keeps_own_severity_and_cites_tolerance() -> None:
    period = penalty(
        date(2020, 3, 1), Severity.GENERAL, epidemic_related=True, clause="三(十)", tolerable=True
    )

    assert (period.earliest_repair_date, period.end) == (date(2020, 6, 2), date(2021, 3, 1))
    assert period.rule == f"{RULES_2019} + epidemic tolerance"
    assert period.basis.endswith(TOLERANCE_BASIS)


@pytest.mark.parametrize(
    ("family", "clause"), [("good_behaviour", "一(一)1"), ("commitment", "二(九)")]
)
@pytest.mark.parametrize("flag", [True, False])
def test_disclosure_period_not_dishonesty_has_own_rule_without_overlay(
    family: str, clause: str, flag: bool
) -> None:
    period = disclosure_period(
        rules=rules(),
        family=family,
        clause=clause,
        decision_date=date(2020, 3, 10),
        severity=Severity.GENERAL,
        dishonest=False,
        epidemic_related=flag,
        epidemic_window=EPIDEMIC,
    )

    assert period.earliest_repair_date is None
    assert period.end == date(2023, 3, 10)
    assert NOTICE not in period.basis.split("; ")[-1]


CLAUSES = st.sampled_from(["一(二)1", "一(二)2", "一(二)3", "一(二)4", "一(二)5", "三(十)", "其他"])
# Days on both sides of both window edges, and anywhere in 2019-07..2023-04 (one rule set).
EDGE_DAYS = st.sampled_from(
    [EPIDEMIC.start + timedelta(days=d) for d in (-2, -1, 0, 1)]
    + [EPIDEMIC.end + timedelta(days=d) for d in (-1, 0, 1, 2)]
)
DAYS = EDGE_DAYS | st.dates(min_value=date(2019, 7, 1), max_value=date(2023, 4, 30))


@given(clause=CLAUSES, severity=st.sampled_from(Severity), flag=st.booleans(), decided=DAYS)
def test_disclosure_period_follows_the_decision_table(
    clause: str, severity: Severity, flag: bool, decided: date
) -> None:
    tolerable = clause == "三(十)"
    period = penalty(decided, severity, epidemic_related=flag, clause=clause, tolerable=tolerable)

    own = rules()[0].bounds(severity)
    in_window = decided in EPIDEMIC
    if in_window and tolerable and flag:
        expected = own  # excused; the period is kept for the file
    elif in_window and clause.startswith("一(二)"):
        expected = rules()[0].serious
    elif in_window and flag and severity is Severity.GENERAL:
        expected = PeriodBounds(min_months=None, max_months=own.max_months)
    else:
        expected = own
    minimum = expected.min_months
    assert period.earliest_repair_date == (
        None if minimum is None else add_months(decided, minimum) + ONE_DAY
    )
    assert period.end == add_months(decided, expected.max_months)
    # The serious period of 二(八) never goes to a matter excused under 三(十), and the
    # no-minimum of 三(十一) never to a 一(二) act.
    if clause.startswith("一(二)"):
        assert period.earliest_repair_date is not None
    if in_window and clause.startswith("一(二)"):
        assert period.end == add_months(decided, 36)


# --- counting: the end day is on display, the day after it is not ----------------------------


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (timedelta(days=-1), DisclosureState.PENDING),
        (timedelta(0), DisclosureState.DISCLOSED),
    ],
)
def test_disclosure_state_around_start(offset: timedelta, state: DisclosureState) -> None:
    period = penalty(date(2019, 12, 1), Severity.GENERAL)

    assert period.state(period.start + offset) is state


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (timedelta(days=-1), DisclosureState.DISCLOSED),
        (timedelta(0), DisclosureState.DISCLOSED),
        (timedelta(days=1), DisclosureState.ENDED),
    ],
)
def test_disclosure_state_end_day_is_on_display(offset: timedelta, state: DisclosureState) -> None:
    period = penalty(date(2019, 12, 1), Severity.GENERAL)

    assert period.end == date(2020, 12, 1)
    assert period.state(period.end + offset) is state


@pytest.mark.parametrize(
    ("decided", "months", "last", "first_after"),
    [
        (date(2020, 1, 31), 1, date(2020, 2, 29), date(2020, 3, 1)),  # leap February
        (date(2021, 1, 31), 1, date(2021, 2, 28), date(2021, 3, 1)),
        (date(2020, 2, 29), 12, date(2021, 2, 28), date(2021, 3, 1)),  # leap day + 1 year
        (date(2020, 2, 29), 48, date(2024, 2, 29), date(2024, 3, 1)),
        (date(2020, 8, 31), 3, date(2020, 11, 30), date(2020, 12, 1)),
        (date(2020, 12, 31), 12, date(2021, 12, 31), date(2022, 1, 1)),
    ],
)
def test_period_counting_last_day_and_first_day_after(
    decided: date, months: int, last: date, first_after: date
) -> None:
    assert last_day(decided, months) == last
    assert first_day_after(decided, months) == first_after
    assert first_day_after(decided, None) is None


@given(decided=DAYS, severity=st.sampled_from(Severity))
def test_disclosure_state_shown_on_end_day_not_the_day_after(
    decided: date, severity: Severity
) -> None:
    period = penalty(decided, severity)

    assert period.state(period.end) is DisclosureState.DISCLOSED
    assert period.state(period.end + ONE_DAY) is DisclosureState.ENDED
    assert period.state(period.start) is DisclosureState.DISCLOSED
    assert period.state(period.start - ONE_DAY) is DisclosureState.PENDING
    if period.earliest_repair_date is not None:
        assert period.start < period.earliest_repair_date <= period.end + ONE_DAY


def test_disclosure_period_before_any_dishonesty_rule_raises_no_rule_in_force() -> None:
    with pytest.raises(NoRuleInForce) as caught:
        penalty(date(2019, 6, 30), Severity.GENERAL)

    assert str(caught.value) == "no dishonesty disclosure rule is in force on 2019-06-30"


def test_rule_in_force_first_day_of_2019_rules_is_found() -> None:
    assert rule_in_force(rules(), "dishonesty", date(2019, 7, 1)).name == RULES_2019


def test_rule_in_force_unknown_family_raises_no_rule_in_force() -> None:
    with pytest.raises(NoRuleInForce, match="no blacklist disclosure rule is in force"):
        rule_in_force(rules(), "blacklist", date(2021, 1, 1))
