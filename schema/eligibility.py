"""Incentive programmes (激励措施) and eligibility for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from domain import eligibility, programmes
from domain.grading import IncentiveRules
from domain.programmes import BlockerKind
from resolvers import eligibility as eligibility_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.enums import Category, SubjectKind, described
from schema.errors import UserError, mutation_result

if TYPE_CHECKING:
    from schema.subjects import Subject

described(
    BlockerKind,
    "What may block a programme (notice 二(七)-二(九))",
    {
        BlockerKind.BLACKLISTED: "On the blacklist (黑名单): every incentive is lost "
        "(notice 二(八))",
        BlockerKind.SERIOUS_DISHONESTY_ACTIVE: "A serious dishonesty record (严重失信) on display "
        "(notice 二(八))",
        BlockerKind.DISHONESTY_ACTIVE: "Any dishonesty record on display, even general, where the "
        "programme says so (notice 二(七))",
        BlockerKind.COMMITMENT_VIOLATED: "A broken credit commitment (违反信用承诺) weighs against "
        "(notice 二(九))",
        BlockerKind.FUNDED_RECENTLY: "Government funding granted lately (资金资助, recorded by a "
        "funding department) where the programme says so (notice 三(十二))",
    },
)


@strawberry.type(description="Which decision dates count; both ends included")
class Window:
    decided_from: date | None = strawberry.field(
        description="The first decision day that counts; null: no lower bound"
    )
    decided_to: date | None = strawberry.field(
        description="The last decision day that counts; null: no upper bound"
    )
    within_months: int | None = strawberry.field(description="Before the evaluation day")


@strawberry.type(
    description="Records of these items, or of any item of these categories, earn points each, "
    "capped; a record counts under the first rule that takes it"
)
class PointRule:
    items: list[str] = strawberry.field(description="Catalogue item codes that earn points")
    categories: list[Category] = strawberry.field(
        description="Categories whose every item earns points"
    )
    points: int = strawberry.field(description="Points per record")
    cap: int | None = strawberry.field(
        description="The most points the rule gives in all; null: no cap"
    )
    window: Window = strawberry.field(description="Which decision dates count")


@strawberry.type(description="What blocks the programme, and for how long")
class BlockerRule:
    kind: BlockerKind = strawberry.field(description="What blocks")
    items: list[str] = strawberry.field(description="Only these items; empty means all")
    within_months: int | None = strawberry.field(
        description="Only records decided within this many months before the "
        "evaluation day; null: any time"
    )


@strawberry.type(description="激励措施: what qualifies, what blocks, how points are counted")
class Programme:
    code: str = strawberry.field(description="The programme's stable code, passed to eligibility")
    title: str = strawberry.field(description="Its title in Chinese")
    title_en: str = strawberry.field(description="Its title in English, for developers")
    clause: str = strawberry.field(description="The notice clause it implements, e.g. 二(七)")
    basis: str = strawberry.field(description="The document it rests on")
    subject_kinds: list[SubjectKind] = strawberry.field(
        description="The kinds of subject it covers"
    )
    qualifying: list[PointRule] = strawberry.field(
        description="How points are earned (good behaviour, notice 二(七))"
    )
    blockers: list[BlockerRule] = strawberry.field(
        description="What disqualifies, whatever the points"
    )
    min_points: int = strawberry.field(description="Points needed to be eligible")
    max_points: int | None = strawberry.field(description="The most points counted; null: no limit")

    @classmethod
    def of(cls, programme: programmes.Programme) -> Programme:
        return cls(
            code=programme.code,
            title=programme.title_zh,
            title_en=programme.title_en,
            clause=programme.clause,
            basis=programme.basis,
            subject_kinds=list(programme.subject_kinds),
            qualifying=[
                PointRule(
                    items=list(r.items),
                    categories=list(r.categories),
                    points=r.points,
                    cap=r.cap,
                    window=Window(
                        decided_from=r.window.decided_from,
                        decided_to=r.window.decided_to,
                        within_months=r.window.within_months,
                    ),
                )
                for r in programme.qualifying
            ],
            blockers=[
                BlockerRule(kind=b.kind, items=list(b.items), within_months=b.within_months)
                for b in programme.blockers
            ],
            min_points=programme.min_points,
            max_points=programme.max_points,
        )


@strawberry.type(description="Why a subject is not eligible; codes are stable")
class Blocker:
    code: str = strawberry.field(
        description="A BlockerKind, or SUBJECT_NOT_FOUND, IDENTIFIER_INVALID, "
        "SUBJECT_KIND_NOT_COVERED, INSUFFICIENT_POINTS"
    )
    message: str = strawberry.field(description="Why, in words")
    record_ids: list[strawberry.ID] = strawberry.field(
        description="The records that block, when records do; empty otherwise"
    )


@strawberry.type(description="A subject judged against a programme")
class Eligibility:
    subject_id: strawberry.ID | None = strawberry.field(
        description="The subject judged; null when asked by an identifier no subject has"
    )
    identifier: str | None = strawberry.field(
        description="The identifier asked by (canonical form), when asked by identifier"
    )
    programme: str = strawberry.field(description="The programme's code")
    eligible: bool = strawberry.field(
        description="Whether the subject qualifies today: enough points and no blocker"
    )
    points: int = strawberry.field(description="Points earned, after caps")
    qualifying_record_ids: list[strawberry.ID] = strawberry.field(
        description="The records that earned points"
    )
    blockers: list[Blocker] = strawberry.field(
        description="Why it is not eligible; empty when eligible"
    )
    rules_version: str = strawberry.field(description="The version of the programme rules applied")
    evaluated_at: datetime = strawberry.field(description="When it was judged")

    @strawberry.field(description="The subject, masked for the viewer")
    async def subject(
        self, info: Info[Context, None]
    ) -> Annotated[Subject, strawberry.lazy("schema.subjects")] | None:
        from schema.subjects import Subject

        if self.subject_id is None:
            return None
        found = await subject_resolvers.subject_by_id(info.context, str(self.subject_id))
        return None if found is None else Subject.of(found)

    @classmethod
    def of(cls, evaluation: eligibility.Evaluation) -> Eligibility:
        return cls(
            subject_id=None
            if evaluation.subject_id is None
            else strawberry.ID(evaluation.subject_id),
            identifier=evaluation.identifier,
            programme=evaluation.programme,
            eligible=evaluation.eligible,
            points=evaluation.points,
            qualifying_record_ids=[strawberry.ID(i) for i in evaluation.qualifying_record_ids],
            blockers=[
                Blocker(
                    code=b.code,
                    message=b.message,
                    record_ids=[strawberry.ID(i) for i in b.record_ids],
                )
                for b in evaluation.blockers
            ],
            rules_version=evaluation.rules_version,
            evaluated_at=evaluation.evaluated_at,
        )


@strawberry.type
class EligibilityQuery:
    """Reads of incentive programmes and eligibility: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="The incentive programmes in force today (public)")
    def programmes(self, info: Info[Context, None]) -> list[Programme]:
        return [Programme.of(p) for p in eligibility_resolvers.programmes(info.context)]

    @strawberry.field(
        description="One subject, by id or by identifier, judged against a programme "
        "(eligibility:read)"
    )
    async def eligibility(
        self,
        info: Info[Context, None],
        programme: Annotated[
            str, strawberry.argument(description="The programme's code (Programme.code)")
        ],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="The subject to judge")
        ] = None,
        identifier: Annotated[
            str | None,
            strawberry.argument(
                description="Or its identifier: a USCC or a resident identity number"
            ),
        ] = None,
    ) -> Eligibility:
        [found] = await eligibility_resolvers.eligibilities(
            info.context,
            subject_ids=None if subject is None else [str(subject)],
            identifiers=None if identifier is None else [identifier],
            programme_code=programme,
        )
        return Eligibility.of(found)

    @strawberry.field(
        description="Up to 1,000 subjects judged against a programme, in the order given, "
        "at the store cost of one (eligibility:read)"
    )
    async def eligibilities(
        self,
        info: Info[Context, None],
        programme: Annotated[
            str, strawberry.argument(description="The programme's code (Programme.code)")
        ],
        subjects: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Up to 1,000 subject ids; answered in the same order"),
        ] = None,
        identifiers: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Or up to 1,000 USCCs and resident identity numbers, in any mix; "
                "answered in the same order"
            ),
        ] = None,
    ) -> list[Eligibility]:
        found = await eligibility_resolvers.eligibilities(
            info.context,
            subject_ids=None if subjects is None else [str(s) for s in subjects],
            identifiers=identifiers,
            programme_code=programme,
        )
        return [Eligibility.of(e) for e in found]


