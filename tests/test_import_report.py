"""The import's report: every line's outcome counted once, the ones to mend written out."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Problem, ProblemCode
from domain.outcomes import Outcome
from server.import_report import TO_MEND, ImportReport


@dataclass
class Line:
    number: int
    read: int = 0

    @property
    def original(self) -> dict[str, int]:
        """Parsed again from the file's text when read: only the lines written out are."""
        self.read += 1
        return {"n": self.number}


PROBLEM = Problem(ProblemCode.INVALID_FORMAT, "decisionDate", "not a date")


@given(st.lists(st.sampled_from(list(Outcome))))
def test_each_line_is_counted_once_and_only_those_to_mend_are_read_and_written(
    outcomes: list[Outcome],
) -> None:
    rejects = io.StringIO()
    report = ImportReport(rejects)

    lines = [Line(number) for number in range(1, len(outcomes) + 1)]
    for line, outcome in zip(lines, outcomes, strict=True):
        report.ended(line, outcome, problems=(PROBLEM,))

    summary = report.summary
    counted = summary.accepted + summary.duplicates + summary.conflicts + summary.rejected
    assert counted == len(outcomes)
    assert summary.conflicts == outcomes.count(Outcome.CONFLICT)
    written = [json.loads(line) for line in rejects.getvalue().splitlines()]
    assert [(w["line"], w["outcome"]) for w in written] == [
        (n, o.value) for n, o in enumerate(outcomes, start=1) if o in TO_MEND
    ]
    assert all(w["submission"] == {"n": w["line"]} for w in written)
    assert all(w["problems"][0]["field"] == "decisionDate" for w in written)
    assert [line.read for line in lines] == [int(o in TO_MEND) for o in outcomes]
