"""The report's pages: the sections of a public credit report, in Chinese, on A4.

Sections follow the public credit reports the centres issue: basic information, good
behaviour, administrative penalties and other dishonesty in disclosure, blacklist, credit
commitments, credit repair, and a statement of what the report covers. A section with
nothing to list says so (无), so an empty section cannot be mistaken for a missing page.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from domain.catalogue import PublicAttribute
from domain.identifiers import SubjectKind
from reports.content import ReportContent
from reports.fonts import ReportFont
from reports.qr import draw_qr, payload
from reports.seal import draw_seal
from reports.sections import (
    CITY_TIME,
    Rows,
    commitment_record_rows,
    commitment_rows,
    listing_rows,
    record_rows,
    repair_rows,
    text,
)

MARGIN = 18 * mm
WIDTH, HEIGHT = A4
LABEL_WIDTH = 38 * mm
NONE_ON_RECORD = "无（none on record）"
KINDS = {
    SubjectKind.NATURAL_PERSON: "自然人",
    SubjectKind.LEGAL_PERSON: "法人",
    SubjectKind.OTHER_ORGANIZATION: "其他组织",
}
LEVELS = {
    PublicAttribute.PUBLIC: "公开公示",
    PublicAttribute.AUTHORIZED: "授权查询",
    PublicAttribute.GOVERNMENT: "政务共享",
    PublicAttribute.RESTRICTED: "不予公开（信用中心）",
}
GRID = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.94, 0.94, 0.94)

SECTIONS = (
    "一、基本信息",
    "二、良好行为信息",
    "三、行政处罚及其他违法失信信息",
    "四、黑名单信息",
    "五、信用承诺信息",
    "六、信用修复记录",
    "七、报告说明",
)


class _Styles:
    def __init__(self, font: str) -> None:
        self.title = ParagraphStyle(
            "title", fontName=font, fontSize=22, leading=30, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=font,
            fontSize=13,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
            wordWrap="CJK",
        )
        self.body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=11, wordWrap="CJK")


def render(content: ReportContent, font: ReportFont) -> bytes:
    """The unsigned PDF of `content`, its text in `font`."""
    out = BytesIO()
    styles = _Styles(font.name)
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN,
        title=f"公共信用报告 {content.serial}",
        author=content.centre,
        subject=f"公共信用报告 {content.serial}; {font.note}",
        keywords=[content.serial, font.note],
        creator="creditgraph",
    )

    def first_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        _decorate(canvas, content, font)
        draw_qr(
            canvas,
            payload(content),
            x=WIDTH - MARGIN - 30 * mm,
            y=HEIGHT - MARGIN - 30 * mm,
            size=30 * mm,
        )
        # Stamped over the issuer's line of the summary table, as on a paper report.
        draw_seal(
            canvas,
            x=WIDTH - MARGIN - 34 * mm,
            y=HEIGHT - 92 * mm,
            radius=21 * mm,
            font=font.name,
            name=content.centre,
        )

    def later_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        _decorate(canvas, content, font)

    document.build(_story(content, styles), onFirstPage=first_page, onLaterPages=later_page)
    return out.getvalue()


def _decorate(canvas: Canvas, content: ReportContent, font: ReportFont) -> None:
    canvas.saveState()
    canvas.setFont(font.name, 8)
    canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
    canvas.drawString(MARGIN, HEIGHT - MARGIN + 2 * mm, f"{content.centre}　公共信用报告")
    canvas.drawString(MARGIN, MARGIN - 8 * mm, f"报告编号：{content.serial}")
    canvas.drawRightString(WIDTH - MARGIN, MARGIN - 8 * mm, f"第 {canvas.getPageNumber()} 页")
    canvas.restoreState()


def _story(content: ReportContent, styles: _Styles) -> list[Flowable]:
    issued = content.issued_at.astimezone(CITY_TIME)
    summary = [
        ("报告编号", content.serial),
        ("信用主体", text(content.subject_name)),
        ("主体类别", KINDS[content.subject_kind]),
        ("出具时间", f"{issued:%Y年%m月%d日 %H:%M}（北京时间）"),
        ("查询用途", content.purpose),
        ("展示级别", _level(content)),
        ("出具机构", content.centre),
    ]
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph("公共信用报告", styles.title),
        Spacer(1, 12 * mm),
        _table([(label, value) for label, value in summary], styles, width=120 * mm),
        Spacer(1, 4 * mm),
        Paragraph(SECTIONS[0], styles.heading),
        _table([(v.label_zh, text(v)) for v in content.basic], styles),
    ]
    blocks = (
        [record_rows(e) for e in content.good],
        [record_rows(e) for e in content.dishonest],
        [listing_rows(e) for e in content.blacklist],
        [commitment_rows(e) for e in content.commitments]
        + [commitment_record_rows(e) for e in content.commitment_records],
        [repair_rows(e) for e in content.repairs],
    )
    for heading, rows in zip(SECTIONS[1:6], blocks, strict=True):
        story.extend(_section(heading, rows, styles))
    story.append(Paragraph(SECTIONS[6], styles.heading))
    story.extend(Paragraph(escape(line), styles.body) for line in statement(content))
    return story


def _section(heading: str, entries: Sequence[Rows], styles: _Styles) -> list[Flowable]:
    """The heading, then each entry kept on one page; the heading stays with the first."""
    title = Paragraph(heading, styles.heading)
    if not entries:
        return [KeepTogether([title, Paragraph(NONE_ON_RECORD, styles.body)])]
    flowables: list[Flowable] = []
    for number, rows in enumerate(entries, start=1):
        block = [Paragraph(f"（{number}）", styles.body), _table(rows, styles)]
        flowables.append(KeepTogether([title, *block] if number == 1 else block))
        flowables.append(Spacer(1, 2 * mm))
    return flowables


def _level(content: ReportContent) -> str:
    return f"{LEVELS[content.level]}（{content.level.value}）"


def _table(rows: Sequence[tuple[str, str]], styles: _Styles, *, width: float = 0) -> Table:
    total = width or WIDTH - 2 * MARGIN
    cells = [
        [Paragraph(escape(label), styles.body), Paragraph(escape(value), styles.body)]
        for label, value in rows
    ]
    table = Table(cells, colWidths=[LABEL_WIDTH, total - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def statement(content: ReportContent) -> list[str]:
    """The closing statement: the period covered, how values are shown, how to verify."""
    as_of = f"{content.as_of:%Y年%m月%d日}"
    lines = [
        f"1. 本报告由{content.centre}根据深圳市公共信用信息系统截至{as_of}归集的信息出具，"
        f"反映信用主体截至该日的公共信用信息。",
        "2. 良好行为、违法失信和报送的信用承诺信息仅列示截至上述日期处于公示期内的记录；"
        "公示期自决定日次日起算，至期间最后一日届满（《中华人民共和国民法典》第二百零一条至"
        "第二百零三条），所列公示截止日当日仍在公示期内。公示期届满、已修复、已撤销、依审慎包容原则不予"
        "记录、补报年度报告后移出、经异议处理撤下公示，或信用主体依《深圳经济特区社会信用条例》"
        "第三十九条拒绝记录的信息不予列示。",
        "3. 黑名单信息列示列入中的及已移出、已期满的列入记录；信用承诺信息分别列示承诺管理单位"
        "登记的信用承诺及其履行状态，和信息提供单位报送的信用承诺公示信息；信用修复记录列示"
        "信用修复申请及其办理状态，以及已修复的记录。",
        f"4. 各项信息按查询人的展示级别“{_level(content)}”展示；低于该级别的数据项已"
        "按《深圳市公共信用信息目录》去标识化或不予展示（《深圳经济特区社会信用条例》第三十八条）。",
        f"5. 本报告加盖{content.centre}信用报告专用章并附数字签名（PAdES）。"
        f"可凭报告编号与本文件的 SHA-256 摘要在线核验（verifyCreditReport）。",
        f"6. 本报告仅供“{content.purpose}”使用，请妥善保管。",
    ]
    if content.omitted:
        lines.append(f"7. 另有 {content.omitted} 条记录因篇幅所限未列示，可在线查询。")
    return lines
