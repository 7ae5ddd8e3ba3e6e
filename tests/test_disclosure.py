"""Disclosure periods under the default catalogue's rule sets, and the calendar beneath them."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain.calendar import DateWindow, add_months
from domain.catalogue import parse_catalogue
from domain.disclosure import (
    EPIDEMIC_BASIS,
    DisclosurePeriod,
    DisclosureRuleSet,
    DisclosureState,
    NoRuleInForce,
    Severity,
    disclosure_period,
    rule_in_force,
)

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "store" / "default_catalogue.toml"
EPIDEMIC = DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31))
RULES_2019 = "发改办财金〔2019〕527号"
RULES_2023 = "国家发展改革委令第58号"


@cache
def rules() -> tuple[DisclosureRuleSet, ...]:
    with DEFAULT_CATALOGUE.open("rb") as file:
        return parse_catalogue(tomllib.load(file)).disclosure_rules


def penalty(
    decided: date, severity: Severity, *, epidemic_related: bool = False
) -> DisclosurePeriod:
    return disclosure_period(
        rules=rules(),
        family="dishonesty",
        decision_date=decided,
        severity=severity,
        dishonest=True,
        epidemic_related=epidemic_related,
        epidemic_window=EPIDEMIC,
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
    assert period.earliest_repair_date == date(2020, 3, 1)
    assert period.end == date(2020, 12, 1)
    assert period.rule == RULES_2019


def test_disclosure_period_serious_penalty_in_2021_has_6_months_to_3_years() -> None:
    period = penalty(date(2021, 3, 1), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2021, 9, 1)
    assert period.end == date(2024, 3, 1)
    assert period.rule == RULES_2019
    assert "发改办财金〔2019〕527号" in period.basis


def test_disclosure_period_serious_penalty_under_2023_rules_has_1_year_minimum() -> None:
    period = penalty(date(2023, 5, 1), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2024, 5, 1)
    assert period.end == date(2026, 5, 1)
    assert period.rule == RULES_2023
    assert "国家发展改革委令2023年第58号" in period.basis


def test_disclosure_period_serious_penalty_on_last_day_of_2019_rules_has_6_months() -> None:
    period = penalty(date(2023, 4, 30), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2023, 10, 30)
    assert period.end == date(2026, 4, 30)
    assert period.rule == RULES_2019


@pytest.mark.parametrize("decided", [date(2020, 1, 24), date(2020, 12, 31)])
@pytest.mark.parametrize("severity", list(Severity))
def test_disclosure_period_epidemic_related_in_window_uses_serious_bounds(
    decided: date, severity: Severity
) -> None:
    period = penalty(decided, severity, epidemic_related=True)

    assert period.earliest_repair_date == add_months(decided, 6)
    assert period.end == add_months(decided, 36)
    assert period.rule == f"{RULES_2019} + epidemic serious period"
    assert period.basis.endswith(EPIDEMIC_BASIS)


def test_disclosure_period_epidemic_related_on_window_end_clamps_to_month_end() -> None:
    period = penalty(date(2020, 12, 31), Severity.GENERAL, epidemic_related=True)

    assert period.earliest_repair_date == date(2021, 6, 30)
    assert period.end == date(2023, 12, 31)


@pytest.mark.parametrize(
    ("decided", "earliest", "end"),
    [
        (date(2020, 1, 23), date(2020, 4, 23), date(2021, 1, 23)),
        (date(2021, 1, 1), date(2021, 4, 1), date(2022, 1, 1)),
    ],
)
def test_disclosure_period_epidemic_related_outside_window_uses_its_own_severity(
    decided: date, earliest: date, end: date
) -> None:
    period = penalty(decided, Severity.GENERAL, epidemic_related=True)

    assert (period.earliest_repair_date, period.end) == (earliest, end)
    assert period.rule == RULES_2019
    assert EPIDEMIC_BASIS not in period.basis


@pytest.mark.parametrize("decided", [date(2020, 1, 24), date(2020, 6, 15), date(2020, 12, 31)])
def test_disclosure_period_general_penalty_in_window_has_no_minimum(decided: date) -> None:
    period = penalty(decided, Severity.GENERAL)

    assert period.earliest_repair_date is None
    assert period.end == add_months(decided, 12)
    assert period.rule == f"{RULES_2019} + epidemic no minimum"
    assert period.basis.endswith(EPIDEMIC_BASIS)


def test_disclosure_period_serious_penalty_in_window_keeps_its_minimum() -> None:
    period = penalty(date(2020, 6, 15), Severity.SERIOUS)

    assert period.earliest_repair_date == date(2020, 12, 15)
    assert period.end == date(2023, 6, 15)
    assert period.rule == RULES_2019


def test_disclosure_period_good_behaviour_in_window_is_three_years_without_overlay() -> None:
    period = disclosure_period(
        rules=rules(),
        family="good_behaviour",
        decision_date=date(2020, 3, 10),
        severity=Severity.GENERAL,
        dishonest=False,
        epidemic_related=True,
        epidemic_window=EPIDEMIC,
    )

    assert period.earliest_repair_date is None
    assert period.end == date(2023, 3, 10)
    assert EPIDEMIC_BASIS not in period.basis


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
        (timedelta(0), DisclosureState.ENDED),
        (timedelta(days=1), DisclosureState.ENDED),
    ],
)
def test_disclosure_state_end_is_exclusive(offset: timedelta, state: DisclosureState) -> None:
    period = penalty(date(2019, 12, 1), Severity.GENERAL)

    assert period.end == date(2020, 12, 1)
    assert period.state(period.end + offset) is state


def test_disclosure_period_before_any_dishonesty_rule_raises_no_rule_in_force() -> None:
    with pytest.raises(NoRuleInForce) as caught:
        penalty(date(2019, 6, 30), Severity.GENERAL)

    assert str(caught.value) == "no dishonesty disclosure rule is in force on 2019-06-30"


def test_rule_in_force_first_day_of_2019_rules_is_found() -> None:
    assert rule_in_force(rules(), "dishonesty", date(2019, 7, 1)).name == RULES_2019


def test_rule_in_force_unknown_family_raises_no_rule_in_force() -> None:
    with pytest.raises(NoRuleInForce, match="no blacklist disclosure rule is in force"):
        rule_in_force(rules(), "blacklist", date(2021, 1, 1))
