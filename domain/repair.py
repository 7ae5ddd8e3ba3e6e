"""Credit repair (信用修复): what a subject must show, when it may ask, how fast it is decided.

Which records: an active dishonesty record in public disclosure; repair ends the disclosure
early, the record stays in the file (Shenzhen Social Credit Regulation arts. 48–51).
When: not before the minimum disclosure period ends (`earliest_repair_date`); during the
epidemic a general penalty has no minimum, so the subject may ask at once after correcting
the act and fulfilling the penalty (notice 三(十一)).
What: the measures of `required_measures`, each with evidence; whatever is missing is listed
all at once (一次性告知) and the application waits for materials.
How fast: accepted on the spot when complete (on the next working day if filed on a day off),
decided within 3 working days, extendable once by 3 (arts. 79–85). Notice 三(十一) asks that
applications by subjects of epidemic control, medical and supply work, and by subjects whose
lapse the epidemic caused, be handled fast and simply (从快从简): domain/fast_track.py says
which; fast track shortens the decision deadline and goes first in the queue (`queue_rank`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.calendar import (
    WorkingDayCalendar,
    add_working_days,
    extend_deadline,
    first_working_day_from,
)
from domain.catalogue import Category
from domain.disclosure import Severity
from domain.fast_track import FastTrackReason, decision_days
from domain.records import Record, publicly_visible

EXTENSION_DAYS = 3
MAX_EVIDENCE = 20


class RepairMeasure(StrEnum):
    COMMITMENT = "COMMITMENT"  # 信用修复承诺书
    CORRECTION = "CORRECTION"  # 纠正失信行为
    PENALTY_FULFILLED = "PENALTY_FULFILLED"  # 履行行政处罚决定 (or the judgment)
    TRAINING = "TRAINING"  # 信用修复专题培训
    CREDIT_REPORT = "CREDIT_REPORT"  # 信用报告 by a comprehensive credit service agency


class RepairState(StrEnum):
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    NEEDS_MATERIALS = "NEEDS_MATERIALS"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class RepairDecision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    EXTEND = "EXTEND"


class MissingKind(StrEnum):
    MEASURE = "MEASURE"  # the measure was not declared as taken
    EVIDENCE = "EVIDENCE"  # declared, but nothing shows it


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RepairMeasure
    description: str = Field(min_length=1, max_length=500)
    document_number: str | None = Field(default=None, min_length=1, max_length=100)


class MissingMaterial(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: RepairMeasure
    kind: MissingKind


class RepairStep(BaseModel):
    """One entry of an application's history."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: RepairState
    at: datetime
    by: str
    reason: str = ""


class RepairApplication(BaseModel):
    """One application; `due_on` is the decision deadline now in force."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    record_id: str
    subject_id: str
    applicant: str
    measures: tuple[RepairMeasure, ...]
    evidence: tuple[Evidence, ...] = Field(max_length=MAX_EVIDENCE)
    fast_track_reasons: tuple[FastTrackReason, ...] = ()
    missing: tuple[MissingMaterial, ...] = ()
    state: RepairState
    submitted_at: datetime
    accepted_on: date | None = None
    decide_by: date | None = None
    extended_to: date | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason: str = Field(default="", max_length=2000)
    history: tuple[RepairStep, ...] = ()

    @property
    def fast_track(self) -> bool:
        return bool(self.fast_track_reasons)

    @property
    def open(self) -> bool:
        """Awaiting the credit centre's decision; a record has at most one open application."""
        return self.state is RepairState.ACCEPTED

    @property
    def due_on(self) -> date | None:
        return self.extended_to or self.decide_by

    def overdue(self, today: date) -> bool:
        return self.open and self.due_on is not None and today > self.due_on


class NotRepairable(ValueError):
    """Only an active dishonesty record in public disclosure can be repaired."""


class TooEarly(ValueError):
    """The minimum disclosure period has not ended."""

    def __init__(self, earliest: date) -> None:
        super().__init__(f"repair may be asked for from {earliest.isoformat()}")
        self.earliest = earliest


class NotOpen(ValueError):
    """The application is not awaiting a decision."""


class ReasonRequired(ValueError):
    """Rejecting or extending tells the applicant why."""


def required_measures(record: Record, *, penalty: bool) -> tuple[RepairMeasure, ...]:
    """What a subject must have done before asking for repair of `record`.

    Every record: the act corrected and a signed repair commitment (国家发展改革委令2023年第58号);
    a penalty or judgment also fulfilled (`penalty` is False for a broken commitment, 一(二)5,
    which carries none: see `domain.fast_track.carries_penalty`). A serious one also: the
    repair training and a credit report (发改办财金〔2019〕527号).
    """
    measures = [RepairMeasure.CORRECTION]
    if penalty:
        measures.append(RepairMeasure.PENALTY_FULFILLED)
    measures.append(RepairMeasure.COMMITMENT)
    if record.severity is Severity.SERIOUS:
        measures += [RepairMeasure.TRAINING, RepairMeasure.CREDIT_REPORT]
    return tuple(measures)


