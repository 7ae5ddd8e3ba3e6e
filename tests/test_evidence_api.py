"""API tests: a subject attaches repair evidence files by multipart upload; the credit centre
lists and downloads them; nobody else sees them."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from domain.catalogue import Catalogue
from domain.evidence import MAX_FILES, EvidenceFile, FileType, NotAttachable, digest
from domain.records import Record
from domain.repair import RepairMeasure
from domain.subjects import Subject
from resolvers.evidence import store_evidence
from server.settings import Settings
from store.database import (
    AUDIT_EVENTS,
    EVIDENCE_CHUNKS,
    EVIDENCE_FILES,
    EVIDENCE_UPLOADS,
    Database,
)
from store.evidence import files_of_applications
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

PREFLIGHT = {"apollo-require-preflight": "true"}
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
LIMIT = 20_000

APPLY = """
mutation ($input: ApplyForRepairInput!) { applyForRepair(input: $input) {
  ... on ApplyForRepairSuccess { application { id state } }
  ... on UserError { code message }
} }
"""

ATTACH = """
mutation ($application: ID!, $measure: RepairMeasure!, $file: Upload!, $description: String) {
  attachRepairEvidence(application: $application, measure: $measure, file: $file,
                       description: $description) {
    __typename
    ... on AttachRepairEvidenceSuccess { evidenceFile {
      id measure fileName fileType mediaType size sha256 description downloadPath
    } }
    ... on UserError { code message field }
  }
}
"""

FILES = """
query { repairApplications { edges { node { id evidenceFiles {
  id fileName fileType size downloadPath
} } } } }
"""

REVIEW = """
mutation ($id: ID!) { reviewRepair(id: $id, decision: APPROVE) { __typename } }
"""

MEASURES = ["CORRECTION", "PENALTY_FULFILLED", "COMMITMENT"]


async def seed_application(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> tuple[Subject, str]:
    """A firm's general penalty and its complete repair application, through the API."""
    firm = factories.firm()
    record: Record = factories.record(
        catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 1, 10)
    )
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [record])
    evidence = [{"kind": m, "description": f"{m} 证明材料"} for m in MEASURES]
    variables = {"input": {"record": record.id, "measures": MEASURES, "evidence": evidence}}
    body = await graphql(api, APPLY, variables, token=token("subject", subject=firm.id))
    application = data_of(body)["applyForRepair"]["application"]
    assert application["state"] == "ACCEPTED"
    return firm, application["id"]


async def upload(
    api: httpx.AsyncClient,
    token: str,
    application_id: str,
    name: str,
    content: bytes,
    *,
    headers: dict[str, str] = PREFLIGHT,
    description: str | None = "罚款缴纳凭证",
) -> httpx.Response:
    """The GraphQL multipart request specification: operations, map, then the file part."""
    operations = {
        "query": ATTACH,
        "variables": {
            "application": application_id,
            "measure": "PENALTY_FULFILLED",
            "file": None,
            "description": description,
        },
    }
    return await api.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "application/octet-stream")},
        headers={"authorization": f"Bearer {token}", **headers},
    )


def attached(response: httpx.Response) -> dict[str, Any]:
    result: dict[str, Any] = data_of(response.json())["attachRepairEvidence"]
    return result


