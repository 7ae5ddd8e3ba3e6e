"""Record submission (notice 一(三), 一(四)): what a source unit sends, checked before it is stored.

A submission arrives over GraphQL or in an import line (`SubmittedFields`) and is made a domain
submission (`submission_of`). Pure: the catalogue versions, the unit, the subject on file, the
day and the epidemic window are passed in. Every problem of a submission is reported at once,
each naming its field as the API does (`subject.identifier`, `dataItems.fine_amount`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.calendar import DateWindow
from domain.catalogue import Catalogue, CatalogueItem, CatalogueVersions, Category
from domain.conduct import conduct_problems
from domain.data_items import check_data_items, has_control_characters
from domain.disclosure import NoRuleInForce, Severity, disclosure_period, tolerated
from domain.errors import Problem, ProblemCode
from domain.identifiers import InvalidIdentifier, SubjectKind, validate_identifier
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.source_units import SourceUnit, unit_problems
from domain.subjects import Subject, SubjectRef, on_file_problems

MAX_BATCH = 1000
MAX_SOURCE_RECORD_ID = 64
MAX_DOCUMENT_NUMBER = 64
MAX_NAME = 200
MAX_REASON = 500


class SubmittedSubject(Protocol):
    @property
    def kind(self) -> SubjectKind: ...
    @property
    def identifier(self) -> str: ...
    @property
    def name(self) -> str: ...


class SubmittedDataItem(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def value(self) -> str: ...


class SubmittedFields(Protocol):
    """A submission as it arrives, over GraphQL or in an import line."""

    @property
    def source_record_id(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def decision_date(self) -> date: ...
    @property
    def document_number(self) -> str: ...
    @property
    def severity(self) -> Severity | None: ...
    @property
    def epidemic_related(self) -> bool: ...
    @property
    def correction(self) -> bool: ...

    @property
    def subject(self) -> SubmittedSubject: ...

    @property
    def data_items(self) -> Sequence[SubmittedDataItem]: ...


@dataclass(frozen=True)
class RecordSubmission:
    """One record as a source unit sends it; data items as given, repeats included."""

    source_record_id: str
    subject: SubjectRef
    item_code: str
    decision_date: date
    document_number: str
    severity: Severity | None = None
    epidemic_related: bool = False
    data_items: tuple[tuple[str, str], ...] = ()
    correction: bool = False


def submission_of(fields: SubmittedFields) -> RecordSubmission:
    """The domain submission of fields however they arrived."""
    return RecordSubmission(
        source_record_id=fields.source_record_id,
        subject=SubjectRef(
            kind=fields.subject.kind, identifier=fields.subject.identifier, name=fields.subject.name
        ),
        item_code=fields.item,
        decision_date=fields.decision_date,
        document_number=fields.document_number,
        severity=fields.severity,
        epidemic_related=fields.epidemic_related,
        data_items=tuple((d.key, d.value) for d in fields.data_items),
        correction=fields.correction,
    )


def record_id(unit_code: str, source_record_id: str) -> str:
    """The id of a unit's record: a digest of (unit, source record id).

    Deterministic, so that two requests racing with the same record write one record and one
    CREATED entry in the change feed, whose intents are keyed by record id and version.
    """
    digest = hashlib.sha256(f"{unit_code}\n{source_record_id}".encode()).hexdigest()
    return f"r-{digest[:24]}"


def judge(
    submission: RecordSubmission,
    *,
    catalogues: CatalogueVersions,
    unit: SourceUnit,
    subject: Subject | None,
    new_subject_id: str,
    today: date,
    now: datetime,
    epidemic_window: DateWindow,
) -> Record | list[Problem]:
    """The record to store, or every problem of the submission.

    `subject` is the one on file with the submission's identifier, None for a new subject,
    which will get `new_subject_id`. What depends on the subject on file (whether the record
    names it rightly, then whether the person refused such records) is judged last, for an
    otherwise valid record only (see `on_file_problems`).
    """
    problems = _subject_problems(submission.subject, today)
    problems += text_problems("sourceRecordId", submission.source_record_id, MAX_SOURCE_RECORD_ID)
    problems += text_problems("documentNumber", submission.document_number, MAX_DOCUMENT_NUMBER)
    if submission.decision_date > today:
        problems.append(
            Problem(ProblemCode.FUTURE_DATE, "decisionDate", "a decision cannot be in the future")
        )
    found = _catalogue_item(submission, catalogues, problems)
    if found is None:
        return problems
    catalogue, item = found
    values = check_data_items(
        item, submission.data_items, problems, on=submission.decision_date, today=today
    )
    problems += _item_problems(item, submission)
    problems += record_problems(
        item,
        values,
        unit=unit,
        decision_date=submission.decision_date,
        epidemic_window=epidemic_window,
    )
    severity = submission.severity if item.category is Category.DISHONEST else None
    try:
        period = disclosure_period(
            rules=catalogue.disclosure_rules,
            family=item.disclosure_rule,
            clause=item.clause,
            decision_date=submission.decision_date,
            severity=severity or Severity.GENERAL,
            dishonest=item.category is Category.DISHONEST,
            epidemic_related=submission.epidemic_related,
            epidemic_window=epidemic_window,
            tolerable=item.epidemic_tolerable,
        )
    except NoRuleInForce:
        problems.append(
            Problem(
                ProblemCode.ITEM_NOT_IN_FORCE,
                "decisionDate",
                "no disclosure rule for this item is in force on the decision date",
            )
        )
    if problems:
        return problems
    refusal = on_file_problems(submission.subject, item, subject)
    if refusal:
        return refusal
    excused = tolerated(
        tolerable=item.epidemic_tolerable,
        decision_date=submission.decision_date,
        epidemic_related=submission.epidemic_related,
        epidemic_window=epidemic_window,
    )
    return Record(
        id=record_id(unit.code, submission.source_record_id),
        subject_id=new_subject_id if subject is None else subject.id,
        subject_kind=submission.subject.kind,
        item_code=item.code,
        catalogue_version=catalogue.version,
        category=item.category,
        severity=severity,
        source_unit=unit.code,
        source_record_id=submission.source_record_id,
        document_number=submission.document_number.strip(),
        decision_date=submission.decision_date,
        epidemic_related=submission.epidemic_related,
        data_items=values,
        disclosure=period,
        # Notice 三(十): not recorded as dishonesty, never disclosed, never counted.
        status=RecordStatus.EXCUSED if excused else RecordStatus.ACTIVE,
        created_at=now,
    )


def text_problems(field: str, value: str, max_length: int) -> list[Problem]:
    if not value.strip():
        return [Problem(ProblemCode.REQUIRED_MISSING, field, "a value is required")]
    problems = []
    if len(value) > max_length:
        problems.append(
            Problem(
                ProblemCode.TOO_LONG,
                field,
                f"at most {max_length} characters are allowed, {len(value)} were given",
            )
        )
    if has_control_characters(value):
        problems.append(
            Problem(ProblemCode.INVALID_FORMAT, field, "control characters are not allowed")
        )
    return problems


def _subject_problems(ref: SubjectRef, today: date) -> list[Problem]:
    problems = text_problems("subject.name", ref.name, MAX_NAME)
    try:
        validate_identifier(ref.kind, ref.identifier, today=today)
    except InvalidIdentifier as exc:
        problems.append(Problem(ProblemCode.INVALID_IDENTIFIER, "subject.identifier", str(exc)))
    return problems


def record_problems(
    item: CatalogueItem,
    values: dict[str, str],
    *,
    unit: SourceUnit | None,
    decision_date: date,
    epidemic_window: DateWindow,
) -> list[Problem]:
    """Problems of the rules that weigh a record's data items together, or against its unit
    and decision date: the unit's authority over the decision (`unit_problems`, issue 8.11)
    and good behaviour's conduct date (`conduct_problems`, notice 一(一)).

    The invariant: no record breaks these when stored. They are asked on submission and again
    of every correction (`domain.objections.correction_problems`). `unit` None is a unit not
    on the register (a correction of a record kept from before it): its data alone is judged.
    """
    problems = [] if unit is None else unit_problems(item, unit, values)
    return problems + conduct_problems(
        item, values, decision_date=decision_date, epidemic_window=epidemic_window
    )


def _catalogue_item(
    submission: RecordSubmission, catalogues: CatalogueVersions, problems: list[Problem]
) -> tuple[Catalogue, CatalogueItem] | None:
    """The item as in force on the decision date; else, to check the rest, its newest version."""
    code = submission.item_code
    in_force = catalogues.in_force(submission.decision_date)
    item = None if in_force is None else in_force.item(code)
    if in_force is not None and item is not None:
        found = in_force, item
    else:
        newest = catalogues.newest_with(code)
        if newest is None:
            problems.append(
                Problem(ProblemCode.NOT_IN_CATALOGUE, "item", "no catalogue version has this item")
            )
            return None
        problems.append(
            Problem(
                ProblemCode.ITEM_NOT_IN_FORCE,
                "item",
                f"the item is not in the catalogue in force on {submission.decision_date}",
            )
        )
        found = newest, newest.by_code[code]
    if found[1].category is Category.BASIC:
        problems.append(
            Problem(
                ProblemCode.NOT_IN_CATALOGUE,
                "item",
                "basic information is kept on the subject, not submitted as a record",
            )
        )
    return found


def _item_problems(item: CatalogueItem, submission: RecordSubmission) -> list[Problem]:
    problems = []
    kind = submission.subject.kind
    if kind not in item.subject_kinds:
        allowed = ", ".join(item.subject_kinds)
        problems.append(
            Problem(
                ProblemCode.SUBJECT_KIND_NOT_ALLOWED,
                "subject.kind",
                f"item {item.code} is about {allowed} only",
            )
        )
    dishonest = item.category is Category.DISHONEST
    if dishonest and submission.severity is None:
        problems.append(
            Problem(ProblemCode.REQUIRED_MISSING, "severity", "dishonesty needs a severity")
        )
    if not dishonest and submission.severity is not None:
        problems.append(
            Problem(ProblemCode.INVALID_FORMAT, "severity", "severity applies to dishonesty only")
        )
    return problems


def revoked(record: Record, *, at: datetime, by: str, reason: str) -> Record:
    """The record revoked by its unit (the decision was overturned); its history is kept."""
    return next_version(
        record, kind=ChangeKind.REVOKED, at=at, by=by, reason=reason, status=RecordStatus.REVOKED
    )
