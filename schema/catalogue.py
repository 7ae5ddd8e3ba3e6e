"""The catalogue as published: items, their data items and disclosure rules."""

from __future__ import annotations

from datetime import date

import strawberry

from domain import catalogue as model
from domain import disclosure
from schema.enums import (
    Category,
    DataFormat,
    MaskKind,
    PublicAttribute,
    SourceUnitType,
    SubjectKind,
)


@strawberry.type
class Mask:
    kind: MaskKind
    front: int
    back: int

    @classmethod
    def of(cls, mask: model.Mask) -> Mask:
        return cls(kind=mask.kind, front=mask.front, back=mask.back)


@strawberry.type(description="The mask a viewer at one access level sees a data item through")
class LevelMask:
    level: PublicAttribute
    mask: Mask


@strawberry.type(description="An enum value valid only for decisions in a span of days")
class DatedEnumValue:
    value: str
    effective_from: date | None
    effective_until: date | None
    basis: str


@strawberry.type(description="数据项定义")
class DataItemSpec:
    key: str
    label: str
    label_en: str
    format: DataFormat
    required: bool
    max_length: int
    public_attribute: PublicAttribute
    mask: Mask = strawberry.field(description="For every level below the attribute not in masks")
    masks: list[LevelMask] = strawberry.field(description="Masks for particular access levels")
    personal: bool
    enum_values: list[str]
    multiple: bool = strawberry.field(
        description="Several enum values in one value, joined by 、 in the order of enumValues"
    )
    dated_values: list[DatedEnumValue] = strawberry.field(
        description="Enum values accepted only for decisions on these days; the others always"
    )

    @classmethod
    def of(cls, spec: model.DataItemSpec) -> DataItemSpec:
        return cls(
            key=spec.key,
            label=spec.label_zh,
            label_en=spec.label_en,
            format=spec.format,
            required=spec.required,
            max_length=spec.max_length,
            public_attribute=spec.public_attribute,
            mask=Mask.of(spec.mask),
            masks=[LevelMask(level=level, mask=Mask.of(m)) for level, m in spec.masks.items()],
            personal=spec.personal,
            enum_values=list(spec.enum_values),
            multiple=spec.multiple,
            dated_values=[
                DatedEnumValue(
                    value=d.value,
                    effective_from=d.effective_from,
                    effective_until=d.effective_until,
                    basis=d.basis,
                )
                for d in spec.dated_values
            ],
        )


@strawberry.type(description="目录事项")
class CatalogueItem:
    code: str
    title: str
    title_en: str
    category: Category
    clause: str = strawberry.field(description="The clause of the notice the item implements")
    subject_kinds: list[SubjectKind]
    source_unit_types: list[SourceUnitType]
    data_items: list[DataItemSpec]
    disclosure_rule: str
    legal_basis: str
    epidemic_tolerable: bool
    opt_out_allowed: bool

    @classmethod
    def of(cls, item: model.CatalogueItem) -> CatalogueItem:
        return cls(
            code=item.code,
            title=item.title_zh,
            title_en=item.title_en,
            category=item.category,
            clause=item.clause,
            subject_kinds=list(item.subject_kinds),
            source_unit_types=list(item.source_unit_types),
            data_items=[DataItemSpec.of(s) for s in item.data_items],
            disclosure_rule=item.disclosure_rule,
            legal_basis=item.legal_basis,
            epidemic_tolerable=item.epidemic_tolerable,
            opt_out_allowed=item.opt_out_allowed,
        )


@strawberry.type
class PeriodBounds:
    min_months: int | None
    max_months: int


@strawberry.type(description="A dated set of disclosure-period rules")
class DisclosureRuleSet:
    family: str
    name: str
    basis: str
    effective_from: date
    effective_until: date | None
    general: PeriodBounds
    serious: PeriodBounds

    @classmethod
    def of(cls, rule: disclosure.DisclosureRuleSet) -> DisclosureRuleSet:
        def bounds(b: disclosure.PeriodBounds) -> PeriodBounds:
            return PeriodBounds(min_months=b.min_months, max_months=b.max_months)

        return cls(
            family=rule.family,
            name=rule.name,
            basis=rule.basis,
            effective_from=rule.effective_from,
            effective_until=rule.effective_until,
            general=bounds(rule.general),
            serious=bounds(rule.serious),
        )


@strawberry.type(description="公共信用信息目录: one published version")
class Catalogue:
    version: str
    effective_from: date
    published_by: str
    items: list[CatalogueItem]
    disclosure_rules: list[DisclosureRuleSet]

    @classmethod
    def of(cls, catalogue: model.Catalogue) -> Catalogue:
        return cls(
            version=catalogue.version,
            effective_from=catalogue.effective_from,
            published_by=catalogue.published_by,
            items=[CatalogueItem.of(i) for i in catalogue.items],
            disclosure_rules=[DisclosureRuleSet.of(r) for r in catalogue.disclosure_rules],
        )
