"""Storing evidence files of repair applications, their bytes in chunks.

GridFS is outside the portable subset (DESIGN.md §2.1), so a file is a document of what it is
(`evidence_files`) and its bytes in chunk documents of at most `CHUNK_BYTES` each
(`evidence_chunks`, keyed "<file id>:<n>"), read back whole by a bounded find and checked
against the stored size and SHA-256. The chunks are written before the file document: a file
is listed only once all its bytes are stored, and an upload that dies half-way leaves chunks
no file names, never a file with missing bytes.

The count per application is capped without a transaction: each file takes a numbered slot,
`slot_key` "<application id>|<nn>", under a unique index; an insert that finds every slot
taken stored nothing but the chunks, which it removes again.
"""

from __future__ import annotations

from collections.abc import Sequence

from bson import Binary
from pymongo.errors import DuplicateKeyError

from domain.evidence import MAX_FILES, EvidenceFile, digest
from store.database import EVIDENCE_CHUNKS, EVIDENCE_FILES, Database, Document
from store.documents import from_document, one_of, to_document
from store.errors import StoreError

# GridFS's own default, far below MongoDB's 16 MiB document limit and nx-27017's row sizes.
CHUNK_BYTES = 255 * 1024
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
    `NoFreeSlot` when all `MAX_FILES` are taken (nothing is left stored then)."""
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
    await db[EVIDENCE_CHUNKS].delete_many({"file_id": file.id})
    raise NoFreeSlot(f"application {file.application_id} holds {MAX_FILES} files already")


async def remove_evidence_file(db: Database, *, file_id: str) -> None:
    """Take a stored file back: unlisted first, then its bytes (a crash between the two leaves
    chunks no file names, as a failed upload does, never a listed file without bytes)."""
    await db[EVIDENCE_FILES].delete_one({"_id": file_id})
    await db[EVIDENCE_CHUNKS].delete_many({"file_id": file_id})


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
