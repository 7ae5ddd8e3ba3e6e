"""The notice to a listed subject (列入黑名单告知): why it is listed, what follows, how the
listing ends and how to contest it.

Shenzhen Social Credit Regulation arts. 58, 66-68: notice before punishment, objection, repair,
reconsideration and litigation. The notice is made once, when the centre lists the subject
(`domain.blacklist`), and kept with the entry as it was issued; the subject reads it, so its
words are Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.disclosure import Severity
from domain.records import Record

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
