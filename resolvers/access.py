"""The viewer's access to a subject's data, and which of its records they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auth.viewer import Scope
from domain.catalogue import CatalogueItem, Category, PublicAttribute
from domain.identifiers import SubjectKind
from domain.records import Record, sees_opted_out, sees_whole_file
from domain.subjects import Subject, met
from resolvers.context import Context
from store.records import RecordFilter


@dataclass(frozen=True)
class Access:
    """A level for one subject's data of one category, and the grant that raised it, if any."""

    level: PublicAttribute
    grant_id: str | None = None


def uses_grants(ctx: Context) -> bool:
    """Only financing queries rely on grants (notice 三(十三)); other roles have fixed levels."""
    return ctx.viewer.has(Scope.FINANCING_READ) and ctx.viewer.org is not None


async def access_for(ctx: Context, subject_id: str, category: Category) -> Access:
    base = ctx.viewer.level_for(subject_id)
    if base.allows(PublicAttribute.AUTHORIZED) or not uses_grants(ctx):
        return Access(base)
    grants = await ctx.loaders.grants.load(subject_id)
    grant = next((g for g in grants if g.covers(category)), None)
    if grant is None:
        return Access(base)
    return Access(ctx.viewer.level_for(subject_id, granted=True), grant.id)


def meets_persons_only_on_display(ctx: Context) -> bool:
    """Whether lists across subjects show this viewer persons only through disclosed records."""
    return not ctx.viewer.base_level.allows(PublicAttribute.AUTHORIZED)


async def meets(ctx: Context, subject: Subject) -> bool:
    """Whether the viewer may be shown `subject` at all (domain.subjects.met).

    The same answer for a person with nothing on display as for no person, so a lookup by id
    is no oracle; the display check is one batched count per request (DataLoader).
    """
    if met(subject.kind, PublicAttribute.PUBLIC, on_display=False):
        return True
    access = await access_for(ctx, subject.id, Category.BASIC)
    if met(subject.kind, access.level, on_display=False):
        return True
    key = (subject.id, RecordFilter(disclosed_on=ctx.today))
    shown = await ctx.loaders.subject_record_counts.load(key)
    return met(subject.kind, access.level, on_display=shown > 0)


def disclosed_on(ctx: Context, subject_id: str | None) -> date | None:
    """The day records must be in disclosure on, or None when the viewer sees the whole file.

    `subject_id` None means a list across subjects, judged by the viewer's base level.
    """
    if subject_id is None:
        level, own = ctx.viewer.base_level, False
    else:
        level, own = ctx.viewer.level_for(subject_id), ctx.viewer.owns(subject_id)
    return None if sees_whole_file(level, own=own) else ctx.today


def hides_opted_out(ctx: Context, subject_id: str | None) -> bool:
    """Whether records the person refused (art. 39) must be left out for this viewer."""
    if subject_id is None:
        return not sees_opted_out(ctx.viewer.base_level, own=False)
    return not sees_opted_out(ctx.viewer.level_for(subject_id), own=ctx.viewer.owns(subject_id))


def withheld(ctx: Context, record: Record) -> bool:
    """Whether a list of records off public display (a repair history) leaves this one out for
    the viewer, as the API would: one removed from display on an objection is for whole-file
    viewers only, one the person refused (art. 39) for the person and the centre only."""
    if record.hidden and disclosed_on(ctx, record.subject_id) is not None:
        return True
    return record.opted_out and hides_opted_out(ctx, record.subject_id)


def basic_item(ctx: Context, kind: SubjectKind) -> CatalogueItem:
    catalogue = ctx.catalogues.in_force(ctx.today)
    if catalogue is None:
        raise LookupError(f"no catalogue is in force on {ctx.today.isoformat()}")
    return catalogue.basic_item(kind)
