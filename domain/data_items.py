"""Data items (数据项): how the catalogue defines one (`DataItemSpec`: format, public attribute,
masks) and how a submitted value is checked against it: keys, length, format and enum.

Formats (DESIGN.md §4): `date` is ISO YYYY-MM-DD; `datetime` is ISO 8601 with an offset;
`amount` is a non-negative integer of fen written in ASCII digits, stored so and shown in 元
(`shown_value`); `enum` is one of the spec's values in force on the decision date, or for a
`multiple` item several of them joined by 、 (domain/enum_values.py); `identifier` is a valid
social credit code or resident identity number; `text` and `document_number` are free text
without control characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain import enum_values
from domain.enum_values import DatedValue, enum_problems
from domain.errors import Problem, ProblemCode
from domain.identifiers import InvalidIdentifier, SubjectKind, validate_identifier
from domain.masking import Mask, MaskKind, PublicAttribute

if TYPE_CHECKING:
    from domain.catalogue import CatalogueItem  # which imports this module

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class IdentityPart(StrEnum):
    """What a data item tells of who a natural person is, for the de-identification check.

    Shenzhen regulation art. 38, PIPL art. 73: what one viewer is shown of a person, taken
    together, must not identify them (`domain.deidentification`).
    """

    RESIDENT_ID = "RESIDENT_ID"  # 公民身份号码 (GB 11643-1999)
    BIRTH_DATE = "BIRTH_DATE"
    REGION = "REGION"  # an address: its division is the region code's best guess
    GENDER = "GENDER"
    MOBILE = "MOBILE"
    NAME = "NAME"


class DataFormat(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    AMOUNT = "amount"
    ENUM = "enum"
    IDENTIFIER = "identifier"
    DOCUMENT_NUMBER = "document_number"


class DataItemSpec(BaseModel):
    """One data item (数据项) of a catalogue item.

    An `enum` item may be `multiple` (several values in one string, domain/enum_values.py) and
    may date some of its values (`dated_values`): a value is accepted only for decisions on
    the days it is in force.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    format: DataFormat
    required: bool = False
    max_length: int = Field(default=200, ge=1, le=10_000)
    public_attribute: PublicAttribute
    # What every level below the attribute sees, unless `masks` names that level.
    mask: Mask = Mask(kind=MaskKind.HIDDEN)
    # A mask per access level (e.g. hidden for PUBLIC, KEEP(3,4) for AUTHORIZED).
    masks: dict[PublicAttribute, Mask] = Field(default_factory=dict)
    personal: bool = False
    identity: IdentityPart | None = None
    enum_values: tuple[str, ...] = ()
    multiple: bool = False
    dated_values: tuple[DatedValue, ...] = ()

    @model_validator(mode="after")
    def _enum_values_only_for_enum(self) -> Self:
        if (self.format is DataFormat.ENUM) != bool(self.enum_values):
            raise ValueError("enum_values are required for the enum format and only for it")
        if self.format is not DataFormat.ENUM and (self.multiple or self.dated_values):
            raise ValueError("multiple and dated_values apply to the enum format only")
        problems = enum_problems(self.enum_values, self.dated_values, multiple=self.multiple)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _masks_only_below_the_attribute(self) -> Self:
        raw = sorted(level.value for level in self.masks if level.allows(self.public_attribute))
        if raw:
            raise ValueError(
                f"masks name levels that see the raw value ({', '.join(raw)}); a mask applies "
                f"only below the public attribute {self.public_attribute.value}"
            )
        return self

    def mask_for(self, level: PublicAttribute) -> Mask | None:
        """The mask a viewer at `level` sees this item through; None when they see it raw."""
        if level.allows(self.public_attribute):
            return None
        return self.masks.get(level, self.mask)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)
# No leading zeros: "007" fen would compare unequal to "7" fen in a stored record.
_AMOUNT = re.compile(r"0|[1-9]\d*", re.ASCII)


# Unicode category Cc is exactly these 65 code points (C0, DEL and C1).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def has_control_characters(value: str) -> bool:
    """Whether `value` holds a control character (Unicode category Cc, line breaks included)."""
    return _CONTROL.search(value) is not None


def check_data_items(
    item: CatalogueItem,
    given: tuple[tuple[str, str], ...],
    problems: list[Problem],
    *,
    on: date,
    today: date,
) -> dict[str, str]:
    """The values to store, canonical; every problem of every data item goes to `problems`.

    `on` is the decision date, which decides the dated enum values in force; `today` bounds
    what an identifier may encode.
    """
    values: dict[str, str] = {}
    seen: set[str] = set()
    for key, raw in given:
        field = f"dataItems.{key}"
        if key in seen:
            problems.append(Problem(ProblemCode.INVALID_FORMAT, field, "given more than once"))
            continue
        seen.add(key)
        spec = item.specs.get(key)
        if spec is None:
            # Notice 一(四): nothing outside the catalogue may be collected.
            problems.append(
                Problem(
                    ProblemCode.NOT_IN_CATALOGUE,
                    field,
                    f"item {item.code} has no data item with this key; nothing outside the "
                    "catalogue may be collected (notice 一(四))",
                )
            )
            continue
        value = raw.strip()
        if not value:
            code = ProblemCode.REQUIRED_MISSING if spec.required else ProblemCode.INVALID_FORMAT
            problems.append(Problem(code, field, "empty; leave an optional item out instead"))
            continue
        canonical, found = check_value(spec, value, field, on=on, today=today)
        problems.extend(found)
        if not found:
            values[key] = canonical
    for spec in item.data_items:
        if spec.required and spec.key not in seen:
            problems.append(
                Problem(
                    ProblemCode.REQUIRED_MISSING, f"dataItems.{spec.key}", "this item is required"
                )
            )
    return values


