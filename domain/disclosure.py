"""Disclosure periods (公示期): how long a record is shown and when repair may be asked for.

Rules are data with effective dates, and a record is judged by the rule set in force on its
decision date. Administrative penalties follow 发改办财金〔2019〕527号 (general: 3 months to 1
year; serious: 6 months to 3 years, from the decision date) until 国家发展改革委令2023年第58号
raises the serious minimum to 1 year.

Counting (民法典 arts. 201–203): the decision day is not counted; a period of N months ends at
the end of the day with the decision day's number N months later (the month's last day when
there is none). So `end` is the LAST day on display — a record whose end is D is shown on D
and not on D+1 — and `earliest_repair_date` is the first day after the minimum period, the
first day repair may be asked for. Display itself starts on the decision day.

The epidemic overlay, for a record decided on day d with the epidemic window W (configuration)
and the catalogue item's clause; the first row that matches decides:

    item                          d in W  flag¹  severity  period
    ----------------------------  ------  -----  --------  ------------------------------------
    tolerable matter (三(十))      yes     yes    any       own severity; EXCUSED, never shown²
    一(二)1–5 act                  yes     any    any       serious bounds (二(八))
    other dishonesty              yes     yes    GENERAL   no minimum, general max (三(十一))
    other dishonesty              yes     yes    SERIOUS   own severity
    other dishonesty              yes     no     any       own severity
    any dishonesty, 一(二) too     no      any    any       own severity
    good, commitment, basic       any     any    any       own rule, no overlay

¹ `epidemic_related`: for a 一(二) act the item itself is the epidemic act, so the flag adds
  nothing; for any other dishonesty it says the epidemic *caused* the lapse (三(十), 三(十一)).
² The record is EXCUSED (三(十): not recorded as dishonesty); its period is kept for the file.

An item is a 一(二) act when its catalogue clause is 一(二)N: the catalogue, not a code list,
says what the item implements.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.calendar import DateWindow, add_months


class Severity(StrEnum):
    GENERAL = "GENERAL"  # 一般失信
    SERIOUS = "SERIOUS"  # 严重失信


class DisclosureState(StrEnum):
    """Where a record stands in its public display; domain.records.disclosure_state decides."""

    PENDING = "PENDING"  # before its start day
    DISCLOSED = "DISCLOSED"  # on public display today
    ENDED = "ENDED"  # its period is over (after its end day)
    REPAIRED = "REPAIRED"  # 信用修复: display ended early on an approved repair
    WITHDRAWN = "WITHDRAWN"  # revoked by its source unit, or removed on an objection (异议)
    CLEARED = "CLEARED"  # the lapse was cured (annual report filed, 三(十)); display ended
    EXCUSED = "EXCUSED"  # 三(十) tolerance: not recorded as dishonesty, never shown
    OPTED_OUT = "OPTED_OUT"  # Shenzhen regulation art. 39: the person refused its recording


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
        """The period's own phase: PENDING, DISCLOSED or ENDED, the end day being on display.

        The period alone; whether a record is shown is domain.records.disclosure_state.
        """
        if today < self.start:
            return DisclosureState.PENDING
        if today <= self.end:
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


NOTICE = "深圳市社会信用体系建设统筹小组办公室通知（2020-02-26）"
SERIOUS_PERIOD_BASIS = f"{NOTICE}二(八)"
NO_MINIMUM_BASIS = f"{NOTICE}三(十一)"
TOLERANCE_BASIS = f"{NOTICE}三(十)"


def epidemic_act(clause: str) -> bool:
    """Whether a catalogue clause is one of the notice's 一(二)1–5 acts (NFKC: either bracket)."""
    return unicodedata.normalize("NFKC", clause).startswith("一(二)")


def good_behaviour(clause: str) -> bool:
    """Whether a catalogue clause is one of the notice's 一(一)1–9 good-behaviour items."""
    return unicodedata.normalize("NFKC", clause).startswith("一(一)")


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
    clause: str,
    decision_date: date,
    severity: Severity,
    dishonest: bool,
    epidemic_related: bool,
    epidemic_window: DateWindow,
    tolerable: bool = False,
) -> DisclosurePeriod:
    """Compute a record's disclosure period by the decision table of this module's docstring.

    `clause` is the catalogue item's notice clause and `tolerable` its `epidemic_tolerable`.
    `end` is the last day on display and `earliest_repair_date` the first day repair may be
    asked for (民法典 arts. 201–203, see above).
    """
    rule = rule_in_force(rules, family, decision_date)
    bounds = rule.bounds(severity)
    name, basis = rule.name, rule.basis
    if not dishonest or decision_date not in epidemic_window:
        pass  # the last two rows: no overlay
    elif tolerated(
        tolerable=tolerable,
        decision_date=decision_date,
        epidemic_related=epidemic_related,
        epidemic_window=epidemic_window,
    ):
        # Notice 三(十) before 二(八): an excused matter is no dishonesty, so it never takes
        # the serious period that epidemic dishonesty gets.
        name, basis = f"{rule.name} + epidemic tolerance", f"{basis}; {TOLERANCE_BASIS}"
    elif epidemic_act(clause):
        # Notice 二(八): the 一(二) acts of the epidemic are disclosed for the serious period,
        # whatever the flag says: the item itself is the epidemic act.
        bounds = rule.serious
        name, basis = f"{rule.name} + epidemic serious period", f"{basis}; {SERIOUS_PERIOD_BASIS}"
    elif epidemic_related and severity is Severity.GENERAL:
        # Notice 三(十一): a general penalty whose lapse the epidemic caused has no minimum.
        bounds = PeriodBounds(min_months=None, max_months=bounds.max_months)
        name, basis = f"{rule.name} + epidemic no minimum", f"{basis}; {NO_MINIMUM_BASIS}"
    return DisclosurePeriod(
        start=decision_date,
        earliest_repair_date=first_day_after(decision_date, bounds.min_months),
        end=last_day(decision_date, bounds.max_months),
        rule=name,
        basis=basis,
    )


def last_day(start: date, months: int) -> date:
    """The last day of a period of `months` from `start` (民法典 arts. 201, 202): the start day
    is not counted, so it is the day with the start's number `months` later, clamped."""
    return add_months(start, months)


def first_day_after(start: date, months: int | None) -> date | None:
    """The first day after a period of `months` from `start` (None: no period, no day)."""
    return None if months is None else last_day(start, months) + timedelta(days=1)
