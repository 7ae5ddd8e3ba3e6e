"""Evidence files (证明材料) attached to a repair application: which files are accepted.

A subject shows the measures it took (domain/repair.py) with documents: scans and photos of a
payment receipt, a correction report, a training certificate. Only PDF, JPEG and PNG are
accepted, told by their content's signature (a file named `.pdf` that holds anything else is
refused, and so is a PDF named `.png`), each at most the configured size, at most
`MAX_FILES` per application. They are for the credit centre's review only: never shown to the
public, to banks, or in exports and reports (Shenzhen regulation art. 38: an applicant's
papers carry personal information beyond the catalogue's data items).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.repair import RepairApplication, RepairMeasure, RepairState

# An application shows at most five measures, each with a few pages or photos.
MAX_FILES = 10
MAX_NAME_LENGTH = 120
MAX_DESCRIPTION = 500
# Decided applications keep their files as they were decided on.
ATTACHABLE = frozenset({RepairState.SUBMITTED, RepairState.ACCEPTED, RepairState.NEEDS_MATERIALS})
# Control characters, path separators and characters Windows refuses in a file name.
_BAD_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class FileType(StrEnum):
    PDF = "PDF"
    JPEG = "JPEG"
    PNG = "PNG"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extensions(self) -> tuple[str, ...]:
        return _EXTENSIONS[self]


_MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}
_EXTENSIONS = {
    FileType.PDF: (".pdf",),
    FileType.JPEG: (".jpg", ".jpeg"),
    FileType.PNG: (".png",),
}
# The first bytes of each format: ISO 32000-1 §7.5.2 (a PDF starts "%PDF-"), JPEG's SOI
# marker followed by the next marker's FF, PNG's eight-byte signature (RFC 2083 §3.1).
_SIGNATURES = (
    (b"%PDF-", FileType.PDF),
    (b"\xff\xd8\xff", FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
)
SIGNATURE_BYTES = max(len(signature) for signature, _ in _SIGNATURES)


class EvidenceFileRefusal(ValueError):
    """Why a file is not accepted; `field` names the argument at fault.

    EvidenceFileRefusal
    ├── UnsupportedFileType   the content is not PDF, JPEG or PNG, or the name says otherwise
    ├── FileTooLarge          over the configured size
    ├── TooManyFiles          the application holds `MAX_FILES` already
    └── NotAttachable         the application was decided: its files are closed
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class UnsupportedFileType(EvidenceFileRefusal):
    pass


class FileTooLarge(EvidenceFileRefusal):
    pass


class TooManyFiles(EvidenceFileRefusal):
    pass


class NotAttachable(EvidenceFileRefusal):
    pass


class EvidenceFile(BaseModel):
    """One stored file: what it shows and how to read it back whole (`sha256`, `size`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    application_id: str
    subject_id: str
    measure: RepairMeasure
    file_name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    file_type: FileType
    size: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    description: str | None = Field(default=None, min_length=1, max_length=MAX_DESCRIPTION)
    uploaded_at: datetime
    uploaded_by: str


def file_type_of(content: bytes) -> FileType | None:
    """The format the content's first bytes announce, or None for any other."""
    for signature, file_type in _SIGNATURES:
        if content.startswith(signature):
            return file_type
    return None


def check_file(file_name: str, content: bytes, *, max_bytes: int) -> FileType:
    """The file's type when it may be stored: a PDF, JPEG or PNG by its content's signature,
    named with an extension of that type, not empty and at most `max_bytes`.

    `content` may be cut after `max_bytes + 1` bytes: its length only tells "too large".
    """
    name = file_name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or _BAD_NAME.search(name):
        raise UnsupportedFileType(
            f"file: the name must be 1 to {MAX_NAME_LENGTH} characters with no path or "
            "control characters",
            field="file",
        )
    if not content:
        raise UnsupportedFileType("file: the file is empty", field="file")
    if len(content) > max_bytes:
        raise FileTooLarge(f"file: larger than the limit of {max_bytes} bytes", field="file")
    found = file_type_of(content)
    if found is None:
        raise UnsupportedFileType(
            "file: only PDF, JPEG and PNG files are accepted, and this file's content is none "
            "of them",
            field="file",
        )
    if not name.lower().endswith(found.extensions):
        raise UnsupportedFileType(
            f"file: the content is {found.value} but the name {name!r} does not end in "
            f"{' or '.join(found.extensions)}",
            field="file",
        )
    return found


def check_attachable(application: RepairApplication, attached: int) -> None:
    """A file may join an application the credit centre has not decided, below `MAX_FILES`."""
    check_open(application)
    if attached >= MAX_FILES:
        raise too_many_files()


def check_open(application: RepairApplication) -> None:
    """Files join an application only until the credit centre decides it."""
    if application.state not in ATTACHABLE:
        raise NotAttachable(
            f"application: it was {application.state.value.lower()}; files can be attached "
            "only until it is decided",
            field="application",
        )


def too_many_files() -> TooManyFiles:
    return TooManyFiles(
        f"application: it holds {MAX_FILES} files already, the most one may hold",
        field="application",
    )


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
