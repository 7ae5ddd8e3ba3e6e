"""Enum values as catalogue data: dated values, and several values in one data item.

A value may be in force for decisions from or until a day: the penalty types of the 2021
行政处罚法 art. 9 (通报批评, 降低资质等级, 限制开展生产经营活动, 责令关闭, 限制从业 ...) are valid
for decisions from 2021-07-15, the old law's (暂扣或者吊销许可证、执照) for decisions before it. A
record is judged by the values in force on its decision date.

A multi-valued data item stores its values as one string, in catalogue order, joined by
`SEPARATOR` (`警告、罚款`), each value once; the catalogue refuses an enum value containing the
separator, so the string splits back into exactly the values that were joined.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

SEPARATOR = "、"


class DatedValue(BaseModel):
    """The decision dates an enum value is valid for, both ends included; None is open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str = Field(min_length=1)
    effective_from: date | None = None
    effective_until: date | None = None
    basis: str = ""

    @model_validator(mode="after")
    def _dated_and_ordered(self) -> Self:
        if self.effective_from is None and self.effective_until is None:
            raise ValueError(f"{self.value}: a dated value needs effective_from or _until")
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until < self.effective_from
        ):
            raise ValueError(f"{self.value}: effective_until is before effective_from")
        return self

    def in_force(self, day: date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until


def enum_problems(
    values: tuple[str, ...], dated: tuple[DatedValue, ...], *, multiple: bool
) -> list[str]:
    """What is wrong with an enum definition; the catalogue refuses it when anything is."""
    problems = []
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        problems.append(f"enum values repeat: {', '.join(repeated)}")
    blank = [v for v in values if not v.strip() or v != v.strip()]
    if blank:
        problems.append("enum values may not be blank or padded with spaces")
    if multiple:
        joined = [v for v in values if SEPARATOR in v]
        if joined:
            problems.append(f"enum values of a multiple item may not hold {SEPARATOR}: {joined}")
    names = [d.value for d in dated]
    unknown = sorted({n for n in names if n not in values})
    if unknown:
        problems.append(f"dated values are not enum values: {', '.join(unknown)}")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"dated values repeat: {', '.join(twice)}")
    return problems


def split(value: str, *, multiple: bool) -> list[str]:
    """The values a stored or submitted string holds, spaces around each trimmed."""
    if not multiple:
        return [value]
    return [part.strip() for part in value.split(SEPARATOR)]


def join(chosen: Iterable[str], order: tuple[str, ...]) -> str:
    """The canonical string of `chosen`: catalogue order, so equal sets compare equal."""
    picked = set(chosen)
    return SEPARATOR.join(v for v in order if v in picked)


def not_in_force(chosen: Iterable[str], dated: tuple[DatedValue, ...], day: date) -> list[str]:
    """The chosen values that are not valid for a decision on `day`."""
    by_value = {d.value: d for d in dated}
    return [v for v in chosen if v in by_value and not by_value[v].in_force(day)]
