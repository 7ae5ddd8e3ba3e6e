"""Subjects: the masked view that leaves the API, looking one up and listing them."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from auth.masking import ShownValue, revealed_by, show, show_items
from domain.catalogue import CatalogueItem, Category
from domain.errors import ProblemCode
from domain.identifiers import InvalidIdentifier as BadIdentifier
from domain.identifiers import SubjectKind, identify
from domain.masking import PublicAttribute
from domain.subjects import KindOnFile, Subject, basic_data_values, with_basic_data
from resolvers.access import (
    access_for,
    basic_item,
    disclosed_on,
    meets,
    meets_persons_only_on_display,
    read_grants,
    registered_source_unit,
)
from resolvers.context import Context, forget
from resolvers.errors import (
    Conflict,
    ForbiddenFilter,
    InvalidArgument,
    InvalidIdentifier,
    UnitNotAuthorized,
)
from resolvers.pagination import Page, keyset_page
from resolvers.together import gather_eagerly
from store import subjects as subject_store
from store.database import Database
from store.documents import update_optimistically

CURSOR_TAG = "subjects"
# A name search scans every name in the store; a long pattern stalled it for everyone (issue 9).
MAX_SEARCH = 50


@dataclass(frozen=True)
class SubjectHeading:
    """A subject as the viewer sees it, its basic items other than name and identifier left
    unshown: what a page shows whose query cannot select them (issue 9)."""

    id: str
    kind: SubjectKind
    name: ShownValue
    identifier: ShownValue
    level: PublicAttribute
    # Shown to whoever is shown the name itself (a firm's 曾用名 is as public as its name).
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SubjectView(SubjectHeading):
    """A subject as the viewer sees it, every basic item shown."""

    basic_items: list[ShownValue]


def _values(subject: Subject) -> dict[str, str]:
    """The subject's own fields by the keys of its kind's basic-information item."""
    return {"name": subject.name, "identifier": subject.identifier, **subject.basic}


def subject_view(subject: Subject, basic: CatalogueItem, level: PublicAttribute) -> SubjectView:
    """The subject's own fields masked by its kind's basic-information item."""
    shown = show_items(basic, _values(subject), level)
    by_key = {v.key: v for v in shown}
    return SubjectView(
        id=subject.id,
        kind=subject.kind,
        name=by_key["name"],
        identifier=by_key["identifier"],
        basic_items=shown,
        level=level,
        former_names=_former_names(subject, by_key["name"]),
    )


def subject_heading(
    subject: Subject, basic: CatalogueItem, level: PublicAttribute
) -> SubjectHeading:
    """`subject_view` without the other basic items: name and identifier shown as it shows them."""
    values = _values(subject)
    name = show(basic.specs["name"], values["name"], level)
    return SubjectHeading(
        id=subject.id,
        kind=subject.kind,
        name=name,
        identifier=show(basic.specs["identifier"], values["identifier"], level),
        level=level,
        former_names=_former_names(subject, name),
    )


def _former_names(subject: Subject, name: ShownValue) -> tuple[str, ...]:
    """A subject's 曾用名, shown to whoever is shown its name unmasked (as public as the name)."""
    return () if name.masked else subject.former_names


async def view_of(ctx: Context, subject: Subject) -> SubjectView:
    access = await access_for(ctx, subject.id, Category.BASIC)
    view = subject_view(subject, basic_item(ctx, subject.kind), access.level)
    ctx.audit.saw(subject.id, view.basic_items, grant_id=access.grant_id)
    return view


async def heading_of(ctx: Context, subject: Subject) -> SubjectHeading:
    """The subject's heading, audited as its whole view is: the audit names what the viewer
    may read of the subject, whether or not this query shows it."""
    access = await access_for(ctx, subject.id, Category.BASIC)
    basic = basic_item(ctx, subject.kind)
    revealed = revealed_by(basic, _values(subject), access.level)
    ctx.audit.revealed(subject.id, revealed, grant_id=access.grant_id)
    return subject_heading(subject, basic, access.level)


async def _met(ctx: Context, subject_id: str) -> Subject | None:
    """The subject, if there is one and the viewer may meet it."""
    subject = await ctx.loaders.subjects.load(subject_id)
    return subject if subject is not None and await meets(ctx, subject) else None


