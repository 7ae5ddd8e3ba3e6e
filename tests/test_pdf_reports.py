"""The report PDF: its sections in Chinese, masked values, font, seal and QR code."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import reportlab
from PIL import Image, ImageStat

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.masking import PublicAttribute
from domain.records import Record
from domain.repair import RepairState
from domain.subjects import Subject
from reports import fonts
from reports.content import RepairLine, ReportContent
from reports.errors import ReportSetupError
from reports.fonts import FALLBACK, ReportFont, report_font
from reports.pdf import NONE_ON_RECORD, SECTIONS, render
from reports.qr import check_code, verification_url
from reports.sections import WITHHELD
from server.app import create_app
from server.settings import Environment, Settings
from tests import factories

BASE = "https://credit.example.cn"
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
PENALTY = {
    "offence": "拒不执行隔离措施",
    "penalty_type": "罚款",
    "penalty_basis": "《中华人民共和国传染病防治法》",
    "deciding_authority": "深圳市公安局南山分局",
    "decision_date": "2020-06-01",
    "case_handler": "赵警官",
}


def shipped() -> ReportFont:
    return report_font(None)


def rendered(content: ReportContent) -> bytes:
    return render(content, shipped(), base_url=BASE)


def penalty(catalogue: Catalogue) -> tuple[Subject, Record]:
    """A person with a disclosed penalty whose case handler is RESTRICTED."""
    person = factories.person(name="王小明")
    decided = date(2020, 6, 1)
    record = factories.record(
        catalogue, person, item_code="DISHONEST_1", decided=decided, data_items=PENALTY
    )
    return person, record


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def first_page_png(pdf: bytes) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=1).to_pil().convert("RGB")
        return image
    finally:
        document.close()


def metadata_of(pdf: bytes) -> dict[str, str]:
    document = pdfium.PdfDocument(pdf)
    try:
        metadata: dict[str, str] = document.get_metadata_dict()
        return metadata
    finally:
        document.close()


def test_report_text_has_every_section_title_in_chinese(catalogue: Catalogue) -> None:
    person, record = penalty(catalogue)

    text = text_of(rendered(factories.report(catalogue, person, [record])))

    for title in (*SECTIONS, "公共信用报告", "44030020200901000001", "深圳市公共信用中心"):
        assert title in text
    assert "拒不执行隔离措施" in text
    assert "2020-06-01 至 2023-06-01" in text  # the last day on display (民法典 art. 202)


def test_report_at_public_level_shows_only_masked_values(catalogue: Catalogue) -> None:
    person, record = penalty(catalogue)

    text = text_of(rendered(factories.report(catalogue, person, [record])))

    assert "王**" in text
    # Hidden from the public whole: in part they would combine into an identification.
    for raw in (
        "王小明",
        person.identifier,
        person.identifier[-4:],
        "5678",
        "赵警官",
        "科技园南区",
    ):
        assert raw not in text
    assert WITHHELD in text
    assert "公开公示" in text


def test_report_at_restricted_level_shows_raw_values(catalogue: Catalogue) -> None:
    person, record = penalty(catalogue)
    content = factories.report(catalogue, person, [record], level=PublicAttribute.RESTRICTED)

    text = text_of(rendered(content))

    for raw in ("王小明", person.identifier, "13812345678", "赵警官"):
        assert raw in text


def test_report_sections_without_entries_say_none_on_record(catalogue: Catalogue) -> None:
    text = text_of(rendered(factories.report(catalogue, factories.firm())))

    assert [line.strip() for line in text.splitlines()].count(NONE_ON_RECORD) == 5


def test_report_values_with_markup_characters_print_literally(catalogue: Catalogue) -> None:
    firm = factories.firm(name="深圳市<b>甲&乙</b>有限公司")

    text = text_of(
        render(
            factories.report(catalogue, firm, level=PublicAttribute.RESTRICTED),
            shipped(),
            base_url=BASE,
        )
    )

    assert "深圳市<b>甲&乙</b>有限公司" in text


def test_report_with_omitted_records_says_how_many(catalogue: Catalogue) -> None:
    text = text_of(rendered(factories.report(catalogue, factories.firm(), omitted=7)))

    assert "另有 7 条记录" in text


def pdffonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """The rows of poppler's `pdffonts` for `pdf`: name, type, encoding, emb, sub, uni, ..."""
    tool = shutil.which("pdffonts")
    if tool is None:
        pytest.skip("pdffonts (poppler-utils) is not installed; `make test` installs it")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run([tool, str(path)], check=True, capture_output=True, text=True)
    return [line.split() for line in listing.stdout.splitlines()[2:]]


