"""Typical cases: the credit centre publishes, the portal reads through the same masking."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from pydantic import ValidationError

from auth.viewer import Scope
from domain.cases import CASE_CATEGORY, CaseKind, TypicalCase, shown_records, withdrawn
from domain.records import publicly_visible
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.access import require
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound, RecordNotOnDisplay, invalid_argument
from resolvers.pagination import Page, keyset_page
from resolvers.records import RecordView
from resolvers.subjects import SubjectView
from store import cases as case_store

CURSOR_TAG = "cases"
ARGUMENT_NAMES = {"title": "title", "summary": "summary", "record_ids": "records"}


@dataclass(frozen=True)
class CaseView:
    case: TypicalCase
    subject: SubjectView | None
    records: list[RecordView]
    withdrawn: bool


async def publish_case(
    ctx: Context,
    *,
    kind: CaseKind,
    title: str,
    summary: str,
    subject_id: str | None,
    record_ids: list[str],
) -> CaseView:
    require(ctx, Scope.CASES_WRITE, f"publishing a case needs scope {Scope.CASES_WRITE}")
    if record_ids and subject_id is None:
        raise InvalidArgument(
            "records may be linked only together with their subject", field="records"
        )
    if subject_id is not None and await ctx.loaders.subjects.load(subject_id) is None:
        raise NotFound("no subject has this id", field="subject")
    for record in await ctx.loaders.records.load_many(record_ids):
        if record is None or record.subject_id != subject_id:
            raise NotFound(
                "a linked record does not exist or is not the subject's", field="records"
            )
        if record.category is not CASE_CATEGORY[kind]:
            raise InvalidArgument(
                f"a {kind.value} case links {CASE_CATEGORY[kind].value} records only",
                field="records",
            )
        if not publicly_visible(record, ctx.today):
            raise RecordNotOnDisplay(
                f"record {record.id} is not on public display today (revoked, repaired, "
                "withdrawn on an objection or outside its disclosure period); a case links "
                "only records on display",
                field="records",
            )
    try:
        case = TypicalCase(
            id=f"c-{secrets.token_hex(8)}",
            kind=kind,
            title=title.strip(),
            summary=summary.strip(),
            subject_id=subject_id,
            record_ids=tuple(dict.fromkeys(record_ids)),
            published_at=ctx.now,
            published_by=ctx.viewer.sub or "",
        )
    except ValidationError as exc:
        raise invalid_argument(exc, ARGUMENT_NAMES) from None
    await case_store.insert_case(ctx.db, case=case)
    if subject_id is not None:
        ctx.audit.wrote_for(subject_id)
    return await _view(ctx, case)


async def _view(ctx: Context, case: TypicalCase) -> CaseView:
    """The case with its subject and its linked records still on display, masked for the
    viewer; `domain.cases.shown_records` says why the others are hidden."""
    shown = shown_records(case, await ctx.loaders.records.load_many(case.record_ids), ctx.today)
    gone = withdrawn(case, shown)
    subject = None
    if case.subject_id is not None and not gone:
        subject = await subject_resolvers.subject_by_id(ctx, case.subject_id)
    records = [await record_resolvers.record(ctx, r.id) for r in shown]
    return CaseView(case, subject, [r for r in records if r is not None], gone)


async def cases(
    ctx: Context, *, kind: CaseKind | None, first: int | None, after: str | None
) -> Page[CaseView]:
    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: case_store.find_cases(ctx.db, kind=kind, after=key, limit=limit),
        key=case_store.order_key,
        count=lambda: case_store.count_cases(ctx.db, kind=kind),
        view=lambda case: _view(ctx, case),
    )
