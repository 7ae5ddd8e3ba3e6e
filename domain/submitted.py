"""A submission as it arrives, over GraphQL or in an import line, made a domain submission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.submission import RecordSubmission, SubjectRef


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
