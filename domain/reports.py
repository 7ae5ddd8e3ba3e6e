"""Public credit reports (公共信用报告) with an embedded seal (notice 二(六)).

A report is a signed PDF of a subject's file as its requester may see it. Its serial is the
region code, the issue day and a daily sequence number, so a serial printed on paper names
the centre and the day it was issued and can be checked online.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.calendar import add_months
from domain.catalogue import CatalogueVersions, Category, CreditField
from domain.identifiers import SubjectKind
from domain.records import Record, RecordStatus

# A report is a few pages of text and vector drawings; anything near this is a fault.
MAX_REPORT_BYTES = 8 * 1024 * 1024
MAX_DAILY_REPORTS = 999_999
REGION_CODE = re.compile(r"^[0-9]{6}$")
SERIAL = re.compile(r"^[0-9]{6}[0-9]{8}[0-9]{6}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ReportKind(StrEnum):
    CREDIT = "CREDIT"  # 公共信用报告, its sections chosen by its purpose
    SPECIAL = "SPECIAL"  # 专项信用报告: replaces the no-violation certificate, per field
    # Notices to the subject on a decision (notice 三(十一)), issued when it is made.
    REPAIR_DECISION = "REPAIR_DECISION"  # 信用修复决定书: an approved repair
    OBJECTION_NOTICE = "OBJECTION_NOTICE"  # 异议处理告知书: a decided objection


class CreditReport(BaseModel):
    """An issued report: who it is about and for, when, and the digest of its signed PDF."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    serial: str = Field(pattern=SERIAL.pattern)
    subject_id: str
    kind: ReportKind = ReportKind.CREDIT
    # A ReportPurpose name; for a special report, the fields it covers joined by commas.
    purpose: str = Field(min_length=1, max_length=200)
    issued_at: datetime
    issued_to: str = Field(min_length=1, description="The requester: the token's subject")
    sha256: str = Field(pattern=SHA256_HEX.pattern)
    content_sha256: str = Field(pattern=SHA256_HEX.pattern)
    size: int = Field(gt=0, le=MAX_REPORT_BYTES)
    # What the report shows above PUBLIC: each download is audited as revealing these.
    record_ids: tuple[str, ...] = ()
    data_item_keys: tuple[str, ...] = ()
    # A notice's repair application or objection: one notice is issued for each.
    regarding: str | None = None
    # Set when the centre withdraws the report (撤回): it stays verifiable, as withdrawn.
    withdrawn_at: datetime | None = None

    @property
    def download_path(self) -> str:
        return f"/reports/{self.serial}.pdf"


def report_serial(region_code: str, day: date, sequence: int) -> str:
    """区划代码 + YYYYMMDD + the day's six-digit sequence number, e.g. 44030020200901000001."""
    if not REGION_CODE.match(region_code):
        raise ValueError(f"a region code has six digits, not {region_code!r}")
    if not 1 <= sequence <= MAX_DAILY_REPORTS:
        raise ValueError(f"report sequence {sequence} is outside 1..{MAX_DAILY_REPORTS}")
    return f"{region_code}{day:%Y%m%d}{sequence:06d}"


def same_digest(stored: str, given: str) -> bool:
    """Whether a hex SHA-256 given by a verifier is the stored one (case-insensitive)."""
    return hmac.compare_digest(stored.encode(), given.strip().lower().encode())


# The 核验码 printed on a report: the content digest's first 16 hex digits (64 bits).
CHECK_CODE_DIGITS = 16


def matches_content(stored: str, given: str) -> bool:
    """Whether a printed copy's content digest, typed or scanned, is the stored one.

    The whole digest (from the QR code) or its first 16 hex digits (the 核验码 typed from
    the page, spaces and case ignored) match; anything shorter never does, so a guess
    cannot succeed by sending a few digits.
    """
    digits = "".join(given.split()).lower()
    if len(digits) not in (CHECK_CODE_DIGITS, len(stored)) or not SHA256_HEX.match(
        digits.ljust(len(stored), "0")
    ):
        return False
    return hmac.compare_digest(stored[: len(digits)].encode(), digits.encode())


def yuan(fen: int) -> str:
    """An amount of integer fen as printed for a reader: 元 with thousands separators.

    Amounts are stored as integer fen (DESIGN §2.1, no Decimal128); 123456 prints as
    "1,234.56 元", exactly, with no rounding.
    """
    if fen < 0:
        raise ValueError(f"an amount is never negative, not {fen}")
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d} 元"


class ReportSection(StrEnum):
    """The sections of a public credit report, in the order it prints them."""

    BASIC = "BASIC"  # 基本信息
    GOOD = "GOOD"  # 良好行为信息, notice 一(一)
    DISHONEST = "DISHONEST"  # 行政处罚及其他违法失信信息, notice 一(二)
    BLACKLIST = "BLACKLIST"  # 黑名单信息, notice 二(八)
    COMMITMENTS = "COMMITMENTS"  # 信用承诺信息, notice 二(九)
    REPAIRS = "REPAIRS"  # 信用修复记录, notice 三(十一)


