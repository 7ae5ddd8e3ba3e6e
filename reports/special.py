"""The pages of a 专项信用报告 (信用报告代替无违法违规证明), in Chinese, on A4.

One section per requested field (领域): "无违法违规记录" when the period holds nothing of it,
else each violation found, a repaired one marked 已修复. The seal, QR code, page numbers and
signature are the credit report's (reports/pdf.py), so it is verified the same way.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from domain.calendar import CITY_TIME
from domain.records import RecordStatus
from reports.content import FieldFinding, SpecialReportContent, Violation
from reports.fonts import ReportFont
from reports.pdf import (
    KINDS,
    NUMERALS,
    STATEMENT,
    Styles,
    render_sealed,
    table,
)
from reports.qr import check_code
from reports.sections import text

TITLE = "专项信用报告"
NO_VIOLATION = "无违法违规记录"
# What a found record's state adds to its entry: repair ends display, not the violation.
STATES = {
    RecordStatus.REPAIRED: "已修复",
    RecordStatus.EXPIRED: "公示期已届满",
    RecordStatus.CLEARED: "已纠正（补报年度报告）",
}


def render_special(content: SpecialReportContent, font: ReportFont, *, base_url: str) -> bytes:
    """The unsigned PDF of `content`, its text in `font`, its QR code pointing under `base_url`."""
    return render_sealed(
        content,
        font,
        title=TITLE,
        base_url=base_url,
        story=lambda styles: _story(content, styles, base_url=base_url),
    )


def period(content: SpecialReportContent) -> str:
    return f"{content.start:%Y年%m月%d日}至{content.end:%Y年%m月%d日}"


def _story(content: SpecialReportContent, styles: Styles, *, base_url: str) -> list[Flowable]:
    issued = content.issued_at.astimezone(CITY_TIME)
    summary = [
        ("报告编号", content.serial),
        ("信用主体", text(content.subject_name)),
        ("主体类别", KINDS[content.subject_kind]),
        ("出具时间", f"{issued:%Y年%m月%d日 %H:%M}（北京时间）"),
        ("查询期间", period(content)),
        ("查询领域", "、".join(f.field.label for f in content.findings)),
        ("出具机构", content.centre),
        ("核验码", check_code(content)),
    ]
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph(TITLE, styles.title),
        Spacer(1, 12 * mm),
        table(summary, styles, width=120 * mm),
        Spacer(1, 4 * mm),
        Paragraph(f"{NUMERALS[0]}、基本信息", styles.heading),
        table([(v.label_zh, text(v)) for v in content.basic], styles),
    ]
    for number, finding in enumerate(content.findings, start=1):
        story.extend(_field(f"{NUMERALS[number]}、{finding.field.label}领域", finding, styles))
    story.append(Paragraph(f"{NUMERALS[len(content.findings) + 1]}、{STATEMENT}", styles.heading))
    story.extend(
        Paragraph(escape(line), styles.body) for line in statement(content, base_url=base_url)
    )
    return story


def _field(heading: str, finding: FieldFinding, styles: Styles) -> list[Flowable]:
    title = Paragraph(heading, styles.heading)
    if not finding.found:
        return [KeepTogether([title, Paragraph(NO_VIOLATION, styles.body)])]
    flowables: list[Flowable] = [title]
    for number, violation in enumerate(finding.found, start=1):
        entry = [Paragraph(f"（{number}）", styles.body), table(_rows(violation), styles)]
        flowables.extend([KeepTogether(entry), Spacer(1, 2 * mm)])
    return flowables


def _rows(violation: Violation) -> list[tuple[str, str]]:
    rows = [
        ("事项", violation.title),
        ("决定文书号", violation.document_number),
        ("决定日期", f"{violation.decision_date:%Y年%m月%d日}"),
        ("决定单位", violation.source_unit),
    ]
    if violation.status in STATES:
        rows.append(("状态", STATES[violation.status]))
    return rows


def statement(content: SpecialReportContent, *, base_url: str) -> list[str]:
    """The closing statement: what was searched, what counts, how to verify."""
    lines = [
        f"本报告由{content.centre}根据深圳市公共信用信息系统归集的信息出具，可代替上述领域的"
        f"无违法违规证明，反映信用主体在{period(content)}期间作出决定的违法违规信息。",
        "期间内作出决定的违法失信信息均予列示，含公示期已届满和已修复的记录（标注已修复）；"
        "已被撤销的决定，及依审慎包容原则不予记录的信息，不属于违法违规记录；"
        "经异议处理撤下公示的信息在异议处理完毕前不予列示。",
        "某领域标注“无违法违规记录”的，表示本系统未归集到信用主体在该期间该领域的违法违规信息。",
        f"本报告加盖{content.centre}信用报告专用章并附数字签名。扫描首页二维码，或访问"
        f" {base_url.rstrip('/')}/verify 输入报告编号与核验码，可核验本报告真伪及是否已撤回；"
        "持电子文件者可在该页面上传文件核验。",
    ]
    if content.omitted:
        lines.append(f"另有 {content.omitted} 条记录因篇幅所限未列示，可在线查询。")
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]
