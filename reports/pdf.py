"""The report's pages: the sections of a public credit report, in Chinese, on A4.

Sections follow the public credit reports the centres issue: basic information, good
behaviour, administrative penalties and other dishonesty in disclosure, blacklist, credit
commitments, credit repair, and a statement of what the report covers; the report's purpose
selects which of them it shows. A section with nothing to list says so (无), so an empty
section cannot be mistaken for a missing page. Every string on the page is Chinese, in the
embedded font: the canvas starts in it too, so no page refers to an unembedded Helvetica.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any
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

from domain.calendar import CITY_TIME
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.reports import ReportPurpose, ReportSection
from reports.content import ReportContent, Sealed
from reports.fonts import ReportFont
from reports.qr import check_code, draw_qr, verification_url
from reports.seal import draw_seal
from reports.sections import (
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
QR_SIZE = 30 * mm
NONE_ON_RECORD = "无"
# An entry's first rows stay with its number (and the section's heading, for the first entry);
# the rest may run on to the next page, so a long entry never leaves a page half empty.
KEPT_ROWS = 3
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
TITLES = {
    ReportSection.BASIC: "基本信息",
    ReportSection.GOOD: "良好行为信息",
    ReportSection.DISHONEST: "行政处罚及其他违法失信信息",
    ReportSection.BLACKLIST: "黑名单信息",
    ReportSection.COMMITMENTS: "信用承诺信息",
    ReportSection.REPAIRS: "信用修复记录",
}
STATEMENT = "报告说明"
TITLE = "公共信用报告"
NUMERALS = "一二三四五六七八九"
GRID = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.94, 0.94, 0.94)
FOOTER = colors.Color(0.35, 0.35, 0.35)


def headings(purpose: ReportPurpose) -> tuple[str, ...]:
    """The numbered headings a report for `purpose` prints, the statement last."""
    titles = [TITLES[section] for section in purpose.sections] + [STATEMENT]
    return tuple(f"{NUMERALS[i]}、{title}" for i, title in enumerate(titles))


SECTIONS = headings(ReportPurpose.COMPREHENSIVE)


class Styles:
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


def render(content: ReportContent, font: ReportFont, *, base_url: str) -> bytes:
    """The unsigned PDF of `content`, its text in `font`, its QR code pointing under `base_url`."""
    return render_sealed(
        content,
        font,
        title=TITLE,
        base_url=base_url,
        story=lambda styles: _story(content, styles, base_url=base_url),
    )


def render_sealed(
    content: Sealed,
    font: ReportFont,
    *,
    title: str,
    base_url: str,
    story: Callable[[Styles], list[Flowable]],
) -> bytes:
    """The unsigned PDF of any sealed document (report or notice): its `story` under the
    centre's header, the first page stamped with the seal and QR code, every page numbered
    with the serial."""
    out = BytesIO()
    document = sealed_document(out, content, font, title=title)

    def first_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        stamp_first_page(canvas, content, font, base_url=base_url, title=title)

    def later_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        header(canvas, content.centre, font, title=title)

    document.build(
        story(Styles(font.name)),
        onFirstPage=first_page,
        onLaterPages=later_page,
        canvasmaker=numbered_canvas(font.name, content.serial),
    )
    return out.getvalue()


def sealed_document(
    out: BytesIO, content: Sealed, font: ReportFont, *, title: str
) -> SimpleDocTemplate:
    """An A4 document of the centre's, its metadata naming `title`, the serial and the font."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN,
        title=f"{title} {content.serial}",
        author=content.centre,
        subject=f"{title} {content.serial}; {font.note}",
        keywords=[content.serial, font.note],
        creator="creditgraph",
    )


def stamp_first_page(
    canvas: Canvas, content: Sealed, font: ReportFont, *, base_url: str, title: str
) -> None:
    """The header, the QR code to the verification page, and the seal, on a first page."""
    header(canvas, content.centre, font, title=title)
    x, y = WIDTH - MARGIN - QR_SIZE, HEIGHT - MARGIN - QR_SIZE
    draw_qr(canvas, verification_url(content, base_url), x=x, y=y, size=QR_SIZE)
    canvas.setFont(font.name, 7)
    canvas.drawCentredString(x + QR_SIZE / 2, y - 1 * mm, "扫码核验报告真伪")
    # Stamped over the issuer's line of the summary table, as on a paper report.
    draw_seal(
        canvas,
        x=WIDTH - MARGIN - 34 * mm,
        y=HEIGHT - 92 * mm,
        radius=21 * mm,
        font=font.name,
        name=content.centre,
    )


def header(canvas: Canvas, centre: str, font: ReportFont, *, title: str) -> None:
    canvas.saveState()
    canvas.setFont(font.name, 8)
    canvas.setFillColor(FOOTER)
    canvas.drawString(MARGIN, HEIGHT - MARGIN + 2 * mm, f"{centre}　{title}")
    canvas.restoreState()