async def subject_by_id(ctx: Context, subject_id: str) -> SubjectView | None:
    """The subject as the viewer sees it; None when there is none or the viewer may not meet it
    (a person with nothing on public display), the two alike."""
    subject = await _met(ctx, subject_id)
    return None if subject is None else await view_of(ctx, subject)


async def heading_by_id(ctx: Context, subject_id: str) -> SubjectHeading | None:
    """`subject_by_id`'s heading: None alike, audited alike."""
    subject = await _met(ctx, subject_id)
    return None if subject is None else await heading_of(ctx, subject)


async def subjects_by_id(
    ctx: Context, subject_ids: Iterable[str], *, basic_items: bool
) -> dict[str, SubjectHeading | None]:
    """`subject_by_id` of each id (`heading_by_id` unless `basic_items`), run together so that
    each loader reads them in one batch; an id whose reading fails is left out, for its caller
    to ask again and fail as it would.

    The subjects and the viewer's grants about them are read first, each in one batch: most
    views then need no further reading and are made without a task each (`gather_eagerly`).
    """
    wanted = list(dict.fromkeys(subject_ids))
    by_id = subject_by_id if basic_items else heading_by_id
    # A reading that fails here is met again by the views it fails, which are left out.
    reads = ctx.loaders.subjects.load_many(wanted), read_grants(ctx, wanted)
    await asyncio.gather(*reads, return_exceptions=True)
    found = await gather_eagerly(by_id(ctx, s) for s in wanted)
    return {
        subject_id: view
        for subject_id, view in zip(wanted, found, strict=True)
        if not isinstance(view, Exception)
    }


def _canonical_identifier(identifier: str, *, today: date) -> tuple[SubjectKind, str]:
    """Either kind of identifier, canonicalised, with the kind its shape tells."""
    try:
        return identify(identifier, today=today)
    except BadIdentifier as exc:
        raise InvalidIdentifier(str(exc), field="identifier") from None


async def _by_identifier(ctx: Context, identifier: str) -> SubjectView | None:
    """Look a subject up by identifier without letting the answer act as an oracle.

    A viewer who may not see identifiers of this kind learns nothing from the lookup: unless
    the subject found is one they have raised access to (their own, or by a grant), the answer
    is FORBIDDEN_FILTER whether or not the subject exists (DESIGN.md §5; PIPL art. 51).
    """
    kind, canonical = _canonical_identifier(identifier, today=ctx.today)
    required = basic_item(ctx, kind).specs["identifier"].public_attribute
    found = await subject_store.get_subject_by_identifier(ctx.db, identifier=canonical)
    if ctx.viewer.base_level.allows(required):
        return None if found is None else await view_of(ctx, found)
    if found is not None:
        access = await access_for(ctx, found.id, Category.BASIC)
        if access.level.allows(required):
            return await view_of(ctx, found)
    raise ForbiddenFilter(
        f"looking a {kind.value.lower().replace('_', ' ')} up by identifier needs access "
        f"{required.value}",
        field="identifier",
    )


async def subject(
    ctx: Context, *, subject_id: str | None, identifier: str | None
) -> SubjectView | None:
    if (subject_id is None) == (identifier is None):
        raise InvalidArgument("give exactly one of id and identifier", field="id")
    if subject_id is not None:
        return await subject_by_id(ctx, subject_id)
    assert identifier is not None
    return await _by_identifier(ctx, identifier)


def _searchable_kinds(ctx: Context, kind: SubjectKind | None) -> list[SubjectKind]:
    """The kinds whose names the viewer may search: a name it may not see is no filter."""
    allowed = [
        k
        for k in SubjectKind
        if ctx.viewer.base_level.allows(basic_item(ctx, k).specs["name"].public_attribute)
        and not (k is SubjectKind.NATURAL_PERSON and meets_persons_only_on_display(ctx))
    ]
    if kind is not None and kind not in allowed:
        raise ForbiddenFilter(
            f"searching {kind.value} subjects by name needs a higher access level", field="search"
        )
    return [kind] if kind is not None else allowed


