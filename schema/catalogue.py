"""The catalogue as published: items, their data items and disclosure rules, and a data item
as the viewer may see it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from auth.masking import ShownValue
from domain import catalogue as model
from domain import data_items, disclosure, masking
from resolvers import catalogue as catalogue_resolvers
from resolvers.context import Context
from schema.enums import (
    Category,
    DataFormat,
    MaskKind,
    PublicAttribute,
    SourceUnitType,
    SubjectKind,
)
from schema.errors import UserError, mutation_result


@strawberry.type(description="How a value is masked; front and back apply to KEEP only")
class Mask:
    kind: MaskKind = strawberry.field(description="How the value is cut")
    front: int = strawberry.field(description="KEEP: characters kept at the start")
    back: int = strawberry.field(description="KEEP: characters kept at the end")

    @classmethod
    def of(cls, mask: masking.Mask) -> Mask:
        return cls(kind=mask.kind, front=mask.front, back=mask.back)


@strawberry.type(description="The mask a viewer at one access level sees a data item through")
class LevelMask:
    level: PublicAttribute = strawberry.field(description="The viewer's access level")
    mask: Mask = strawberry.field(description="The mask at that level")


@strawberry.type(description="An enum value valid only for decisions in a span of days")
class DatedEnumValue:
    value: str = strawberry.field(description="The enum value")
    effective_from: date | None = strawberry.field(
        description="The first decision day it is valid for; null: since always"
    )
    effective_until: date | None = strawberry.field(
        description="The last decision day it is valid for; null: still valid"
    )
    basis: str = strawberry.field(description="The rule that dates it")


@strawberry.type(description="数据项定义")
class DataItemSpec:
    key: str = strawberry.field(description="The key a value is submitted and shown under")
    label: str = strawberry.field(description="The data item's name in Chinese (数据项名称)")
    label_en: str = strawberry.field(description="The data item's name in English, for developers")
    format: DataFormat = strawberry.field(description="数据格式: how the value is written")
    required: bool = strawberry.field(description="Whether every record of the item must give it")
    max_length: int = strawberry.field(description="The longest value accepted, in characters")
    public_attribute: PublicAttribute = strawberry.field(
        description="公开属性: the narrowest audience that sees the value unmasked"
    )
    mask: Mask = strawberry.field(description="For every level below the attribute not in masks")
    masks: list[LevelMask] = strawberry.field(description="Masks for particular access levels")
    personal: bool = strawberry.field(
        description="Personal information of a natural person; never PUBLIC (PIPL art. 73)"
    )
    enum_values: list[str] = strawberry.field(
        description="The values accepted when format is ENUM; empty otherwise"
    )
    multiple: bool = strawberry.field(
        description="Several enum values in one value, joined by 、 in the order of enumValues"
    )
    dated_values: list[DatedEnumValue] = strawberry.field(
        description="Enum values accepted only for decisions on these days; the others always"
    )

    @classmethod
    def of(cls, spec: data_items.DataItemSpec) -> DataItemSpec:
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
    code: str = strawberry.field(description="The item's stable code, e.g. DISHONEST_5")
    title: str = strawberry.field(description="The item's title in Chinese (目录事项名称)")
    title_en: str = strawberry.field(description="The item's title in English, for developers")
    category: Category = strawberry.field(description="信息类别")
    clause: str = strawberry.field(description="The clause of the notice the item implements")
    subject_kinds: list[SubjectKind] = strawberry.field(
        description="The kinds of subject a record of the item may be about"
    )
    source_unit_types: list[SourceUnitType] = strawberry.field(
        description="信源单位: who may submit records of the item (notice 一(三))"
    )
    disclosure_rule: str = strawberry.field(
        description="The family of disclosure rules (DisclosureRuleSet.family) that sets its 公示期"
    )
    legal_basis: str = strawberry.field(description="The law or document the item rests on")
    epidemic_tolerable: bool = strawberry.field(
        description="A lapse of this item in the epidemic may be excused (审慎包容, notice 三(十))"
    )
    opt_out_allowed: bool = strawberry.field(
        description="A person may refuse its recording: good-behaviour items "
        "about natural persons (Shenzhen regulation art. 39)"
    )
    definition: strawberry.Private[model.CatalogueItem]

    @strawberry.field(description="数据项: the values a record of the item carries")
    def data_items(self) -> list[DataItemSpec]:
        # Built when asked: every record of a page names its item, few ask for its specs.
        return [DataItemSpec.of(s) for s in self.definition.data_items]

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
            disclosure_rule=item.disclosure_rule,
            legal_basis=item.legal_basis,
            epidemic_tolerable=item.epidemic_tolerable,
            opt_out_allowed=item.opt_out_allowed,
            definition=item,
        )


@strawberry.type(
    description="Disclosure period bounds in months; no minimum means repair at any time"
)
class PeriodBounds:
    min_months: int | None = strawberry.field(
        description="The shortest display before repair may end it, in months; null: no minimum"
    )
    max_months: int = strawberry.field(description="The longest display, in months")


@strawberry.type(description="A dated set of disclosure-period rules")
class DisclosureRuleSet:
    family: str = strawberry.field(
        description="The family the set belongs to, named by CatalogueItem.disclosureRule"
    )
    name: str = strawberry.field(description="The set's name")
    basis: str = strawberry.field(description="The document that sets the periods")
    effective_from: date = strawberry.field(description="The first decision day it applies to")
    effective_until: date | None = strawberry.field(
        description="The last decision day it applies to; null: still in force"
    )
    general: PeriodBounds = strawberry.field(
        description="Periods for general dishonesty (一般失信)"
    )
    serious: PeriodBounds = strawberry.field(
        description="Periods for serious dishonesty (严重失信)"
    )

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
    version: str = strawberry.field(description="The version, e.g. 2020.1")
    effective_from: date = strawberry.field(description="The first day it is in force")
    published_by: str = strawberry.field(description="Who published it")
    items: list[CatalogueItem] = strawberry.field(description="目录事项: what may be recorded")
    disclosure_rules: list[DisclosureRuleSet] = strawberry.field(
        description="The disclosure-period rules the items refer to"
    )

    @classmethod
    def of(cls, catalogue: model.Catalogue) -> Catalogue:
        return cls(
            version=catalogue.version,
            effective_from=catalogue.effective_from,
            published_by=catalogue.published_by,
            items=[CatalogueItem.of(i) for i in catalogue.items],
            disclosure_rules=[DisclosureRuleSet.of(r) for r in catalogue.disclosure_rules],
        )


@strawberry.type(description="数据项: a value shown raw, masked, or withheld (null)")
class DataItem:
    key: str = strawberry.field(description="The data item's key in the catalogue")
    label: str = strawberry.field(description="Label in Chinese")
    label_en: str = strawberry.field(description="Label in English, for developers")
    value: str | None = strawberry.field(description="Null when withheld or absent")
    masked: bool = strawberry.field(description="True whenever value is not the raw value")
    attribute: PublicAttribute = strawberry.field(
        description="公开属性 of the data item: the narrowest audience that sees it unmasked"
    )

    @classmethod
    def of(cls, shown: ShownValue) -> DataItem:
        return cls(
            key=shown.key,
            label=shown.label_zh,
            label_en=shown.label_en,
            value=shown.value,
            masked=shown.masked,
            attribute=shown.attribute,
        )


@strawberry.type
class CatalogueQuery:
    """Reads of the catalogue: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="A published catalogue version; the one in force when omitted")
    def catalogue(
        self,
        info: Info[Context, None],
        version: Annotated[
            str | None,
            strawberry.argument(
                description="A catalogue version, e.g. 2020.1; the one in force today when omitted"
            ),
        ] = None,
    ) -> Catalogue | None:
        ctx = info.context
        found = (
            ctx.catalogues.in_force(ctx.today)
            if version is None
            else ctx.catalogues.version(version)
        )
        return None if found is None else Catalogue.of(found)


