"""Public attributes (公开属性) and masks: who may see a value raw, and what a viewer below its
attribute sees of it (the mask, as catalogue data, and the functions that apply it).

Shenzhen Social Credit Regulation 2023 art. 38 and PIPL art. 73: personal information is
de-identified before publication. Each function keeps only the part the catalogue allows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.divisions import leading_divisions


class PublicAttribute(StrEnum):
    """公开属性, ordered from the widest audience to the narrowest."""

    PUBLIC = "PUBLIC"  # 公开公示
    AUTHORIZED = "AUTHORIZED"  # 授权查询
    GOVERNMENT = "GOVERNMENT"  # 政务共享
    RESTRICTED = "RESTRICTED"  # 不予公开

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, required: PublicAttribute) -> bool:
        """Whether a viewer at this level may see a value of the `required` attribute."""
        return self.rank >= required.rank


_RANK = {level: rank for rank, level in enumerate(PublicAttribute)}


class MaskKind(StrEnum):
    """How a value is shown to a viewer below its public attribute."""

    HIDDEN = "HIDDEN"
    KEEP = "KEEP"
    NAME = "NAME"
    ADDRESS = "ADDRESS"
    DATE_MONTH = "DATE_MONTH"


class Mask(BaseModel):
    """A mask as catalogue data: `KEEP` keeps `front` and `back` characters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: MaskKind
    front: int = Field(default=0, ge=0, le=32)
    back: int = Field(default=0, ge=0, le=32)

    @model_validator(mode="after")
    def _keep_counts_only_for_keep(self) -> Self:
        if self.kind is not MaskKind.KEEP and (self.front or self.back):
            raise ValueError("front and back apply only to the KEEP mask")
        return self


STAR = "*"


def keep(value: str, front: int, back: int) -> str:
    """Keep `front` and `back` characters, star the rest; too short a value is starred whole."""
    if len(value) <= front + back:
        return STAR * len(value)
    return value[:front] + STAR * (len(value) - front - back) + value[len(value) - back :]


def surname_only(value: str) -> str:
    """张三丰 → 张**: the surname (first character; two for a compound surname) and stars."""
    head = 2 if value[:2] in COMPOUND_SURNAMES else 1
    return value[:head] + STAR * max(len(value) - head, 1)


def district_only(value: str) -> str:
    """An address cut to its administrative divisions, down to the street or town.

    Shenzhen regulation art. 38: what identifies a home (estate, road, number, building) is
    never published. Divisions are recognised by name (domain.divisions), not by the first
    区, which also ends 小区, 社区 and 园区; without a recognisable division, nothing.
    """
    return leading_divisions(value)


def month_only(value: str) -> str:
    """2020-03-15 → 2020-03: a date or datetime cut to its month."""
    return value[:7]


def apply_mask(value: str, mask: Mask) -> str | None:
    """The masked form of `value`; None when the mask hides it."""
    match mask.kind:
        case MaskKind.HIDDEN:
            return None
        case MaskKind.KEEP:
            return keep(value, mask.front, mask.back)
        case MaskKind.NAME:
            return surname_only(value)
        case MaskKind.ADDRESS:
            return district_only(value) or None
        case MaskKind.DATE_MONTH:
            return month_only(value)


COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
    ]
)
