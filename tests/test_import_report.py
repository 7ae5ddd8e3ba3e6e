"""The import's report: every line's outcome counted once, the ones to mend written out."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Problem, ProblemCode
from domain.outcomes import Outcome
from server.import_report import TO_MEND, ImportReport

PROBLEM = Problem(ProblemCode.INVALID_FORMAT, "decisionDate", "not a date")


@given(st.lists(st.sampled_from(list(Outcome))))
def test_each_line_is_counted_once_and_only_those_to_mend_are_written(
    outcomes: list[Outcome],
) -> None:
    rejects = io.StringIO()
    report = ImportReport(rejects)

    for number, outcome in enumerate(outcomes, start=1):
        report.ended(number, outcome, problems=(PROBLEM,), original={"n": number})

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