def missing_materials(
    required: Iterable[RepairMeasure],
    measures: Iterable[RepairMeasure],
    evidence: Iterable[Evidence],
) -> tuple[MissingMaterial, ...]:
    """Every missing measure or piece of evidence, in the order of `required`."""
    taken, shown = set(measures), {e.kind for e in evidence}
    missing = []
    for measure in required:
        if measure not in taken:
            missing.append(MissingMaterial(measure=measure, kind=MissingKind.MEASURE))
        elif measure not in shown:
            missing.append(MissingMaterial(measure=measure, kind=MissingKind.EVIDENCE))
    return tuple(missing)


def check_repairable(record: Record, today: date) -> None:
    if record.category is not Category.DISHONEST or not publicly_visible(record, today):
        raise NotRepairable("only an active dishonesty record in public disclosure can be repaired")
    earliest = record.disclosure.earliest_repair_date
    if earliest is not None and today < earliest:
        raise TooEarly(earliest)


def queue_rank(application: RepairApplication) -> tuple[int, datetime, str]:
    """Where an application stands in the credit centre's review queue, smallest first:
    fast-track applications before the others (从快从简, notice 三(十一)), each group oldest
    first, the id breaking ties."""
    return (0 if application.fast_track else 1, application.submitted_at, application.id)


def submitted(
    *,
    application_id: str,
    record: Record,
    applicant: str,
    measures: Iterable[RepairMeasure],
    evidence: Iterable[Evidence],
    required: Iterable[RepairMeasure],
    fast_track: tuple[FastTrackReason, ...],
    at: datetime,
    today: date,
    calendar: WorkingDayCalendar,
) -> RepairApplication:
    """A new application: accepted with its deadline when complete, else waiting for materials."""
    measures, evidence = tuple(dict.fromkeys(measures)), tuple(evidence)
    missing = missing_materials(required, measures, evidence)
    steps = [RepairStep(state=RepairState.SUBMITTED, at=at, by=applicant)]
    accepted_on = decide_by = None
    if missing:
        state = RepairState.NEEDS_MATERIALS
        listed = ", ".join(f"{m.measure.value} ({m.kind.value.lower()})" for m in missing)
        steps.append(RepairStep(state=state, at=at, by="system", reason=f"missing: {listed}"))
    else:
        state = RepairState.ACCEPTED
        accepted_on = first_working_day_from(today, calendar)
        decide_by = add_working_days(accepted_on, decision_days(bool(fast_track)), calendar)
        steps.append(RepairStep(state=state, at=at, by="system"))
    return RepairApplication(
        id=application_id,
        record_id=record.id,
        subject_id=record.subject_id,
        applicant=applicant,
        measures=measures,
        evidence=evidence,
        fast_track_reasons=fast_track,
        missing=missing,
        state=state,
        submitted_at=at,
        accepted_on=accepted_on,
        decide_by=decide_by,
        history=tuple(steps),
    )


def reviewed(
    application: RepairApplication,
    *,
    decision: RepairDecision,
    reason: str,
    at: datetime,
    today: date,
    by: str,
    calendar: WorkingDayCalendar,
) -> RepairApplication:
    """The application after the credit centre's decision or its one extension."""
    if not application.open:
        raise NotOpen(f"the application is {application.state.value}, not awaiting a decision")
    reason = reason.strip()
    if decision is not RepairDecision.APPROVE and not reason:
        raise ReasonRequired(f"{decision.value} needs a reason for the applicant")
    if decision is RepairDecision.EXTEND:
        assert application.decide_by is not None, "an accepted application has a deadline"
        until = extend_deadline(
            application.decide_by,
            application.extended_to,
            today=today,
            days=EXTENSION_DAYS,
            calendar=calendar,
        )
        step = RepairStep(state=RepairState.ACCEPTED, at=at, by=by, reason=f"extended: {reason}")
        return application.model_copy(
            update={"extended_to": until, "history": (*application.history, step)}
        )
    state = RepairState.APPROVED if decision is RepairDecision.APPROVE else RepairState.REJECTED
    step = RepairStep(state=state, at=at, by=by, reason=reason)
    return application.model_copy(
        update={
            "state": state,
            "decided_at": at,
            "decided_by": by,
            "reason": reason,
            "history": (*application.history, step),
        }
    )
