"""Source units (信源单位, notice 一(三)): who may submit which records.

Commendations come from the awarding department at district level or above, administrative
penalties from the deciding unit, criminal judgments from the city intermediate court, broken
commitments from the unit managing the commitment. A unit may act in several of these roles:
the city market regulator decides penalties, manages licensing commitments and registers firms.
The notice lets a competent department submit for others ("或主管部门", "或授权部门"): the city
intermediate court submits the judgments of the district courts, the city health commission
the national commendations of its staff. A unit is registered with the authorities it submits
for, each with its level, and a record names its deciding, awarding or managing authority.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.catalogue import CatalogueItem, Category, SourceUnitType
from domain.enum_values import SEPARATOR
from domain.errors import Problem, ProblemCode
from domain.subjects import same_name


class UnitLevel(StrEnum):
    """行政级别, from the highest to the lowest."""

    NATIONAL = "国家级"
    PROVINCIAL = "省级"
    MUNICIPAL = "市级"
    DISTRICT = "区级"
    SUBDISTRICT = "街道级"

    def at_least(self, other: UnitLevel) -> bool:
        """Whether this level is `other` or above it."""
        return _LEVEL_ORDER.index(self) <= _LEVEL_ORDER.index(other)


_LEVEL_ORDER = tuple(UnitLevel)
_LEVEL_NAMES = frozenset(level.value for level in UnitLevel)

# Notice 一(三): good behaviour rests on a commendation of a department at district level or above.
LOWEST_AWARDING_LEVEL = UnitLevel.DISTRICT
# A criminal judgment is told from an administrative penalty by its principal penalty type or
# by carrying a judgment's case number (data items of the catalogue's DISHONEST_1..4).
CRIMINAL_PENALTY = "刑事处罚"
JUDGMENT_KEYS = ("judgment_number",)
# The data items naming the authority a record rests on: who decided, awarded or manages it.
AUTHORITY_KEYS = (
    "deciding_authority",
    "awarding_department",
    "managing_unit",
    "funding_department",
)
COMMENDATION_LEVEL_KEY = "commendation_level"


class Authority(BaseModel):
    """An authority a unit submits for: named in records as it is here, with its level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    level: UnitLevel


class SourceUnit(BaseModel):
    """A registered source unit; a token's `unit` claim names one by its code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[0-9A-Z][0-9A-Z\-]{1,63}$")
    name: str = Field(min_length=1, max_length=200)
    unit_types: tuple[SourceUnitType, ...] = Field(min_length=1)
    level: UnitLevel
    district: str | None = Field(default=None, min_length=1, max_length=20)
    submits_for: tuple[Authority, ...] = ()

    @model_validator(mode="after")
    def _types_unique(self) -> Self:
        if len(set(self.unit_types)) != len(self.unit_types):
            raise ValueError("unit_types repeat")
        return self

    @model_validator(mode="after")
    def _authorities_distinct(self) -> Self:
        names = [self.name, *(a.name for a in self.submits_for)]
        for i, name in enumerate(names):
            if any(same_name(name, other) for other in names[:i]):
                raise ValueError(f"submits_for repeats the unit or another authority: {name}")
        return self

    def acts_as(self, unit_type: SourceUnitType) -> bool:
        return unit_type in self.unit_types

    @property
    def as_authority(self) -> Authority:
        return Authority(name=self.name, level=self.level)

    def authority(self, name: str) -> Authority | None:
        """The unit itself or an authority it submits for, named `name`; else None."""
        candidates = (self.as_authority, *self.submits_for)
        return next((a for a in candidates if same_name(a.name, name)), None)


class SourceUnitRegistry(BaseModel):
    """The registry as shipped in a data file: every unit once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    units: tuple[SourceUnit, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        codes = [unit.code for unit in self.units]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"unit codes repeat: {', '.join(duplicates)}")
        return self


def unit_problems(item: CatalogueItem, unit: SourceUnit, values: dict[str, str]) -> list[Problem]:
    """Notice 一(三): whether this unit is the one that submits this record: a unit of the
    item's type first, then the authority the record names (only for a unit of that type)."""
    return _type_problems(item, unit, values) or authority_problems(item, unit, values)


def authority_problems(
    item: CatalogueItem, unit: SourceUnit, values: dict[str, str]
) -> list[Problem]:
    """Notice 一(三): the authority a record names is the unit or one it submits for.

    The deciding authority of a penalty or judgment, the awarding department of a
    commendation and the managing unit of a commitment must each be the submitting unit or an
    authority registered as submitted for by it (names compared as `same_name` does); and a
    commendation's level (国家级 … 区级) cannot be above its awarding authority's level.
    """
    problems = []
    for key in AUTHORITY_KEYS:
        if key in values and unit.authority(values[key]) is None:
            others = "".join(f"、{a.name}" for a in unit.submits_for)
            problems.append(
                Problem(
                    ProblemCode.UNIT_NOT_AUTHORIZED,
                    f"dataItems.{key}",
                    f"must name the submitting unit ({unit.name}{others}) or an authority it is "
                    "registered to submit for (notice 一(三))",
                )
            )
    level = values.get(COMMENDATION_LEVEL_KEY)
    if item.category is Category.GOOD and level in _LEVEL_NAMES:
        named = unit.authority(values.get("awarding_department", ""))
        awarding = named or unit.as_authority
        if not awarding.level.at_least(UnitLevel(level)):
            problems.append(
                Problem(
                    ProblemCode.LEVEL_ABOVE_AUTHORITY,
                    f"dataItems.{COMMENDATION_LEVEL_KEY}",
                    f"a {awarding.level.value} authority ({awarding.name}) cannot award a "
                    f"{level} commendation",
                )
            )
    return problems


def _type_problems(item: CatalogueItem, unit: SourceUnit, values: dict[str, str]) -> list[Problem]:
    """Whether a unit of this registered type submits this item."""
    # penalty_type holds several types (domain/enum_values.py): one criminal penalty among them
    # makes a judgment.
    penalty_types = values.get("penalty_type", "").split(SEPARATOR)
    judgment = CRIMINAL_PENALTY in penalty_types or any(key in values for key in JUDGMENT_KEYS)
    court = SourceUnitType.INTERMEDIATE_COURT
    if court in item.source_unit_types and judgment:
        if not unit.acts_as(court):
            return [
                Problem(
                    ProblemCode.UNIT_NOT_AUTHORIZED,
                    "item",
                    "a criminal judgment is submitted only by the city intermediate court "
                    "(notice 一(三))",
                )
            ]
        return []
    needed = [t for t in item.source_unit_types if t is not court] or [court]
    matched = [t for t in needed if unit.acts_as(t)]
    if not matched:
        return [
            Problem(
                ProblemCode.UNIT_NOT_AUTHORIZED,
                "item",
                f"item {item.code} is submitted by a unit of type {' or '.join(needed)}; this "
                f"unit is registered as {', '.join(unit.unit_types)} (notice 一(三))",
            )
        ]
    awarding = matched == [SourceUnitType.AWARDING_DEPARTMENT]
    if awarding and not unit.level.at_least(LOWEST_AWARDING_LEVEL):
        return [
            Problem(
                ProblemCode.UNIT_NOT_AUTHORIZED,
                "item",
                "good behaviour rests on a commendation of a department at district level or "
                "above (notice 一(三))",
            )
        ]
    return []
