"""`creditgraph export`: the change feed as JSONL, as a government viewer (政务共享) sees it.

Every value leaves through the API's own views (`resolvers.records`, `auth.masking`) at the
GOVERNMENT level, so RESTRICTED data items never leave raw. The feed is read in pages after a
cursor (the feed's sequence number); the last one written is handed back so that a scheduled
job resumes where the previous run stopped. Each page that reveals anything above PUBLIC leaves
one audit READ event, written before the page (Shenzhen regulation art. 45).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import Progress

from auth.masking import ShownValue
from auth.viewer import Scope, Viewer
from domain.calendar import CITY_TIME
from domain.catalogue import CatalogueVersions
from domain.masking import PublicAttribute
from domain.records import record_scope
from domain.subjects import Subject
from resolvers.audit import AuditTrail, record_trail
from resolvers.records import RecordView, record_view
from resolvers.subjects import SubjectView, subject_view
from server.app import prepare_store, utc_now
from server.commands import CommandFileError, database
from server.settings import Settings
from store import feed
from store import subjects as subject_store
from store.database import Database
from store.feed import LoggedChange

OPERATION = "export"
LEVEL = PublicAttribute.GOVERNMENT
PAGE = 500  # changes read at a time: every cursor is bounded (DESIGN.md §2.1)


class ExportFileError(CommandFileError):
    """The output file cannot be written."""


@dataclass(frozen=True)
class ExportSummary:
    changes: int
    cursor: int  # the sequence number to resume after


def _shown(value: ShownValue) -> dict[str, Any]:
    """A data item as the API's `DataItem` carries it."""
    return {
        "key": value.key,
        "label": value.label_zh,
        "labelEn": value.label_en,
        "value": value.value,
        "masked": value.masked,
        "attribute": value.attribute.value,
    }


def _subject(view: SubjectView) -> dict[str, Any]:
    return {
        "id": view.id,
        "kind": view.kind.value,
        "name": view.name.value,
        "identifier": view.identifier.value,
        "basicItems": [_shown(v) for v in view.basic_items],
    }


def _record(view: RecordView, subject: SubjectView | None) -> dict[str, Any]:
    """The record with the API's field names (`Record` in schema.graphql)."""
    period = view.disclosure
    note = view.objection
    return {
        "id": view.id,
        "item": view.item.code,
        "catalogueVersion": view.catalogue_version,
        "category": view.category.value,
        "severity": None if view.severity is None else view.severity.value,
        "sourceUnit": view.source_unit,
        "documentNumber": view.document_number,
        "decisionDate": view.decision_date.isoformat(),
        "epidemicRelated": view.epidemic_related,
        "status": view.status.value,
        "disclosure": {
            "start": period.start.isoformat(),
            "earliestRepairDate": None
            if period.earliest_repair_date is None
            else period.earliest_repair_date.isoformat(),
            "end": period.end.isoformat(),
            "state": view.disclosure_state.value,
            "rule": period.rule,
            "basis": period.basis,
        },
        "dataItems": [_shown(v) for v in view.data_items],
        "objection": None
        if note is None
        else {
            "objectionId": note.objection_id,
            "state": note.state.value,
            "grounds": note.grounds.value,
            "filedAt": note.filed_at.isoformat(),
            "resolvedAt": None if note.resolved_at is None else note.resolved_at.isoformat(),
        },
        "subject": None if subject is None else _subject(subject),
    }


class _Page:
    """One page of changes with the subjects they are about, shown at the GOVERNMENT level."""

    def __init__(
        self,
        changes: list[LoggedChange],
        subjects: list[Subject | None],
        catalogues: CatalogueVersions,
        today: date,
    ) -> None:
        self.changes = changes
        self.subjects = {s.id: s for s in subjects if s is not None}
        self.catalogues = catalogues
        self.today = today
        self.trail = AuditTrail()

    def lines(self) -> Iterator[str]:
        in_force = self.catalogues.in_force(self.today)
        for change in self.changes:
            record = change.record
            if not record_scope(LEVEL, own=False, today=self.today).admits(record):
                # Shenzhen regulation art. 39, as in the feed: the change, not its content.
                yield _line(change, None)
                continue
            item = self.catalogues.item(record.catalogue_version, record.item_code)
            view = record_view(record, item, LEVEL, self.today)
            self.trail.saw(record.subject_id, view.data_items, record_id=record.id)
            found = self.subjects.get(record.subject_id)
            subject = None
            if found is not None and in_force is not None:
                subject = subject_view(found, in_force.basic_item(found.kind), LEVEL)
                self.trail.saw(found.id, subject.basic_items)
            yield _line(change, _record(view, subject))


def _line(change: LoggedChange, record: dict[str, Any] | None) -> str:
    line = {
        "sequence": change.seq,
        "kind": change.kind.value,
        "at": change.at.isoformat(),
        "record": record,
    }
    return json.dumps(line, ensure_ascii=False) + "\n"


async def export_changes(
    db: Database,
    out: TextIO,
    *,
    since: int,
    limit: int | None,
    catalogues: CatalogueVersions,
    operator: str,
    clock: Callable[[], datetime] = utc_now,
    progress: Callable[[int], None] | None = None,
) -> ExportSummary:
    """Write the changes after `since` (at most `limit`) to `out`, one JSON object a line."""
    cursor, written = since, 0
    viewer = Viewer(sub=operator, scopes=frozenset({Scope.RECORDS_READ}), role=OPERATION)
    while limit is None or written < limit:
        size = PAGE if limit is None else min(PAGE, limit - written)
        changes = await feed.find_changes(db, after=cursor, limit=size)
        if not changes:
            break
        subject_ids = list(dict.fromkeys(c.record.subject_id for c in changes))
        subjects = await subject_store.get_subjects(db, ids=subject_ids)
        now = clock()
        page = _Page(changes, subjects, catalogues, now.astimezone(CITY_TIME).date())
        lines = list(page.lines())
        # Audited before the page is written, as the API withholds what it cannot audit.
        if page.trail.needed:
            event = page.trail.event(
                viewer,
                operation=OPERATION,
                at=now,
                purpose="export of the change feed",
                request_id=None,
            )
            await record_trail(db, event)
        out.writelines(lines)
        out.flush()
        if progress is not None:
            progress(changes[-1].seq - cursor)
        cursor, written = changes[-1].seq, written + len(changes)
        if len(changes) < size:
            break
    return ExportSummary(written, cursor)


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        file = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise ExportFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    with file:
        yield file


async def run_export(
    settings: Settings, uri: str, *, since: int, out: Path | None, limit: int | None, operator: str
) -> ExportSummary:
    """The command: open the store, export with a progress bar on stderr, close the store."""
    async with database(settings, uri) as db:
        catalogues = await prepare_store(db)
        last = await feed.last_sequence(db)
        with _output(out) as file, Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("exporting changes", total=max(last - since, 0))
            return await export_changes(
                db,
                file,
                since=since,
                limit=limit,
                catalogues=catalogues,
                operator=operator,
                progress=lambda n: bar.advance(task, n),
            )
