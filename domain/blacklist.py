"""The blacklist (黑名单): subjects under joint punishment for serious dishonesty.

Notice 二(八): a subject that meets the blacklist standard is listed at once and loses every
award, preferential support, reward and incentive. A listing rests on serious dishonesty that
is on public display; it ends by itself on its `until` day, or earlier when the credit centre
removes it (a repair approved, the basis revoked). The subject is told why, what follows, how
it ends and how to contest it (Shenzhen Social Credit Regulation arts. 58, 66-68: notice before
punishment, objection, repair, reconsideration and litigation).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.catalogue import Category
from domain.disclosure import Severity
from domain.records import Record, RecordStatus, publicly_visible

Reason = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f]+$")]

# Notice 二(八): what a listing entails.
MEASURES = (
    "取消各类评优评选资格（通知二(八)）",
    "取消择优扶持、奖励和激励措施，不予享受信用承诺容缺受理等便利（通知二(八)、二(九)）",
    "在行政管理、公共服务、政府采购和资金资助中作为重要参考，依法依规实施失信惩戒（通知二(八)、三(十二)）",
)
REMEDIES = (
    "对列入依据的信用信息有异议的，可向市公共信用中心提出异议申请（《深圳经济特区社会信用条例》）",
    "已纠正失信行为、履行相关义务的，可申请信用修复（通知三(十一)）",
    "对列入决定不服的，可依法申请行政复议或提起行政诉讼（《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》）",
)


class BasisLine(BaseModel):
    """One record a listing rests on, as the notice names it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record_id: str
    item_title: str
    document_number: str
    decision_date: date
    severity: Severity | None = None


class BlacklistNotice(BaseModel):
    """The notice to the listed subject, kept with the entry as it was issued."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    basis: tuple[BasisLine, ...] = Field(min_length=1)
    reason: Reason
    measures: tuple[str, ...]
    removal_conditions: tuple[str, ...]
    remedies: tuple[str, ...]
    text: str


class BlacklistEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    subject_id: str
    basis_record_ids: tuple[str, ...] = Field(min_length=1, max_length=20)
    reason: Reason
    listed_on: date
    until: date
    listed_by: str
    notice: BlacklistNotice
    removed_on: date | None = None
    removed_by: str | None = None
    removal_reason: Reason | None = None
    created_at: datetime

    @model_validator(mode="after")
    def _until_after_listing(self) -> Self:
        if self.until <= self.listed_on:
            raise ValueError("until must be after the listing day")
        return self

    @property
    def removed(self) -> bool:
        return self.removed_on is not None

    def in_force(self, today: date) -> bool:
        """Listed, not removed, and not past its `until` day (which it is in force on)."""
        return not self.removed and self.listed_on <= today <= self.until


class BasisInvalid(ValueError):
    """The basis records do not support a listing; `record_id` names the one at fault."""

    def __init__(self, message: str, *, record_id: str | None) -> None:
        super().__init__(message)
        self.record_id = record_id


class UntilInvalid(ValueError):
    """`until` is missing its bounds: after the listing day, within the basis's display."""


def _fault(record: Record, subject_id: str) -> str | None:
    """Why a record cannot be part of a listing's basis, or None."""
    if record.subject_id != subject_id:
        return "is about another subject"
    if record.category is not Category.DISHONEST:
        return "is not a dishonesty record"
    if record.status is not RecordStatus.ACTIVE:
        return f"is {record.status.value}, not ACTIVE"
    return None


def _carries(record: Record, today: date) -> bool:
    """Whether a record alone can carry a listing: serious and on public display today."""
    return record.severity is Severity.SERIOUS and publicly_visible(record, today)


def latest_until(basis: Sequence[Record], today: date) -> date:
    """The last day a listing may last: the last display day of its longest serious basis.

    A disclosure period's `end` is its last day on display (民法典 arts. 201–203), so the entry
    may be in force up to that day: it never outlives the display of what it rests on.
    """
    return max(r.disclosure.end for r in basis if _carries(r, today))


def check_listing(
    *,
    subject_id: str,
    requested_ids: Sequence[str],
    basis: Sequence[Record],
    until: date,
    today: date,
) -> None:
    """Raise unless the records support listing the subject until `until` (notice 二(八)).

    Every basis record must exist and be an ACTIVE dishonesty record of the subject; at least
    one must be serious and on public display today.
    """
    by_id = {r.id: r for r in basis}
    for record_id in requested_ids:
        found = by_id.get(record_id)
        fault = "does not exist" if found is None else _fault(found, subject_id)
        if fault is not None:
            raise BasisInvalid(f"record {record_id} {fault}", record_id=record_id)
    if not any(_carries(r, today) for r in basis):
        first = requested_ids[0] if requested_ids else None
        raise BasisInvalid(
            "no basis record is a serious dishonesty record on public display today "
            f"(checked: {', '.join(requested_ids)})",
            record_id=first,
        )
    if until <= today:
        raise UntilInvalid("until must be after today")
    latest = latest_until(basis, today)
    if until > latest:
        raise UntilInvalid(
            f"until may be {latest} at the latest: the last day its serious basis is on display"
        )


def build_notice(
    *, basis: Sequence[Record], titles: dict[str, str], reason: str, until: date
) -> BlacklistNotice:
    """The notice to the subject: basis, reason, measures, how it ends, how to contest it."""
    lines = tuple(
        BasisLine(
            record_id=r.id,
            item_title=titles.get(r.item_code, r.item_code),
            document_number=r.document_number,
            decision_date=r.decision_date,
            severity=r.severity,
        )
        for r in basis
    )
    removal = (
        f"列入期限至{until.isoformat()}，期满自动移出",
        "列入依据的失信信息经信用修复、撤销或更正的，由市公共信用中心及时移出",
    )
    text = "\n".join(
        [
            "列入黑名单告知",
            "一、列入依据：",
            *(
                f"  {n}. {line.item_title}（{line.document_number}，{line.decision_date}）"
                for n, line in enumerate(lines, 1)
            ),
            f"二、列入理由：{reason}",
            "三、惩戒措施：",
            *(f"  {m}" for m in MEASURES),
            "四、移出条件：",
            *(f"  {c}" for c in removal),
            "五、救济途径：",
            *(f"  {r}" for r in REMEDIES),
        ]
    )
    return BlacklistNotice(
        basis=lines,
        reason=reason,
        measures=MEASURES,
        removal_conditions=removal,
        remedies=REMEDIES,
        text=text,
    )


def removed(entry: BlacklistEntry, *, on: date, by: str, reason: str) -> BlacklistEntry:
    """The entry removed on `on`; raises pydantic's ValidationError for a bad reason."""
    changes = {"removed_on": on, "removed_by": by, "removal_reason": reason}
    return BlacklistEntry.model_validate(entry.model_dump() | changes)
