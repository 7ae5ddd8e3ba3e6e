"""The blacklist (二(八)): the credit centre lists and removes; anyone reads entries in force."""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import ValidationError

from auth.viewer import Scope
from domain import blacklist as rules
from domain import listing_notice
from domain.blacklist import BlacklistEntry
from domain.records import Record
from resolvers import errors
from resolvers.access import require
from resolvers.context import Context, forget
from resolvers.errors import ForbiddenFilter, InvalidArgument, NotFound
from resolvers.pagination import Page, keyset_page
from store import blacklist as blacklist_store
from store.blacklist import EntryFilter

CURSOR_TAG = "blacklist"
MAX_BASIS = 20


def _centre(ctx: Context) -> str:
    refusal = f"the blacklist is kept by the credit centre ({Scope.BLACKLIST_WRITE})"
    require(ctx, Scope.BLACKLIST_WRITE, refusal)
    return ctx.viewer.sub or "credit-centre"


def _entry_id(subject_id: str, basis: list[str], day: date) -> str:
    """One entry per subject, basis and listing day, so a retried listing finds the first."""
    key = "\x00".join([subject_id, day.isoformat(), *sorted(basis)])
    return f"bl-{hashlib.sha256(key.encode()).hexdigest()[:24]}"


async def _basis(ctx: Context, ids: list[str]) -> list[Record]:
    if not ids:
        raise InvalidArgument("basisRecords: name at least one record", field="basisRecords")
    if len(ids) > MAX_BASIS:
        raise InvalidArgument(f"basisRecords: at most {MAX_BASIS} records", field="basisRecords")
    found = await ctx.loaders.records.load_many(ids)
    return [r for r in found if r is not None]


def _titles(ctx: Context, basis: list[Record]) -> dict[str, str]:
    return {
        r.item_code: ctx.catalogues.item(r.catalogue_version, r.item_code).title_zh for r in basis
    }


async def list_on_blacklist(
    ctx: Context, *, subject_id: str, basis_record_ids: list[str], reason: str, until: date
) -> BlacklistEntry:
    listed_by = _centre(ctx)
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("no subject has this id", field="subject")
    requested = list(dict.fromkeys(i.strip() for i in basis_record_ids))
    basis = await _basis(ctx, requested)
    try:
        rules.check_listing(
            subject_id=subject.id,
            requested_ids=requested,
            basis=basis,
            until=until,
            today=ctx.today,
        )
    except rules.BasisInvalid as exc:
        raise errors.BlacklistBasisInvalid(str(exc), field="basisRecords") from None
    except rules.UntilInvalid as exc:
        raise InvalidArgument(f"until: {exc}", field="until") from None
    current = [
        e for e in await ctx.loaders.blacklist_entries.load(subject.id) if e.in_force(ctx.today)
    ]
    if any(set(e.basis_record_ids) & set(requested) for e in current):
        raise _already_listed()
    try:
        entry = BlacklistEntry(
            id=_entry_id(subject.id, requested, ctx.today),
            subject_id=subject.id,
            basis_record_ids=tuple(requested),
            reason=reason.strip(),
            listed_on=ctx.today,
            until=until,
            listed_by=listed_by,
            notice=listing_notice.build_notice(
                basis=basis, titles=_titles(ctx, basis), reason=reason.strip(), until=until
            ),
            created_at=ctx.now,
            history=(
                rules.listed(
                    basis=basis, subject_id=subject.id, until=until, on=ctx.today, by=listed_by
                ),
            ),
        )
    except ValidationError as exc:
        raise errors.invalid_argument(exc, {"reason": "reason"}) from None
    if not await blacklist_store.insert_entry(ctx.db, entry=entry):
        raise _already_listed()
    forget(ctx.loaders.blacklist_entries, subject.id)
    ctx.audit.wrote_for(subject.id)
    return entry


def _already_listed() -> errors.AlreadyListed:
    return errors.AlreadyListed(
        "an entry in force already rests on one of these records", field="basisRecords"
    )


async def remove_from_blacklist(ctx: Context, *, entry_id: str, reason: str) -> BlacklistEntry:
    removed_by = _centre(ctx)
    entry = await blacklist_store.get_entry(ctx.db, entry_id=entry_id)
    if entry is None:
        raise NotFound("no blacklist entry has this id", field="id")
    if not entry.in_force(ctx.today):
        raise _not_in_force(entry)
    try:
        after = rules.removed(entry, on=ctx.today, by=removed_by, reason=reason.strip())
    except ValidationError as exc:
        raise errors.invalid_argument(exc, {"removal_reason": "reason"}) from None
    if not await blacklist_store.replace_entry(ctx.db, before=entry, after=after):
        raise _not_in_force(entry)
    forget(ctx.loaders.blacklist_entries, entry.subject_id)
    ctx.audit.wrote_for(entry.subject_id)
    return after


def _not_in_force(entry: BlacklistEntry) -> errors.NotInForce:
    state = "was removed" if entry.removed else f"ended on {entry.until}"
    return errors.NotInForce(f"the entry {state}", field="id")


def _sees_all(ctx: Context, subject_id: str | None) -> bool:
    """Entries no longer in force are for whole-file viewers: the subject, government, centre."""
    return ctx.gate.record_scope(subject_id).on_display is None


async def blacklist(
    ctx: Context,
    *,
    subject_id: str | None,
    in_force: bool | None,
    first: int | None,
    after: str | None,
) -> Page[BlacklistEntry]:
    """Entries newest first; the public sees those in force (notice 二(八): published)."""
    if not _sees_all(ctx, subject_id):
        if in_force is False:
            raise ForbiddenFilter("entries no longer in force are not public", field="inForce")
        in_force = True
    spec = EntryFilter(subject_id=subject_id, in_force=in_force, day=ctx.today)
    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: blacklist_store.find_entries(
            ctx.db, spec=spec, after=key, limit=limit
        ),
        key=blacklist_store.order_key,
        count=lambda: blacklist_store.count_entries(ctx.db, spec=spec),
    )


async def blacklisted(ctx: Context, subject_id: str) -> bool:
    """Whether an entry about the subject is in force today."""
    entries = await ctx.loaders.blacklist_entries.load(subject_id)
    return any(e.in_force(ctx.today) for e in entries)
