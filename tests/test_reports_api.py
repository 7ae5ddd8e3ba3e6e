"""API tests: issuing, downloading and verifying credit reports (notice 二(六))."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest
from asgi_lifespan import LifespanManager

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.repair import (
    Evidence,
    RepairApplication,
    RepairDecision,
    RepairMeasure,
    reviewed,
    submitted,
)
from domain.subjects import Subject
from reports.certificates import ReportCertificateFiles
from reports.pdf import SECTIONS
from reports.signing import load_signer, verify
from server.app import create_app
from server.settings import Settings
from store import blacklist as blacklist_store
from store import commitments as commitment_store
from store import reports as report_store
from store.database import AUDIT_EVENTS, Database
from store.repair import insert_application
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, TokenFactory
from tests.factories import PRC_CALENDAR
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

ISSUE = """
mutation Issue($subject: ID!, $purpose: ReportPurpose!) {
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
NOW = datetime(2020, 9, 1, 4, tzinfo=UTC)


async def seed(db: Database, catalogue: Catalogue, subject: Subject) -> None:
    """A disclosed penalty naming a RESTRICTED case handler, and a penalty whose period ended."""
    disclosed = factories.record(
        catalogue, subject, item_code="DISHONEST_1", decided=date(2020, 6, 1), data_items=PENALTY
    )
    ended = factories.record(catalogue, subject, item_code="DISHONEST_2", decided=date(2019, 8, 1))
    await insert_new_subjects(db, subjects=[subject])
    await seed_records(db, [disclosed, ended])


async def issue(
    api: httpx.AsyncClient, subject_id: str, token: str | None, purpose: str = "FINANCING"
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
    assert (report["purpose"], report["subjectId"]) == ("FINANCING", person.id)


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


@pytest.mark.parametrize("purpose", ["", "贷款审查", "financing"])
async def test_issue_with_purpose_outside_the_enum_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, purpose: str
) -> None:
    person = factories.person()
    await seed(db, catalogue, person)

    body = await graphql(
        api,
        ISSUE,
        {"subject": person.id, "purpose": purpose},
        token=token("subject", subject=person.id),
    )

    # A variable outside the enum is refused before execution, naming the type.
    assert "data" not in body or body["data"] is None
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "ReportPurpose" in body["errors"][0]["message"]
    assert await db["credit_reports"].count_documents({}) == 0


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
    assert "授权查询" in texts["subject"]
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


GENERAL_MEASURES = (
    RepairMeasure.CORRECTION,
    RepairMeasure.PENALTY_FULFILLED,
    RepairMeasure.COMMITMENT,
)


def application(
    record: Record, *, app_id: str, decision: RepairDecision, on: date = date(2020, 8, 17)
) -> RepairApplication:
    """An application filed complete on `on` (accepted at once) and decided two days later."""
    filed = submitted(
        application_id=app_id,
        record=record,
        applicant="subject-user",
        measures=GENERAL_MEASURES,
        evidence=[Evidence(kind=m, description="证明") for m in GENERAL_MEASURES],
        required=GENERAL_MEASURES,
        fast_track=(),
        at=datetime(on.year, on.month, on.day, 2, tzinfo=UTC),
        today=on,
        calendar=PRC_CALENDAR,
    )
    decided = on + timedelta(days=2)
    return reviewed(
        filed,
        decision=decision,
        reason="材料齐全" if decision is RepairDecision.APPROVE else "未履行处罚",
        at=datetime(decided.year, decided.month, decided.day, 3, tzinfo=UTC),
        today=decided,
        by="centre",
        calendar=PRC_CALENDAR,
    )


def repaired(record: Record, at: datetime) -> Record:
    return next_version(
        record, kind=ChangeKind.REPAIRED, at=at, by="centre", status=RecordStatus.REPAIRED
    )


async def test_report_lists_blacklist_commitments_and_repairs_from_the_file(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    await seed(db, catalogue, person)
    penalty = factories.record(
        catalogue, person, item_code="DISHONEST_1", decided=date(2020, 6, 1), data_items=PENALTY
    )
    serious = factories.record(
        catalogue,
        person,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 1),
        severity=Severity.SERIOUS,
    )
    fixed = factories.record(catalogue, person, item_code="DISHONEST_4", decided=date(2020, 3, 1))
    imported = factories.record(
        catalogue, person, item_code="DISHONEST_4", decided=date(2020, 2, 1)
    )
    approved = application(fixed, app_id="rep-approved", decision=RepairDecision.APPROVE)
    rejected = application(penalty, app_id="rep-rejected", decision=RepairDecision.REJECT)
    await seed_records(
        db,
        [
            penalty,
            serious,
            repaired(fixed, approved.decided_at or NOW),
            repaired(imported, datetime(2020, 5, 20, 2, tzinfo=UTC)),
        ],
    )
    for entry in (
        factories.blacklist_entry(
            person, [serious], listed=date(2020, 7, 1), until=date(2021, 1, 1)
        ),
        factories.blacklist_entry(
            person,
            [serious],
            listed=date(2020, 6, 2),
            until=date(2021, 1, 1),
            removed=date(2020, 6, 20),
        ),
    ):
        await blacklist_store.insert_entry(db, entry=entry)
    await commitment_store.insert_commitment(db, commitment=factories.commitment(person))
    for filed in (approved, rejected):
        await insert_application(db, application=filed)
    own = token("subject", subject=person.id)

    report = (await issue(api, person.id, own))["report"]
    text = text_of((await api.get(report["downloadPath"], headers=bearer(own))).content)

    blacklist, commitments, repairs = (
        text.split(SECTIONS[n])[1].split(SECTIONS[n + 1])[0] for n in (3, 4, 5)
    )
    for expected in (
        "列入中",
        "2020-07-01",
        "疫情防控期间严重失信",
        "已移出",
        "2020-06-20",
        "依法移出",
    ):
        assert expected in blacklist
    for expected in (
        "承诺管理单位登记的信用承诺",
        "有效",
        "复工复产",
        "深圳市工业和信息化局",
        "李建国",
    ):
        assert expected in commitments
    for expected in (
        fixed.document_number,
        "准予修复",
        "2020-08-19",
        penalty.document_number,
        "不予修复",
        imported.document_number,
        "已修复（无在线申请记录）",
        "2020-05-20",
    ):
        assert expected in repairs
    assert repairs.count("准予修复") == 1  # the approved repair is listed once, by its application


async def test_report_leaves_out_records_refused_or_removed_from_display(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    """The report lists records on public display for every requester: it is handed on."""
    person = factories.person()
    kept, refused = (
        factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, d))
        for d in (1, 2)
    )
    shown, withdrawn = (
        factories.record(catalogue, person, item_code="DISHONEST_2", decided=date(2020, 6, d))
        for d in (1, 2)
    )
    await insert_new_subjects(db, subjects=[person])
    await seed_records(
        db,
        [
            kept,
            refused.model_copy(update={"opted_out": True}),
            shown,
            withdrawn.model_copy(update={"hidden": True}),
        ],
    )

    for held in (token("subject", subject=person.id), token("credit_centre")):
        report = (await issue(api, person.id, held))["report"]
        text = text_of((await api.get(report["downloadPath"], headers=bearer(held))).content)

        assert kept.document_number in text
        assert shown.document_number in text
        assert refused.document_number not in text
        assert withdrawn.document_number not in text


