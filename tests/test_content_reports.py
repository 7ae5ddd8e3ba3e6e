"""What a Chinese recipient reads: Chinese only, 元, unit names, page numbers, whole sections,
repairs as repairs, and the sections its purpose selects (issue 10, point 8)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalogue import Catalogue
from domain.masking import PublicAttribute
from domain.records import ChangeKind, RecordStatus, next_version
from domain.reports import PURPOSE_SECTIONS, ReportPurpose, ReportSection, yuan
from reports.fonts import report_font
from reports.pdf import NONE_ON_RECORD, headings, render
from reports.qr import check_code
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

BASE = "https://credit.example.cn"
ISSUE = """
mutation Issue($subject: ID!, $purpose: ReportPurpose!) {
  issueCreditReport(subject: $subject, purpose: $purpose) {
    ... on IssueCreditReportSuccess { report { downloadPath } }
  }
}
"""
LONG_BASIS = "《中华人民共和国传染病防治法》第七十三条及相关规定；" * 30
FOOTER = re.compile(r"报告编号：\d{20}|第 \d+ 页 共 \d+ 页")


def pages_of(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def lowest_text(pdf: bytes) -> list[float]:
    """Per page, the bottom of the lowest character above the footer, in points."""
    document = pdfium.PdfDocument(pdf)
    lowest = []
    try:
        for page in document:
            text = page.get_textpage()
            bottoms: list[float] = [text.get_charbox(i)[1] for i in range(text.count_chars())]
            lowest.append(min(b for b in bottoms if b > 40))
    finally:
        document.close()
    return lowest


def long_file(catalogue: Catalogue, entries: int) -> bytes:
    person = factories.person()
    records = [
        factories.record(
            catalogue,
            person,
            item_code="DISHONEST_1",
            decided=date(2020, 6, 1),
            data_items={
                "offence": f"拒不执行隔离措施（第{n}次）",
                "penalty_type": "罚款",
                "penalty_basis": LONG_BASIS,
                "deciding_authority": "深圳市公安局南山分局",
                "decision_date": "2020-06-01",
                "case_handler": "赵警官",
            },
        )
        for n in range(entries)
    ]
    content = factories.report(catalogue, person, records, level=PublicAttribute.RESTRICTED)
    return render(content, report_font(None), base_url=BASE)


@given(st.integers(min_value=0, max_value=10**15))
def test_yuan_prints_fen_exactly_with_thousands_separators(fen: int) -> None:
    printed = yuan(fen)

    whole, cents = printed.removesuffix(" 元").split(".")
    assert int(whole.replace(",", "")) * 100 + int(cents) == fen
    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2} 元", printed)


def test_yuan_of_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        yuan(-1)


def test_every_page_says_its_number_and_the_total(catalogue: Catalogue) -> None:
    pages = pages_of(long_file(catalogue, 12))

    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text


def test_no_page_ends_with_a_heading_and_no_page_but_the_last_is_half_empty(
    catalogue: Catalogue,
) -> None:
    pdf = long_file(catalogue, 12)
    pages = pages_of(pdf)

    for text in pages:
        body = FOOTER.sub("", text).strip().splitlines()
        assert body[-1].strip() not in headings(ReportPurpose.COMPREHENSIVE)
    # A4 is 842 pt high and the bottom margin 51 pt: every page but the last runs to within
    # 5 cm of it (an entry's first rows move together), long cells running on to the next page.
    assert [bottom < 51 + 150 for bottom in lowest_text(pdf)[:-1]] == [True] * (len(pages) - 1)


def test_report_text_is_chinese_only(catalogue: Catalogue) -> None:
    person = factories.person()
    record = factories.record(catalogue, person, item_code="DISHONEST_1", decided=date(2020, 6, 1))
    content = factories.report(catalogue, person, [record])

    text = "".join(pages_of(render(content, report_font(None), base_url=BASE)))

    # The verification address and the check code are not words.
    words = text.replace(f"{BASE}/verify", "").replace(check_code(content), "")
    assert re.findall(r"[A-Za-z]{2,}", words) == []


@pytest.mark.parametrize("purpose", list(ReportPurpose))
def test_purpose_selects_the_sections_printed(catalogue: Catalogue, purpose: ReportPurpose) -> None:
    content = factories.report(catalogue, factories.firm(), purpose=purpose)

    text = "".join(pages_of(render(content, report_font(None), base_url=BASE)))

    printed = headings(purpose)
    assert len(printed) == len(PURPOSE_SECTIONS[purpose]) + 1
    for heading in printed:
        assert heading in text
    assert printed[-1].endswith("报告说明")
    assert purpose.label in text
    lines = [line.strip() for line in text.splitlines()]
    assert lines.count(NONE_ON_RECORD) == len(PURPOSE_SECTIONS[purpose]) - 1


def test_every_purpose_shows_basic_information_first() -> None:
    for purpose in ReportPurpose:
        assert purpose.sections[0] is ReportSection.BASIC
        assert list(purpose.sections) == sorted(purpose.sections, key=list(ReportSection).index)


async def issue_and_read(
    api: httpx.AsyncClient, subject_id: str, token: str, purpose: str = "COMPREHENSIVE"
) -> str:
    body = await graphql(api, ISSUE, {"subject": subject_id, "purpose": purpose}, token=token)
    path = data_of(body)["issueCreditReport"]["report"]["downloadPath"]
    pdf = (await api.get(path, headers={"authorization": f"Bearer {token}"})).content
    return "".join(pages_of(pdf))


async def test_report_names_source_units_and_prints_amounts_in_yuan(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    values: dict[str, Any] = {
        "offence": "哄抬口罩价格",
        "penalty_type": "罚款",
        "penalty_basis": "《中华人民共和国价格法》",
        "deciding_authority": "深圳市市场监督管理局",
        "decision_date": "2020-06-01",
        "fine_amount": "123456789",
    }
    record = factories.record(
        catalogue, firm, item_code="DISHONEST_1", decided=date(2020, 6, 1), data_items=values
    ).model_copy(update={"source_unit": "440300-HC"})
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [record])

    text = await issue_and_read(api, firm.id, token("credit_centre"))

    assert "深圳市卫生健康委员会" in text
    assert "440300-HC" not in text
    assert "1,234,567.89 元" in text
    assert "罚款金额" in text
    assert "123456789" not in text
    assert "（分）" not in text


async def test_repaired_record_shows_as_a_repair_without_the_penalty_details(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    values = {
        "offence": "哄抬口罩价格",
        "penalty_type": "罚款",
        "penalty_basis": "《中华人民共和国价格法》",
        "deciding_authority": "深圳市市场监督管理局",
        "decision_date": "2020-03-01",
        "fine_amount": "500000",
    }
    penalty = factories.record(
        catalogue, person, item_code="DISHONEST_1", decided=date(2020, 3, 1), data_items=values
    )
    fixed = next_version(
        penalty,
        kind=ChangeKind.REPAIRED,
        at=datetime(2020, 5, 20, 2, tzinfo=UTC),
        by="centre",
        status=RecordStatus.REPAIRED,
    )
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, [fixed])

    text = await issue_and_read(api, person.id, token("credit_centre"))

    repairs = text.split("六、信用修复记录")[1].split("七、报告说明")[0]
    dishonesty = text.split("三、行政处罚及其他违法失信信息")[1].split("四、黑名单信息")[0]
    assert penalty.document_number in repairs
    assert "2020-05-20" in repairs
    assert penalty.document_number not in dishonesty
    for detail in ("哄抬口罩价格", "《中华人民共和国价格法》", "5,000.00 元"):
        assert detail not in text


async def test_purpose_leaves_out_the_records_of_sections_it_does_not_show(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    good = factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 1))
    bad = factories.record(catalogue, person, item_code="DISHONEST_2", decided=date(2020, 6, 1))
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, [good, bad])
    centre = token("credit_centre")

    bidding = await issue_and_read(api, person.id, centre, "BIDDING")
    awards = await issue_and_read(api, person.id, centre, "AWARDS")

    good_title = catalogue.by_code["GOOD_3"].title_zh
    assert good_title not in bidding
    assert bad.document_number in bidding
    assert "良好行为信息" not in bidding
    assert good_title in awards