@strawberry.type(description="The version is published: it is in force from its effective day")
class PublishCatalogueVersionSuccess:
    catalogue: Catalogue = strawberry.field(description="The version as published")

    @classmethod
    def of(cls, published: model.Catalogue) -> PublishCatalogueVersionSuccess:
        return cls(catalogue=Catalogue.of(published))


PublishCatalogueVersionResult = Annotated[
    PublishCatalogueVersionSuccess | UserError,
    strawberry.union(
        "PublishCatalogueVersionResult",
        description="PublishCatalogueVersionSuccess when done, or a UserError saying why not",
    ),
]


@strawberry.type
class CatalogueMutation:
    """Publishing the catalogue: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="The credit centre publishes a new catalogue version (catalogue:write), "
        "given as TOML in the format of store/default_catalogue.toml; refused when it does not "
        "validate, would identify persons, reuses a number, starts before today or drops an "
        "item stored records are of. Every worker serves it without a restart"
    )
    async def publish_catalogue_version(
        self,
        info: Info[Context, None],
        catalogue: Annotated[
            str, strawberry.argument(description="The version as TOML (目录 as data)")
        ],
    ) -> PublishCatalogueVersionResult:
        return await mutation_result(
            catalogue_resolvers.publish_catalogue_version(info.context, text=catalogue),
            PublishCatalogueVersionSuccess.of,
        )
