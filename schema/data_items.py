"""A data item of a record or subject as the viewer may see it."""

from __future__ import annotations

import strawberry

from auth.masking import ShownValue
from schema.enums import PublicAttribute


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
