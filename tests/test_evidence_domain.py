"""Domain tests: which evidence files a repair application accepts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import evidence as rules
from domain.evidence import MAX_FILES, FileType
from domain.repair import RepairApplication, RepairMeasure, RepairState

LIMIT = 1000
HEADS = {
    FileType.PDF: b"%PDF-1.7\n",
    FileType.JPEG: b"\xff\xd8\xff\xe0\x00\x10JFIF",
    FileType.PNG: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
}
NAMES = {FileType.PDF: "凭证.pdf", FileType.JPEG: "照片.JPG", FileType.PNG: "截图.png"}


def application(state: RepairState = RepairState.ACCEPTED) -> RepairApplication:
    return RepairApplication(
        id="ra-1",
        record_id="r-1",
        subject_id="s-1",
        applicant="s-1",
        measures=(RepairMeasure.CORRECTION,),
        evidence=(),
        state=state,
        submitted_at=datetime(2020, 9, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize("file_type", list(FileType))
def test_each_accepted_type_is_told_by_its_content(file_type: FileType) -> None:
    content = HEADS[file_type] + b"\x00" * 50

    assert rules.check_file(NAMES[file_type], content, max_bytes=LIMIT) is file_type
    assert rules.file_type_of(content) is file_type


@settings(max_examples=300, deadline=None)
@given(
    head=st.sampled_from([*HEADS.values(), b"GIF89a", b"PK\x03\x04", b"<html>", b"MZ", b""]),
    body=st.binary(max_size=1200),
    name=st.sampled_from(["a.pdf", "b.jpg", "c.jpeg", "d.png", "e.gif", "f.exe", "g", "h.PDF"]),
)
def test_a_file_is_accepted_exactly_when_content_name_and_size_agree(
    head: bytes, body: bytes, name: str
) -> None:
    content = head + body
    found = rules.file_type_of(content)
    expected = (
        found is not None and 0 < len(content) <= LIMIT and name.lower().endswith(found.extensions)
    )

    if expected:
        assert rules.check_file(name, content, max_bytes=LIMIT) is found
        return
    refusal = rules.FileTooLarge if len(content) > LIMIT else rules.UnsupportedFileType
    with pytest.raises(refusal, match="^file: ") as refused:
        rules.check_file(name, content, max_bytes=LIMIT)
    assert refused.value.field == "file"


def test_a_pdf_named_as_an_image_and_a_renamed_executable_are_refused() -> None:
    with pytest.raises(rules.UnsupportedFileType, match="content is PDF"):
        rules.check_file("scan.png", HEADS[FileType.PDF], max_bytes=LIMIT)
    with pytest.raises(rules.UnsupportedFileType, match="only PDF, JPEG and PNG"):
        rules.check_file("receipt.pdf", b"MZ\x90\x00", max_bytes=LIMIT)


@pytest.mark.parametrize(
    "name", ["", "   ", "../etc/passwd.pdf", "a\\b.pdf", "a\x00.pdf", "x" * 200]
)
def test_names_with_paths_controls_or_no_length_are_refused(name: str) -> None:
    with pytest.raises(rules.UnsupportedFileType, match="name"):
        rules.check_file(name, HEADS[FileType.PDF], max_bytes=LIMIT)


def test_an_empty_file_is_refused_and_one_byte_over_the_limit_is_too_large() -> None:
    with pytest.raises(rules.UnsupportedFileType, match="empty"):
        rules.check_file("a.pdf", b"", max_bytes=LIMIT)
    at_limit = HEADS[FileType.PDF] + b"\x00" * (LIMIT - len(HEADS[FileType.PDF]))

    assert rules.check_file("a.pdf", at_limit, max_bytes=LIMIT) is FileType.PDF
    with pytest.raises(rules.FileTooLarge, match=str(LIMIT)):
        rules.check_file("a.pdf", at_limit + b"\x00", max_bytes=LIMIT)


@pytest.mark.parametrize("state", list(RepairState))
def test_files_join_only_undecided_applications_below_the_count(state: RepairState) -> None:
    if state in (RepairState.APPROVED, RepairState.REJECTED):
        with pytest.raises(rules.NotAttachable):
            rules.check_attachable(application(state), 0)
        return
    rules.check_attachable(application(state), MAX_FILES - 1)
    with pytest.raises(rules.TooManyFiles) as refused:
        rules.check_attachable(application(state), MAX_FILES)
    assert refused.value.field == "application"
