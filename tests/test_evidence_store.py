"""Store tests: evidence files and their chunks on a real server."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime

import pytest

from domain.evidence import MAX_FILES, EvidenceFile, FileType, digest
from domain.repair import RepairMeasure
from store import evidence as store
from store.counters import machine_ms
from store.database import EVIDENCE_CHUNKS, EVIDENCE_FILES, EVIDENCE_UPLOADS, Database

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


async def stored(db: Database, file: EvidenceFile) -> tuple[bool, int, int]:
    """Whether the file is listed, how many of its chunks are stored, whether it is noted."""
    listed = await db[EVIDENCE_FILES].count_documents({"_id": file.id}) == 1
    chunks = await db[EVIDENCE_CHUNKS].count_documents({"file_id": file.id})
    noted = await db[EVIDENCE_UPLOADS].count_documents({"_id": file.id})
    return listed, chunks, noted


async def test_an_upload_never_finished_is_undone_whole_once_older_than_any_request(
    db: Database,
) -> None:
    content = pdf(store.CHUNK_BYTES + 1)
    died_after_listing, died_before_listing = evidence_file(content), evidence_file(content)
    for file in (died_after_listing, died_before_listing):
        await store.insert_evidence_file(db, file=file, content=content)
    await db[EVIDENCE_FILES].delete_one({"_id": died_before_listing.id})  # its bytes only
    now = machine_ms()

    in_progress = await store.undo_dead_uploads(db, now_ms=now)
    stale = await store.undo_dead_uploads(db, now_ms=now + store.UPLOAD_LIFETIME_MS + 1)

    assert (in_progress, stale) == (0, 2)
    assert await stored(db, died_after_listing) == (False, 0, 0)
    assert await stored(db, died_before_listing) == (False, 0, 0)


async def test_a_finished_upload_is_never_undone(db: Database) -> None:
    content = pdf(100)
    file = evidence_file(content)
    await store.insert_evidence_file(db, file=file, content=content)
    await store.finish_upload(db, file_id=file.id)

    undone = await store.undo_dead_uploads(db, now_ms=machine_ms() + 10 * store.UPLOAD_LIFETIME_MS)

    assert undone == 0
    assert await stored(db, file) == (True, 1, 0)
    assert await store.read_content(db, file=file) == content


async def test_an_upload_refused_for_want_of_a_slot_leaves_no_note(db: Database) -> None:
    content = pdf(100)
    for _ in range(MAX_FILES):
        file = evidence_file(content, "ra-full")
        await store.insert_evidence_file(db, file=file, content=content)
        await store.finish_upload(db, file_id=file.id)
    refused = evidence_file(content, "ra-full")

    with pytest.raises(store.NoFreeSlot):
        await store.insert_evidence_file(db, file=refused, content=content)

    assert await stored(db, refused) == (False, 0, 0)