def check_value(
    spec: DataItemSpec, value: str, field: str, *, on: date | None = None, today: date
) -> tuple[str, list[Problem]]:
    """The value in canonical form and every problem it has; `field` names it in problems.

    A dated enum value is accepted only when it is in force `on` the decision date; without a
    date (a value not tied to a decision) every dated value is refused. `today` bounds what an
    identifier may encode (a birth date that has happened).
    """
    problems: list[Problem] = []
    if len(value) > spec.max_length:
        problems.append(
            Problem(
                ProblemCode.TOO_LONG,
                field,
                f"at most {spec.max_length} characters are allowed, {len(value)} were given",
            )
        )
    canonical, problem = _check_format(spec, value, on, today)
    if problem is not None:
        code, message = problem
        problems.append(Problem(code, field, message))
    return canonical, problems


def _check_format(
    spec: DataItemSpec, value: str, on: date | None, today: date
) -> tuple[str, tuple[ProblemCode, str] | None]:
    match spec.format:
        case DataFormat.DATE:
            if not _DATE.fullmatch(value) or _parses(date.fromisoformat, value) is None:
                return value, (ProblemCode.INVALID_FORMAT, "expected a date as YYYY-MM-DD")
        case DataFormat.DATETIME:
            if not _DATETIME.fullmatch(value) or _parses(datetime.fromisoformat, value) is None:
                return value, (
                    ProblemCode.INVALID_FORMAT,
                    "expected an ISO 8601 date and time with an offset, e.g. "
                    "2020-03-15T10:00:00+08:00",
                )
        case DataFormat.AMOUNT:
            if not _AMOUNT.fullmatch(value):
                return value, (
                    ProblemCode.INVALID_FORMAT,
                    "expected a non-negative whole number of fen in digits, without leading zeros",
                )
        case DataFormat.ENUM:
            return _check_enum(spec, value, on)
        case DataFormat.IDENTIFIER:
            canonical = canonical_identifier(value, today=today)
            if canonical is None:
                return value, (
                    ProblemCode.INVALID_IDENTIFIER,
                    "expected a valid unified social credit code or resident identity number",
                )
            return canonical, None
        case DataFormat.TEXT | DataFormat.DOCUMENT_NUMBER:
            if has_control_characters(value):
                return value, (ProblemCode.INVALID_FORMAT, "control characters are not allowed")
    return value, None


def _check_enum(
    spec: DataItemSpec, value: str, on: date | None
) -> tuple[str, tuple[ProblemCode, str] | None]:
    """One value, or for a `multiple` item several joined by 、, each in force on `on`."""
    chosen = enum_values.split(value, multiple=spec.multiple)
    unknown = [v for v in chosen if v not in spec.enum_values]
    if unknown:
        allowed = ", ".join(spec.enum_values)
        several = f"; several are joined by {enum_values.SEPARATOR}" if spec.multiple else ""
        return value, (ProblemCode.NOT_IN_ENUM, f"expected one of: {allowed}{several}")
    if len(set(chosen)) != len(chosen):
        return value, (ProblemCode.INVALID_FORMAT, "a value is given more than once")
    if on is None:
        stale = [d.value for d in spec.dated_values if d.value in chosen]
    else:
        stale = enum_values.not_in_force(chosen, spec.dated_values, on)
    if stale:
        dated = {d.value: d for d in spec.dated_values}
        reasons = "; ".join(_validity(dated[v]) for v in stale)
        return value, (ProblemCode.NOT_IN_ENUM, f"not in force on the decision date: {reasons}")
    return enum_values.join(chosen, spec.enum_values), None


def _validity(dated: enum_values.DatedValue) -> str:
    since = "" if dated.effective_from is None else f" from {dated.effective_from}"
    until = "" if dated.effective_until is None else f" until {dated.effective_until}"
    basis = f" ({dated.basis})" if dated.basis else ""
    return f"{dated.value} is valid for decisions{since}{until}{basis}"


def shown_value(spec: DataItemSpec, stored: str) -> str:
    """A stored value as it leaves the API: an amount in 元, everything else as stored.

    Amounts are stored as whole fen (no rounding, no float) and shown as 元 with two decimals
    and thousands separators, e.g. "12,345.67 元": the unit travels with the value, so no
    reader can take fen for 元. A value that is not whole fen (never stored by the submission
    path) is shown as stored rather than guessed at.
    """
    if spec.format is not DataFormat.AMOUNT or not _AMOUNT.fullmatch(stored):
        return stored
    yuan, fen = divmod(int(stored), 100)
    return f"{yuan:,}.{fen:02d} 元"


def canonical_identifier(value: str, *, today: date) -> str | None:
    """Either kind of identifier in canonical form, or None when it is neither."""
    for kind in (SubjectKind.NATURAL_PERSON, SubjectKind.LEGAL_PERSON):
        try:
            return validate_identifier(kind, value, today=today)
        except InvalidIdentifier:
            continue
    return None


def _parses(parse: Callable[[str], object], value: str) -> object | None:
    try:
        return parse(value)
    except ValueError:
        return None