def test_report_with_shipped_font_embeds_every_font(catalogue: Catalogue, tmp_path: Path) -> None:
    person, record = penalty(catalogue)
    font = shipped()

    pdf = render(factories.report(catalogue, person, [record]), font, base_url=BASE)

    assert font.embedded
    assert font.source.endswith("wqy-microhei.ttc")
    assert b"/FontFile2" in pdf
    rows = pdffonts(pdf, tmp_path)
    assert rows
    # Columns from the right: object id, generation, uni, sub, emb.
    assert [row[-5] for row in rows] == ["yes"] * len(rows)
    assert "font: wqy-microhei.ttc (embedded)" in metadata_of(pdf)["Subject"]


def test_report_font_without_shipped_font_falls_back_and_says_so(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "shipped_font", lambda: None)
    font = report_font(None)

    metadata = metadata_of(
        render(factories.report(catalogue, factories.firm()), font, base_url=BASE)
    )

    assert (font.name, font.embedded) == (FALLBACK, False)
    assert "font: STSong-Light (not embedded)" in metadata["Subject"]
    assert "font: STSong-Light (not embedded)" in metadata["Keywords"]


def test_report_font_without_embeddable_font_is_refused_when_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "shipped_font", lambda: None)

    with pytest.raises(ReportSetupError, match="no embeddable CJK TrueType font"):
        report_font(None, require_embedded=True)


def test_production_service_without_embeddable_font_refuses_to_start(
    settings: Settings, store_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "shipped_font", lambda: None)
    production = settings.model_copy(update={"env": Environment.PRODUCTION})

    with pytest.raises(ReportSetupError, match="no embeddable CJK TrueType font"):
        create_app(production, mongodb_uri=store_uri)


def test_production_service_with_the_shipped_font_starts(
    settings: Settings, store_uri: str
) -> None:
    production = settings.model_copy(update={"env": Environment.PRODUCTION})

    app = create_app(production, mongodb_uri=store_uri)

    assert app.state.reports.font.embedded


def test_report_font_configured_is_used_before_the_shipped_one() -> None:
    font = report_font(VERA)

    assert (font.embedded, font.source) == (True, str(VERA))


@pytest.mark.parametrize("name", ["missing.ttf", "broken.ttf"])
def test_report_font_configured_but_unusable_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "broken.ttf").write_bytes(b"not a font")

    with pytest.raises(ReportSetupError, match=name):
        report_font(tmp_path / name)


def test_report_first_page_is_not_blank_and_carries_the_red_seal(catalogue: Catalogue) -> None:
    person, record = penalty(catalogue)

    image = first_page_png(rendered(factories.report(catalogue, person, [record])))

    assert max(ImageStat.Stat(image).stddev) > 10
    pixels = image.tobytes()
    red = sum(
        1
        for i in range(0, len(pixels), 3)
        if pixels[i] > 170 and pixels[i + 1] < 90 and pixels[i + 2] < 90
    )
    assert red > 500


def test_report_qr_url_is_absolute_verification_page_with_content_digest(
    catalogue: Catalogue,
) -> None:
    content = factories.report(catalogue, factories.firm())

    assert verification_url(content, BASE + "/") == (
        f"{BASE}/verify/44030020200901000001?digest={content.digest()}"
    )


