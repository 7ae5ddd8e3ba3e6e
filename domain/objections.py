"""Objections (异议): a subject disputes a record; the record is annotated at once.

Shenzhen Social Credit Regulation arts. 79–85: the credit centre checks an objection within 1
working day and the source unit decides within 2 more, extendable once by 3. The outcome is a
correction of the record's data, its removal from public display, or the record upheld. The
deadlines are counted from the day of filing and shown on the objection whatever has happened
since, so that a late answer is visible as late.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from domain.calendar import DateWindow, WorkingDayCalendar, add_working_days, extend_deadline
from domain.catalogue import CatalogueItem
from domain.data_items import check_value
from domain.errors import Problem
from domain.records import (
    ChangeKind,
    ObjectionGrounds,
    ObjectionNote,
    ObjectionOutcome,
    ObjectionState,
    Record,
    next_version,
)
from domain.source_units import SourceUnit
from domain.submission import record_problems

CENTRE_CHECK_DAYS = 1
UNIT_DECISION_DAYS = 2
EXTENSION_DAYS = 3

# What each outcome does to the record, as a change of its history.
OUTCOME_CHANGE = {
    ObjectionOutcome.CORRECTED: ChangeKind.CORRECTED,
    ObjectionOutcome.REMOVED_FROM_DISPLAY: ChangeKind.HIDDEN,
    ObjectionOutcome.UPHELD: ChangeKind.OBJECTION_RESOLVED,
}


class Objection(BaseModel):
    """One objection with its deadlines; `due_on` is the deadline now in force."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    record_id: str
    subject_id: str
    source_unit: str
    grounds: ObjectionGrounds
    description: str = Field(default="", max_length=2000)
    state: ObjectionState = ObjectionState.PENDING
    filed_at: datetime
    filed_by: str
    check_by: date
    decide_by: date
    extended_to: date | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    reason: str = Field(default="", max_length=2000)
    # The corrected data items of a CORRECTED outcome, as the source unit gave them.
    corrections: dict[str, str] = Field(default_factory=dict)

    @field_validator("description")
    @classmethod
    def _other_is_explained(cls, description: str, info: ValidationInfo) -> str:
        if info.data.get("grounds") is ObjectionGrounds.OTHER and not description.strip():
            raise ValueError("grounds OTHER need a description")
        return description

    @property
    def open(self) -> bool:
        return self.state is ObjectionState.PENDING

    @property
    def due_on(self) -> date:
        return self.extended_to or self.decide_by

    def overdue(self, today: date) -> bool:
        return self.open and today > self.due_on

    def note(self) -> ObjectionNote:
        return ObjectionNote(
            objection_id=self.id,
            state=self.state,
            grounds=self.grounds,
            filed_at=self.filed_at,
            resolved_at=self.resolved_at,
        )


class NotOpen(ValueError):
    """The objection was already resolved."""


class InvalidCorrection(ValueError):
    """Corrected data items that break the catalogue item's rules."""


class UnknownDataItem(InvalidCorrection):
    """A correction names a data item the record's catalogue item does not have."""


class CorrectionBreaksRule(InvalidCorrection):
    """A correction that gives the record data its submission would have refused; `problem`
    is the submission's own problem, with its code."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.field.removeprefix('dataItems.')}: {problem.message}")
        self.problem = problem


def deadlines(filed_on: date, calendar: WorkingDayCalendar) -> tuple[date, date]:
    """The centre's check-by day and the source unit's decide-by day for a filing day."""
    check_by = add_working_days(filed_on, CENTRE_CHECK_DAYS, calendar)
    return check_by, add_working_days(check_by, UNIT_DECISION_DAYS, calendar)


def annotated(record: Record, objection: Objection) -> Record:
    """The record with the objection's note, at once on filing: every viewer sees it."""
    return next_version(
        record,
        kind=ChangeKind.OBJECTION_FILED,
        at=objection.filed_at,
        by=objection.filed_by,
        reason=f"objection {objection.id}: {objection.grounds.value}",
        objection=objection.note(),
    )


def extended(objection: Objection, *, today: date, calendar: WorkingDayCalendar) -> Objection:
    """The objection with its one extension of the source unit's decision."""
    if not objection.open:
        raise NotOpen("the objection was already resolved")
    until = extend_deadline(
        objection.decide_by,
        objection.extended_to,
        today=today,
        days=EXTENSION_DAYS,
        calendar=calendar,
    )
    return objection.model_copy(update={"extended_to": until})


