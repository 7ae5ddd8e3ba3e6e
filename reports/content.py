"""What a report shows, as values already masked for its requester.

The resolver builds this from the same views the API returns (resolvers/views.py, masked by
auth/masking.py), so a report never shows more than the API would show the same viewer; this
package only lays it out, draws the seal and QR code, and signs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from auth.masking import ShownValue
from domain.catalogue import PublicAttribute
from domain.disclosure import Severity
from domain.identifiers import SubjectKind

CENTRE = "深圳市公共信用中心"


@dataclass(frozen=True)
class Entry:
    """One record in a section: its catalogue item, decision and disclosure, its data items."""

    title: str
    document_number: str
    decision_date: date
    source_unit: str
    disclosed_from: date
    disclosed_until: date
    severity: Severity | None
    data_items: tuple[ShownValue, ...]


@dataclass(frozen=True)
class ReportContent:
    serial: str
    issued_at: datetime
    as_of: date
    purpose: str
    subject_kind: SubjectKind
    subject_name: ShownValue
    basic: tuple[ShownValue, ...]
    level: PublicAttribute
    good: tuple[Entry, ...]
    dishonest: tuple[Entry, ...]
    commitments: tuple[Entry, ...]
    # 黑名单 and 信用修复 are kept by modules still to come; until then a report states that
    # none is on record, which is true of the file as stored.
    blacklist: tuple[Entry, ...] = ()
    repairs: tuple[Entry, ...] = ()
    omitted: int = 0
    centre: str = CENTRE

    def digest(self) -> str:
        """SHA-256 of the content as canonical JSON: what the QR code binds the page to."""
        data = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()
