"""Mask functions: what a viewer below a value's public attribute sees of it.

Shenzhen Social Credit Regulation 2023 art. 38 and PIPL art. 73: personal information is
de-identified before publication. Each function keeps only the part the catalogue allows.
"""

from __future__ import annotations

import re

from domain.catalogue import Mask, MaskKind

STAR = "*"

# 深圳市南山区… → 深圳市南山区; falls back to the first district-level unit found.
_DISTRICT = re.compile(r"^(.*?(?:市|州|盟))?(.*?(?:区|县|旗|新区))")


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
    """An address cut after its district; without a recognisable district, nothing."""
    found = _DISTRICT.match(value)
    return found.group(0) if found else ""


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