async def subjects(
    ctx: Context,
    *,
    search: str | None,
    kind: SubjectKind | None,
    first: int | None,
    after: str | None,
) -> Page[SubjectView]:
    if search is not None and len(search) > MAX_SEARCH:
        raise InvalidArgument(
            f"search is at most {MAX_SEARCH} characters, {len(search)} were given", field="search"
        )
    kinds = _searchable_kinds(ctx, kind) if search else (None if kind is None else [kind])
    # Domain.subjects.met: below AUTHORIZED, persons are met only through disclosed records.
    shown_on = ctx.today if meets_persons_only_on_display(ctx) else None
    # Former names are found by whole-file viewers (the centre, government; issue 12.1): a
    # name search of the public matches today's names only, as the portal shows them.
    former = disclosed_on(ctx, None) is None

    async def find(key: str | None, limit: int) -> list[Subject]:
        found = await subject_store.find_subjects(
            ctx.db,
            search=search,
            kinds=kinds,
            after=key,
            limit=limit,
            persons_shown_on=shown_on,
            former_names=former,
        )
        await read_grants(ctx, (s.id for s in found))
        return found

    async def view(subject: Subject) -> SubjectView:
        ctx.loaders.subjects.prime(subject.id, subject)
        return await view_of(ctx, subject)

    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=find,
        key=lambda subject: subject.id,
        count=lambda: subject_store.count_subjects(
            ctx.db, search=search, kinds=kinds, persons_shown_on=shown_on, former_names=former
        ),
        view=view,
    )


def new_subject_id() -> str:
    """A subject's id: generated, never derived from its identifier (ids appear in URLs)."""
    return f"s-{secrets.token_hex(10)}"


async def submit_basic_data(
    ctx: Context, *, kind: SubjectKind, data_items: list[tuple[str, str]]
) -> SubjectView:
    """A registration authority's basic data of a subject (notice 一(四)): the data items of
    the kind's BASIC catalogue item as its register holds them now, checked like a record's
    (`domain.subjects.basic_data_values`), then written by `record_basic_data`."""
    unit = await registered_source_unit(ctx)
    values, problems = basic_data_values(
        basic_item(ctx, kind), tuple(data_items), unit_types=unit.unit_types, today=ctx.today
    )
    if problems:
        first = problems[0]
        refusal = (
            UnitNotAuthorized if first.code is ProblemCode.UNIT_NOT_AUTHORIZED else InvalidArgument
        )
        raise refusal(first.message, field="kind" if first.field == "unit" else first.field)
    try:
        subject, _ = await record_basic_data(
            ctx.db, kind=kind, values=values, by=unit.code, now=ctx.now
        )
    except KindOnFile as exc:
        raise InvalidArgument(str(exc), field="kind") from None
    forget(ctx.loaders.subjects, subject.id)
    ctx.audit.wrote_for(subject.id)
    return await view_of(ctx, subject)


async def record_basic_data(
    db: Database, *, kind: SubjectKind, values: dict[str, str], by: str, now: datetime
) -> tuple[Subject, bool]:
    """Write checked basic data (the API's and the import file's one write): the subject found
    by its identifier, created when new, else a new version when anything changed; and whether
    it wrote. Raises `KindOnFile` for an identifier of another kind on file, and `Conflict`
    when other writers kept changing it (`update_optimistically`).

    Its other items are replaced by those given (an item left out is no longer on file), a new
    name keeps the old one as a former name; records follow the subject, named by id.
    """
    identifier = values["identifier"]

    async def read() -> Subject | None:
        return await subject_store.get_subject_by_identifier(db, identifier=identifier)

    async def apply(found: Subject | None) -> Subject | None:
        if found is None:
            return Subject(
                id=new_subject_id(),
                kind=kind,
                identifier=identifier,
                name=values["name"],
                basic={k: v for k, v in values.items() if k not in ("name", "identifier")},
                created_at=now,
            )
        if found.kind is not kind:
            raise KindOnFile("the subject on file with this identifier is of another kind")
        after = with_basic_data(found, values, at=now, by=by)
        return None if after is found else after

    async def write(before: Subject | None, after: Subject | None) -> bool:
        assert after is not None
        if before is None:  # registered by another writer meanwhile: correct that one
            return await subject_store.insert_new_subjects(db, subjects=[after]) == 1
        return await subject_store.replace_subject(db, before=before, after=after)

    subject, written = await update_optimistically(
        read=read,
        apply=apply,
        write=write,
        what=f"subject {identifier} kept changing while its basic data was written",
        conflict=Conflict,
    )
    assert subject is not None
    return subject, written
