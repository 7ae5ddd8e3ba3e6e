"""The access gate: for each value leaving the API, raw, masked or not at all, and the reveal.

One module decides (DESIGN.md §5), for one viewer on one day:

- which records of a subject are shown (`Gate.record_scope`, the domain rule
  `domain.records.RecordScope`, from which the store's filter is also built);
- whether a subject is met at all (`Gate.meets`, the rule `domain.subjects.met`);
- how each data item is shown (`show_items`: the catalogue's mask for the viewer's level for
  that subject), when view objects are built, so no field resolver sees a raw value it should
  not return;
- which values the audit trail must record as revealed (`revealed_keys`, art. 45);
- whether the token holds what an operation needs (`Gate.holds`, `own_subject`,
  `source_unit`); resolvers/access.py turns a refusal into FORBIDDEN.

Resolvers, reports and exports ask this module; none decides visibility or masking itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from auth.viewer import Scope, Viewer
from domain.catalogue import CatalogueItem
from domain.data_items import DataItemSpec, shown_value
from domain.identifiers import SubjectKind
from domain.masking import Mask, PublicAttribute, apply_mask
from domain.records import Record, RecordScope, record_scope
from domain.subjects import met


class ShownValue(NamedTuple):
    """A data item as a viewer sees it; `masked` whenever `value` is not the raw value.

    A named tuple, not a dataclass: a page builds hundreds, and a frozen dataclass costs three
    times as much to build (issue 9)."""

    key: str
    label_zh: str
    label_en: str
    value: str | None
    masked: bool
    attribute: PublicAttribute


def show(spec: DataItemSpec, raw: str | None, level: PublicAttribute) -> ShownValue:
    return _show(spec, spec.mask_for(level), raw)


def _show(spec: DataItemSpec, mask: Mask | None, raw: str | None) -> ShownValue:
    raw = None if raw is None else shown_value(spec, raw)  # amounts leave in 元, stored in fen
    if raw is None or mask is None:
        value, masked = raw, False
    else:
        value, masked = apply_mask(raw, mask), True
    return ShownValue(spec.key, spec.label_zh, spec.label_en, value, masked, spec.public_attribute)


def show_items(
    item: CatalogueItem, values: Mapping[str, str], level: PublicAttribute
) -> list[ShownValue]:
    """Every stored data item of a record or subject in catalogue order, as `level` sees it
    (each as `show` shows it: tests/test_masking_auth.py)."""
    return [
        _show(spec, mask, values[spec.key])
        for spec, mask in masks(item, level)
        if spec.key in values
    ]


# Masks by (id of the item, level), with the item kept alive so that its id is not reused.
_MASKS: dict[
    tuple[int, PublicAttribute], tuple[CatalogueItem, tuple[tuple[DataItemSpec, Mask | None], ...]]
] = {}
_MASKS_HELD = 4096  # far more than the published catalogues' items at every level


def masks(
    item: CatalogueItem, level: PublicAttribute
) -> tuple[tuple[DataItemSpec, Mask | None], ...]:
    """Each data item of `item` with the mask `level` sees it through (None: raw), worked out
    once an item and level: a page masks the same few items for one viewer again and again."""
    found = _MASKS.get((id(item), level))
    if found is None:
        if len(_MASKS) >= _MASKS_HELD:
            _MASKS.clear()  # catalogues republished many times: start again
        found = _MASKS[id(item), level] = (
            item,
            tuple((spec, spec.mask_for(level)) for spec in item.data_items),
        )
    return found[1]


def revealed_keys(shown: list[ShownValue]) -> list[str]:
    """Keys whose raw value above PUBLIC was shown: what an audit event must name."""
    return [
        v.key
        for v in shown
        if not v.masked and v.value is not None and v.attribute is not PublicAttribute.PUBLIC
    ]


def revealed_by(
    item: CatalogueItem, values: Mapping[str, str | None], level: PublicAttribute
) -> list[str]:
    """`revealed_keys(show_items(item, values, level))` without showing a value: a stored value
    is revealed where `level` sees it unmasked and it is above PUBLIC (tests/test_masking_auth.py
    checks the two agree for any item, values and level)."""
    return [
        spec.key
        for spec, mask in masks(item, level)
        if mask is None
        and spec.public_attribute is not PublicAttribute.PUBLIC
        and values.get(spec.key) is not None
    ]


@dataclass(frozen=True)
class Gate:
    """The access decisions for one viewer on one day."""

    viewer: Viewer
    today: date

    def level(self, subject_id: str | None) -> PublicAttribute:
        """The viewer's level for a subject before grants (a grant widens data items, never
        records); None means a list across subjects (the base level)."""
        if subject_id is None:
            return self.viewer.base_level
        return self.viewer.level_for(subject_id)

    def owns(self, subject_id: str | None) -> bool:
        return subject_id is not None and self.viewer.owns(subject_id)

    def record_scope(self, subject_id: str | None) -> RecordScope:
        """Which records of `subject_id` (None: of any subject) the viewer is shown today."""
        if subject_id is None:
            return self.display_scope
        return record_scope(self.level(subject_id), own=self.owns(subject_id), today=self.today)

    @cached_property
    def display_scope(self) -> RecordScope:
        """Which records of any subject the viewer is shown today, by the base level: asked
        of every record a page reads, so worked out once a gate."""
        return record_scope(self.level(None), own=False, today=self.today)

    def shows_record(self, record: Record) -> bool:
        return self.record_scope(record.subject_id).admits(record)

    def meets(self, kind: SubjectKind, level: PublicAttribute, *, on_display: bool) -> bool:
        """Whether a subject is shown at all (a person below AUTHORIZED: only when on display)."""
        return met(kind, level, on_display=on_display)

    def persons_only_on_display(self) -> bool:
        """Whether lists across subjects meet persons only through records on display."""
        return not met(SubjectKind.NATURAL_PERSON, self.viewer.base_level, on_display=False)

    def holds(self, scope: str) -> bool:
        """Whether the token holds a scope an operation needs (DESIGN.md §5)."""
        return self.viewer.has(scope)

    def own_subject(self, scope: str) -> str | None:
        """The subject whose own token this is, if it holds `scope`."""
        return self.viewer.subject_id if self.viewer.has(scope) else None

    def source_unit(self) -> str | None:
        """The source unit whose token this is, if it may submit records."""
        return self.viewer.unit if self.viewer.has(Scope.RECORDS_SUBMIT) else None
