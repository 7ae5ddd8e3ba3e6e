"""Decision notices on paper (issue 12.5): their Chinese text, seal, QR code and signature."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from domain.catalogue import Catalogue
from domain.masking import PublicAttribute
from domain.records import ObjectionOutcome
from domain.repair import RepairState
from domain.reports import ReportKind
from reports.certificates import ReportCertificateFiles
from reports.content import NoticeContent
from reports.fonts import report_font
from reports.issuer import ReportIssuer
from reports.notices import OUTCOMES, TITLES
from reports.qr import check_code
from reports.signing import load_signer, verify
from resolvers.subjects import subject_view
from tests import factories

DECIDED = datetime(2020, 9, 1, 4, tzinfo=UTC)


def notice(
    catalogue: Catalogue, kind: ReportKind, outcome: RepairState | ObjectionOutcome
) -> NoticeContent:
    firm = factories.firm(name="深圳市华鹏科技有限公司")
    shown = subject_view(firm, catalogue.basic_item(firm.kind), PublicAttribute.AUTHORIZED)
    return NoticeContent(
        serial="44030020200901000001",
        issued_at=DECIDED,
        kind=kind,
        subject_kind=firm.kind,
        subject_name=shown.name,
        record_title=catalogue.by_code["DISHONEST_2"].title_zh,
        document_number="深市监罚〔2020〕7号",
        decision_date=date(2020, 1, 10),
        source_unit="深圳市市场监督管理局",
        filed_at=datetime(2020, 8, 20, 4, tzinfo=UTC),
        outcome=outcome,
        reason="材料齐全",
        decided_at=DECIDED,
    )


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        (ReportKind.REPAIR_DECISION, RepairState.APPROVED),
        (ReportKind.OBJECTION_NOTICE, ObjectionOutcome.CORRECTED),
        (ReportKind.OBJECTION_NOTICE, ObjectionOutcome.REMOVED_FROM_DISPLAY),
        (ReportKind.OBJECTION_NOTICE, ObjectionOutcome.UPHELD),
    ],
)
async def test_signed_notice_says_the_outcome_in_chinese_and_validates_with_pyhanko(
    catalogue: Catalogue,
    keys_dir: Path,
    kind: ReportKind,
    outcome: RepairState | ObjectionOutcome,
) -> None:
    files = ReportCertificateFiles.under(keys_dir)
    signer = load_signer(key=files.key, cert=files.cert, ca=files.ca)
    issuer = ReportIssuer(
        region_code="440300", font=report_font(None), signer=signer, base_url="http://test"
    )
    content = notice(catalogue, kind, outcome)

    pdf = await issuer.produce(content)

    check = await verify(pdf, [signer.ca])
    assert check.ok
    text = text_of(pdf)
    assert TITLES[kind] in text
    assert OUTCOMES[outcome][:20] in text
    assert "深圳市华鹏科技有限公司" in text
    assert "深市监罚〔2020〕7号" in text
    assert check_code(content) in text
    # Chinese only: the latin letters on the page are the address and the check code.
    latin = text.replace("http://test/verify", "").replace(check_code(content), "")
    assert not any("A" <= c <= "Z" or "a" <= c <= "z" for c in latin)


def test_notice_content_digest_binds_the_outcome(catalogue: Catalogue) -> None:
    upheld = notice(catalogue, ReportKind.OBJECTION_NOTICE, ObjectionOutcome.UPHELD)
    removed = notice(catalogue, ReportKind.OBJECTION_NOTICE, ObjectionOutcome.REMOVED_FROM_DISPLAY)

    assert upheld.digest() != removed.digest()
