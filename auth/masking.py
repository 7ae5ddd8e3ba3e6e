"""The one masking policy: each value leaves the API raw, masked or withheld.

Decided per data item by the catalogue's public attribute and the viewer's level for that
subject (DESIGN.md §5). Values are masked when view objects are built, so no field resolver
ever sees a raw value it should not return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.catalogue import CatalogueItem, DataItemSpec, PublicAttribute
from domain.data_items import shown_value
from domain.masking import apply_mask


@dataclass(frozen=True)
class ShownValue:
    """A data item as a viewer sees it; `masked` whenever `value` is not the raw value."""

    key: str
    label_zh: str
    label_en: str
    value: str | None
    masked: bool
    attribute: PublicAttribute


def show(spec: DataItemSpec, raw: str | None, level: PublicAttribute) -> ShownValue:
    raw = None if raw is None else shown_value(spec, raw)  # amounts leave in 元, stored in fen
    if raw is None or level.allows(spec.public_attribute):
        value, masked = raw, False
    else:
        value, masked = apply_mask(raw, spec.mask), True
    return ShownValue(spec.key, spec.label_zh, spec.label_en, value, masked, spec.public_attribute)


def show_items(
    item: CatalogueItem, values: Mapping[str, str], level: PublicAttribute
) -> list[ShownValue]:
    """Every stored data item of a record or subject in catalogue order, as `level` sees it."""
    return [show(spec, values[spec.key], level) for spec in item.data_items if spec.key in values]


def revealed_keys(shown: list[ShownValue]) -> list[str]:
    """Keys whose raw value above PUBLIC was shown: what an audit event must name."""
    return [
        v.key
        for v in shown
        if not v.masked and v.value is not None and v.attribute is not PublicAttribute.PUBLIC
    ]
