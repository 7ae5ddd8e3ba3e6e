"""Storing evidence files of repair applications, their bytes in chunks.

GridFS is outside the portable subset (DESIGN.md §2.1), so a file is a document of what it is
(`evidence_files`) and its bytes in chunk documents of at most `CHUNK_BYTES` each
(`evidence_chunks`, keyed "<file id>:<n>"), read back whole by a bounded find and checked
against the stored size and SHA-256. The chunks are written before the file document: a file
is listed only once all its bytes are stored, never with missing bytes.

An upload is noted before anything of it is written (`evidence_uploads`), and the note is
removed once its caller answers for it: the file stands (`finish_upload`), or it is taken back
whole (`take_back`). An upload whose request died on the way (the store failed under it, the
worker was killed) leaves its note: `undo_dead_uploads`, in the settling turn, takes it back
once it is older than any request can be. Invariant: stored bytes belong to a listed file or
to an upload still in progress.

The count per application is capped without a transaction: each file takes a numbered slot,
`slot_key` "<application id>|<nn>", under a unique index; an insert that finds every slot
taken takes its upload back.
"""

from __future__ import annotations

from collections.abc import Sequence

from bson import Binary
from pymongo.errors import DuplicateKeyError

from domain.evidence import MAX_FILES, EvidenceFile, digest
from store.counters import machine_ms
from store.database import EVIDENCE_CHUNKS, EVIDENCE_FILES, EVIDENCE_UPLOADS, Database, Document
from store.documents import from_document, one_of, to_document
from store.errors import StoreError

# GridFS's own default, far below MongoDB's 16 MiB document limit and nx-27017's row sizes.
CHUNK_BYTES = 255 * 1024
# An upload unfinished this long after it began died on the way: requests end far sooner.
UPLOAD_LIFETIME_MS = 15 * 60 * 1000
# Dead uploads undone per turn at most (bounded reads, DESIGN.md §2.1); the next turn goes on.
UNDONE_PER_TURN = 100
SLOT_ORDER = [("slot_key", 1)]


class NoFreeSlot(StoreError):
    """Every slot of the application holds a file: the file was not stored."""


class DamagedFile(StoreError):
    """A file's chunks do not add up to the size and digest stored with it."""


def _slot_key(application_id: str, slot: int) -> str:
    return f"{application_id}|{slot:02d}"


def _file(document: Document) -> EvidenceFile:
    data = from_document(document)
    data.pop("slot_key", None)
    return EvidenceFile.model_validate(data)


def _chunks(file_id: str, content: bytes) -> list[Document]:
    return [
        {"_id": f"{file_id}:{n:05d}", "file_id": file_id, "n": n, "data": Binary(part)}
        for n, part in enumerate(
            content[start : start + CHUNK_BYTES] for start in range(0, len(content), CHUNK_BYTES)
        )
    ]


def chunk_count(size: int) -> int:
    return -(-size // CHUNK_BYTES)


async def insert_evidence_file(
    db: Database, *, file: EvidenceFile, content: bytes, taken: int = 0
) -> None:
    """Store `file` with its bytes in the first free slot of its application from `taken` on;
    `NoFreeSlot` when all `MAX_FILES` are taken (nothing is left stored then). The upload stays
    noted until the caller calls `finish_upload`."""
    note = {"_id": file.id, "started_ms": machine_ms()}
    await db[EVIDENCE_UPLOADS].insert_one(note)
    await db[EVIDENCE_CHUNKS].insert_many(_chunks(file.id, content), ordered=True)
    document = to_document(file)
    for slot in range(taken, MAX_FILES):
        try:
            await db[EVIDENCE_FILES].insert_one(
                document | {"slot_key": _slot_key(file.application_id, slot)}
            )
            return
        except DuplicateKeyError:
            continue  # another file took this slot first
    await take_back(db, file_id=file.id)
    raise NoFreeSlot(f"application {file.application_id} holds {MAX_FILES} files already")


async def finish_upload(db: Database, *, file_id: str) -> None:
    """The upload is answered for: its file stands, or was taken back whole."""
    await db[EVIDENCE_UPLOADS].delete_one({"_id": file_id})


async def undo_dead_uploads(db: Database, *, now_ms: int | None = None) -> int:
    """Take back whatever uploads stored that began over `UPLOAD_LIFETIME_MS` before `now_ms`
    (the machine's clock) and were never finished: their requests died, so no answer said
    their file stands. Returns how many were undone (at most `UNDONE_PER_TURN`)."""
    cutoff = (machine_ms() if now_ms is None else now_ms) - UPLOAD_LIFETIME_MS
    dead = await (
        db[EVIDENCE_UPLOADS]
        .find({"started_ms": {"$lt": cutoff}}, {"_id": 1}, limit=UNDONE_PER_TURN)
        .to_list(None)
    )
    for upload in dead:
        await take_back(db, file_id=upload["_id"])
    return len(dead)


async def take_back(db: Database, *, file_id: str) -> None:
    """Take an upload back whole: its file unlisted first, then its bytes, so it is never
    listed without them, then its note. Idempotent: a crash on the way leaves the note, and
    `undo_dead_uploads` takes it back again."""
    await db[EVIDENCE_FILES].delete_one({"_id": file_id})
    await db[EVIDENCE_CHUNKS].delete_many({"file_id": file_id})
    await finish_upload(db, file_id=file_id)


async def get_evidence_file(db: Database, *, file_id: str) -> EvidenceFile | None:
    document = await db[EVIDENCE_FILES].find_one({"_id": file_id})
    return None if document is None else _file(document)


async def files_of_applications(
    db: Database, *, application_ids: Sequence[str]
) -> list[list[EvidenceFile]]:
    """Each application's files in the order they were attached, one round trip, key order."""
    if not application_ids:
        return []
    limit = MAX_FILES * len(application_ids)
    cursor = db[EVIDENCE_FILES].find(
        {"application_id": one_of(application_ids)}, sort=SLOT_ORDER, limit=limit, batch_size=limit
    )
    found: dict[str, list[EvidenceFile]] = {}
    for document in await cursor.to_list(None):
        found.setdefault(document["application_id"], []).append(_file(document))
    return [found.get(i, []) for i in application_ids]


async def read_content(db: Database, *, file: EvidenceFile) -> bytes:
    """The file's bytes, whole; `DamagedFile` if they are not what was stored."""
    count = chunk_count(file.size)
    cursor = db[EVIDENCE_CHUNKS].find(
        {"file_id": file.id}, sort=[("n", 1)], limit=count, batch_size=count
    )
    content = b"".join(bytes(document["data"]) for document in await cursor.to_list(None))
    if len(content) != file.size or digest(content) != file.sha256:
        raise DamagedFile(f"evidence file {file.id} does not match its stored size and digest")
    return content
