"""What leaves the API: subjects and records with every value already masked for the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auth.masking import ShownValue, show_items
from domain.catalogue import CatalogueItem, Category, PublicAttribute
from domain.disclosure import DisclosurePeriod, DisclosureState, Severity
from domain.identifiers import SubjectKind
from domain.records import ObjectionNote, Record, RecordStatus, disclosure_state
from domain.subjects import Subject


@dataclass(frozen=True)
class SubjectView:
    id: str
    kind: SubjectKind
    name: ShownValue
    identifier: ShownValue
    basic_items: list[ShownValue]
    level: PublicAttribute
    # Shown to whoever is shown the name itself (a firm's 曾用名 is as public as its name).
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordView:
    id: str
    subject_id: str
    item: CatalogueItem
    catalogue_version: str
    category: Category
    severity: Severity | None
    source_unit: str
    document_number: str
    decision_date: date
    epidemic_related: bool
    data_items: list[ShownValue]
    disclosure: DisclosurePeriod
    disclosure_state: DisclosureState
    status: RecordStatus
    level: PublicAttribute
    objection: ObjectionNote | None = None


def subject_view(subject: Subject, basic: CatalogueItem, level: PublicAttribute) -> SubjectView:
    """The subject's own fields masked by its kind's basic-information item."""
    values = {"name": subject.name, "identifier": subject.identifier, **subject.basic}
    shown = show_items(basic, values, level)
    by_key = {v.key: v for v in shown}
    return SubjectView(
        id=subject.id,
        kind=subject.kind,
        name=by_key["name"],
        identifier=by_key["identifier"],
        basic_items=shown,
        level=level,
        former_names=() if by_key["name"].masked else subject.former_names,
    )


def record_view(
    record: Record, item: CatalogueItem, level: PublicAttribute, today: date
) -> RecordView:
    return RecordView(
        id=record.id,
        subject_id=record.subject_id,
        item=item,
        catalogue_version=record.catalogue_version,
        category=record.category,
        severity=record.severity,
        source_unit=record.source_unit,
        document_number=record.document_number,
        decision_date=record.decision_date,
        epidemic_related=record.epidemic_related,
        data_items=show_items(item, record.data_items, level),
        disclosure=record.disclosure,
        disclosure_state=disclosure_state(record, today),
        status=record.status,
        level=level,
        objection=record.objection,
    )
