"""Disclosure periods (公示期): how long a record is shown and when repair may be asked for.

Rules are data with effective dates, and a record is judged by the rule set in force on its
decision date. Administrative penalties follow 发改办财金〔2019〕527号 (general: 3 months to 1
year; serious: 6 months to 3 years, from the decision date) until the later national rules
raise the serious minimum to 1 year. The epidemic overlay of the notice applies on top:
二(八) epidemic-related dishonesty is disclosed for the serious period; 三(十一) a general
penalty decided during the epidemic has no minimum period.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.calendar import DateWindow, add_months


class Severity(StrEnum):
    GENERAL = "GENERAL"  # 一般失信
    SERIOUS = "SERIOUS"  # 严重失信


class DisclosureState(StrEnum):
    PENDING = "PENDING"
    DISCLOSED = "DISCLOSED"
    ENDED = "ENDED"


class PeriodBounds(BaseModel):
    """Minimum and maximum disclosure in months; no minimum means repair at any time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_months: int | None = Field(default=None, ge=0, le=240)
    max_months: int = Field(ge=1, le=240)

    @model_validator(mode="after")
    def _min_within_max(self) -> Self:
        if self.min_months is not None and self.min_months > self.max_months:
            raise ValueError("the minimum period exceeds the maximum")
        return self


class DisclosureRuleSet(BaseModel):
    """One dated rule set of a family, e.g. the administrative penalty rules of 2019."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    name: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    effective_from: date
    effective_until: date | None = None
    general: PeriodBounds
    serious: PeriodBounds

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def bounds(self, severity: Severity) -> PeriodBounds:
        return self.serious if severity is Severity.SERIOUS else self.general


class DisclosurePeriod(BaseModel):
    """The computed period of one record, with the rule that produced it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    earliest_repair_date: date | None = None
    end: date
    rule: str
    basis: str

    def state(self, today: date) -> DisclosureState:
        if today < self.start:
            return DisclosureState.PENDING
        if today < self.end:
            return DisclosureState.DISCLOSED
        return DisclosureState.ENDED


class NoRuleInForce(LookupError):
    """No rule set of the family is in force on the decision date."""


def rule_in_force(
    rules: tuple[DisclosureRuleSet, ...], family: str, day: date
) -> DisclosureRuleSet:
    for rule in rules:
        if rule.family == family and rule.in_force_on(day):
            return rule
    raise NoRuleInForce(f"no {family} disclosure rule is in force on {day.isoformat()}")


EPIDEMIC_BASIS = "深圳市社会信用体系建设统筹小组办公室通知（2020-02-26）二(八)、三(十一)"
TOLERANCE_BASIS = "深圳市社会信用体系建设统筹小组办公室通知（2020-02-26）三(十)"


def tolerated(
    *, tolerable: bool, decision_date: date, epidemic_related: bool, epidemic_window: DateWindow
) -> bool:
    """Notice 三(十): a tolerable matter (late annual report, unreachable address) caused by the
    epidemic and decided during it is not recorded as dishonesty."""
    return tolerable and epidemic_related and decision_date in epidemic_window


def disclosure_period(
    *,
    rules: tuple[DisclosureRuleSet, ...],
    family: str,
    decision_date: date,
    severity: Severity,
    dishonest: bool,
    epidemic_related: bool,
    epidemic_window: DateWindow,
    tolerable: bool = False,
) -> DisclosurePeriod:
    """Compute a record's disclosure period from the rules in force on its decision date.

    `tolerable` is the catalogue item's `epidemic_tolerable`; a tolerated record keeps the
    period of its own severity, for the record's sake only: it is never disclosed.
    """
    rule = rule_in_force(rules, family, decision_date)
    bounds = rule.bounds(severity)
    name, basis = rule.name, rule.basis
    during_epidemic = decision_date in epidemic_window
    if tolerated(
        tolerable=tolerable,
        decision_date=decision_date,
        epidemic_related=epidemic_related,
        epidemic_window=epidemic_window,
    ):
        # Notice 三(十) before 二(八): an excused matter is no dishonesty, so it never takes
        # the serious period that epidemic-related dishonesty gets.
        name, basis = f"{rule.name} + epidemic tolerance", f"{basis}; {TOLERANCE_BASIS}"
    elif dishonest and during_epidemic and epidemic_related:
        # Notice 二(八): epidemic-related dishonesty is disclosed for the serious period.
        bounds = rule.serious
        name, basis = f"{rule.name} + epidemic serious period", f"{basis}; {EPIDEMIC_BASIS}"
    elif dishonest and during_epidemic and severity is Severity.GENERAL:
        # Notice 三(十一): no minimum period for a general penalty during the epidemic.
        bounds = PeriodBounds(min_months=None, max_months=bounds.max_months)
        name, basis = f"{rule.name} + epidemic no minimum", f"{basis}; {EPIDEMIC_BASIS}"
    earliest = None if bounds.min_months is None else add_months(decision_date, bounds.min_months)
    return DisclosurePeriod(
        start=decision_date,
        earliest_repair_date=earliest,
        end=add_months(decision_date, bounds.max_months),
        rule=name,
        basis=basis,
    )
