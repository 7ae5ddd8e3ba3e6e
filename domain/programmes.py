"""Incentive programmes (激励措施) as data: what qualifies, what blocks, how points count.

Notice 二(七): subjects with good behaviour during the epidemic are put forward first in awards,
get credit bonus points in administration, finance and bidding, and are favoured in
resumption-of-work support; 三(十二) funding and 三(十三) financing look at credit too; 二(九)
commitments bring fast-track handling. 二(八): a blacklisted subject loses every award,
preferential support, reward and incentive. Each programme names what qualifies (records of
which items, decided in which window, for how many points) and what blocks; the kinds of
blocker are the only thing written in code, so a new programme is a new entry in the data file.
Judging a subject against a programme is domain/eligibility.py.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.calendar import add_months
from domain.catalogue import Category
from domain.identifiers import SubjectKind

Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,63}$")]
Months = Annotated[int, Field(ge=1, le=240)]


class BlockerKind(StrEnum):
    """What may block a programme; each is justified by a clause of the notice."""

    BLACKLISTED = "BLACKLISTED"  # 二(八): listed subjects lose every incentive
    SERIOUS_DISHONESTY_ACTIVE = "SERIOUS_DISHONESTY_ACTIVE"  # 二(八): serious, on display
    # 二(七) rewards good behaviour: dishonesty on display, even general, disqualifies where a
    # programme says so (awards, funding), not where the notice asks for leniency.
    DISHONESTY_ACTIVE = "DISHONESTY_ACTIVE"
    COMMITMENT_VIOLATED = "COMMITMENT_VIOLATED"  # 二(九): a broken commitment weighs against
    # 三(十二): "发挥好政府资金的使用效应" — funding recorded by a funding department (category
    # FUNDING) is seen by later programmes: one may pass over a subject funded lately.
    FUNDED_RECENTLY = "FUNDED_RECENTLY"


class Window(BaseModel):
    """Which decision dates count: fixed dates, a span before the evaluation day, or both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decided_from: date | None = None
    decided_to: date | None = None
    within_months: Months | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.decided_from and self.decided_to and self.decided_to < self.decided_from:
            raise ValueError("decided_to is before decided_from")
        return self

    def contains(self, day: date, today: date) -> bool:
        """Both ends included; nothing decided after the evaluation day counts."""
        if day > today:
            return False
        if self.decided_from is not None and day < self.decided_from:
            return False
        if self.decided_to is not None and day > self.decided_to:
            return False
        return self.within_months is None or day >= add_months(today, -self.within_months)


class PointRule(BaseModel):
    """Records of `items`, or of any item of `categories`, decided in `window` earn `points`
    each, at most `cap` in all.

    Notice 二(七) and 三(十二) reward "有良好行为的主体": a rule for good behaviour names the
    category `GOOD`, so every 一(一) item counts, a catalogue item added later included, and no
    hand-kept list of codes can leave one out. `items` picks some items out for other points
    (a record counts under the first rule that takes it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[Code, ...] = ()
    categories: tuple[Category, ...] = ()
    points: int = Field(ge=0, le=1000)
    cap: int | None = Field(default=None, ge=0, le=10_000)
    window: Window = Window()

    @model_validator(mode="after")
    def _takes_something(self) -> Self:
        if not self.items and not self.categories:
            raise ValueError("a point rule names items or categories")
        return self

    def takes(self, item_code: str, category: Category) -> bool:
        return item_code in self.items or category in self.categories


class BlockerRule(BaseModel):
    """A kind of blocker, narrowed to some items and to a span before the evaluation day.

    `items` narrow the blockers read from records (dishonesty, funding); `within_months` counts
    back from the evaluation day (decisions, breaches, grants).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: BlockerKind
    items: tuple[Code, ...] = ()
    within_months: Months | None = None

    @model_validator(mode="after")
    def _items_only_for_records(self) -> Self:
        if self.items and self.kind in (BlockerKind.BLACKLISTED, BlockerKind.COMMITMENT_VIOLATED):
            raise ValueError(f"items do not apply to the {self.kind.value} blocker")
        return self


class Programme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    subject_kinds: tuple[SubjectKind, ...] = Field(min_length=1)
    qualifying: tuple[PointRule, ...] = ()
    blockers: tuple[BlockerRule, ...] = ()
    min_points: int = Field(default=0, ge=0)
    max_points: int | None = Field(default=None, ge=1)


class ProgrammeSet(BaseModel):
    """The programmes in force, with the version every evaluation names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(pattern=r"^[0-9A-Za-z.\-]{1,32}$")
    programmes: tuple[Programme, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        codes = [p.code for p in self.programmes]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"programme codes repeat: {', '.join(repeated)}")
        return self

    def programme(self, code: str) -> Programme | None:
        return next((p for p in self.programmes if p.code == code), None)


class ProgrammeError(ValueError):
    """A programme file that does not validate; the message names each problem's place."""


def parse_programmes(data: object) -> ProgrammeSet:
    try:
        return ProgrammeSet.model_validate(data)
    except ValidationError as exc:
        lines = [".".join(map(str, e["loc"])) + f": {e['msg']}" for e in exc.errors()]
        raise ProgrammeError("invalid programmes:\n  " + "\n  ".join(lines)) from None
