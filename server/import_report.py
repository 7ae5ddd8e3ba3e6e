"""What `creditgraph import` tells of a file: how each line ended, counted, and the lines
refused or in conflict written to the rejects file, each with its problems and the line as sent,
so that a unit can mend them and send them again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from domain.errors import Problem
from domain.outcomes import Outcome


class SentLine(Protocol):
    """A line of the file: its number, and the line as sent (JSON where it parses)."""

    @property
    def number(self) -> int: ...

    @property
    def original(self) -> Any: ...


# Outcomes the rejects file lists: the lines someone must look at again.
TO_MEND = frozenset({Outcome.CONFLICT, Outcome.REJECTED})


def default_rejects(path: Path) -> Path:
    """The rejects file of an import of `path`, unless the operator names another."""
    return path.with_name(f"{path.name}.rejects.jsonl")


@dataclass
class ImportSummary:
    lines: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    batches: int = 0
    seconds: float = 0.0

    def count(self, outcome: Outcome) -> None:
        match outcome:
            case Outcome.ACCEPTED:
                self.accepted += 1
            case Outcome.DUPLICATE:
                self.duplicates += 1
            case Outcome.CONFLICT:
                self.conflicts += 1
            case Outcome.REJECTED:
                self.rejected += 1

    def describe(self, rejects: Path) -> str:
        return (
            f"{self.lines} lines: {self.accepted} accepted, {self.duplicates} duplicates, "
            f"{self.conflicts} conflicts, {self.rejected} rejected in {self.seconds:.1f} s"
            f" (rejects and conflicts in {rejects})"
        )


@dataclass
class ImportReport:
    """The summary and the rejects file of one import. Invariant: every line judged is counted
    once, and written to the rejects file exactly when its outcome is one `TO_MEND`."""

    rejects: TextIO
    summary: ImportSummary = field(default_factory=ImportSummary)

    def ended(
        self,
        line: SentLine,
        outcome: Outcome,
        *,
        source_record_id: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        """`line` ended as `outcome`; it is read as sent only if it is written out."""
        self.summary.count(outcome)
        if outcome not in TO_MEND:
            return
        entry = {
            "line": line.number,
            "sourceRecordId": source_record_id,
            "outcome": outcome.value,
            "problems": [
                {"code": p.code.value, "field": p.field, "message": p.message} for p in problems
            ],
            "submission": line.original,
        }
        self.rejects.write(json.dumps(entry, ensure_ascii=False) + "\n")