async def test_report_of_a_large_file_reads_a_fixed_number_of_times(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    commands: CommandLog,
) -> None:
    centre = token("credit_centre")
    sent = {}
    for size in (250, 500):
        firm = factories.firm()
        records = [
            factories.record(
                catalogue,
                firm,
                item_code="DISHONEST_2",
                decided=date(2020, 3, 1) + timedelta(days=k % 150),
            )
            for k in range(size)
        ]
        fixed = [repaired(r, NOW) for r in records[: size // 25]]
        await insert_new_subjects(db, subjects=[firm])
        await seed_records(db, fixed + records[size // 25 :])
        for n, record in enumerate(records[: size // 50]):
            approved = application(
                record, app_id=f"rep-{size}-{n}", decision=RepairDecision.APPROVE
            )
            await insert_application(db, application=approved)
        serious = factories.record(
            catalogue,
            firm,
            item_code="DISHONEST_2",
            decided=date(2020, 6, 1),
            severity=Severity.SERIOUS,
        )
        await seed_records(db, [serious])
        await blacklist_store.insert_entry(
            db,
            entry=factories.blacklist_entry(
                firm, [serious], listed=date(2020, 7, 1), until=date(2021, 1, 1)
            ),
        )
        await commitment_store.insert_commitment(db, commitment=factories.commitment(firm))

        commands.start()
        result = await issue(api, firm.id, centre)
        sent[size] = sorted(commands.stop())
        assert result["__typename"] == "IssueCreditReportSuccess"

    assert sent[250] == sent[500]
    # The token's revocation, the creation rate of the token and of the subject; the subject;
    # records on display (the first 201, in two batches, and their count), blacklist entries,
    # commitments, repaired records and applications (the records these name were read
    # already), the source units' names; the serial; the report and the audit event.
    assert sent[500] == [
        "aggregate",
        *["find"] * 8,
        *["findAndModify"] * 3,
        "getMore",
        "insert",
        "insert",
    ]
