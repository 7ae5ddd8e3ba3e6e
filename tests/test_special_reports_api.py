"""API tests: the 专项信用报告 that replaces the no-violation certificate (issue 12.4)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest

from domain.catalogue import Catalogue, Category
from domain.grants import AuthorizationGrant
from domain.records import RecordStatus
from domain.subjects import Subject
from reports.certificates import ReportCertificateFiles
from reports.signing import load_signer, verify
from store.database import AUDIT_EVENTS, Database
from store.grants import insert_grant
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

ISSUE = """
mutation Issue($subject: ID!, $fields: [CreditField!]!, $from: Date!, $to: Date!) {
  issueSpecialCreditReport(subject: $subject, fields: $fields, from: $from, to: $to) {
    __typename
    ... on IssueCreditReportSuccess {
      report { serial sha256 kind purpose subjectId downloadPath }
    }
    ... on UserError { code message field }
  }
}
"""

VERIFY = """
query ($serial: String!, $sha256: String!) {
  verifyCreditReport(serial: $serial, sha256: $sha256) { valid subjectName withdrawn }
}
"""

NOW = datetime(2020, 9, 1, 4, tzinfo=UTC)
PERIOD = {"from": "2020-01-01", "to": "2020-09-01"}
FUND = "FUND-001"


async def seed(db: Database, catalogue: Catalogue, firm: Subject) -> None:
    """A market-regulation penalty repaired, one revoked, one of public security, one from
    before the period."""
    records = [
        factories.record(
            catalogue,
            firm,
            item_code="DISHONEST_4",
            decided=date(2020, 3, 2),
            status=RecordStatus.REPAIRED,
        ),
        factories.record(
            catalogue,
            firm,
            item_code="DISHONEST_2",
            decided=date(2020, 4, 1),
            status=RecordStatus.REVOKED,
        ),
        factories.record(catalogue, firm, item_code="DISHONEST_1", decided=date(2020, 6, 1)),
        factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 1, 20)),
    ]
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, records)


def grant(
    firm: Subject, *, classes: tuple[Category, ...] = (Category.DISHONEST,)
) -> AuthorizationGrant:
    return AuthorizationGrant(
        id=f"g-{firm.id}-{len(classes)}",
        subject_id=firm.id,
        grantee_org=FUND,
        purpose="资金资助审核",
        data_classes=classes,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=30),
        created_at=NOW - timedelta(days=1),
    )


async def issue(
    api: httpx.AsyncClient, subject_id: str, token: str | None, **changes: Any
) -> dict[str, Any]:
    variables = {"subject": subject_id, "fields": ["MARKET_REGULATION", "TAX"]} | PERIOD
    body = await graphql(api, ISSUE, variables | changes, token=token)
    result: dict[str, Any] = data_of(body)["issueSpecialCreditReport"]
    return result


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_issue_as_firm_lists_each_field_and_verifies(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, keys_dir: Path
) -> None:
    firm = factories.firm(name="深圳市华鹏科技有限公司")
    await seed(db, catalogue, firm)
    own = token("subject", subject=firm.id)

    result = await issue(api, firm.id, own)

    assert result["__typename"] == "IssueCreditReportSuccess"
    report = result["report"]
    assert (report["kind"], report["purpose"]) == ("SPECIAL", "MARKET_REGULATION,TAX")
    response = await api.get(report["downloadPath"], headers=bearer(own))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == report["sha256"]
    files = ReportCertificateFiles.under(keys_dir)
    ca = load_signer(key=files.key, cert=files.cert, ca=files.ca).ca
    assert (await verify(response.content, [ca])).ok
    text = text_of(response.content)
    assert "专项信用报告" in text
    assert "市场监管领域" in text
    assert "已修复" in text  # the repaired penalty is found, marked so
    assert "无违法违规记录" in text  # nothing in the tax field
    assert "深市监罚〔2020〕" in text
    assert "公安领域" not in text  # not requested
    body = await graphql(api, VERIFY, {"serial": report["serial"], "sha256": report["sha256"]})
    assert data_of(body)["verifyCreditReport"]["valid"] is True


async def test_issue_lists_only_records_of_the_period_and_not_revoked(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    centre = token("credit_centre")

    report = (await issue(api, firm.id, centre, **{"from": "2020-02-01"}))["report"]

    stored = await db["credit_reports"].find_one({"_id": report["serial"]})
    assert stored is not None
    # Only the repaired March penalty: April's is revoked, January's before the period.
    assert len(stored["record_ids"]) == 1
    text = text_of((await api.get(report["downloadPath"], headers=bearer(centre))).content)
    assert text.count("决定文书号") == 1


async def test_funding_department_with_a_grant_issues_and_downloads(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    await insert_grant(db, grant=grant(firm))
    funding = token("funding", org=FUND)

    report = (await issue(api, firm.id, funding))["report"]
    response = await api.get(report["downloadPath"], headers=bearer(funding))

    assert response.status_code == 200
    events = await db[AUDIT_EVENTS].find({"viewer_org": FUND}).to_list(None)
    assert any(e["operation"] == f"GET {report['downloadPath']}" for e in events)


@pytest.mark.parametrize(
    ("role", "claims", "classes"),
    [
        ("funding", {"org": FUND}, None),
        ("funding", {"org": FUND}, (Category.GOOD,)),
        ("bank", {"org": "BANK-9"}, None),
        ("government", {}, None),
        ("subject", {"subject": "s-someone-else"}, None),
    ],
)
async def test_issue_without_a_covering_grant_is_forbidden(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    role: str,
    claims: dict[str, str],
    classes: tuple[Category, ...] | None,
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    if classes is not None:
        await insert_grant(db, grant=grant(firm, classes=classes))

    result = await issue(api, firm.id, token(role, **claims))

    assert (result["code"], result["field"]) == ("FORBIDDEN", "subject")
    assert await db["credit_reports"].count_documents({}) == 0


async def test_special_report_of_someone_else_is_not_downloadable(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)
    report = (await issue(api, firm.id, token("subject", subject=firm.id)))["report"]

    response = await api.get(report["downloadPath"], headers=bearer(token("funding", org=FUND)))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from": "2017-08-31"}, "from"),
        ({"to": "2020-09-02"}, "to"),
        ({"from": "2020-08-02", "to": "2020-08-01"}, "from"),
        ({"fields": []}, "fields"),
    ],
)
async def test_issue_with_a_bad_period_or_no_field_is_refused(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    changes: dict[str, Any],
    field: str,
) -> None:
    firm = factories.firm()
    await seed(db, catalogue, firm)

    result = await issue(api, firm.id, token("credit_centre"), **changes)

    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", field)


async def test_issue_for_a_person_is_refused(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    person = factories.person()
    await insert_new_subjects(db, subjects=[person])

    result = await issue(api, person.id, token("credit_centre"))

    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "subject")
