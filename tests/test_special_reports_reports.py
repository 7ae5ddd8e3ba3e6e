"""The 专项信用报告 PDF (issue 12.4): per-field sections in Chinese, seal, QR code, signature."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium

from domain.catalogue import Catalogue, CreditField
from domain.masking import PublicAttribute
from domain.records import RecordStatus
from reports.certificates import ReportCertificateFiles
from reports.content import FieldFinding, SpecialReportContent, Violation
from reports.fonts import report_font
from reports.issuer import ReportIssuer
from reports.qr import check_code
from reports.signing import load_signer, verify
from reports.special import NO_VIOLATION
from resolvers.subjects import subject_view
from tests import factories


def content(catalogue: Catalogue, *, end: date = date(2020, 9, 1)) -> SpecialReportContent:
    firm = factories.firm(name="深圳市华鹏科技有限公司")
    shown = subject_view(firm, catalogue.basic_item(firm.kind), PublicAttribute.PUBLIC)
    repaired = Violation(
        title=catalogue.by_code["DISHONEST_4"].title_zh,
        document_number="深市监罚〔2020〕9号",
        decision_date=date(2020, 3, 2),
        source_unit="深圳市市场监督管理局",
        status=RecordStatus.REPAIRED,
    )
    return SpecialReportContent(
        serial="44030020200901000001",
        issued_at=datetime(2020, 9, 1, 4, tzinfo=UTC),
        subject_kind=firm.kind,
        subject_name=shown.name,
        basic=tuple(shown.basic_items),
        start=date(2020, 1, 1),
        end=end,
        findings=(
            FieldFinding(field=CreditField.MARKET_REGULATION, found=(repaired,)),
            FieldFinding(field=CreditField.TAX, found=()),
        ),
    )


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def test_signed_special_report_lists_fields_and_validates_with_pyhanko(
    catalogue: Catalogue, keys_dir: Path
) -> None:
    files = ReportCertificateFiles.under(keys_dir)
    signer = load_signer(key=files.key, cert=files.cert, ca=files.ca)
    issuer = ReportIssuer(
        region_code="440300", font=report_font(None), signer=signer, base_url="http://test"
    )
    made = content(catalogue)

    pdf = await issuer.produce(made)

    assert (await verify(pdf, [signer.ca])).ok
    text = text_of(pdf)
    assert "专项信用报告" in text
    assert "二、市场监管领域" in text
    assert "三、税务领域" in text
    assert "已修复" in text
    assert text.count(NO_VIOLATION) >= 1
    assert "2020年01月01日至2020年09月01日" in text
    assert check_code(made) in text


def test_special_report_digest_binds_the_period(catalogue: Catalogue) -> None:
    assert content(catalogue).digest() != content(catalogue, end=date(2020, 8, 31)).digest()
