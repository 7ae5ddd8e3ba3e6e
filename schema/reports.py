"""Credit reports (公共信用报告, notice 二(六)): issuing and verifying."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.catalogue import CreditField
from domain.reports import CreditReport as IssuedReport
from domain.reports import ReportKind
from domain.reports import ReportPurpose as Purpose
from resolvers import notices as notice_resolvers
from resolvers import reports as report_resolvers
from resolvers import special_reports as special_report_resolvers
from resolvers import verification as verification_resolvers
from resolvers.context import Context
from resolvers.verification import Verification
from schema.enums import described
from schema.errors import UserError, mutation_result


@strawberry.enum(
    description="What a credit report is for: it selects the sections the report shows "
    "(notice 二(六)); basic information and the report's statement are always shown"
)
class ReportPurpose(Enum):
    COMPREHENSIVE = strawberry.enum_value(
        Purpose.COMPREHENSIVE.value, description="综合信用查询: every section"
    )
    FINANCING = strawberry.enum_value(
        Purpose.FINANCING.value,
        description="融资信贷 (信易贷, 深信贷; notice 三(十三)): every section",
    )
    FUNDING = strawberry.enum_value(
        Purpose.FUNDING.value,
        description="政府资金资助 (notice 三(十二)): good behaviour, dishonesty, blacklist, "
        "commitments",
    )
    AWARDS = strawberry.enum_value(
        Purpose.AWARDS.value,
        description="评优评先 (notice 二(七)): good behaviour, dishonesty, blacklist",
    )
    BIDDING = strawberry.enum_value(
        Purpose.BIDDING.value,
        description="招标投标与政府采购 (notice 二(八)): dishonesty and blacklist",
    )
    CREDIT_REPAIR = strawberry.enum_value(
        Purpose.CREDIT_REPAIR.value,
        description="信用修复 (notice 三(十一)): dishonesty, blacklist and credit repairs",
    )

    @property
    def domain(self) -> Purpose:
        return Purpose[self.name]


described(
    CreditField,
    "领域: a field of regulation; a special credit report states violations per field",
    {f: f.label for f in CreditField},
)
described(
    ReportKind,
    "What kind of report was issued",
    {
        ReportKind.CREDIT: "公共信用报告: sections chosen by its purpose (notice 二(六))",
        ReportKind.SPECIAL: "专项信用报告: replaces a no-violation certificate, per field "
        "and period",
        ReportKind.REPAIR_DECISION: "信用修复决定书: the notice of an approved repair "
        "(notice 三(十一)), issued when it is approved",
        ReportKind.OBJECTION_NOTICE: "异议处理告知书: the notice of a decided objection, "
        "issued when it is decided",
    },
)


@strawberry.type(description="An issued report: a signed PDF with the centre's seal")
class CreditReport:
    serial: str = strawberry.field(description="Region code, issue date and daily sequence")
    subject_id: strawberry.ID = strawberry.field(description="The subject the report is about")
    kind: ReportKind = strawberry.field(description="A credit report or a special report")
    purpose: str = strawberry.field(
        description="The purpose it was issued for (a ReportPurpose name); for a special "
        "report the fields it covers (CreditField names joined by commas)"
    )
    sha256: str = strawberry.field(description="SHA-256 of the signed PDF, lowercase hex")
    issued_at: datetime = strawberry.field(description="When it was issued")
    download_path: str = strawberry.field(
        description="GET it with the same token: only the subject and the centre may, and "
        "whoever a special report was issued to"
    )

    @classmethod
    def of(cls, report: IssuedReport) -> CreditReport:
        return cls(
            serial=report.serial,
            subject_id=strawberry.ID(report.subject_id),
            kind=report.kind,
            purpose=report.purpose,
            sha256=report.sha256,
            issued_at=report.issued_at,
            download_path=report.download_path,
        )


@strawberry.type(description="The report was issued")
class IssueCreditReportSuccess:
    report: CreditReport = strawberry.field(description="The issued report")

    @classmethod
    def of(cls, done: IssuedReport) -> IssueCreditReportSuccess:
        return cls(report=CreditReport.of(done))


IssueCreditReportResult = Annotated[
    IssueCreditReportSuccess | UserError,
    strawberry.union(
        "IssueCreditReportResult",
        description="IssueCreditReportSuccess when done, or a UserError saying why nothing changed",
    ),
]


@strawberry.type(description="Whether a report with this serial and SHA-256 was issued")
class ReportVerification:
    valid: bool = strawberry.field(
        description="Whether the centre issued a report with this serial and SHA-256"
    )
    issued_at: datetime | None = strawberry.field(description="Null unless valid")
    subject_name: str | None = strawberry.field(
        description="The subject's name as the public sees it (masked); null unless valid"
    )
    withdrawn: bool | None = strawberry.field(
        description="Whether the centre has withdrawn (撤回) the report; null unless valid"
    )

    @classmethod
    def of(cls, verification: Verification) -> ReportVerification:
        return cls(
            valid=verification.valid,
            issued_at=verification.issued_at,
            subject_name=verification.subject_name,
            withdrawn=verification.withdrawn,
        )


@strawberry.type
class ReportMutation:
    """Writes of credit reports: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="A signed credit report with the centre's seal, for the subject itself or "
        "the credit centre (notice 二(六))"
    )
    async def issue_credit_report(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID, strawberry.argument(description="The subject the report is about")
        ],
        purpose: Annotated[
            ReportPurpose,
            strawberry.argument(
                description="What the report is for; it selects the sections shown"
            ),
        ],
    ) -> IssueCreditReportResult:
        return await mutation_result(
            report_resolvers.issue_credit_report(
                info.context, subject_id=str(subject), purpose=purpose.domain
            ),
            IssueCreditReportSuccess.of,
        )

    @strawberry.mutation(
        description="A signed 专项信用报告 that replaces the no-violation certificate "
        "(信用报告代替无违法违规证明): for a legal person or other organisation, per field, the "
        "violations decided in the period or 无违法违规记录; for the subject itself, the credit "
        "centre, or a funding department or bank holding the subject's live grant covering "
        "DISHONEST"
    )
    async def issue_special_credit_report(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID, strawberry.argument(description="The firm the report is about")
        ],
        fields: Annotated[
            list[CreditField], strawberry.argument(description="The fields it covers, at least one")
        ],
        start: Annotated[
            date,
            strawberry.argument(
                name="from", description="First day of the period, at most 36 months back"
            ),
        ],
        end: Annotated[
            date,
            strawberry.argument(name="to", description="Last day of the period, not after today"),
        ],
    ) -> IssueCreditReportResult:
        return await mutation_result(
            special_report_resolvers.issue_special_report(
                info.context, subject_id=str(subject), fields=fields, start=start, end=end
            ),
            IssueCreditReportSuccess.of,
        )


@strawberry.type
class ReportQuery:
    """Reads of credit reports: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="The sealed notice issued on the decision of a repair application "
        "(信用修复决定书) or an objection (异议处理告知书), for the subject and the credit "
        "centre; null when there is none or it is someone else's. Download it at its "
        "downloadPath and verify it like a credit report"
    )
    async def decision_notice(
        self,
        info: Info[Context, None],
        regarding: Annotated[
            strawberry.ID,
            strawberry.argument(description="The repair application's or objection's id"),
        ],
    ) -> CreditReport | None:
        found = await notice_resolvers.decision_notice(info.context, regarding=str(regarding))
        return None if found is None else CreditReport.of(found)

    @strawberry.field(
        description="Public: whether a credit report with this serial and SHA-256 was issued"
    )
    async def verify_credit_report(
        self,
        info: Info[Context, None],
        serial: Annotated[str, strawberry.argument(description="The serial printed on the report")],
        sha256: Annotated[
            str, strawberry.argument(description="The SHA-256 of the PDF file, 64 hex digits")
        ],
    ) -> ReportVerification:
        found = await verification_resolvers.verify_credit_report(
            info.context, serial=serial, sha256=sha256
        )
        return ReportVerification.of(found)