@strawberry.type(description="A published version of the programmes and the financing grade")
class ProgrammesVersion:
    version: str = strawberry.field(description="The version, e.g. 2020.1")
    effective_from: date = strawberry.field(description="The first day it is in force")
    programmes: list[Programme] = strawberry.field(description="The programmes it holds")

    @classmethod
    def of(cls, rules: IncentiveRules) -> ProgrammesVersion:
        return cls(
            version=rules.version,
            effective_from=rules.effective_from,
            programmes=[Programme.of(p) for p in rules.programmes.programmes],
        )


@strawberry.type(description="The version is published: it is in force from its effective day")
class PublishProgrammesSuccess:
    programmes: ProgrammesVersion = strawberry.field(description="The version as published")

    @classmethod
    def of(cls, published: IncentiveRules) -> PublishProgrammesSuccess:
        return cls(programmes=ProgrammesVersion.of(published))


PublishProgrammesResult = Annotated[
    PublishProgrammesSuccess | UserError,
    strawberry.union(
        "PublishProgrammesResult",
        description="PublishProgrammesSuccess when done, or a UserError saying why not",
    ),
]


@strawberry.type
class EligibilityMutation:
    """Publishing the programmes: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="The credit centre publishes a new version of the programmes and the "
        "financing grade (catalogue:write), given as TOML in the format of "
        "store/default_programmes.toml; refused when it does not validate, reuses a number or "
        "starts before today. Every worker judges by it from its day, without a restart"
    )
    async def publish_programmes(
        self,
        info: Info[Context, None],
        programmes: Annotated[
            str, strawberry.argument(description="The version as TOML (激励措施 as data)")
        ],
    ) -> PublishProgrammesResult:
        return await mutation_result(
            eligibility_resolvers.publish_programmes(info.context, text=programmes),
            PublishProgrammesSuccess.of,
        )
