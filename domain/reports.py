"""Public credit reports (公共信用报告) with an embedded seal (notice 二(六)).

A report is a signed PDF of a subject's file as its requester may see it. Its serial is the
region code, the issue day and a daily sequence number, so a serial printed on paper names
the centre and the day it was issued and can be checked online.
"""

from __future__ import annotations

import hmac
import re
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

# A report is a few pages of text and vector drawings; anything near this is a fault.
MAX_REPORT_BYTES = 8 * 1024 * 1024
MAX_DAILY_REPORTS = 999_999
REGION_CODE = re.compile(r"^[0-9]{6}$")
SERIAL = re.compile(r"^[0-9]{6}[0-9]{8}[0-9]{6}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class CreditReport(BaseModel):
    """An issued report: who it is about and for, when, and the digest of its signed PDF."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    serial: str = Field(pattern=SERIAL.pattern)
    subject_id: str
    purpose: str = Field(min_length=1, max_length=200)
    issued_at: datetime
    issued_to: str = Field(min_length=1, description="The requester: the token's subject")
    sha256: str = Field(pattern=SHA256_HEX.pattern)
    content_sha256: str = Field(pattern=SHA256_HEX.pattern)
    size: int = Field(gt=0, le=MAX_REPORT_BYTES)
    # What the report shows above PUBLIC: each download is audited as revealing these.
    record_ids: tuple[str, ...] = ()
    data_item_keys: tuple[str, ...] = ()

    @property
    def download_path(self) -> str:
        return f"/reports/{self.serial}.pdf"


def report_serial(region_code: str, day: date, sequence: int) -> str:
    """区划代码 + YYYYMMDD + the day's six-digit sequence number, e.g. 44030020200901000001."""
    if not REGION_CODE.match(region_code):
        raise ValueError(f"a region code has six digits, not {region_code!r}")
    if not 1 <= sequence <= MAX_DAILY_REPORTS:
        raise ValueError(f"report sequence {sequence} is outside 1..{MAX_DAILY_REPORTS}")
    return f"{region_code}{day:%Y%m%d}{sequence:06d}"


def same_digest(stored: str, given: str) -> bool:
    """Whether a hex SHA-256 given by a verifier is the stored one (case-insensitive)."""
    return hmac.compare_digest(stored.encode(), given.strip().lower().encode())
