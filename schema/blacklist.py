"""The blacklist (黑名单) and its mutations' results."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from domain import blacklist as model
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.enums import ChangeKind, Severity, described
from schema.results import UserError

if TYPE_CHECKING:
    from schema.subjects import Subject


@strawberry.type(description="A record a listing rests on, as the notice names it")
class BlacklistBasis:
    record_id: strawberry.ID
    item_title: str
    document_number: str
    decision_date: date
    severity: Severity | None


@strawberry.type(description="列入黑名单告知: what the subject was told, as issued")
class BlacklistNotice:
    basis: list[BlacklistBasis]
    reason: str
    measures: list[str] = strawberry.field(description="惩戒措施 (notice 二(八))")
    removal_conditions: list[str] = strawberry.field(description="移出条件")
    remedies: list[str] = strawberry.field(description="救济途径: objection, repair, appeal")
    text: str = strawberry.field(description="The whole notice as one text")

    @classmethod
    def of(cls, notice: model.BlacklistNotice) -> BlacklistNotice:
        return cls(
            basis=[
                BlacklistBasis(
                    record_id=strawberry.ID(b.record_id),
                    item_title=b.item_title,
                    document_number=b.document_number,
                    decision_date=b.decision_date,
                    severity=b.severity,
                )
                for b in notice.basis
            ],
            reason=notice.reason,
            measures=list(notice.measures),
            removal_conditions=list(notice.removal_conditions),
            remedies=list(notice.remedies),
            text=notice.text,
        )


described(
    model.EntryEvent,
    "What happened to a blacklist entry",
    {
        model.EntryEvent.LISTED: "列入黑名单: the subject was listed",
        model.EntryEvent.SHORTENED: "A basis record changed: until now follows the serious basis "
        "records still on display",
        model.EntryEvent.REMOVED: "移出黑名单: the subject was removed before until",
    },
)


@strawberry.type(description="One line of an entry's history: what happened, when and why")
class BlacklistEntryChange:
    event: model.EntryEvent
    on: date
    reason: str
    until: date = strawberry.field(description="The entry's last day in force after the change")
    record_id: strawberry.ID | None = strawberry.field(
        description="The basis record whose change caused this one, if any"
    )
    record_change: ChangeKind | None = strawberry.field(description="What happened to that record")

    @classmethod
    def of(cls, change: model.EntryChange) -> BlacklistEntryChange:
        return cls(
            event=change.event,
            on=change.on,
            reason=change.reason,
            until=change.until,
            record_id=None if change.record_id is None else strawberry.ID(change.record_id),
            record_change=change.record_change,
        )


@strawberry.type(description="黑名单: an entry, in force from listedOn through until")
class BlacklistEntry:
    id: strawberry.ID
    basis_record_ids: list[strawberry.ID]
    reason: str
    listed_on: date
    until: date = strawberry.field(
        description="The last day in force, never past the display of its serious basis records; "
        "it ends by itself then"
    )
    in_force: bool
    removed_on: date | None
    removal_reason: str | None
    notice: BlacklistNotice
    history: list[BlacklistEntryChange] = strawberry.field(
        description="Listed, shortened or removed, and why: a change of a basis record names it"
    )
    subject_id: strawberry.Private[str]

    @strawberry.field(description="The listed subject, masked for the viewer")
    async def subject(
        self, info: Info[Context, None]
    ) -> Annotated[Subject, strawberry.lazy("schema.subjects")] | None:
        from schema.subjects import Subject

        found = await subject_resolvers.subject_by_id(info.context, self.subject_id)
        return None if found is None else Subject.of(found)

    @classmethod
    def of(cls, entry: model.BlacklistEntry, today: date) -> BlacklistEntry:
        return cls(
            id=strawberry.ID(entry.id),
            basis_record_ids=[strawberry.ID(i) for i in entry.basis_record_ids],
            reason=entry.reason,
            listed_on=entry.listed_on,
            until=entry.until,
            in_force=entry.in_force(today),
            removed_on=entry.removed_on,
            removal_reason=entry.removal_reason,
            notice=BlacklistNotice.of(entry.notice),
            history=[BlacklistEntryChange.of(c) for c in entry.history],
            subject_id=entry.subject_id,
        )


@strawberry.type
class ListOnBlacklistSuccess:
    entry: BlacklistEntry


@strawberry.type
class RemoveFromBlacklistSuccess:
    entry: BlacklistEntry


ListOnBlacklistResult = Annotated[
    ListOnBlacklistSuccess | UserError, strawberry.union("ListOnBlacklistResult")
]
RemoveFromBlacklistResult = Annotated[
    RemoveFromBlacklistSuccess | UserError, strawberry.union("RemoveFromBlacklistResult")
]