@pytest.mark.settings(evidence_max_bytes=LIMIT)
async def test_subject_attaches_a_pdf_and_the_centre_lists_and_downloads_it(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)
    subject = token("subject", subject=firm.id)
    centre = token("credit_centre")

    result = attached(await upload(api, subject, application_id, "罚款 凭证.pdf", PDF))
    listed = data_of(await graphql(api, FILES, token=centre))["repairApplications"]
    file = result["evidenceFile"]
    download = await api.get(file["downloadPath"], headers={"authorization": f"Bearer {centre}"})

    assert result["__typename"] == "AttachRepairEvidenceSuccess"
    assert (file["fileType"], file["mediaType"], file["size"]) == (
        "PDF",
        "application/pdf",
        len(PDF),
    )
    assert (file["measure"], file["description"]) == ("PENALTY_FULFILLED", "罚款缴纳凭证")
    [node] = [e["node"] for e in listed["edges"]]
    assert node["evidenceFiles"] == [
        {k: file[k] for k in ("id", "fileName", "fileType", "size", "downloadPath")}
    ]
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["x-content-sha256"] == file["sha256"]
    assert "UTF-8''%E7%BD%9A" in download.headers["content-disposition"]
    # Shenzhen regulation art. 45: the download is audited with the subject it concerns.
    operation = f"GET {file['downloadPath']}"
    event = await db[AUDIT_EVENTS].find_one({"operation": operation})
    assert event is not None
    assert event["subject_ids"] == [firm.id]
    assert await db[EVIDENCE_UPLOADS].count_documents({}) == 0  # answered for: never undone


@pytest.mark.settings(evidence_max_bytes=LIMIT)
@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", PNG, "UNSUPPORTED_FILE_TYPE"),  # a PNG named as a PDF
        ("notes.pdf", "整改报告".encode() * 10, "UNSUPPORTED_FILE_TYPE"),  # text, not a PDF
        ("photo.gif", b"GIF89a" + b"\x00" * 50, "UNSUPPORTED_FILE_TYPE"),
        ("empty.pdf", b"", "UNSUPPORTED_FILE_TYPE"),
        ("big.pdf", PDF[:9] + b"\x00" * LIMIT, "FILE_TOO_LARGE"),
    ],
)
async def test_bad_files_are_refused_naming_the_file_and_nothing_is_stored(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    name: str,
    content: bytes,
    code: str,
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)

    result = attached(
        await upload(api, token("subject", subject=firm.id), application_id, name, content)
    )

    assert (result["__typename"], result["code"], result["field"]) == ("UserError", code, "file")
    assert result["message"].startswith("file: ")
    assert await db[EVIDENCE_FILES].count_documents({}) == 0
    assert await db[EVIDENCE_CHUNKS].count_documents({}) == 0


@pytest.mark.settings(evidence_max_bytes=LIMIT)
async def test_an_application_holds_at_most_the_most_files(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)
    subject = token("subject", subject=firm.id)
    for k in range(MAX_FILES):
        result = attached(await upload(api, subject, application_id, f"p{k}.png", PNG))
        assert result["__typename"] == "AttachRepairEvidenceSuccess"

    over = attached(await upload(api, subject, application_id, "one-more.png", PNG))

    assert (over["code"], over["field"]) == ("TOO_MANY_FILES", "application")
    assert await db[EVIDENCE_FILES].count_documents({}) == MAX_FILES


async def test_a_file_stored_as_its_application_is_decided_is_taken_back(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    # An upload checked while the application was open reaches the store after the decision.
    firm, application_id = await seed_application(api, db, catalogue, token)
    before = evidence_file(application_id, firm.id)
    await store_evidence(db, file=before, content=PDF, taken=0)
    decided = await graphql(api, REVIEW, {"id": application_id}, token=token("credit_centre"))
    assert "errors" not in decided, decided

    late = evidence_file(application_id, firm.id)
    with pytest.raises(NotAttachable):
        await store_evidence(db, file=late, content=PDF, taken=1)

    [standing] = await files_of_applications(db, application_ids=[application_id])
    assert [f.id for f in standing] == [before.id]
    assert await db[EVIDENCE_UPLOADS].count_documents({}) == 0
    assert await db[EVIDENCE_CHUNKS].count_documents({"file_id": late.id}) == 0


def evidence_file(application_id: str, subject_id: str) -> EvidenceFile:
    return EvidenceFile(
        id=f"ef-{secrets.token_hex(8)}",
        application_id=application_id,
        subject_id=subject_id,
        measure=RepairMeasure.PENALTY_FULFILLED,
        file_name="凭证.pdf",
        file_type=FileType.PDF,
        size=len(PDF),
        sha256=digest(PDF),
        uploaded_at=datetime(2020, 9, 1, 2, tzinfo=UTC),
        uploaded_by=subject_id,
    )


async def test_a_multipart_request_without_a_preflight_header_is_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)

    response = await upload(
        api, token("subject", subject=firm.id), application_id, "a.pdf", PDF, headers={}
    )

    assert response.status_code == 400
    assert error_codes(response.json()) == ["PREFLIGHT_REQUIRED"]
    assert await db[EVIDENCE_FILES].count_documents({}) == 0


