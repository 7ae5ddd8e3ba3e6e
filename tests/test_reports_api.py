"""API tests: issuing, downloading and verifying credit reports (notice 二(六))."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest
from asgi_lifespan import LifespanManager

from domain.catalogue import Catalogue
from domain.subjects import Subject
from reports.certificates import ReportCertificateFiles
from reports.signing import load_signer, verify
from server.app import create_app
from server.settings import Settings
from store import reports as report_store
from store.database import AUDIT_EVENTS, Database
from store.records import insert_new_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql

ISSUE = """
mutation Issue($subject: ID!, $purpose: String!) {
  issueCreditReport(subject: $subject, purpose: $purpose) {
    __typename
    ... on IssueCreditReportSuccess {
      report { serial sha256 issuedAt downloadPath purpose subjectId }
    }
    ... on UserError { code message field }
  }
}
"""

VERIFY = """
query ($serial: String!, $sha256: String!) {
  verifyCreditReport(serial: $serial, sha256: $sha256) { valid issuedAt subjectName }
}
"""

PENALTY = {
    "offence": "拒不执行隔离措施",
    "penalty_type": "罚款",
    "penalty_basis": "《中华人民共和国传染病防治法》",
    "deciding_authority": "深圳市公安局南山分局",
    "decision_date": "2020-06-01",
    "case_handler": "赵警官",
}
INVALID = {"valid": False, "issuedAt": None, "subjectName": None}


async def seed(db: Database, catalogue: Catalogue, subject: Subject) -> None:
    """A disclosed penalty naming a RESTRICTED case handler, and a penalty whose period ended."""
    disclosed = factories.record(
        catalogue, subject, item_code="DISHONEST_1", decided=date(2020, 6, 1), data_items=PENALTY
    )
    ended = factories.record(catalogue, subject, item_code="DISHONEST_2", decided=date(2019, 8, 1))
    await insert_new_subjects(db, subjects=[subject])
    await insert_new_records(db, records=[disclosed, ended])


async def issue(
    api: httpx.AsyncClient, subject_id: str, token: str | None, purpose: str = "贷款审查"
) -> dict[str, Any]:
    body = await graphql(api, ISSUE, {"subject": subject_id, "purpose": purpose}, token=token)
    result: dict[str, Any] = data_of(body)["issueCreditReport"]
    return result


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def bearer(token: str | None) -> dict[str, str]:
    return {} if token is None else {"authorization": f"Bearer {token}"}


async def test_issue_as_subject_returns_serial_digest_time_and_path(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)

    result = await issue(api, person.id, token("subject", subject=person.id))

    assert result["__typename"] == "IssueCreditReportSuccess"
    report = result["report"]
    assert report["serial"] == "44030020200901000001"
    assert re.fullmatch(r"[0-9a-f]{64}", report["sha256"])
    assert report["issuedAt"] == "2020-09-01T04:00:00+00:00"
    assert report["downloadPath"] == "/reports/44030020200901000001.pdf"
    assert (report["purpose"], report["subjectId"]) == ("贷款审查", person.id)


async def test_issue_as_centre_takes_the_next_serial_of_the_day(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    await issue(api, person.id, token("subject", subject=person.id))

    result = await issue(api, person.id, token("credit_centre"))

    assert result["report"]["serial"] == "44030020200901000002"


@pytest.mark.parametrize(
    ("role", "claims"),
    [
        (None, {}),
        ("bank", {"org": "BANK-1"}),
        ("government", {}),
        ("funding", {"org": "FUND-1"}),
        ("source_unit", {"unit": "440300-SAMR"}),
        ("subject", {"subject": "s-someone-else"}),
    ],
)
async def test_issue_by_anyone_else_is_forbidden(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    role: str | None,
    claims: dict[str, str],
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)

    result = await issue(api, person.id, None if role is None else token(role, **claims))

    assert (result["__typename"], result["code"], result["field"]) == (
        "UserError",
        "FORBIDDEN",
        "subject",
    )
    assert await db["credit_reports"].count_documents({}) == 0


async def test_issue_for_unknown_subject_is_not_found(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await issue(api, "s-nobody", token("credit_centre"))

    assert (result["code"], result["field"]) == ("NOT_FOUND", "subject")


@pytest.mark.parametrize("purpose", ["", "   ", "x" * 201])
async def test_issue_with_bad_purpose_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, purpose: str
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)

    result = await issue(api, person.id, token("subject", subject=person.id), purpose)

    assert (result["code"], result["field"]) == ("BAD_USER_INPUT", "purpose")


async def test_download_by_subject_and_centre_serves_the_signed_pdf(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, keys_dir: Path
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    own = token("subject", subject=person.id)
    report = (await issue(api, person.id, own))["report"]
    files = ReportCertificateFiles.under(keys_dir)
    ca = load_signer(key=files.key, cert=files.cert, ca=files.ca).ca

    for holder in (own, token("credit_centre")):
        response = await api.get(report["downloadPath"], headers=bearer(holder))

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == (
            'attachment; filename="44030020200901000001.pdf"'
        )
        assert hashlib.sha256(response.content).hexdigest() == report["sha256"]
        assert (await verify(response.content, [ca])).ok


@pytest.mark.parametrize(
    ("role", "claims"),
    [(None, {}), ("bank", {"org": "BANK-1"}), ("subject", {"subject": "s-someone-else"})],
)
async def test_download_by_anyone_else_is_not_found(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    role: str | None,
    claims: dict[str, str],
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    report = (await issue(api, person.id, token("subject", subject=person.id)))["report"]

    holder = None if role is None else token(role, **claims)
    response = await api.get(report["downloadPath"], headers=bearer(holder))

    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("path", ["44030020200901000009.pdf", "not-a-serial.pdf", "..%2F.pdf"])
async def test_download_unknown_serial_is_not_found(
    api: httpx.AsyncClient, token: TokenFactory, path: str
) -> None:
    response = await api.get(f"/reports/{path}", headers=bearer(token("credit_centre")))

    assert response.status_code == 404


async def test_report_shows_each_requester_its_own_level(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)
    texts = {}
    for role, claims in (("subject", {"subject": person.id}), ("credit_centre", {})):
        held = token(role, **claims)
        report = (await issue(api, person.id, held))["report"]
        texts[role] = text_of((await api.get(report["downloadPath"], headers=bearer(held))).content)

    assert "王小明" in texts["subject"]
    assert "赵警官" not in texts["subject"]
    assert "授权查询（AUTHORIZED）" in texts["subject"]
    assert "赵警官" in texts["credit_centre"]
    for text in texts.values():
        assert "拒不执行隔离措施" in text
        assert "深市监罚〔2019〕" not in text  # the penalty whose disclosure ended


async def test_verify_right_digest_is_valid_with_masked_name(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)
    report = (await issue(api, person.id, token("subject", subject=person.id)))["report"]

    for digest in (report["sha256"], report["sha256"].upper()):
        body = await graphql(api, VERIFY, {"serial": report["serial"], "sha256": digest})

        assert data_of(body)["verifyCreditReport"] == {
            "valid": True,
            "issuedAt": "2020-09-01T04:00:00+00:00",
            "subjectName": "王**",
        }


async def test_verify_answers_the_issue_time_the_issue_answered(
    db: Database, catalogue: Catalogue, token: TokenFactory, settings: Settings, store_uri: str
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    now = datetime(2020, 9, 1, 4, 0, 0, 123456, tzinfo=UTC)
    app = create_app(settings, mongodb_uri=store_uri, clock=lambda: now)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            report = (await issue(http, person.id, token("subject", subject=person.id)))["report"]
            body = await graphql(
                http, VERIFY, {"serial": report["serial"], "sha256": report["sha256"]}
            )

    assert report["issuedAt"] == "2020-09-01T04:00:00.123000+00:00"
    assert data_of(body)["verifyCreditReport"]["issuedAt"] == report["issuedAt"]


async def test_verify_wrong_digest_or_unknown_serial_is_invalid_without_detail(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    report = (await issue(api, person.id, token("subject", subject=person.id)))["report"]
    wrong = ("0" if report["sha256"][0] != "0" else "1") + report["sha256"][1:]

    for serial, digest in (
        (report["serial"], wrong),
        ("44030020200901000002", report["sha256"]),
        ("44030020200902000001", report["sha256"]),
    ):
        body = await graphql(api, VERIFY, {"serial": serial, "sha256": digest})

        assert data_of(body)["verifyCreditReport"] == INVALID


@pytest.mark.parametrize(
    ("serial", "sha256", "field"),
    [
        ("4403002020090100000", "a" * 64, "serial"),
        ("4403002020090100000x", "a" * 64, "serial"),
        ("44030020200901000001", "a" * 63, "sha256"),
        ("44030020200901000001", "g" * 64, "sha256"),
        ("44030020200901000001", "ａ" * 64, "sha256"),
    ],
)
async def test_verify_malformed_argument_is_refused_naming_it(
    api: httpx.AsyncClient, serial: str, sha256: str, field: str
) -> None:
    body = await graphql(api, VERIFY, {"serial": serial, "sha256": sha256})

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field


async def test_issue_and_each_download_are_audited(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)
    centre = token("credit_centre", sub="operator-1")
    report = (await issue(api, person.id, centre))["report"]

    await api.get(report["downloadPath"], headers=bearer(centre) | {"x-request-id": "dl-1"})
    await api.get(report["downloadPath"], headers=bearer(token("subject", subject=person.id)))
    await api.get(report["downloadPath"], headers=bearer(token("bank", org="BANK-1")))

    # The clock stands still, so the events are told apart by what they say, not by time.
    events = sorted(
        await db[AUDIT_EVENTS].find({}).to_list(None),
        key=lambda e: (e["action"] == "READ", e["viewer_sub"]),
    )
    download = "GET /reports/44030020200901000001.pdf"
    assert [(e["action"], e["operation"], e["viewer_sub"]) for e in events] == [
        ("WRITE", "Issue", "operator-1"),
        ("READ", download, "operator-1"),
        ("READ", download, "subject-user"),
    ]
    issued, downloaded, _ = events
    assert issued["subject_ids"] == downloaded["subject_ids"] == [person.id]
    assert {"name", "identifier", "case_handler"} <= set(issued["data_item_keys"])
    assert downloaded["data_item_keys"] == issued["data_item_keys"]
    assert len(downloaded["record_ids"]) == 1
    assert downloaded["record_ids"] == issued["record_ids"]
    assert downloaded["request_id"] == "dl-1"


async def test_serials_count_per_region_and_day(db: Database) -> None:
    first, second = date(2020, 9, 1), date(2020, 9, 2)

    serials = [
        await report_store.next_serial(db, region_code="440300", day=first),
        await report_store.next_serial(db, region_code="440300", day=first),
        await report_store.next_serial(db, region_code="440300", day=second),
        await report_store.next_serial(db, region_code="440100", day=first),
    ]

    assert serials == [
        "44030020200901000001",
        "44030020200901000002",
        "44030020200902000001",
        "44010020200901000001",
    ]