def numbered_canvas(font: str, serial: str) -> type[Canvas]:
    """A canvas in `font` that holds its pages until the last, to print "第 X 页 共 Y 页"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The stubs type initialFontName as a float; reportlab takes the font's name.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            # Starts a fresh page without writing this one out (reportlab's own recipe;
            # the stubs leave the method out).
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._held)
            for page in self._held:
                self.__dict__.update(page)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(FOOTER)
                self.drawString(MARGIN, MARGIN - 8 * mm, f"报告编号：{serial}")
                number = f"第 {self.getPageNumber()} 页 共 {total} 页"
                self.drawRightString(WIDTH - MARGIN, MARGIN - 8 * mm, number)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def _story(content: ReportContent, styles: Styles, *, base_url: str) -> list[Flowable]:
    issued = content.issued_at.astimezone(CITY_TIME)
    summary = [
        ("报告编号", content.serial),
        ("信用主体", text(content.subject_name)),
        ("主体类别", KINDS[content.subject_kind]),
        ("出具时间", f"{issued:%Y年%m月%d日 %H:%M}（北京时间）"),
        ("报告用途", content.purpose.label),
        ("展示级别", _level(content)),
        ("出具机构", content.centre),
        ("核验码", check_code(content)),
    ]
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph(TITLE, styles.title),
        Spacer(1, 12 * mm),
        table(summary, styles, width=120 * mm),
        Spacer(1, 4 * mm),
    ]
    blocks = {
        ReportSection.BASIC: [[(v.label_zh, text(v)) for v in content.basic]],
        ReportSection.GOOD: [record_rows(e) for e in content.good],
        ReportSection.DISHONEST: [record_rows(e) for e in content.dishonest],
        ReportSection.BLACKLIST: [listing_rows(e) for e in content.blacklist],
        ReportSection.COMMITMENTS: [commitment_rows(e) for e in content.commitments]
        + [commitment_record_rows(e) for e in content.commitment_records],
        ReportSection.REPAIRS: [repair_rows(e) for e in content.repairs],
    }
    numbered = headings(content.purpose)
    for heading, section in zip(numbered, content.purpose.sections, strict=False):
        story.extend(_section(heading, blocks[section], styles, numbered=section in LISTS))
    story.append(Paragraph(numbered[-1], styles.heading))
    story.extend(
        Paragraph(escape(line), styles.body) for line in statement(content, base_url=base_url)
    )
    return story


# Sections whose entries are numbered (（1）, （2）...); basic information is one table.
LISTS = frozenset(ReportSection) - {ReportSection.BASIC}


def _section(
    heading: str, entries: Sequence[Rows], styles: Styles, *, numbered: bool
) -> list[Flowable]:
    """The heading, then each entry; the heading never ends a page without its first entry."""
    title = Paragraph(heading, styles.heading)
    if not entries:
        return [KeepTogether([title, Paragraph(NONE_ON_RECORD, styles.body)])]
    flowables: list[Flowable] = []
    for number, rows in enumerate(entries, start=1):
        label = [Paragraph(f"（{number}）", styles.body)] if numbered else []
        kept = [*label, table(rows[:KEPT_ROWS], styles)]
        flowables.append(KeepTogether([title, *kept] if number == 1 else kept))
        if rows[KEPT_ROWS:]:
            flowables.append(table(rows[KEPT_ROWS:], styles))
        flowables.append(Spacer(1, 2 * mm))
    return flowables


def _level(content: ReportContent) -> str:
    return LEVELS[content.level]


def table(rows: Sequence[tuple[str, str]], styles: Styles, *, width: float = 0) -> Table:
    total = width or WIDTH - 2 * MARGIN
    cells = [
        [Paragraph(escape(label), styles.body), Paragraph(escape(value), styles.body)]
        for label, value in rows
    ]
    # splitInRow: a cell taller than what is left of a page runs on to the next.
    table = Table(cells, colWidths=[LABEL_WIDTH, total - LABEL_WIDTH], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                # Cells hold paragraphs in the report's font; the table's own default font
                # (Helvetica) would otherwise be set, and listed unembedded, all the same.
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def statement(content: ReportContent, *, base_url: str) -> list[str]:
    """The closing statement: the period and sections covered, how values show, how to verify."""
    as_of = f"{content.as_of:%Y年%m月%d日}"
    shown = "、".join(TITLES[section] for section in content.purpose.sections)
    lines = [
        f"本报告由{content.centre}根据深圳市公共信用信息系统截至{as_of}归集的信息出具，"
        f"反映信用主体截至该日的公共信用信息。",
        f"本报告用途为“{content.purpose.label}”，按该用途列示{shown}，仅供该用途使用，请妥善保管。",
        "良好行为、违法失信和报送的信用承诺信息仅列示截至上述日期处于公示期内的记录；"
        "公示期自决定日次日起算，至期间最后一日届满（《中华人民共和国民法典》第二百零一条至"
        "第二百零三条），所列公示截止日当日仍在公示期内。公示期届满、已修复、已撤销、依审慎包容原则"
        "不予记录、补报年度报告后移出、经异议处理撤下公示，或信用主体依《深圳经济特区社会信用条例》"
        "第三十九条拒绝记录的信息不予列示；已修复的记录仅在信用修复记录中列示修复结果。",
        "黑名单信息列示列入中的及已移出、已期满的列入记录；信用承诺信息分别列示承诺管理单位"
        "登记的信用承诺及其履行状态，和信息提供单位报送的信用承诺公示信息；金额以人民币元列示。",
        f"各项信息按查询人的展示级别“{_level(content)}”展示；低于该级别的数据项已"
        "按《深圳市公共信用信息目录》去标识化或不予展示（《深圳经济特区社会信用条例》第三十八条）。",
        f"本报告加盖{content.centre}信用报告专用章并附数字签名。扫描首页二维码，或访问"
        f" {base_url.rstrip('/')}/verify 输入报告编号与核验码，可核验本报告真伪及是否已撤回；"
        "持电子文件者可在该页面上传文件核验。",
    ]
    if content.omitted:
        lines.append(f"另有 {content.omitted} 条记录因篇幅所限未列示，可在线查询。")
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]
