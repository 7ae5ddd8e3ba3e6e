"""One line of an import file: a submission as `submitRecords` takes it, plus the unit's code;
or a registration authority's basic data of a subject, as `submitBasicData` takes it
(`{"unit": …, "basicData": {"kind": …, "dataItems": […]}}`).

Fields are named as in the API's `RecordSubmissionInput` (camelCase), so a unit's GraphQL
variables can be written out one per line. Values are checked as strictly as GraphQL checks
them (no string for a boolean, no number for a string); a line that breaks the shape is
rejected with a problem naming the field, and the rules of the catalogue are then checked by
the same domain code as the API's.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from domain import submission as domain
from domain.disclosure import Severity
from domain.errors import Problem, ProblemCode
from domain.identifiers import SubjectKind
from domain.submission import submission_of

# The field a problem of the whole line names (not JSON, not an object).
WHOLE_LINE = "line"


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Subject(_Shape):
    kind: SubjectKind
    identifier: str
    name: str


class _DataItem(_Shape):
    key: str
    value: str


class SubmissionLine(_Shape):
    unit: str
    source_record_id: str = Field(alias="sourceRecordId")
    subject: _Subject
    item: str
    decision_date: date = Field(alias="decisionDate")
    document_number: str = Field(alias="documentNumber")
    severity: Severity | None = None
    epidemic_related: bool = Field(default=False, alias="epidemicRelated")
    data_items: tuple[_DataItem, ...] = Field(default=(), alias="dataItems")
    correction: bool = False

    def to_domain(self) -> domain.RecordSubmission:
        return submission_of(self)


class _BasicData(_Shape):
    kind: SubjectKind
    data_items: tuple[_DataItem, ...] = Field(alias="dataItems")


class BasicDataLine(_Shape):
    unit: str
    basic_data: _BasicData = Field(alias="basicData")


@dataclass(frozen=True)
class ParsedBasicData:
    """A line of basic data (notice 一(四)); the unit is not looked up yet."""

    number: int
    unit: str
    kind: SubjectKind
    data_items: tuple[tuple[str, str], ...]
    text: str

    @property
    def original(self) -> Any:
        return json.loads(self.text)


@dataclass(frozen=True)
class ParsedLine:
    """A line that has the shape of a submission; the unit is not looked up yet."""

    number: int
    unit: str
    submission: domain.RecordSubmission
    text: str

    @property
    def original(self) -> Any:
        """The line as JSON, for a rejects file: read again only for the few lines rejected."""
        return json.loads(self.text)


@dataclass(frozen=True)
class MalformedLine:
    """A line that is not a submission at all: every problem of its shape."""

    number: int
    problems: tuple[Problem, ...]
    original: Any

    @property
    def source_record_id(self) -> str | None:
        found = self.original.get("sourceRecordId") if isinstance(self.original, dict) else None
        return found if isinstance(found, str) else None


def parse_line(number: int, text: str) -> ParsedLine | ParsedBasicData | MalformedLine:
    """The submission or basic data on line `number`, or every problem of its shape."""
    if '"basicData"' in text:  # cheap to ask; what it is, the strict shape decides
        with suppress(ValidationError):
            basic = BasicDataLine.model_validate_json(text)
            given = tuple((d.key, d.value) for d in basic.basic_data.data_items)
            return ParsedBasicData(number, basic.unit, basic.basic_data.kind, given, text)
    try:
        line = SubmissionLine.model_validate_json(text)
    except ValidationError as exc:
        try:
            original: Any = json.loads(text)
        except ValueError:
            original = text
        problems = tuple(_problem(number, error) for error in exc.errors(include_url=False))
        return MalformedLine(number, problems, original)
    return ParsedLine(number, line.unit, line.to_domain(), text)


def undecodable(number: int, raw: bytes) -> MalformedLine:
    problem = Problem(ProblemCode.INVALID_FORMAT, WHOLE_LINE, f"line {number} is not UTF-8 text")
    return MalformedLine(number, (problem,), raw.decode("utf-8", errors="replace"))


def _field(error: ErrorDetails) -> str:
    """`subject.identifier`, `dataItems[0].value`: the path as the API names its fields."""
    path = ""
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".") or WHOLE_LINE


def _problem(number: int, error: ErrorDetails) -> Problem:
    field = _field(error)
    kind = error["type"]
    if kind == "json_invalid":
        message = f"line {number} is not JSON: {error['ctx']['error']}"
        return Problem(ProblemCode.INVALID_FORMAT, WHOLE_LINE, message)
    if kind == "missing" or (kind.endswith("_type") and error["input"] is None):
        return Problem(ProblemCode.REQUIRED_MISSING, field, f"line {number}: {field} is required")
    if kind == "extra_forbidden":
        message = f"line {number}: {field} is not a field of a submission"
        return Problem(ProblemCode.INVALID_FORMAT, field, message)
    code = ProblemCode.NOT_IN_ENUM if kind == "enum" else ProblemCode.INVALID_FORMAT
    where = "" if field == WHOLE_LINE else f" {field}:"
    return Problem(code, field, f"line {number}:{where} {error['msg']}")
