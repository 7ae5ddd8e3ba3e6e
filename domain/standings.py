"""A subject's standing: the facts of its records that a judgement of eligibility reads.

Judging a subject (domain.eligibility.evaluate, domain.grading.grade) reads only the records
that stand (domain.records.stands), and of each only its id, item, category, severity,
decision day and disclosure period. A standing keeps exactly that, so the store can keep it as
one small document per subject beside the records (store.standings) and a batch of checks
(三(十二)) reads 1,000 of those instead of every record.

Invariant (tests/test_standings_domain.py): judging a subject from `standing_of` its records
gives exactly the evaluation and grade judging it from the records themselves gives, for any
records, programme rules and day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.catalogue import Category
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.records import Record, stands


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What a judgement reads of one record that stands, at the record's `version`."""

    id: str
    version: int
    item_code: str
    category: Category
    severity: Severity | None
    decision_date: date
    # The disclosure period's first and last day on display (DisclosurePeriod.start, end).
    shown_from: date
    shown_until: date

    def on_display(self, today: date) -> bool:
        """domain.records.publicly_visible for a record that stands: today is in its period,
        both ends shown (民法典 arts. 201–203)."""
        return self.shown_from <= today <= self.shown_until


def standing_facts(record: Record) -> RecordFacts | None:
    """The record's facts while it stands; None once it does not (repaired, revoked, excused,
    expired, cleared, removed from display on an objection, or refused under art. 39): such a
    record neither counts nor blocks, so nothing of it is kept."""
    if not stands(record):
        return None
    return RecordFacts(
        id=record.id,
        version=record.version,
        item_code=record.item_code,
        category=record.category,
        severity=record.severity,
        decision_date=record.decision_date,
        shown_from=record.disclosure.start,
        shown_until=record.disclosure.end,
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """A subject's kind and the facts of its records that stand, newest decision first."""

    subject_id: str
    kind: SubjectKind
    records: tuple[RecordFacts, ...] = ()


def standing_of(subject_id: str, kind: SubjectKind, records: Iterable[Record]) -> Standing:
    """The standing of a subject whose file is `records`, kept in their order: judged, it gives
    exactly the evaluation and grade the records give (the invariant of this module)."""
    facts = (standing_facts(r) for r in records)
    return Standing(subject_id, kind, tuple(f for f in facts if f is not None))


def in_list_order(facts: Iterable[RecordFacts]) -> tuple[RecordFacts, ...]:
    """Newest decision first, ties by id, highest first: the order of record lists
    (store.records.ORDER), which is the order a judgement names records in."""
    return tuple(sorted(facts, key=lambda f: (f.decision_date, f.id), reverse=True))
