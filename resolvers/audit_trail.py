"""The audit trail of one request: what it revealed above PUBLIC, written before responding."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from auth.masking import ShownValue, revealed_keys
from auth.viewer import Viewer
from domain.audit import AuditAction, AuditEvent


@dataclass
class AuditTrail:
    """Collects reveals while the request runs; `event` turns them into one audit event."""

    subject_ids: set[str] = field(default_factory=set)
    record_ids: set[str] = field(default_factory=set)
    data_item_keys: set[str] = field(default_factory=set)
    grant_ids: set[str] = field(default_factory=set)
    wrote: bool = False
    judged: bool = False

    def saw(
        self,
        subject_id: str,
        shown: list[ShownValue],
        *,
        record_id: str | None = None,
        grant_id: str | None = None,
    ) -> None:
        keys = revealed_keys(shown)
        if not keys:
            return
        self.subject_ids.add(subject_id)
        self.data_item_keys.update(keys)
        if record_id is not None:
            self.record_ids.add(record_id)
        if grant_id is not None:
            self.grant_ids.add(grant_id)

    def wrote_for(self, subject_id: str) -> None:
        self.wrote = True
        self.subject_ids.add(subject_id)

    def asked_to_write(self, subject_ids: Iterable[str]) -> None:
        """A write was asked for about these subjects on file: audited even if none was done."""
        self.wrote = True
        self.subject_ids.update(subject_ids)

    def consulted(self, subject_id: str, *, grant_id: str | None = None) -> None:
        """A subject's file was judged (eligibility, a financing profile): audited whatever
        the answer shows, with the grant relied on (Shenzhen regulation art. 45)."""
        self.judged = True
        self.subject_ids.add(subject_id)
        if grant_id is not None:
            self.grant_ids.add(grant_id)

    @property
    def needed(self) -> bool:
        return self.wrote or self.judged or bool(self.data_item_keys)

    def event(
        self,
        viewer: Viewer,
        *,
        operation: str,
        at: datetime,
        purpose: str | None,
        request_id: str | None,
    ) -> AuditEvent:
        return AuditEvent(
            id=f"a-{secrets.token_hex(10)}",
            at=at,
            action=AuditAction.WRITE if self.wrote else AuditAction.READ,
            operation=operation[:200],
            viewer_sub=viewer.sub,
            viewer_org=viewer.org,
            viewer_role=viewer.role,
            scopes=tuple(sorted(viewer.scopes)),
            subject_ids=tuple(sorted(self.subject_ids)),
            record_ids=tuple(sorted(self.record_ids)),
            data_item_keys=tuple(sorted(self.data_item_keys)),
            grant_ids=tuple(sorted(self.grant_ids)),
            purpose=purpose,
            request_id=request_id,
        )
