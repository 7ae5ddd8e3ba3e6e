"""API tests: the sealed notices a repair approval and an objection decision issue (12.5)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest

from domain.catalogue import Catalogue
from reports.certificates import ReportCertificateFiles
from reports.signing import load_signer, verify
from store.database import Database
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.test_objections_api import file, resolve
from tests.test_objections_api import seed as seed_objection
from tests.test_repair_api import apply, review
from tests.test_repair_api import seed as seed_repair

NOTICE = """
query ($regarding: ID!) {
  decisionNotice(regarding: $regarding) { serial kind sha256 subjectId downloadPath }
}
"""

VERIFY = """
query ($serial: String!, $sha256: String!) {
  verifyCreditReport(serial: $serial, sha256: $sha256) { valid withdrawn }
}
"""


async def notice_for(api: httpx.AsyncClient, regarding: str, token: str | None) -> Any:
    body = await graphql(api, NOTICE, {"regarding": regarding}, token=token)
    return data_of(body)["decisionNotice"]


def bearer(token: str | None) -> dict[str, str]:
    return {} if token is None else {"authorization": f"Bearer {token}"}


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def downloaded_and_checked(
    api: httpx.AsyncClient, notice: dict[str, Any], holder: str, keys_dir: Path
) -> str:
    """The notice's text, after checking the download's digest and its pyHanko validation."""
    response = await api.get(notice["downloadPath"], headers=bearer(holder))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == notice["sha256"]
    files = ReportCertificateFiles.under(keys_dir)
    ca = load_signer(key=files.key, cert=files.cert, ca=files.ca).ca
    assert (await verify(response.content, [ca])).ok
    return text_of(response.content)


async def test_approved_repair_issues_a_repair_decision_to_subject_and_centre(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, keys_dir: Path
) -> None:
    record = await seed_repair(db, catalogue, factories.firm(name="深圳市华鹏科技有限公司"))
    app_id = (await apply(api, token, record))["application"]["id"]

    await review(api, token, app_id, "APPROVE", None)

    own = token("subject", subject=record.subject_id)
    for holder in (own, token("credit_centre")):
        notice = await notice_for(api, app_id, holder)
        assert (notice["kind"], notice["subjectId"]) == ("REPAIR_DECISION", record.subject_id)
        text = await downloaded_and_checked(api, notice, holder, keys_dir)
        assert "信用修复决定书" in text
        assert "准予信用修复" in text
        assert record.document_number in text
    verified = await graphql(api, VERIFY, {"serial": notice["serial"], "sha256": notice["sha256"]})
    assert data_of(verified)["verifyCreditReport"] == {"valid": True, "withdrawn": False}


async def test_repair_approved_twice_issues_one_notice(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_repair(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    await review(api, token, app_id, "APPROVE", None)
    await review(api, token, app_id, "APPROVE", None)

    assert await db["credit_reports"].count_documents({"regarding": app_id}) == 1


async def test_repair_approved_twice_at_once_issues_one_notice(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_repair(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    await asyncio.gather(*(review(api, token, app_id, "APPROVE", None) for _ in range(2)))

    assert await db["credit_reports"].count_documents({"regarding": app_id}) == 1


async def test_rejected_repair_issues_no_repair_decision(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seed_repair(db, catalogue, factories.firm())
    app_id = (await apply(api, token, record))["application"]["id"]

    await review(api, token, app_id, "REJECT", "整改材料不实")

    assert await notice_for(api, app_id, token("credit_centre")) is None


@pytest.mark.parametrize(
    ("outcome", "said"),
    [("UPHELD", "予以维持"), ("REMOVED_FROM_DISPLAY", "撤下公示")],
)
async def test_decided_objection_issues_a_notice_to_the_subject(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    keys_dir: Path,
    outcome: str,
    said: str,
) -> None:
    record = await seed_objection(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]

    await resolve(api, token("credit_centre"), objection_id, outcome)

    own = token("subject", subject=record.subject_id)
    notice = await notice_for(api, objection_id, own)
    assert notice["kind"] == "OBJECTION_NOTICE"
    text = await downloaded_and_checked(api, notice, own, keys_dir)
    assert "异议处理告知书" in text
    assert said in text


@pytest.mark.parametrize(
    ("role", "claims"),
    [(None, {}), ("bank", {"org": "BANK-1"}), ("subject", {"subject": "s-someone-else"})],
)
async def test_notice_of_someone_else_is_neither_listed_nor_downloadable(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    role: str | None,
    claims: dict[str, str],
) -> None:
    record = await seed_objection(db, catalogue)
    objection_id = (await file(api, token, record))["objection"]["id"]
    await resolve(api, token("credit_centre"), objection_id, "UPHELD")
    notice = await notice_for(api, objection_id, token("credit_centre"))

    holder = None if role is None else token(role, **claims)

    assert await notice_for(api, objection_id, holder) is None
    response = await api.get(notice["downloadPath"], headers=bearer(holder))
    assert response.status_code == 404