def resolved(
    objection: Objection,
    *,
    outcome: ObjectionOutcome,
    corrections: Mapping[str, str],
    at: datetime,
    by: str,
    reason: str,
) -> Objection:
    if not objection.open:
        raise NotOpen("the objection was already resolved")
    if (outcome is ObjectionOutcome.CORRECTED) != bool(corrections):
        raise InvalidCorrection("corrected data items go with the outcome CORRECTED, and only it")
    return objection.model_copy(
        update={
            "state": ObjectionState(outcome.value),
            "resolved_at": at,
            "resolved_by": by,
            "reason": reason,
            "corrections": dict(corrections),
        }
    )


def resolution(
    record: Record,
    objection: Objection,
    item: CatalogueItem,
    *,
    unit: SourceUnit | None,
    today: date,
    epidemic_window: DateWindow,
) -> Record:
    """The record after the resolved objection: corrected, hidden or upheld, and annotated.

    A correction is judged as a submission would be (`corrected_items`, `correction_problems`):
    `today` is the city's day, which bounds the birth dates an identifier may encode, and
    `unit` the record's source unit as registered.
    """
    outcome = ObjectionOutcome(objection.state.value)
    changes: dict[str, object] = {"objection": objection.note()}
    assert objection.resolved_at is not None, "a resolved objection has its time"
    if outcome is ObjectionOutcome.CORRECTED:
        values = corrected_items(
            item, record.data_items, objection.corrections, on=record.decision_date, today=today
        )
        broken = correction_problems(
            item,
            record.data_items,
            values,
            unit=unit,
            decision_date=record.decision_date,
            epidemic_window=epidemic_window,
        )
        if broken:
            raise CorrectionBreaksRule(broken[0])
        changes["data_items"] = values
    elif outcome is ObjectionOutcome.REMOVED_FROM_DISPLAY:
        changes["hidden"] = True
    assert objection.resolved_by is not None, "a resolved objection has its resolver"
    return next_version(
        record,
        kind=OUTCOME_CHANGE[outcome],
        at=objection.resolved_at,
        by=objection.resolved_by,
        reason=f"objection {objection.id} {outcome.value}: {objection.reason}".rstrip(": "),
        **changes,
    )


def corrected_items(
    item: CatalogueItem,
    current: Mapping[str, str],
    corrections: Mapping[str, str],
    *,
    on: date | None = None,
    today: date,
) -> dict[str, str]:
    """The record's data items with the corrections applied, each checked as on submission
    (`on` is the record's decision date, which decides the dated enum values in force).

    Notice 一(四): nothing outside the catalogue is collected, by a correction either.
    """
    unknown = sorted(set(corrections) - set(item.specs))
    if unknown:
        raise UnknownDataItem(f"not data items of {item.code}: {', '.join(unknown)}")
    values = dict(current)
    for key, raw in corrections.items():
        value = raw.strip()
        if not value:
            raise InvalidCorrection(f"{key}: empty; a data item is corrected, not erased")
        canonical, problems = check_value(item.specs[key], value, key, on=on, today=today)
        if problems:
            raise InvalidCorrection(f"{key}: {problems[0].message}")
        values[key] = canonical
    return values


def correction_problems(
    item: CatalogueItem,
    before: Mapping[str, str],
    after: Mapping[str, str],
    *,
    unit: SourceUnit | None,
    decision_date: date,
    epidemic_window: DateWindow,
) -> list[Problem]:
    """The problems a correction brings to the rules that weigh several data items together.

    The invariant: a correction cannot give a record data its submission would have refused,
    judged by the submission's own function (`domain.submission.record_problems`: the conduct
    date of good behaviour against the window and the decision, the authority the record
    names against its unit). A problem the record had before is not the correction's: a record
    judged under older rules stays correctable.
    """

    def judged(values: Mapping[str, str]) -> list[Problem]:
        return record_problems(
            item,
            dict(values),
            unit=unit,
            decision_date=decision_date,
            epidemic_window=epidemic_window,
        )

    had = {(p.code, p.field) for p in judged(before)}
    return [p for p in judged(after) if (p.code, p.field) not in had]
