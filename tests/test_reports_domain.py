"""Credit report rules: serials, digests and the size limit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from domain.reports import MAX_REPORT_BYTES, CreditReport, report_serial, same_digest

DIGEST = "ab" * 32


def report(size: int) -> CreditReport:
    return CreditReport(
        serial="44030020200901000001",
        subject_id="s-1",
        purpose="贷款审查",
        issued_at=datetime(2020, 9, 1, 4, tzinfo=UTC),
        issued_to="subject-user",
        sha256=DIGEST,
        content_sha256=DIGEST,
        size=size,
    )


@pytest.mark.parametrize(
    ("sequence", "serial"), [(1, "44030020200901000001"), (999_999, "44030020200901999999")]
)
def test_report_serial_is_region_date_and_sequence(sequence: int, serial: str) -> None:
    assert report_serial("440300", date(2020, 9, 1), sequence) == serial


@pytest.mark.parametrize("sequence", [0, 1_000_000])
def test_report_serial_sequence_outside_a_day_is_refused(sequence: int) -> None:
    with pytest.raises(ValueError, match="outside 1..999999"):
        report_serial("440300", date(2020, 9, 1), sequence)


@pytest.mark.parametrize("region", ["44030", "4403000", "44030X", ""])
def test_report_serial_bad_region_code_is_refused(region: str) -> None:
    with pytest.raises(ValueError, match="six digits"):
        report_serial(region, date(2020, 9, 1), 1)


@pytest.mark.parametrize("given", [DIGEST, DIGEST.upper(), f" {DIGEST}\n"])
def test_same_digest_ignores_case_and_surrounding_space(given: str) -> None:
    assert same_digest(DIGEST, given)


@pytest.mark.parametrize("given", ["ab" * 31 + "ac", "ab" * 31, "", "ａｂ" * 32])
def test_same_digest_other_value_is_not_the_same(given: str) -> None:
    assert not same_digest(DIGEST, given)


def test_credit_report_up_to_the_size_limit_is_accepted() -> None:
    assert report(MAX_REPORT_BYTES).size == 8 * 1024 * 1024


@pytest.mark.parametrize("size", [0, MAX_REPORT_BYTES + 1])
def test_credit_report_empty_or_over_the_limit_is_refused(size: int) -> None:
    with pytest.raises(ValidationError):
        report(size)


def test_credit_report_download_path_names_its_serial() -> None:
    assert report(1).download_path == "/reports/44030020200901000001.pdf"
