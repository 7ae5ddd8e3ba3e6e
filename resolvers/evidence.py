"""Evidence files of repair applications: the subject attaches them, the credit centre reads
them (domain/evidence.py says which files and why for the centre only)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from auth.viewer import Scope, Viewer
from domain import evidence as rules
from domain.evidence import MAX_DESCRIPTION, EvidenceFile
from domain.repair import RepairApplication, RepairMeasure
from resolvers import errors
from resolvers.access import own_subject, require
from resolvers.audit import AuditTrail, record_trail
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound
from store import evidence as evidence_store
from store import repair as repair_store
from store.database import Database

DOWNLOAD_PATH = "/repair-evidence/{file_id}"


@runtime_checkable
class Uploaded(Protocol):
    """A file as the multipart request carried it (Starlette's UploadFile is one)."""

    filename: str | None

    def read(self, size: int = -1) -> Awaitable[bytes]: ...


@dataclass(frozen=True)
class EvidenceGiven:
    application_id: str
    measure: RepairMeasure
    description: str | None


def download_path(file: EvidenceFile) -> str:
    return DOWNLOAD_PATH.format(file_id=file.id)


def refused(exc: rules.EvidenceFileRefusal) -> errors.ApiError:
    if isinstance(exc, rules.FileTooLarge):
        return errors.FileTooLarge(str(exc), field=exc.field)
    if isinstance(exc, rules.TooManyFiles):
        return errors.TooManyFiles(str(exc), field=exc.field)
    if isinstance(exc, rules.NotAttachable):
        return errors.NotOpen(str(exc), field=exc.field)
    return errors.UnsupportedFileType(str(exc), field=exc.field)


async def _own_application(ctx: Context, subject_id: str, application_id: str) -> RepairApplication:
    found = await repair_store.get_application(ctx.db, application_id=application_id)
    # Another subject's application is answered as missing: not this subject's to know.
    if found is None or found.subject_id != subject_id:
        raise NotFound("you have no repair application with this id", field="application")
    return found


async def _content(upload: object, max_bytes: int) -> tuple[str, bytes]:
    """The upload's name and at most `max_bytes + 1` of its bytes: enough to tell too large
    without reading a file of any size into memory."""
    if not isinstance(upload, Uploaded):
        raise InvalidArgument(
            "file: send the file itself, as a multipart request (GraphQL multipart request "
            "specification)",
            field="file",
        )
    return upload.filename or "", await upload.read(max_bytes + 1)


async def attach_repair_evidence(
    ctx: Context, given: EvidenceGiven, upload: object
) -> EvidenceFile:
    """Store a file showing a measure of the subject's own undecided application."""
    subject_id = own_subject(
        ctx, Scope.REPAIR_APPLY, f"this needs a subject's own token with scope {Scope.REPAIR_APPLY}"
    )
    application = await _own_application(ctx, subject_id, given.application_id)
    [attached] = await evidence_store.files_of_applications(
        ctx.db, application_ids=[application.id]
    )
    description = None if given.description is None else given.description.strip()
    if description is not None and not 1 <= len(description) <= MAX_DESCRIPTION:
        raise InvalidArgument(
            f"description: 1 to {MAX_DESCRIPTION} characters when given", field="description"
        )
    try:
        rules.check_attachable(application, len(attached))
        name, content = await _content(upload, ctx.evidence_max_bytes)
        file_type = rules.check_file(name, content, max_bytes=ctx.evidence_max_bytes)
    except rules.EvidenceFileRefusal as exc:
        raise refused(exc) from None
    file = EvidenceFile(
        id=f"ef-{secrets.token_hex(10)}",
        application_id=application.id,
        subject_id=subject_id,
        measure=given.measure,
        file_name=name.strip(),
        file_type=file_type,
        size=len(content),
        sha256=rules.digest(content),
        description=description,
        uploaded_at=ctx.now,
        uploaded_by=ctx.viewer.sub or subject_id,
    )
    try:
        await store_evidence(ctx.db, file=file, content=content, taken=len(attached))
    except rules.EvidenceFileRefusal as exc:
        raise refused(exc) from None
    ctx.audit.wrote_for(subject_id)
    return file


async def store_evidence(db: Database, *, file: EvidenceFile, content: bytes, taken: int) -> None:
    """Store `file` in a free slot of its application (from `taken` on) if the application is
    still undecided once the file is stored; otherwise raise the refusal, nothing left stored.

    The checks before the upload was read may be stale by now: another upload may have taken
    the last slot, and the credit centre may have decided the application. Invariant: a file
    stands only on an application that was undecided after the file was stored. A decision is
    written before anything else of it; this reads the application after writing the file, so
    a decision written first is seen here and the file taken back, and one written after found
    the file stored.
    """
    try:
        await evidence_store.insert_evidence_file(db, file=file, content=content, taken=taken)
    except evidence_store.NoFreeSlot:
        raise rules.too_many_files() from None
    application = await repair_store.get_application(db, application_id=file.application_id)
    assert application is not None, "applications are kept for good, and this one was read"
    try:
        rules.check_open(application)
    except rules.NotAttachable:
        await evidence_store.take_back(db, file_id=file.id)
        raise
    # Only now does the file stand; a failure before leaves it to `undo_dead_uploads`.
    await evidence_store.finish_upload(db, file_id=file.id)


def _reviewer(ctx: Context) -> None:
    require(
        ctx,
        Scope.REPAIR_REVIEW,
        f"evidence files are for the credit centre's review ({Scope.REPAIR_REVIEW}) only",
    )


async def evidence_files(
    ctx: Context, *, application_id: str, subject_id: str
) -> list[EvidenceFile]:
    """The application's files, for the credit centre only (domain/evidence.py), audited."""
    _reviewer(ctx)
    found = await ctx.loaders.evidence_files.load(application_id)
    if found:
        ctx.audit.consulted(subject_id)
    return found


async def evidence_for_download(
    db: Database,
    viewer: Viewer,
    *,
    file_id: str,
    at: datetime,
    purpose: str | None,
    request_id: str | None,
) -> tuple[EvidenceFile, bytes] | None:
    """The file and its bytes for the credit centre, the download audited; None if unknown.

    Callers refuse anyone else before asking (`may_download`), whether the file exists or not.
    """
    if not may_download(viewer):
        return None
    file = await evidence_store.get_evidence_file(db, file_id=file_id)
    if file is None:
        return None
    content = await evidence_store.read_content(db, file=file)
    # Shenzhen regulation art. 45: reading a subject's papers is recorded like a query.
    trail = AuditTrail()
    trail.consulted(file.subject_id)
    event = trail.event(
        viewer,
        operation=f"GET {download_path(file)}",
        at=at,
        purpose=purpose,
        request_id=request_id,
    )
    await record_trail(db, event)
    return file, content


def may_download(viewer: Viewer) -> bool:
    return viewer.has(Scope.REPAIR_REVIEW)
