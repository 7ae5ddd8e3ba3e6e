"""The viewer's access to a subject's data, and which of its records they may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import NoReturn

from auth.viewer import Scope
from domain.catalogue import CatalogueItem, Category
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.records import Record, RecordScope
from domain.source_units import SourceUnit
from domain.subjects import Subject
from resolvers.context import Context
from resolvers.errors import Forbidden
from store.records import RecordFilter
from store.source_units import get_source_units


@dataclass(frozen=True)
class Access:
    """A level for one subject's data of one category, and the grant that raised it, if any."""

    level: PublicAttribute
    grant_id: str | None = None


def require(ctx: Context, scope: str, refusal: str) -> None:
    """FORBIDDEN with `refusal` unless the gate finds the token holds `scope`."""
    if not ctx.gate.holds(scope):
        raise Forbidden(refusal)


def own_subject(ctx: Context, scope: str, refusal: str) -> str:
    """The subject of this own token holding `scope`; FORBIDDEN with `refusal` otherwise."""
    subject_id = ctx.gate.own_subject(scope)
    if subject_id is None:
        raise Forbidden(refusal)
    return subject_id


def source_unit(ctx: Context) -> str:
    """The code of the source unit whose token this is; FORBIDDEN otherwise."""
    code = ctx.gate.source_unit()
    if code is None:
        raise Forbidden(
            f"this needs a source unit's token with scope {Scope.RECORDS_SUBMIT} and a unit claim"
        )
    return code


async def registered_source_unit(ctx: Context) -> SourceUnit:
    """The registered source unit the token speaks for, or FORBIDDEN: the one authority check
    for every write a unit makes (submission, revocation, filings, commitments; issue 11.3).

    A token without a unit claim, or whose unit the credit centre has not registered, is refused
    for the whole request, not item by item: it is about who is asking, and every item would
    fail alike. What the unit may do once known (its types, authorities, level) is judged by the
    operation.
    """
    code = source_unit(ctx)
    [unit] = await get_source_units(ctx.db, codes=[code])
    if unit is None:
        refuse(f"unit {code} is not a registered source unit; the credit centre registers units")
    return unit


def refuse(refusal: str, *, field: str | None = None) -> NoReturn:
    """FORBIDDEN: the token holds none of the roles an operation is for (named in `refusal`)."""
    raise Forbidden(refusal, field=field)


def uses_grants(ctx: Context) -> bool:
    """Only financing queries rely on grants (notice 三(十三)); other roles have fixed levels."""
    return ctx.viewer.has(Scope.FINANCING_READ) and ctx.viewer.org is not None


def _asks_grants(ctx: Context, subject_id: str) -> bool:
    """Whether `access_for` looks up the viewer's grants about this subject."""
    return uses_grants(ctx) and not ctx.viewer.level_for(subject_id).allows(
        PublicAttribute.AUTHORIZED
    )


async def access_for(ctx: Context, subject_id: str, category: Category) -> Access:
    base = ctx.viewer.level_for(subject_id)
    if not _asks_grants(ctx, subject_id):
        return Access(base)
    grants = await ctx.loaders.grants.load(subject_id)
    grant = next((g for g in grants if g.covers(category)), None)
    if grant is None:
        return Access(base)
    return Access(ctx.viewer.level_for(subject_id, granted=True), grant.id)


async def read_grants(ctx: Context, subject_ids: Iterable[str]) -> None:
    """Read in one batch the grants `access_for` will look up about these subjects: a page's
    views, built one after another, then cost one round trip between them, not one each."""
    wanted = [s for s in dict.fromkeys(subject_ids) if _asks_grants(ctx, s)]
    if wanted:
        await ctx.loaders.grants.load_many(wanted)


def meets_persons_only_on_display(ctx: Context) -> bool:
    """Whether lists across subjects show this viewer persons only through disclosed records."""
    return ctx.gate.persons_only_on_display()


async def meets(ctx: Context, subject: Subject) -> bool:
    """Whether the viewer may be shown `subject` at all (domain.subjects.met, by the gate).

    The same answer for a person with nothing on display as for no person, so a lookup by id
    is no oracle; the display check is one batched count per request (DataLoader), and none
    for a subject met through a record on display that the request has already read
    (`note_shown`).
    """
    if ctx.gate.meets(subject.kind, PublicAttribute.PUBLIC, on_display=False):
        return True  # met by anyone (an organisation): no grant or record to look up
    access = await access_for(ctx, subject.id, Category.BASIC)
    if ctx.gate.meets(subject.kind, access.level, on_display=False):
        return True
    key = (subject.id, scope_filter(ctx.gate.record_scope(None)))
    shown = await ctx.loaders.subjects_shown.load(key)
    return ctx.gate.meets(subject.kind, access.level, on_display=shown)


def note_shown(ctx: Context, record: Record) -> None:
    """Remember that the request read `record`: if it is on display to the viewer's base
    level, its subject is met without asking the store (invariant: only a record the display
    scope admits is evidence, the same rule the store's count filter is built from)."""
    scope = ctx.gate.record_scope(None)
    if scope.admits(record):
        ctx.loaders.shown(record, scope_filter(scope))


@lru_cache(maxsize=64)  # a few scopes a day; asked again for every record a page reads
def scope_filter(scope: RecordScope) -> RecordFilter:
    """The store's filter selecting what `scope` admits (`RecordFilter.of_scope`)."""
    return RecordFilter.of_scope(scope)


def record_filter(ctx: Context, subject_id: str | None, wanted: RecordFilter) -> RecordFilter:
    """`wanted` (a client's filter, every field kept) narrowed to the records of `subject_id`
    (None: any) that the gate shows the viewer."""
    scoped = RecordFilter.of_scope(ctx.gate.record_scope(subject_id))
    return replace(
        wanted,
        subject_id=subject_id,
        disclosed_on=scoped.disclosed_on,
        hide_opted_out=scoped.hide_opted_out,
    )


def disclosed_on(ctx: Context, subject_id: str | None) -> date | None:
    """The day records must be on public display, or None when the viewer sees the whole file.

    `subject_id` None means a list across subjects, judged by the viewer's base level.
    """
    return ctx.gate.record_scope(subject_id).on_display


def hides_opted_out(ctx: Context, subject_id: str | None) -> bool:
    """Whether records the person refused (art. 39) must be left out for this viewer."""
    return not ctx.gate.record_scope(subject_id).with_opted_out


def withheld(ctx: Context, record: Record) -> bool:
    """Whether a list of records off public display (a repair history) leaves this one out for
    the viewer, as the API would: one removed from display on an objection is for whole-file
    viewers only, one the person refused (art. 39) for the person and the centre only."""
    scope = ctx.gate.record_scope(record.subject_id)
    if record.hidden and scope.on_display is not None:
        return True
    return record.opted_out and not scope.with_opted_out


def basic_item(ctx: Context, kind: SubjectKind) -> CatalogueItem:
    catalogue = ctx.catalogues.in_force(ctx.today)
    if catalogue is None:
        raise LookupError(f"no catalogue is in force on {ctx.today.isoformat()}")
    return catalogue.basic_item(kind)
