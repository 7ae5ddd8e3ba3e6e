"""`creditgraph import`: a JSONL file of submissions through the same pipeline as `submitRecords`
(and lines of basic data through the one `submitBasicData` writes with).

The credit centre's operator imports on behalf of the registered source units each line names.
Lines are grouped per unit into batches of at most `MAX_BATCH` (and at most `PENDING_LINES` lines
of all units wait at once) and judged by the two halves of
`resolvers.submission.submit_batch`, so a line is accepted, a duplicate, a conflict or rejected
exactly as the API would answer it; a file imported twice changes nothing. Each batch that
wrote something leaves one audit WRITE event (Shenzhen regulation art. 45).

The import is a pipeline one batch deep: while a batch is written, the lines after it are read
and the next batch is judged and its records made ready to write, so the store and the importer
work at the same time (issue 9.2).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.progress import Progress

from auth.viewer import Viewer
from domain.calendar import CITY_TIME, DateWindow
from domain.catalogue import CatalogueVersions
from domain.errors import Problem, ProblemCode
from domain.outcomes import Outcome
from domain.source_units import SourceUnit
from domain.subjects import KindOnFile, basic_data_values
from domain.submission import MAX_BATCH
from resolvers.audit import AuditTrail, record_trail
from resolvers.errors import Conflict
from resolvers.subjects import record_basic_data
from resolvers.submission import BatchOutcome, PlannedBatch, plan_submissions, store_planned
from server.app import prepare_store, utc_now
from server.commands import CommandFileError, database
from server.import_lines import (
    MalformedLine,
    ParsedBasicData,
    ParsedLine,
    parse_line,
    undecodable,
)
from server.import_report import ImportReport, ImportSummary
from server.settings import Settings
from store import source_units as unit_store
from store.database import Database

OPERATION = "import"
# Lines read between two turns of the event loop, which lets the batch being written go on
# while lines are parsed (a fraction of a millisecond of work; at 25, 5% slower).
LINES_PER_TURN = 5
# Lines of all units waiting to be judged, at most: past it, the unit with the most waiting is
# judged (and written) first. Without it, a file of many units' lines, each unit's fewer than
# `MAX_BATCH`, was held in memory whole (about 2.4 KB a line). Twenty batches' worth, about
# 50 MB: smaller batches cost the store more per record, and at this bound the bench's 100,000
# lines still go in the 124 batches they took without one (at ten batches' worth, 211 batches
# and 4% slower; at two, a tenth more store CPU per record).
PENDING_LINES = 20 * MAX_BATCH


class ImportFileError(CommandFileError):
    """The file to import, or its rejects file, cannot be read or written."""


def count_lines(path: Path) -> int:
    """Lines in the file, for the progress bar; an unreadable file raises ImportFileError."""
    with _open(path, "rb") as file:
        newlines = last = 0
        while chunk := file.read(1 << 20):
            newlines += chunk.count(b"\n")
            last = chunk[-1]
    return newlines + (last not in (0, ord("\n")))


def _open(path: Path, mode: str) -> Any:
    try:
        return path.open(mode) if "b" in mode else path.open(mode, encoding="utf-8")
    except OSError as exc:
        verb = "read" if "r" in mode else "write"
        raise ImportFileError(f"cannot {verb} {path}: {exc.strerror or exc}") from None


@dataclass
class _Batch:
    """Lines of one unit waiting to be judged together."""

    unit: SourceUnit
    lines: list[ParsedLine] = field(default_factory=list)
    source_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Writing:
    """The batch being written: the one batch in flight."""

    batch: _Batch
    task: asyncio.Task[None]

    def precedes(self, batch: _Batch) -> bool:
        """Whether `batch` must wait for this write: it names a source record id of it, and
        judging it before the write ends would judge it against the store without it."""
        return batch.unit.code == self.batch.unit.code and bool(
            batch.source_ids & self.batch.source_ids
        )


@dataclass
class _Importer:
    db: Database
    catalogues: CatalogueVersions
    epidemic_window: DateWindow
    operator: str
    purpose: str
    report: ImportReport
    clock: Callable[[], datetime]
    units: dict[str, SourceUnit | None] = field(default_factory=dict)
    pending: dict[str, _Batch] = field(default_factory=dict)
    pending_lines: int = 0
    writing: _Writing | None = None

    async def line(self, number: int, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            self.report.summary.lines += 1
            self._malformed(undecodable(number, raw))
            return
        if not text.strip():
            return  # blank lines carry no submission
        self.report.summary.lines += 1
        parsed = parse_line(number, text)
        if isinstance(parsed, MalformedLine):
            self._malformed(parsed)
            return
        unit = await self._unit(parsed.unit)
        if unit is None:
            self._unregistered(parsed)
            return
        if isinstance(parsed, ParsedBasicData):
            await self._basic_data(unit, parsed)
            return
        batch = self.pending.setdefault(unit.code, _Batch(unit))
        source_id = parsed.submission.source_record_id
        # A record and its later correction in one file are judged in file order, as two
        # requests would be: within one batch the second would be a conflict.
        if source_id in batch.source_ids:
            await self.flush(unit.code)
            batch = self.pending.setdefault(unit.code, _Batch(unit))
        batch.lines.append(parsed)
        batch.source_ids.add(source_id)
        self.pending_lines += 1
        if len(batch.lines) >= MAX_BATCH:
            await self.flush(unit.code)
        elif self.pending_lines >= PENDING_LINES:
            await self.flush(max(self.pending.values(), key=lambda b: len(b.lines)).unit.code)

    async def flush(self, unit_code: str) -> None:
        """Judge a unit's pending batch and start writing it once the write before has ended.

        At most one batch is in flight; a batch naming a source record id of the one in
        flight is judged only after that write (the file's order, as two requests would be).
        """
        batch = self.pending.pop(unit_code, None)
        if batch is None:
            return
        self.pending_lines -= len(batch.lines)
        if self.writing is not None and self.writing.precedes(batch):
            await self.settle()
        now = self.clock()
        planned = await plan_submissions(
            self.db,
            unit=batch.unit,
            submissions=[line.submission for line in batch.lines],
            catalogues=self.catalogues,
            today=now.astimezone(CITY_TIME).date(),
            now=now,
            epidemic_window=self.epidemic_window,
        )
        await self.settle()
        self.writing = _Writing(batch, asyncio.create_task(self._store(batch, planned, now)))

    async def _store(self, batch: _Batch, planned: PlannedBatch, now: datetime) -> None:
        outcome = await store_planned(self.db, planned)
        self.report.summary.batches += 1
        for result in outcome.results:
            self.report.ended(
                batch.lines[result.index],
                result.outcome,
                source_record_id=result.source_record_id,
                problems=result.problems,
            )
        await self._audit(batch.unit, outcome, now)

    async def settle(self) -> None:
        """Wait for the batch in flight; its store failure is raised here."""
        writing, self.writing = self.writing, None
        if writing is not None:
            await writing.task

    async def abandon(self) -> None:
        """After a failure elsewhere: let the batch in flight end (what the store acknowledged
        stays acknowledged) without raising its own failure over the first."""
        writing, self.writing = self.writing, None
        if writing is not None:
            await asyncio.gather(writing.task, return_exceptions=True)

    async def flush_all(self) -> None:
        for unit_code in list(self.pending):
            await self.flush(unit_code)
        await self.settle()

    async def _unit(self, code: str) -> SourceUnit | None:
        if code not in self.units:
            [self.units[code]] = await unit_store.get_source_units(self.db, codes=[code])
        return self.units[code]

    async def _audit(self, unit: SourceUnit, outcome: BatchOutcome, now: datetime) -> None:
        """One WRITE event per batch, naming the operator and the unit acted for: a batch that
        wrote nothing is audited on the files it named, as the API does."""
        trail = AuditTrail()
        for subject_id in outcome.written_subject_ids:
            trail.wrote_for(subject_id)
        trail.asked_to_write(outcome.named_subject_ids)
        trail.record_ids.update(
            r.record_id for r in outcome.results if r.outcome is Outcome.ACCEPTED and r.record_id
        )
        await self._record(unit, trail, now)

    async def _record(self, unit: SourceUnit, trail: AuditTrail, now: datetime) -> None:
        viewer = Viewer(sub=self.operator, org=unit.code, role=OPERATION)
        event = trail.event(
            viewer, operation=OPERATION, at=now, purpose=self.purpose, request_id=None
        )
        await record_trail(self.db, event)

    async def _basic_data(self, unit: SourceUnit, line: ParsedBasicData) -> None:
        """A line of basic data is written at once, in file order, after the records before
        it (which may name the subject by its old name) and before those after (by its new)."""
        await self.flush_all()
        now = self.clock()
        today = now.astimezone(CITY_TIME).date()
        catalogue = self.catalogues.in_force(today)
        if catalogue is None:
            raise LookupError(f"no catalogue is in force on {today.isoformat()}")
        values, problems = basic_data_values(
            catalogue.basic_item(line.kind),
            line.data_items,
            unit_types=unit.unit_types,
            today=today,
        )
        ended = partial(self.report.ended, line)
        if problems:
            ended(Outcome.REJECTED, problems=tuple(problems))
            return
        try:
            subject, written = await record_basic_data(
                self.db, kind=line.kind, values=values, by=unit.code, now=now
            )
        except KindOnFile as exc:
            problem = Problem(ProblemCode.SUBJECT_MISMATCH, "basicData.kind", str(exc))
            ended(Outcome.REJECTED, problems=(problem,))
            return
        except Conflict as exc:
            problem = Problem(ProblemCode.CONFLICT, "basicData", exc.message)
            ended(Outcome.CONFLICT, problems=(problem,))
            return
        ended(Outcome.ACCEPTED if written else Outcome.DUPLICATE)
        if written:
            trail = AuditTrail()
            trail.wrote_for(subject.id)
            await self._record(unit, trail, now)

    def _malformed(self, line: MalformedLine) -> None:
        self.report.ended(
            line, Outcome.REJECTED, source_record_id=line.source_record_id, problems=line.problems
        )

    def _unregistered(self, line: ParsedLine | ParsedBasicData) -> None:
        problem = Problem(
            ProblemCode.UNIT_NOT_AUTHORIZED,
            "unit",
            f"line {line.number}: unit {line.unit} is not a registered source unit; "
            "the credit centre registers units",
        )
        source_id = line.submission.source_record_id if isinstance(line, ParsedLine) else None
        self.report.ended(line, Outcome.REJECTED, source_record_id=source_id, problems=(problem,))


async def import_file(
    db: Database,
    path: Path,
    *,
    rejects: Path,
    catalogues: CatalogueVersions,
    epidemic_window: DateWindow,
    operator: str,
    clock: Callable[[], datetime] = utc_now,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every line of `path`; rejected and conflicting lines go to `rejects`."""
    started = time.perf_counter()
    if rejects.resolve() == path.resolve():
        raise ImportFileError(f"the rejects file would overwrite {path}; name another")
    with _open(path, "rb") as source, _open(rejects, "w") as rejected:
        importer = _Importer(
            db=db,
            catalogues=catalogues,
            epidemic_window=epidemic_window,
            operator=operator,
            purpose=f"import of {path.name}"[:200],
            report=ImportReport(rejected),
            clock=clock,
        )
        try:
            for number, raw in enumerate(source, start=1):
                await importer.line(number, raw.rstrip(b"\r\n"))
                if progress is not None:
                    progress(1)
                if number % LINES_PER_TURN == 0:
                    await asyncio.sleep(0)
            await importer.flush_all()
        except BaseException:
            await importer.abandon()
            raise
    summary = importer.report.summary
    summary.seconds = time.perf_counter() - started
    return summary


async def run_import(
    settings: Settings, uri: str, path: Path, *, rejects: Path, operator: str
) -> ImportSummary:
    """The command: open the store, import with a progress bar, close the store."""
    total = count_lines(path)
    async with database(settings, uri) as db:
        catalogues = await prepare_store(db)
        with Progress() as bar:
            task = bar.add_task(f"importing {path.name}", total=total)
            return await import_file(
                db,
                path,
                rejects=rejects,
                catalogues=catalogues,
                epidemic_window=settings.epidemic_window,
                operator=operator,
                progress=lambda n: bar.advance(task, n),
            )
