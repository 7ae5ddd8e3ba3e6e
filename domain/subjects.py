"""Credit subjects (信用主体): the people and organisations a file is kept about.

A submission names its subject by kind, identifier and name (`SubjectRef`); the subject on file
with the same identifier is the one it is about, and one is created by the first record
accepted about it. Names (of subjects and of units) are compared in one form, `name_key`: a
name typed with full-width brackets or spaces (（有限合伙）, 　) and the same name with half-width
ones ((有限合伙)) are one name; so are names differing only in runs of whitespace.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import CatalogueItem, SourceUnitType
from domain.data_items import check_data_items
from domain.errors import Problem, ProblemCode
from domain.identifiers import InvalidIdentifier, SubjectKind, validate_identifier
from domain.masking import PublicAttribute


class BasicDataChange(BaseModel):
    """One correction of a subject's basic data by a registration authority (一(四))."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=2)
    at: datetime
    by: str
    changed: tuple[str, ...]


class Subject(BaseModel):
    """A subject with its basic data items (基础信息), keyed as in the catalogue's BASIC item."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    kind: SubjectKind
    identifier: str
    name: str = Field(min_length=1, max_length=200)
    basic: dict[str, str] = Field(default_factory=dict)
    # Names it had before a registration authority renamed it, oldest first: records follow
    # the subject, and a source unit naming it by a former name names it rightly.
    former_names: tuple[str, ...] = ()
    # Shenzhen regulation art. 39: a person may refuse the recording of commendations,
    # volunteering and donations about them.
    opted_out: bool = False
    created_at: datetime
    version: int = Field(default=1, ge=1)
    history: tuple[BasicDataChange, ...] = ()

    def known_by(self, name: str) -> bool:
        """Whether `name` is its name or one it had (`same_name`)."""
        return any(same_name(name, known) for known in (self.name, *self.former_names))


class KindOnFile(ValueError):
    """The identifier names a subject of another kind on file."""


def basic_data_values(
    item: CatalogueItem,
    given: tuple[tuple[str, str], ...],
    *,
    unit_types: Iterable[SourceUnitType],
    today: date,
) -> tuple[dict[str, str], list[Problem]]:
    """A registration authority's basic data for a subject of `item`'s kind, checked as a
    record's data items are, and every problem; the identifier canonical.

    Only a unit of one of the item's source-unit types submits it (notice 一(三): the
    registration authority); nothing else is judged for another unit.
    """
    if not set(unit_types) & set(item.source_unit_types):
        allowed = ", ".join(t.value for t in item.source_unit_types)
        message = f"basic data of this kind is submitted by {allowed} units (notice 一(三))"
        return {}, [Problem(ProblemCode.UNIT_NOT_AUTHORIZED, "unit", message)]
    problems: list[Problem] = []
    values = check_data_items(item, given, problems, on=today, today=today)
    if "identifier" in values:
        [kind] = item.subject_kinds  # a BASIC item is of one kind of subject
        try:
            values["identifier"] = validate_identifier(kind, values["identifier"], today=today)
        except InvalidIdentifier as exc:
            problems.append(
                Problem(ProblemCode.INVALID_IDENTIFIER, "dataItems.identifier", str(exc))
            )
    return values, problems


def with_basic_data(subject: Subject, values: dict[str, str], *, at: datetime, by: str) -> Subject:
    """The subject after a registration authority's basic data (一(四)): `values` are the
    checked data items of its kind's BASIC item, `name` and `identifier` among them.

    Invariant: the identifier never changes (it is who the subject is); a new name keeps the
    old one in `former_names`; every change raises the version and says which items changed.
    Values equal to those on file change nothing and make no version.
    """
    if values.get("identifier", subject.identifier) != subject.identifier:
        raise ValueError("a subject's identifier cannot change")
    name = values.get("name", subject.name)
    basic = {k: v for k, v in values.items() if k not in ("name", "identifier")}
    changed = sorted(
        ({"name"} if name != subject.name else set())
        | {k for k in basic.keys() | subject.basic.keys() if basic.get(k) != subject.basic.get(k)}
    )
    if not changed:
        return subject
    former = subject.former_names
    if name != subject.name and not same_name(name, subject.name):
        former = tuple(n for n in former if not same_name(n, name)) + (subject.name,)
    version = subject.version + 1
    entry = BasicDataChange(version=version, at=at, by=by, changed=tuple(changed))
    return subject.model_copy(
        update={
            "name": name,
            "basic": basic,
            "former_names": former,
            "version": version,
            "history": (*subject.history, entry),
        }
    )


def met(kind: SubjectKind, level: PublicAttribute, *, on_display: bool) -> bool:
    """Whether a viewer at `level` for a subject may be shown the subject at all.

    Invariant: a viewer below AUTHORIZED meets a natural person only through a record on
    public display (`on_display`). 信用中国 has no person search, and listing persons with
    nothing disclosed publishes personal information for no purpose (PIPL arts. 6, 73;
    Shenzhen regulation art. 38). Organisations are public subjects; the person itself, a
    holder of its grant and whole-file viewers meet anyone.
    """
    if kind is not SubjectKind.NATURAL_PERSON:
        return True
    return on_display or level.allows(PublicAttribute.AUTHORIZED)


def name_key(name: str) -> str:
    """The form names are compared in: NFKC, whitespace runs folded to one space, stripped.

    Two names are the same name exactly when their keys are equal; nothing else (case,
    traditional and simplified characters) is folded.
    """
    return " ".join(unicodedata.normalize("NFKC", name).split())


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


@dataclass(frozen=True)
class SubjectRef:
    """The subject a submission is about, as the unit names it."""

    kind: SubjectKind
    identifier: str
    name: str


def subject_identifier(ref: SubjectRef, *, today: date) -> str | None:
    """The identifier in canonical form, or None when it is no valid identifier today."""
    try:
        return validate_identifier(ref.kind, ref.identifier, today=today)
    except InvalidIdentifier:
        return None


def new_subject(ref: SubjectRef, *, subject_id: str, created_at: datetime, today: date) -> Subject:
    """A subject created by its first record; its id is generated, not derived from anything."""
    return Subject(
        id=subject_id,
        kind=ref.kind,
        identifier=validate_identifier(ref.kind, ref.identifier, today=today),
        name=ref.name.strip(),
        created_at=created_at,
    )


def on_file_problems(
    ref: SubjectRef, item: CatalogueItem, on_file: Subject | None
) -> list[Problem]:
    """What the subject on file says against the record: a kind or name that differs from the
    one on file, else the person's refusal of such records (Shenzhen Social Credit Regulation
    art. 39: commendations, volunteering and donations are then not recorded).

    Submission is no oracle (PIPL art. 51; Shenzhen regulation art. 38):
    `domain.submission.judge` asks this of an otherwise valid record only, so probing with
    made-up records teaches nothing; a difference names the field, never the value on file; and
    an opt-out is told only to a unit that names the person rightly, in words that say no more
    than that this record is not recorded. Names are compared as `same_name` does (NFKC,
    whitespace folded).
    """
    if on_file is None:
        return []
    problems = []
    if on_file.kind is not ref.kind:
        problems.append(
            Problem(
                ProblemCode.SUBJECT_MISMATCH,
                "subject.kind",
                "the subject on file with this identifier is of another kind",
            )
        )
    if not on_file.known_by(ref.name):
        problems.append(
            Problem(
                ProblemCode.SUBJECT_MISMATCH,
                "subject.name",
                "the name differs from the name on file for this identifier",
            )
        )
    if not problems and on_file.opted_out and item.opt_out_allowed:
        problems.append(
            Problem(
                ProblemCode.SUBJECT_OPTED_OUT,
                "subject.identifier",
                "this record is not recorded: the person has refused the recording of such "
                "records (Shenzhen Social Credit Regulation art. 39)",
            )
        )
    return problems
