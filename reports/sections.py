"""The rows each section of a report lists, in Chinese, from content already masked.

Dates print as ISO dates and times in Beijing time, as on the report's first page; amounts
(stored as integer fen) print in 元 with thousands separators; a data item withheld from the
requester prints as such, never as an empty cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from auth.masking import ShownValue
from domain.calendar import CITY_TIME
from domain.catalogue import CatalogueItem
from domain.commitments import CommitmentStatus
from domain.data_items import DataFormat
from domain.disclosure import Severity
from domain.repair import RepairState
from domain.reports import yuan
from reports.content import CommitmentEntry, Entry, ListingEntry, RepairLine

# The catalogue labels an amount with its stored unit; the report prints 元 in the value.
FEN_LABEL = "（分）"
WITHHELD = "（不予展示）"
SEVERITIES = {Severity.GENERAL: "一般失信", Severity.SERIOUS: "严重失信"}
COMMITMENT_STATES = {
    CommitmentStatus.ACTIVE: "有效",
    CommitmentStatus.FULFILLED: "已履行",
    CommitmentStatus.VIOLATED: "已违反",
}
REPAIR_STATES = {
    RepairState.SUBMITTED: "已提交",
    RepairState.ACCEPTED: "已受理，审核中",
    RepairState.NEEDS_MATERIALS: "待补正材料",
    RepairState.APPROVED: "准予修复",
    RepairState.REJECTED: "不予修复",
}
REPAIRED_WITHOUT_APPLICATION = "已修复（无在线申请记录）"
REGISTERED = "承诺管理单位登记的信用承诺"
SUBMITTED = "信息提供单位报送的信用承诺公示信息（目录“信用承诺”事项）"

Rows = list[tuple[str, str]]


def text(value: ShownValue) -> str:
    return WITHHELD if value.value is None else value.value


def printed(item: CatalogueItem, values: Sequence[ShownValue]) -> tuple[ShownValue, ...]:
    """`values` as a report prints them: an amount the requester sees in full, in 元.

    A masked or withheld amount is left as masking made it: formatting must not undo a mask.
    """
    formats = {spec.key: spec.format for spec in item.data_items}
    return tuple(
        v._replace(label_zh=v.label_zh.removesuffix(FEN_LABEL), value=yuan(int(v.value)))
        if formats.get(v.key) is DataFormat.AMOUNT
        and not v.masked
        and v.value is not None
        and v.value.isascii()
        and v.value.isdigit()
        else v
        for v in values
    )


def _day(at: datetime) -> str:
    return at.astimezone(CITY_TIME).date().isoformat()


def _items(values: Sequence[ShownValue]) -> Rows:
    return [(v.label_zh, text(v)) for v in values]


def record_rows(entry: Entry) -> Rows:
    rows = [
        ("事项", entry.title),
        ("文书编号", entry.document_number),
        ("决定日期", entry.decision_date.isoformat()),
        ("信息提供单位", entry.source_unit),
        ("公示期", f"{entry.disclosed_from.isoformat()} 至 {entry.disclosed_until.isoformat()}"),
    ]
    if entry.severity is not None:
        rows.append(("失信程度", SEVERITIES[entry.severity]))
    return rows + _items(entry.data_items)


def listing_rows(entry: ListingEntry) -> Rows:
    if entry.in_force:
        state = "列入中"
    elif entry.removed_on is not None:
        state = "已移出"
    else:
        state = "列入期满"
    rows = [
        ("状态", state),
        ("列入日期", entry.listed_on.isoformat()),
        ("列入期限至", entry.until.isoformat()),
        ("列入理由", entry.reason),
        (
            "列入依据",
            "；".join(
                f"{b.item_title}（{b.document_number}，{b.decision_date.isoformat()}）"
                for b in entry.basis
            ),
        ),
    ]
    if entry.removed_on is not None:
        rows.append(("移出日期", entry.removed_on.isoformat()))
    if entry.removal_reason is not None:
        rows.append(("移出理由", entry.removal_reason))
    return rows


def commitment_rows(entry: CommitmentEntry) -> Rows:
    rows = [
        ("来源", REGISTERED),
        ("承诺状态", COMMITMENT_STATES[entry.status]),
    ]
    if entry.fulfilled_on is not None:
        rows.append(("履行确认日期", entry.fulfilled_on.isoformat()))
    if entry.violated_on is not None:
        rows.append(("违反认定日期", entry.violated_on.isoformat()))
    return rows + _items(entry.data_items)


def commitment_record_rows(entry: Entry) -> Rows:
    return [("来源", SUBMITTED), *record_rows(entry)]


def repair_rows(entry: RepairLine) -> Rows:
    state = REPAIRED_WITHOUT_APPLICATION if entry.state is None else REPAIR_STATES[entry.state]
    rows = [
        ("修复事项", entry.title),
        ("文书编号", entry.document_number),
        ("决定日期", entry.decision_date.isoformat()),
        ("修复状态", state),
    ]
    if entry.submitted_at is not None:
        rows.append(("申请日期", _day(entry.submitted_at)))
    if entry.decided_at is not None:
        rows.append(("修复决定日期", _day(entry.decided_at)))
    return rows
