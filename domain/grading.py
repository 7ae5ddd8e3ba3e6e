"""The financing grade a bank sees (notice 三(十三): 信易贷, credit-based lending).

The rule is data: grades in order, each with the blockers that put a subject in it and the
points it needs; the first grade whose conditions hold is the subject's, and the reasons say
which conditions those were. A grade with no conditions is the default and must come last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.blacklist import BlacklistEntry
from domain.commitments import Commitment
from domain.eligibility import Evaluation, blocker
from domain.programmes import BlockerKind, BlockerRule, Code, ProgrammeSet, parse_programmes
from domain.standings import RecordFacts


class GradeRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    grade: str = Field(pattern=r"^[A-Z][A-Z0-9+\-]{0,3}$")
    label: str = Field(min_length=1)
    if_any_blocker: tuple[BlockerKind, ...] = ()
    min_points: int | None = Field(default=None, ge=0)

    @property
    def unconditional(self) -> bool:
        return not self.if_any_blocker and self.min_points is None


class Grading(BaseModel):
    """Grades in order of precedence; points come from the evaluation of `programme`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    programme: Code
    basis: str = Field(min_length=1)
    grades: tuple[GradeRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_last(self) -> Self:
        defaults = [i for i, g in enumerate(self.grades) if g.unconditional]
        if defaults != [len(self.grades) - 1]:
            raise ValueError("exactly one grade, the last, may have no conditions")
        return self


class Grade(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    grade: str
    label: str
    reasons: tuple[str, ...]


class GradingError(ValueError):
    """A grading rule that does not validate."""


def parse_grading(data: object) -> Grading:
    try:
        return Grading.model_validate(data)
    except ValidationError as exc:
        lines = [".".join(map(str, e["loc"])) + f": {e['msg']}" for e in exc.errors()]
        raise GradingError("invalid grading:\n  " + "\n  ".join(lines)) from None


def grade(
    grading: Grading,
    *,
    evaluation: Evaluation,
    records: Sequence[RecordFacts],
    entries: Sequence[BlacklistEntry],
    commitments: Sequence[Commitment],
    today: date,
) -> Grade:
    """The first grade whose conditions hold, with the facts that made it so (`records`: the
    facts of the subject's records that stand, domain.standings)."""
    kinds = {k for g in grading.grades for k in g.if_any_blocker}
    found = {
        kind: blocker(
            BlockerRule(kind=kind),
            records=records,
            entries=entries,
            commitments=commitments,
            today=today,
        )
        for kind in kinds
    }
    points = evaluation.points
    for rule in grading.grades:
        hits = [b for k in rule.if_any_blocker if (b := found[k]) is not None]
        if rule.if_any_blocker and not hits:
            continue
        if rule.min_points is not None and points < rule.min_points:
            continue
        reasons = [f"{b.code}: {b.message}" for b in hits]
        if rule.min_points is not None:
            reasons.append(f"{points} points under {grading.programme}, at least {rule.min_points}")
        if rule.unconditional:
            reasons.append(f"no condition of a higher grade holds ({points} points)")
        return Grade(grade=rule.grade, label=rule.label, reasons=tuple(reasons))
    raise AssertionError("the validated rule ends with an unconditional grade")


class IncentiveRules(BaseModel):
    """The programme file: every programme and the financing grade, under one version, in
    force from `effective_from` (published like the catalogue, issue 12.2)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date
    programmes: ProgrammeSet
    grading: Grading

    @property
    def version(self) -> str:
        return self.programmes.version

    def item_codes(self) -> set[str]:
        """The catalogue items the rules name (points and blockers), to check against the
        catalogue when they are published."""
        named = [r.items for p in self.programmes.programmes for r in p.qualifying]
        named += [r.items for p in self.programmes.programmes for r in p.blockers]
        return {code for items in named for code in items}

    @model_validator(mode="after")
    def _graded_programme_exists(self) -> Self:
        if self.programmes.programme(self.grading.programme) is None:
            raise ValueError(f"grading names an unknown programme {self.grading.programme}")
        return self

    def as_file(self) -> dict[str, Any]:
        """The rules in the shape of the programme file, which `parse_rules` reads back."""
        return {
            **self.programmes.model_dump(mode="json", exclude_none=True),
            "effective_from": self.effective_from.isoformat(),
            "grading": self.grading.model_dump(mode="json", exclude_none=True),
        }


def parse_rules(data: dict[str, Any]) -> IncentiveRules:
    """Validate the programme file: top-level `version`, `effective_from`, `programmes` and
    `grading`."""
    rest = {k: v for k, v in data.items() if k not in ("grading", "effective_from")}
    try:
        return IncentiveRules.model_validate(
            {
                "effective_from": data.get("effective_from"),
                "programmes": parse_programmes(rest),
                "grading": parse_grading(data.get("grading")),
            }
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(map(str, problem["loc"]))
        raise GradingError(f"invalid programme file: {where}: {problem['msg']}") from None


class RulesVersions:
    """Every published version of the rules, newest effective first.

    Invariant: the rules a subject is judged by on a day are the newest version in force on
    that day; before the first version's day, the first version (nothing older exists).
    """

    def __init__(self, versions: Iterable[IncentiveRules]) -> None:
        self._versions = sorted(versions, key=lambda r: r.effective_from, reverse=True)
        if not self._versions:
            raise ValueError("no version of the programme rules is published")

    def __iter__(self) -> Iterator[IncentiveRules]:
        return iter(self._versions)

    def in_force(self, day: date) -> IncentiveRules:
        return next((r for r in self._versions if r.effective_from <= day), self._versions[-1])
