"""The pages of a notice to the subject on a decision, in Chinese, on A4: a 信用修复决定书 on
an approved repair, a 异议处理告知书 on a decided objection (notice 三(十一)).

The seal, QR code, page numbers and signature are the credit report's (reports/pdf.py), so a
notice is verified the same way, by its serial.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from domain.calendar import CITY_TIME
from domain.records import ObjectionOutcome
from domain.repair import RepairState
from domain.reports import ReportKind
from reports.content import NoticeContent
from reports.fonts import ReportFont
from reports.pdf import (
    KINDS,
    Styles,
    render_sealed,
    table,
)
from reports.qr import check_code
from reports.sections import text

TITLES = {
    ReportKind.REPAIR_DECISION: "信用修复决定书",
    ReportKind.OBJECTION_NOTICE: "异议处理告知书",
}
FILED = {
    ReportKind.REPAIR_DECISION: "申请日期",
    ReportKind.OBJECTION_NOTICE: "异议提出日期",
}
OUTCOMES = {
    RepairState.APPROVED: "经审核，你（单位）的信用修复申请符合条件，决定准予信用修复。"
    "自本决定作出之日起，上述信息停止公示，记录保留在信用档案中并标注已修复。",
    ObjectionOutcome.CORRECTED: "经核查，上述信息有误，信息提供单位已予更正，"
    "公示内容以更正后的信息为准。",
    ObjectionOutcome.REMOVED_FROM_DISPLAY: "经核查，上述信息已撤下公示，不再向社会公开。",
    ObjectionOutcome.UPHELD: "经核查，上述信息准确无误，予以维持。",
}


def title(content: NoticeContent) -> str:
    return TITLES[content.kind]


def render_notice(content: NoticeContent, font: ReportFont, *, base_url: str) -> bytes:
    """The unsigned PDF of `content`, its text in `font`, its QR code pointing under `base_url`."""
    return render_sealed(
        content,
        font,
        title=title(content),
        base_url=base_url,
        story=lambda styles: _story(content, styles, base_url=base_url),
    )


def _story(content: NoticeContent, styles: Styles, *, base_url: str) -> list[Flowable]:
    decided = content.decided_at.astimezone(CITY_TIME)
    filed = content.filed_at.astimezone(CITY_TIME)
    summary = [
        ("文书编号", content.serial),
        ("信用主体", text(content.subject_name)),
        ("主体类别", KINDS[content.subject_kind]),
        ("决定时间", f"{decided:%Y年%m月%d日 %H:%M}（北京时间）"),
        ("出具机构", content.centre),
        ("核验码", check_code(content)),
    ]
    record = [
        ("信息事项", content.record_title),
        ("决定文书号", content.document_number),
        ("决定日期", f"{content.decision_date:%Y年%m月%d日}"),
        ("信息提供单位", content.source_unit),
        (FILED[content.kind], f"{filed:%Y年%m月%d日}"),
    ]
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph(title(content), styles.title),
        Spacer(1, 12 * mm),
        table(summary, styles, width=120 * mm),
        Spacer(1, 4 * mm),
        Paragraph("一、所涉信息", styles.heading),
        table(record, styles),
        Paragraph("二、处理结果", styles.heading),
        Paragraph(escape(OUTCOMES[content.outcome]), styles.body),
    ]
    if content.reason.strip():
        story.append(Paragraph(escape(f"理由：{content.reason.strip()}"), styles.body))
    story.append(Paragraph("三、说明", styles.heading))
    story.extend(
        Paragraph(escape(line), styles.body) for line in statement(content, base_url=base_url)
    )
    return story


def statement(content: NoticeContent, *, base_url: str) -> list[str]:
    """Where the decision comes from, the subject's remedies, and how to verify the notice."""
    lines = [
        f"本{title(content)}由{content.centre}依据《深圳经济特区社会信用条例》及"
        "《深圳市社会信用体系建设统筹小组办公室关于加强信用体系建设积极推进疫情防控工作的通知》"
        "三(十一)作出，送达信用主体。",
        "对本决定不服的，可依法申请行政复议或者提起行政诉讼。",
        f"本文书加盖{content.centre}信用报告专用章并附数字签名。扫描首页二维码，或访问"
        f" {base_url.rstrip('/')}/verify 输入文书编号与核验码，可核验本文书真伪；"
        "持电子文件者可在该页面上传文件核验。",
    ]
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]
