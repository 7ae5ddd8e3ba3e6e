"""Store tests: evidence files and their chunks on a real server."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime

import pytest

from domain.evidence import MAX_FILES, EvidenceFile, FileType, digest
from domain.repair import RepairMeasure
from store import evidence as store
from store.database import EVIDENCE_CHUNKS, EVIDENCE_FILES, Database

AT = datetime(2020, 9, 1, 2, 0, tzinfo=UTC)


def evidence_file(content: bytes, application_id: str = "ra-1") -> EvidenceFile:
    return EvidenceFile(
        id=f"ef-{secrets.token_hex(8)}",
        application_id=application_id,
        subject_id="s-1",
        measure=RepairMeasure.PENALTY_FULFILLED,
        file_name="罚款缴纳凭证.pdf",
        file_type=FileType.PDF,
        size=len(content),
        sha256=digest(content),
        uploaded_at=AT,
        uploaded_by="subject-1",
    )


def pdf(size: int) -> bytes:
    """`size` bytes starting like a PDF, every byte value present so nothing is text-mangled."""
    return (b"%PDF-1.7\n" + bytes(range(256)) * (size // 256 + 1))[:size]


@pytest.mark.parametrize(
    "size", [1, store.CHUNK_BYTES - 1, store.CHUNK_BYTES, store.CHUNK_BYTES + 1, 700_000]
)
async def test_file_round_trips_byte_for_byte_across_chunk_boundaries(
    db: Database, size: int
) -> None:
    content = pdf(size)
    file = evidence_file(content)

    await store.insert_evidence_file(db, file=file, content=content)

    assert await store.get_evidence_file(db, file_id=file.id) == file
    assert await store.read_content(db, file=file) == content
    assert await db[EVIDENCE_CHUNKS].count_documents({"file_id": file.id}) == store.chunk_count(
        size
    )


async def test_files_of_applications_in_attach_order_one_list_per_application(
    db: Database,
) -> None:
    a1, a2, b1 = (evidence_file(pdf(10), a) for a in ("ra-a", "ra-a", "ra-b"))
    for file in (a1, a2, b1):
        await store.insert_evidence_file(db, file=file, content=pdf(10))

    found = await store.files_of_applications(db, application_ids=["ra-b", "ra-none", "ra-a"])

    assert found == [[b1], [], [a1, a2]]


async def test_insert_past_the_last_slot_stores_nothing_even_when_racing(db: Database) -> None:
    content = pdf(100)
    files = [evidence_file(content) for _ in range(MAX_FILES + 3)]

    results = await asyncio.gather(
        *(store.insert_evidence_file(db, file=f, content=content) for f in files),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, store.NoFreeSlot)]
    assert len(refused) == 3
    assert all(r is None for r in results if not isinstance(r, store.NoFreeSlot))
    assert await db[EVIDENCE_FILES].count_documents({}) == MAX_FILES
    assert await db[EVIDENCE_CHUNKS].count_documents({}) == MAX_FILES


async def test_read_content_of_a_damaged_file_is_refused(db: Database) -> None:
    content = pdf(1000)
    file = evidence_file(content)
    await store.insert_evidence_file(db, file=file, content=content)
    await db[EVIDENCE_CHUNKS].delete_many({"file_id": file.id})

    with pytest.raises(store.DamagedFile):
        await store.read_content(db, file=file)
