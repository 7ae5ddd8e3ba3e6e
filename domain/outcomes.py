"""The outcome of each submitted record against what is stored: accepted, duplicate, conflict
or rejected (DESIGN.md §7).

A unit's record is known by (unit, source record id). The same content again changes nothing;
different content is a conflict unless sent as a correction, which supersedes the stored
version and keeps its history. Items are judged one by one (`domain.submission.judge`): one bad
item never holds back the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.calendar import DateWindow
from domain.catalogue import CatalogueVersions
from domain.errors import Problem, ProblemCode
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.source_units import SourceUnit
from domain.subjects import Subject, new_subject, subject_identifier
from domain.submission import RecordSubmission, judge


class Outcome(StrEnum):
    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class ItemResult:
    index: int
    source_record_id: str
    outcome: Outcome
    record_id: str | None = None
    problems: tuple[Problem, ...] = ()


@dataclass
class BatchPlan:
    """What to write for a batch, and what to answer for each item, in submission order."""

    results: list[ItemResult] = field(default_factory=list)
    new_subjects: list[Subject] = field(default_factory=list)
    new_records: list[Record] = field(default_factory=list)
    corrections: list[tuple[Record, Record]] = field(default_factory=list)  # (before, after)
    # Subjects on file that items named, accepted or not: a probe is audited on their files.
    named_subject_ids: list[str] = field(default_factory=list)


# Fields a unit submits, as the API names them; ids, times and derived fields are not content.
_CONTENT = {
    "subject_id": "subject",
    "item_code": "item",
    "decision_date": "decisionDate",
    "document_number": "documentNumber",
    "severity": "severity",
    "epidemic_related": "epidemicRelated",
}


def differences(stored: Record, submitted: Record) -> list[str]:
    """The fields whose submitted content differs from the stored record's, by API name."""
    changed = [
        name for attr, name in _CONTENT.items() if getattr(stored, attr) != getattr(submitted, attr)
    ]
    keys = sorted(stored.data_items.keys() | submitted.data_items.keys())
    changed += [
        f"dataItems.{k}" for k in keys if stored.data_items.get(k) != submitted.data_items.get(k)
    ]
    return changed


def corrected(stored: Record, submitted: Record, *, at: datetime, by: str) -> Record:
    """The stored record superseded by a correction from its unit; its history is kept.

    The status follows the corrected content (a correction may make a matter tolerated, or
    no longer), unless the record has left that cycle (repaired or expired).
    """
    recomputed = stored.status in (RecordStatus.ACTIVE, RecordStatus.EXCUSED)
    return next_version(
        stored,
        kind=ChangeKind.CORRECTED,
        at=at,
        by=by,
        reason="corrected by its source unit",
        subject_id=submitted.subject_id,
        subject_kind=submitted.subject_kind,
        item_code=submitted.item_code,
        catalogue_version=submitted.catalogue_version,
        category=submitted.category,
        severity=submitted.severity,
        document_number=submitted.document_number,
        decision_date=submitted.decision_date,
        epidemic_related=submitted.epidemic_related,
        data_items=submitted.data_items,
        disclosure=submitted.disclosure,
        status=submitted.status if recomputed else stored.status,
    )


def conflict(index: int, stored: Record, changed: list[str], why: str) -> ItemResult:
    """A CONFLICT naming the fields that differ, never the stored values."""
    if stored.status is RecordStatus.REVOKED:
        problem = Problem(
            ProblemCode.ALREADY_REVOKED,
            "sourceRecordId",
            "this record was revoked by its unit and can no longer change",
        )
    else:
        problem = Problem(
            ProblemCode.CONFLICT,
            "sourceRecordId",
            f"{why} (differs in {', '.join(changed)}); send it with correction: true to replace it",
        )
    return ItemResult(index, stored.source_record_id, Outcome.CONFLICT, stored.id, (problem,))


class BatchPlanner:
    """Judges a batch one submission at a time (`add`, in submission order) against the stored
    records (by source record id) and subjects (by canonical identifier); subjects are created
    with the first record accepted about them. `plan` is the batch's plan so far.

    One at a time so that the caller may let other work run between submissions: judging a
    batch of a thousand takes about a tenth of a second.
    """

    def __init__(
        self,
        *,
        stored: Mapping[str, Record],
        subjects: Mapping[str, Subject],
        catalogues: CatalogueVersions,
        unit: SourceUnit,
        today: date,
        now: datetime,
        epidemic_window: DateWindow,
        mint_subject_id: Callable[[], str],
    ) -> None:
        self.plan = BatchPlan()
        self._stored = stored
        self._known = dict(subjects)
        self._settled: dict[str, Record] = {}  # records as the batch leaves them, by source id
        self._catalogues = catalogues
        self._unit = unit
        self._today = today
        self._now = now
        self._epidemic_window = epidemic_window
        self._mint_subject_id = mint_subject_id

    def add(self, index: int, submission: RecordSubmission) -> None:
        plan, unit, today, now = self.plan, self._unit, self._today, self._now
        source_id = submission.source_record_id
        identifier = subject_identifier(submission.subject, today=today)
        subject = None if identifier is None else self._known.get(identifier)
        if subject is not None and subject.id not in plan.named_subject_ids:
            plan.named_subject_ids.append(subject.id)
        judged = judge(
            submission,
            catalogues=self._catalogues,
            unit=unit,
            subject=subject,
            new_subject_id=self._mint_subject_id() if subject is None else subject.id,
            today=today,
            now=now,
            epidemic_window=self._epidemic_window,
        )
        if isinstance(judged, list):
            plan.results.append(ItemResult(index, source_id, Outcome.REJECTED, None, tuple(judged)))
            return
        previous = self._settled.get(source_id) or self._stored.get(source_id)
        changed = [] if previous is None else differences(previous, judged)
        if previous is not None and not changed:
            plan.results.append(ItemResult(index, source_id, Outcome.DUPLICATE, previous.id))
            return
        if previous is None:
            plan.new_records.append(judged)
            self._settled[source_id] = judged
        elif source_id in self._settled:
            why = "this batch already holds a different version of this record"
            plan.results.append(conflict(index, previous, changed, why))
            return
        elif not submission.correction or previous.status is RecordStatus.REVOKED:
            why = "a different version of this record is stored"
            plan.results.append(conflict(index, previous, changed, why))
            return
        else:
            after = corrected(previous, judged, at=now, by=unit.code)
            plan.corrections.append((previous, after))
            self._settled[source_id] = after
        if subject is None and identifier is not None:
            created = new_subject(
                submission.subject, subject_id=judged.subject_id, created_at=now, today=today
            )
            self._known[identifier] = created
            plan.new_subjects.append(created)
        plan.results.append(ItemResult(index, source_id, Outcome.ACCEPTED, judged.id))


def lost_race(result: ItemResult, ours: Record, theirs: Record | None) -> ItemResult:
    """An accepted new record another request stored first: a conflict if theirs differs."""
    if theirs is None:
        return result
    changed = differences(theirs, ours)
    if not changed:
        return result
    return conflict(
        result.index, theirs, changed, "another request stored a different version first"
    )


def changed_meanwhile(result: ItemResult) -> ItemResult:
    """A correction that lost to another change of the same record while it was written."""
    problem = Problem(
        ProblemCode.CONFLICT,
        "sourceRecordId",
        "the record changed while this batch was written; send the correction again",
    )
    return ItemResult(
        result.index, result.source_record_id, Outcome.CONFLICT, result.record_id, (problem,)
    )