def test_report_prints_check_code_from_content_digest(catalogue: Catalogue) -> None:
    content = factories.report(catalogue, factories.firm())

    text = text_of(rendered(content))

    assert check_code(content) == " ".join(
        content.digest()[i : i + 4].upper() for i in range(0, 16, 4)
    )
    assert check_code(content) in text


def test_report_content_digest_changes_with_any_value(catalogue: Catalogue) -> None:
    firm = factories.firm()

    public = factories.report(catalogue, firm)
    restricted = factories.report(catalogue, firm, level=PublicAttribute.RESTRICTED)

    assert public.digest() == factories.report(catalogue, firm).digest()
    assert public.digest() != restricted.digest()
    assert len(public.digest()) == 64


def sections_of(catalogue: Catalogue, level: PublicAttribute) -> str:
    """A person on the blacklist (and once removed), with a commitment and an approved repair."""
    person, record = penalty(catalogue)
    serious = factories.record(
        catalogue,
        person,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 1),
        severity=Severity.SERIOUS,
        record_id="r-serious",
    )
    listed = factories.blacklist_entry(
        person, [serious], listed=date(2020, 7, 1), until=date(2021, 1, 1)
    )
    removed = factories.blacklist_entry(
        person,
        [serious],
        listed=date(2020, 6, 2),
        until=date(2021, 1, 1),
        removed=date(2020, 6, 20),
    )
    commitment = factories.commitment(person, signatory="李建国")
    published = factories.record(
        catalogue, person, item_code="COMMITMENT", decided=date(2020, 4, 1)
    )
    repair = RepairLine(
        title="哄抬物价、囤积居奇",
        document_number="深市监罚〔2020〕88号",
        decision_date=date(2020, 3, 1),
        state=RepairState.APPROVED,
        submitted_at=datetime(2020, 8, 17, 2, tzinfo=UTC),
        decided_at=datetime(2020, 8, 19, 17, tzinfo=UTC),  # 08-20 in Beijing
    )
    content = factories.report(
        catalogue,
        person,
        [record, published],
        level=level,
        entries=[listed, removed],
        commitments=[commitment],
        repairs=[repair],
    )
    return text_of(rendered(content))


def section(text: str, number: int) -> str:
    """The text between the heading of section `number` (1-based) and the next one."""
    return text.split(SECTIONS[number - 1])[1].split(SECTIONS[number])[0]


def test_report_blacklist_section_lists_entries_in_force_and_removed(catalogue: Catalogue) -> None:
    blacklist = section(sections_of(catalogue, PublicAttribute.AUTHORIZED), 4)

    assert NONE_ON_RECORD not in blacklist
    for expected in (
        "列入中",
        "2020-07-01",
        "列入期限至",
        "2021-01-01",
        "疫情防控期间严重失信",
        "已移出",
        "移出日期",
        "2020-06-20",
        "依法移出",
    ):
        assert expected in blacklist


def test_report_commitment_section_says_which_source_each_comes_from(catalogue: Catalogue) -> None:
    commitments = section(sections_of(catalogue, PublicAttribute.AUTHORIZED), 5)

    assert "承诺管理单位登记的信用承诺" in commitments
    assert "信息提供单位报送的信用承诺公示信息" in commitments
    for expected in ("有效", "复工复产", "深圳市工业和信息化局", "2021-02-28", "李建国"):
        assert expected in commitments


def test_report_commitment_values_are_masked_as_the_api_masks_them(catalogue: Catalogue) -> None:
    public = section(sections_of(catalogue, PublicAttribute.PUBLIC), 5)

    assert "李建国" not in public
    assert "李**" in public  # the signatory is AUTHORIZED, shown by NAME mask below it
    assert "深圳市工业和信息化局" in public


def test_report_repair_section_lists_the_approved_repair(catalogue: Catalogue) -> None:
    repairs = section(sections_of(catalogue, PublicAttribute.AUTHORIZED), 6)

    for expected in (
        "哄抬物价、囤积居奇",
        "深市监罚〔2020〕88号",
        "准予修复",
        "2020-08-17",
        "2020-08-20",
    ):
        assert expected in repairs