async def test_who_may_attach_and_to_what(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)
    other = factories.firm()
    await insert_new_subjects(db, subjects=[other])

    by_other = attached(
        await upload(api, token("subject", subject=other.id), application_id, "a.pdf", PDF)
    )
    by_centre = attached(await upload(api, token("credit_centre"), application_id, "a.pdf", PDF))
    as_text = await graphql(
        api,
        ATTACH,
        {"application": application_id, "measure": "CORRECTION", "file": "JVBERi0="},
        token=token("subject", subject=firm.id),
    )
    approved = await graphql(api, REVIEW, {"id": application_id}, token=token("credit_centre"))
    after_decision = attached(
        await upload(api, token("subject", subject=firm.id), application_id, "a.pdf", PDF)
    )

    assert (by_other["code"], by_other["field"]) == ("NOT_FOUND", "application")
    assert by_centre["code"] == "FORBIDDEN"
    assert (as_text["data"]["attachRepairEvidence"]["code"]) == "BAD_USER_INPUT"
    assert data_of(approved)["reviewRepair"]["__typename"] == "ReviewRepairSuccess"
    assert (after_decision["code"], after_decision["field"]) == ("NOT_OPEN", "application")


async def test_only_the_credit_centre_lists_or_downloads_evidence(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, application_id = await seed_application(api, db, catalogue, token)
    result = attached(
        await upload(api, token("subject", subject=firm.id), application_id, "a.pdf", PDF)
    )
    path = result["evidenceFile"]["downloadPath"]

    own_list = await graphql(api, FILES, token=token("subject", subject=firm.id))
    downloads = {
        role: await api.get(path, headers=headers)
        for role, headers in {
            "anonymous": {},
            "subject": {"authorization": f"Bearer {token('subject', subject=firm.id)}"},
            "bank": {"authorization": f"Bearer {token('bank', org='BANK-1')}"},
            "government": {"authorization": f"Bearer {token('government')}"},
        }.items()
    }
    unknown = await api.get(
        "/repair-evidence/ef-unknown",
        headers={"authorization": f"Bearer {token('credit_centre')}"},
    )

    assert error_codes(own_list) == ["FORBIDDEN"]
    assert own_list["data"]["repairApplications"]["edges"][0]["node"]["evidenceFiles"] is None
    for role, response in downloads.items():
        assert response.status_code == 403, role
        assert error_codes(response.json()) == ["FORBIDDEN"], role
    assert unknown.status_code == 404
    assert error_codes(unknown.json()) == ["NOT_FOUND"]


def test_an_evidence_limit_the_request_limit_cannot_carry_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="evidence_max_bytes must be below"):
        Settings(evidence_max_bytes=4_000_000, max_request_bytes=4_000_000)


async def test_a_multipart_request_whose_map_names_a_missing_file_is_malformed(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    operations = {"query": ATTACH, "variables": {"application": "ra-1", "file": None}}

    response = await api.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"9": ["variables.file"]})},
        files={"0": ("a.pdf", PDF, "application/pdf")},
        headers={"authorization": f"Bearer {token('subject', subject='s-1')}", **PREFLIGHT},
    )

    assert response.status_code == 400
    assert error_codes(response.json()) == ["MALFORMED_REQUEST"]
