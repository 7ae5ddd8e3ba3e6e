"""The blacklist (黑名单) and its mutations' results."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from domain import blacklist as model
from domain import listing_notice
from resolvers import blacklist as blacklist_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.connections import After, Connection, First, connection
from schema.enums import ChangeKind, Severity, described
from schema.errors import UserError, mutation_result

if TYPE_CHECKING:
    from schema.subjects import Subject


@strawberry.type(description="A record a listing rests on, as the notice names it")
class BlacklistBasis:
    record_id: strawberry.ID = strawberry.field(description="The basis record's id")
    item_title: str = strawberry.field(description="Its catalogue item's title (目录事项)")
    document_number: str = strawberry.field(description="Its decision's document number (文号)")
    decision_date: date = strawberry.field(description="The day of its decision")
    severity: Severity | None = strawberry.field(
        description="Its severity; null for a record that has none"
    )


@strawberry.type(description="列入黑名单告知: what the subject was told, as issued")
class BlacklistNotice:
    basis: list[BlacklistBasis] = strawberry.field(description="The records the listing rests on")
    reason: str = strawberry.field(description="认定理由: why the subject was listed")
    measures: list[str] = strawberry.field(description="惩戒措施 (notice 二(八))")
    removal_conditions: list[str] = strawberry.field(description="移出条件")
    remedies: list[str] = strawberry.field(description="救济途径: objection, repair, appeal")
    text: str = strawberry.field(description="The whole notice as one text")

    @classmethod
    def of(cls, notice: listing_notice.BlacklistNotice) -> BlacklistNotice:
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
    event: model.EntryEvent = strawberry.field(description="What happened")
    on: date = strawberry.field(description="The day it happened")
    reason: str = strawberry.field(description="Why")
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
    id: strawberry.ID = strawberry.field(description="The entry's id")
    basis_record_ids: list[strawberry.ID] = strawberry.field(
        description="The serious dishonesty records the listing rests on (notice 二(八))"
    )
    reason: str = strawberry.field(description="Why the subject was listed")
    listed_on: date = strawberry.field(description="The first day in force")
    until: date = strawberry.field(
        description="The last day in force, never past the display of its serious basis records; "
        "it ends by itself then"
    )
    in_force: bool = strawberry.field(
        description="Whether the entry is in force today: listed, not removed, until not passed"
    )
    removed_on: date | None = strawberry.field(
        description="The day it was removed early; null unless removed"
    )
    removal_reason: str | None = strawberry.field(
        description="Why it was removed; null unless removed"
    )
    notice: BlacklistNotice = strawberry.field(
        description="列入黑名单告知: the notice to the subject, as issued"
    )
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


@strawberry.type(description="The subject was listed")
class ListOnBlacklistSuccess:
    entry: BlacklistEntry = strawberry.field(description="The new entry, in force")

    @classmethod
    def of(cls, done: model.BlacklistEntry, today: date) -> ListOnBlacklistSuccess:
        return cls(entry=BlacklistEntry.of(done, today))


@strawberry.type(description="The entry was removed")
class RemoveFromBlacklistSuccess:
    entry: BlacklistEntry = strawberry.field(description="The entry, removed")

    @classmethod
    def of(cls, done: model.BlacklistEntry, today: date) -> RemoveFromBlacklistSuccess:
        return cls(entry=BlacklistEntry.of(done, today))


ListOnBlacklistResult = Annotated[
    ListOnBlacklistSuccess | UserError,
    strawberry.union(
        "ListOnBlacklistResult",
        description="ListOnBlacklistSuccess when done, or a UserError saying why nothing changed",
    ),
]
RemoveFromBlacklistResult = Annotated[
    RemoveFromBlacklistSuccess | UserError,
    strawberry.union(
        "RemoveFromBlacklistResult",
        description="RemoveFromBlacklistSuccess when done, or a UserError saying "
        "why nothing changed",
    ),
]


@strawberry.type
class BlacklistMutation:
    """Writes of the blacklist: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="The credit centre lists a subject on the blacklist, resting on serious "
        "dishonesty on public display (notice 二(八)); the notice to the subject is kept"
    )
    async def list_on_blacklist(
        self,
        info: Info[Context, None],
        subject: Annotated[strawberry.ID, strawberry.argument(description="The subject to list")],
        basis_records: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="Its serious dishonesty records on public display that ground the "
                "listing"
            ),
        ],
        reason: Annotated[
            str, strawberry.argument(description="Why, as told to the subject in the notice")
        ],
        until: Annotated[
            date,
            strawberry.argument(
                description="The last day in force; not past the display of the basis records"
            ),
        ],
    ) -> ListOnBlacklistResult:
        return await mutation_result(
            blacklist_resolvers.list_on_blacklist(
                info.context,
                subject_id=str(subject),
                basis_record_ids=[str(r) for r in basis_records],
                reason=reason,
                until=until,
            ),
            partial(ListOnBlacklistSuccess.of, today=info.context.today),
        )

    @strawberry.mutation(description="The credit centre removes an entry in force at once")
    async def remove_from_blacklist(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The entry, in force")],
        reason: Annotated[str, strawberry.argument(description="Why it is removed")],
    ) -> RemoveFromBlacklistResult:
        return await mutation_result(
            blacklist_resolvers.remove_from_blacklist(
                info.context, entry_id=str(id), reason=reason
            ),
            partial(RemoveFromBlacklistSuccess.of, today=info.context.today),
        )


@strawberry.type
class BlacklistQuery:
    """Reads of the blacklist: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="Blacklist entries, newest first (notice 二(八)): public while in force; "
        "entries no longer in force for the subject, government and the centre"
    )
    async def blacklist(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this subject's entries")
        ] = None,
        in_force: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only entries in force today; false: only those no "
                "longer in force"
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[BlacklistEntry]:
        page = await blacklist_resolvers.blacklist(
            info.context,
            subject_id=None if subject is None else str(subject),
            in_force=in_force,
            first=first,
            after=after,
        )
        today = info.context.today
        return connection(page, lambda e: BlacklistEntry.of(e, today))
