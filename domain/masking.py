"""Mask functions: what a viewer below a value's public attribute sees of it.

Shenzhen Social Credit Regulation 2023 art. 38 and PIPL art. 73: personal information is
de-identified before publication. Each function keeps only the part the catalogue allows.
"""

from __future__ import annotations

from domain.catalogue import Mask, MaskKind
from domain.divisions import leading_divisions

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