class ReportPurpose(StrEnum):
    """What a report is for; the purpose selects the sections it shows (notice 二(六))."""

    COMPREHENSIVE = "COMPREHENSIVE"
    FINANCING = "FINANCING"
    FUNDING = "FUNDING"
    AWARDS = "AWARDS"
    BIDDING = "BIDDING"
    CREDIT_REPAIR = "CREDIT_REPAIR"

    @property
    def label(self) -> str:
        """The purpose in the report's words."""
        return PURPOSE_LABELS[self]

    @property
    def sections(self) -> tuple[ReportSection, ...]:
        return PURPOSE_SECTIONS[self]

    @property
    def categories(self) -> frozenset[Category]:
        """The record categories the report's sections list: only those are read and shown."""
        return frozenset(c for c, s in SECTION_OF_CATEGORY.items() if s in self.sections)


PURPOSE_LABELS = {
    ReportPurpose.COMPREHENSIVE: "综合信用查询",
    ReportPurpose.FINANCING: "融资信贷（信易贷、深信贷）",
    ReportPurpose.FUNDING: "政府资金资助",
    ReportPurpose.AWARDS: "评优评先",
    ReportPurpose.BIDDING: "招标投标与政府采购",
    ReportPurpose.CREDIT_REPAIR: "信用修复",
}
_S = ReportSection
PURPOSE_SECTIONS: dict[ReportPurpose, tuple[ReportSection, ...]] = {
    ReportPurpose.COMPREHENSIVE: tuple(ReportSection),
    # 三(十三): banks weigh good behaviour and commitments as well as dishonesty and repairs.
    ReportPurpose.FINANCING: tuple(ReportSection),
    # 三(十二), 二(七): incentives follow good behaviour; dishonesty and the blacklist block them.
    ReportPurpose.FUNDING: (_S.BASIC, _S.GOOD, _S.DISHONEST, _S.BLACKLIST, _S.COMMITMENTS),
    ReportPurpose.AWARDS: (_S.BASIC, _S.GOOD, _S.DISHONEST, _S.BLACKLIST),
    # 二(八): bidding and procurement check for dishonesty and the blacklist only.
    ReportPurpose.BIDDING: (_S.BASIC, _S.DISHONEST, _S.BLACKLIST),
    # 三(十一): a repaired subject shows the repair beside what is still on display.
    ReportPurpose.CREDIT_REPAIR: (_S.BASIC, _S.DISHONEST, _S.BLACKLIST, _S.REPAIRS),
}
SECTION_OF_CATEGORY = {
    Category.GOOD: ReportSection.GOOD,
    Category.DISHONEST: ReportSection.DISHONEST,
    Category.COMMITMENT: ReportSection.COMMITMENTS,
}


# 信用报告代替无违法违规证明: a special report covers at most the last three years, the
# period no-violation certificates are asked for in tenders, listings and funding.
SPECIAL_REPORT_MONTHS = 36
SPECIAL_REPORT_KINDS = frozenset({SubjectKind.LEGAL_PERSON, SubjectKind.OTHER_ORGANIZATION})
# Statuses that are no violation at all: overturned by the source unit (撤销), or excused
# under 审慎包容 (notice 三(十)) and so never recorded as dishonesty.
NOT_A_VIOLATION = frozenset({RecordStatus.REVOKED, RecordStatus.EXCUSED})


def special_period_problem(start: date, end: date, *, today: date) -> tuple[str, str] | None:
    """The argument and the rule a special report's period breaks, or None when it is sound:
    both ends included, not after `today`, and not starting before 36 months back."""
    if end > today:
        return "to", f"the period ends at the latest today, {today.isoformat()}"
    if start > end:
        return "from", "the period starts on or before its end"
    earliest = add_months(today, -SPECIAL_REPORT_MONTHS)
    if start < earliest:
        return "from", (
            f"a special report covers at most {SPECIAL_REPORT_MONTHS} months back, "
            f"from {earliest.isoformat()}"
        )
    return None


def violations_by_field(
    records: Iterable[Record],
    catalogues: CatalogueVersions,
    *,
    fields: Iterable[CreditField],
    start: date,
    end: date,
) -> dict[CreditField, list[Record]]:
    """What a special report finds in each requested field, in the order `records` come.

    A no-violation certificate (无违法违规证明) covers violations decided in its period, so a
    record counts when it is dishonesty (违法失信) of an item of the field, decided from
    `start` to `end` inclusive, whatever its display state: expired and cleared records count,
    and repaired ones count as found (the report says 已修复: repair ends the display, not the
    violation). Revoked records (撤销, the decision overturned) and excused ones (审慎包容,
    notice 三(十)) are no violation; a record removed from display on an objection (异议) is
    under review or corrected and is not held against the subject until restored.
    """
    found: dict[CreditField, list[Record]] = {field: [] for field in fields}
    for record in records:
        if (
            record.category is not Category.DISHONEST
            or record.status in NOT_A_VIOLATION
            or record.hidden
            or not start <= record.decision_date <= end
        ):
            continue
        item = catalogues.item(record.catalogue_version, record.item_code)
        for field in item.fields:
            if field in found:
                found[field].append(record)
    return found
