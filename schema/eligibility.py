"""Incentive programmes (激励措施) and eligibility for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from domain import eligibility, programmes
from domain.programmes import BlockerKind
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.enums import Category, SubjectKind, described

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
    },
)


@strawberry.type(description="Which decision dates count; both ends included")
class Window:
    decided_from: date | None
    decided_to: date | None
    within_months: int | None = strawberry.field(description="Before the evaluation day")


@strawberry.type(
    description="Records of these items, or of any item of these categories, earn points each, "
    "capped; a record counts under the first rule that takes it"
)
class PointRule:
    items: list[str]
    categories: list[Category]
    points: int
    cap: int | None
    window: Window


@strawberry.type
class BlockerRule:
    kind: BlockerKind
    items: list[str] = strawberry.field(description="Only these items; empty means all")
    within_months: int | None


@strawberry.type(description="激励措施: what qualifies, what blocks, how points are counted")
class Programme:
    code: str
    title: str
    title_en: str
    clause: str
    basis: str
    subject_kinds: list[SubjectKind]
    qualifying: list[PointRule]
    blockers: list[BlockerRule]
    min_points: int
    max_points: int | None

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
        description="A BlockerKind, or SUBJECT_NOT_FOUND, SUBJECT_KIND_NOT_COVERED, "
        "INSUFFICIENT_POINTS"
    )
    message: str
    record_ids: list[strawberry.ID]


@strawberry.type(description="A subject judged against a programme")
class Eligibility:
    subject_id: strawberry.ID
    programme: str
    eligible: bool
    points: int
    qualifying_record_ids: list[strawberry.ID]
    blockers: list[Blocker]
    rules_version: str
    evaluated_at: datetime

    @strawberry.field(description="The subject, masked for the viewer")
    async def subject(
        self, info: Info[Context, None]
    ) -> Annotated[Subject, strawberry.lazy("schema.subjects")] | None:
        from schema.subjects import Subject

        found = await subject_resolvers.subject_by_id(info.context, str(self.subject_id))
        return None if found is None else Subject.of(found)

    @classmethod
    def of(cls, evaluation: eligibility.Evaluation) -> Eligibility:
        return cls(
            subject_id=strawberry.ID(evaluation.subject_id),
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
