"""`creditgraph import` and `creditgraph export`, run in-process against the session store."""

from __future__ import annotations

import asyncio
import gc
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from domain.audit import AuditAction
from domain.catalogue import Catalogue, Category
from domain.errors import ProblemCode
from domain.submission import RecordSubmission
from resolvers.submission import BatchOutcome, PlannedBatch, store_planned
from server import record_import
from server.cli import app
from server.import_lines import MalformedLine, ParsedBasicData, ParsedLine, parse_line
from store.audit import find_events
from store.changes import write_new_records
from store.database import RECORDS, SUBJECTS, Database
from store.errors import StoreUnavailable
from store.feed import count_changes, last_sequence
from store.records import get_records_by_source
from store.subjects import insert_new_subjects
from tests import factories
from tests.submissions import (
    CATALOGUE,
    FIRM,
    PENALTY_ITEMS,
    PERSON,
    SHARED_PENALTY_ITEMS,
    as_input,
    commendation,
    funding,
    late_report,
    penalty,
    ref,
)

SAMR_FT = "440300-SAMR-FT"
HEALTH = "440300-HC"
PSB_FT = "440300-PSB-FT"
HANDLER = "赵警官"  # case_handler is RESTRICTED: the credit centre's only
SUMMARY = re.compile(
    r"(\d+) lines: (\d+) accepted, (\d+) duplicates, (\d+) conflicts, (\d+) rejected "
    r"in \d+\.\d s \(rejects and conflicts in (.+)\)"
)


# Each command runs its own event loop and closes its client at the end. PyMongo 4.20's server
# monitor may be opening a socket then; the cancelled connect does not close it (it catches
# OSError only), and the socket is finalised unclosed when the loop ends. Harmless in a command
# that exits; ignored here, narrowly, and collected inside `run` so it is never blamed on
# another test.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
)


async def run(env: dict[str, str], *args: str) -> Result:
    """The command as a user runs it, on a thread of its own: it runs its own event loop."""
    result = await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)
    gc.collect()
    return result


def line(submission: RecordSubmission, unit: str = SAMR_FT) -> str:
    return json.dumps(as_input(submission) | {"unit": unit}, ensure_ascii=False)


def write_file(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")
    return path


def summary(result: Result) -> tuple[int, ...]:
    """Lines, accepted, duplicates, conflicts, rejected from the last line of an import."""
    found = SUMMARY.fullmatch(result.stdout.splitlines()[-1])
    assert found is not None, result.output
    return tuple(int(n) for n in found.groups()[:5])


def rejects_of(path: Path) -> list[dict[str, Any]]:
    entries = [json.loads(text) for text in path.read_text("utf-8").splitlines()]
    return sorted(entries, key=lambda e: e["line"])


def problems(entry: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["code"], p["field"]) for p in entry["problems"]]


def cursor_of(result: Result) -> int:
    last = result.stderr.strip().splitlines()[-1]
    found = re.fullmatch(r"exported \d+ changes; cursor: (\d+)", last)
    assert found is not None, result.stderr
    return int(found[1])


def exported(result: Result) -> list[dict[str, Any]]:
    return [json.loads(row) for row in result.stdout.splitlines()]


async def stored(db: Database) -> tuple[int, int, int, int]:
    """Records, subjects, change-feed entries and audit events."""
    return (
        await db[RECORDS].count_documents({}),
        await db[SUBJECTS].count_documents({}),
        await count_changes(db),
        len(await find_events(db, limit=1000)),
    )


GOOD = (
    line(penalty()),
    line(commendation(source_record_id="2020-C-1"), HEALTH),
    line(late_report(source_record_id="2020-000002")),
)


# Importing


async def test_import_good_file_stores_every_record_and_audits_each_unit_batch(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "records.jsonl", *GOOD)

    result = await run(cli_environment, "import", str(source), "--operator", "ops-wang")

    assert result.exit_code == 0, result.output
    assert summary(result) == (3, 3, 0, 0, 0)
    rejects = tmp_path / "records.jsonl.rejects.jsonl"
    assert str(rejects) in result.stdout
    assert rejects.read_text("utf-8") == ""
    found = await get_records_by_source(
        db, source_unit=SAMR_FT, source_record_ids=["2020-000001", "2020-000002"]
    )
    assert [r.item_code for r in found if r is not None] == ["DISHONEST_2", "ANNUAL_REPORT_LATE"]
    events = await find_events(db, limit=10)
    assert sorted((e.operation, e.action, e.viewer_sub, e.viewer_org) for e in events) == [
        ("import", AuditAction.WRITE, "ops-wang", HEALTH),
        ("import", AuditAction.WRITE, "ops-wang", SAMR_FT),
    ]
    samr = next(e for e in events if e.viewer_org == SAMR_FT)
    assert samr.record_ids == tuple(sorted(r.id for r in found if r is not None))
    assert await stored(db) == (3, 2, 3, 2)


async def test_import_a_grant_from_a_funding_department_stores_a_funding_record(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "funding.jsonl", line(funding(), "440300-STIC"))

    result = await run(cli_environment, "import", str(source))

    assert summary(result) == (1, 1, 0, 0, 0)
    [record] = await get_records_by_source(
        db, source_unit="440300-STIC", source_record_ids=["ZZ-2020-0018"]
    )
    assert record is not None
    assert (record.item_code, record.category) == ("FUNDING_GRANTED", Category.FUNDING)
    assert record.data_items["funding_amount"] == "50000000"  # stored in fen


async def test_import_without_operator_names_cli_in_the_audit_trail(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "one.jsonl", line(penalty()))

    await run(cli_environment, "import", str(source))

    [event] = await find_events(db, limit=10)
    assert (event.viewer_sub, event.viewer_role) == ("cli", "import")


async def test_import_mixed_file_writes_each_bad_line_with_its_reasons(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    missing = as_input(penalty(source_record_id="2020-000003")) | {"unit": SAMR_FT}
    del missing["documentNumber"]
    wrong_type = as_input(penalty(source_record_id="2020-000007")) | {"unit": SAMR_FT}
    wrong_type["epidemicRelated"] = "yes"
    bad_identifier = replace(ref(FIRM), identifier=FIRM.identifier[:-1] + "0")
    unknown_key = PENALTY_ITEMS | {"colour": "red"}
    source = write_file(
        tmp_path / "mixed.jsonl",
        line(penalty()),
        '{"unit": "440300-SAMR-FT", "sourceRecordId": ',
        json.dumps(missing, ensure_ascii=False),
        line(penalty(source_record_id="2020-000004", subject=bad_identifier)),
        line(penalty(source_record_id="2020-000005", items=unknown_key)),
        line(penalty(source_record_id="2020-000006"), "440300-NOWHERE"),
        json.dumps(wrong_type, ensure_ascii=False),
        "",
    )

    result = await run(
        cli_environment, "import", str(source), "--rejects", str(tmp_path / "r.jsonl")
    )

    assert result.exit_code == 0, result.output
    assert summary(result) == (7, 1, 0, 0, 6)
    entries = rejects_of(tmp_path / "r.jsonl")
    assert [(e["line"], e["sourceRecordId"], e["outcome"]) for e in entries] == [
        (2, None, "REJECTED"),
        (3, "2020-000003", "REJECTED"),
        (4, "2020-000004", "REJECTED"),
        (5, "2020-000005", "REJECTED"),
        (6, "2020-000006", "REJECTED"),
        (7, "2020-000007", "REJECTED"),
    ]
    assert [problems(e) for e in entries] == [
        [("INVALID_FORMAT", "line")],
        [("REQUIRED_MISSING", "documentNumber")],
        [("INVALID_IDENTIFIER", "subject.identifier")],
        [("NOT_IN_CATALOGUE", "dataItems.colour")],
        [("UNIT_NOT_AUTHORIZED", "unit")],
        [("INVALID_FORMAT", "epidemicRelated")],
    ]
    messages = [e["problems"][0]["message"] for e in entries]
    assert messages[0].startswith("line 2 is not JSON: ")
    assert messages[1] == "line 3: documentNumber is required"
    assert messages[4].startswith("line 6: unit 440300-NOWHERE is not a registered source unit")
    assert messages[5] == "line 7: epidemicRelated: Input should be a valid boolean"
    assert entries[0]["submission"] == '{"unit": "440300-SAMR-FT", "sourceRecordId": '
    assert entries[1]["submission"] == missing
    assert await stored(db) == (1, 1, 1, 1)


async def test_import_same_file_again_changes_nothing(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "records.jsonl", *GOOD)
    await run(cli_environment, "import", str(source))
    before = await stored(db)

    again = await run(cli_environment, "import", str(source))

    assert again.exit_code == 0, again.output
    assert summary(again) == (3, 0, 3, 0, 0)
    # Only the audit trail grows: every batch is audited, one that wrote nothing too.
    records, subjects, changes, events = before
    assert await stored(db) == (records, subjects, changes, events + 2)


async def test_import_correction_line_supersedes_the_stored_record(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    await run(cli_environment, "import", str(write_file(tmp_path / "first.jsonl", line(penalty()))))
    fixed = PENALTY_ITEMS | {"fine_amount": "300000"}
    source = write_file(tmp_path / "fix.jsonl", line(penalty(items=fixed, correction=True)))

    result = await run(cli_environment, "import", str(source))

    assert summary(result) == (1, 1, 0, 0, 0)
    [record] = await get_records_by_source(
        db, source_unit=SAMR_FT, source_record_ids=["2020-000001"]
    )
    assert record is not None
    assert (record.version, record.data_items["fine_amount"]) == (2, "300000")
    assert [h.kind.value for h in record.history] == ["CREATED", "CORRECTED"]


async def test_import_changed_line_without_correction_is_a_conflict_in_the_rejects(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    await run(cli_environment, "import", str(write_file(tmp_path / "first.jsonl", line(penalty()))))
    changed = line(penalty(items=PENALTY_ITEMS | {"fine_amount": "300000"}))

    result = await run(cli_environment, "import", str(write_file(tmp_path / "b.jsonl", changed)))

    assert summary(result) == (1, 0, 0, 1, 0)
    [entry] = rejects_of(tmp_path / "b.jsonl.rejects.jsonl")
    assert (entry["line"], entry["outcome"]) == (1, "CONFLICT")
    assert problems(entry) == [("CONFLICT", "sourceRecordId")]
    assert "dataItems.fine_amount" in entry["problems"][0]["message"]


async def test_import_record_and_its_correction_in_one_file_are_judged_in_file_order(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    fixed = PENALTY_ITEMS | {"fine_amount": "300000"}
    source = write_file(
        tmp_path / "both.jsonl", line(penalty()), line(penalty(items=fixed, correction=True))
    )

    result = await run(cli_environment, "import", str(source))

    assert summary(result) == (2, 2, 0, 0, 0)
    [record] = await get_records_by_source(
        db, source_unit=SAMR_FT, source_record_ids=["2020-000001"]
    )
    assert record is not None
    assert (record.version, record.data_items["fine_amount"]) == (2, "300000")


async def test_import_splits_a_unit_into_batches_of_at_most_1000(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    lines = [line(penalty(source_record_id=f"2020-B-{n:04d}")) for n in range(1001)]
    source = write_file(tmp_path / "many.jsonl", *lines)

    result = await run(cli_environment, "import", str(source))

    assert summary(result) == (1001, 1001, 0, 0, 0)
    events = await find_events(db, limit=10)
    assert sorted(len(e.record_ids) for e in events) == [1, 1000]


async def test_import_of_many_units_judges_the_unit_with_most_waiting_past_the_bound(
    cli_environment: dict[str, str],
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At most `PENDING_LINES` lines wait at once, however many units a file names; each
    unit's lines are still judged in file order (a correction after its record)."""
    monkeypatch.setattr(record_import, "PENDING_LINES", 4)
    lines = [
        text
        for n in range(6)
        for text in (
            line(penalty(source_record_id=f"2020-P-{n}")),
            line(commendation(source_record_id=f"2020-C-{n}"), HEALTH),
        )
    ]
    fixed = PENALTY_ITEMS | {"fine_amount": "300000"}
    lines.append(line(penalty(source_record_id="2020-P-0", items=fixed, correction=True)))
    source = write_file(tmp_path / "units.jsonl", *lines)

    result = await run(cli_environment, "import", str(source))

    assert summary(result) == (13, 13, 0, 0, 0)
    batches = [len(e.record_ids) for e in await find_events(db, limit=100)]
    assert len(batches) > 2
    assert max(batches) <= 4
    [corrected] = await get_records_by_source(
        db, source_unit=SAMR_FT, source_record_ids=["2020-P-0"]
    )
    assert corrected is not None
    assert (corrected.version, corrected.data_items["fine_amount"]) == (2, "300000")
    assert await db[RECORDS].count_documents({}) == 12


async def test_import_unreadable_file_exits_non_zero_with_one_line(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    result = await run(cli_environment, "import", str(tmp_path / "missing.jsonl"))

    assert result.exit_code == 1
    assert result.stderr == (
        f"creditgraph: cannot read {tmp_path / 'missing.jsonl'}: No such file or directory\n"
    )
    assert not (tmp_path / "missing.jsonl.rejects.jsonl").exists()


async def test_import_directory_exits_non_zero_with_one_line(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    result = await run(cli_environment, "import", str(tmp_path))

    assert result.exit_code == 1
    assert result.stderr == f"creditgraph: cannot read {tmp_path}: Is a directory\n"


async def test_import_rejects_file_naming_the_input_is_refused(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    source = write_file(tmp_path / "records.jsonl", *GOOD)

    result = await run(cli_environment, "import", str(source), "--rejects", str(source))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "would overwrite" in result.stderr
    assert source.read_text("utf-8").count("\n") == 3


async def test_import_with_store_unavailable_exits_non_zero_with_one_line(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    source = write_file(tmp_path / "records.jsonl", *GOOD)
    unreachable = cli_environment | {
        "CREDITGRAPH_MONGODB_URI": "mongodb://u:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=300",
        "CREDITGRAPH_STORE_TIMEOUT_MS": "300",
    }

    result = await run(unreachable, "import", str(source))

    assert result.exit_code == 1
    [message] = result.stderr.splitlines()
    assert message == "creditgraph: MongoDB at 127.0.0.1:9 did not answer within 300 ms"


async def test_import_whose_batch_write_fails_ends_with_one_line_and_writes_no_later_batch(
    cli_environment: dict[str, str],
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pipeline raises a failed write of the batch in flight, not later than the next
    batch's hand-over: the command ends with one line, and no batch after it is written."""
    monkeypatch.setattr(record_import, "MAX_BATCH", 5)
    stored_batches: list[int] = []

    async def failing_second(db: Database, planned: PlannedBatch) -> BatchOutcome:
        if stored_batches:
            raise StoreUnavailable("the store went away")
        stored_batches.append(len(planned.plan.new_records))
        return await store_planned(db, planned)

    monkeypatch.setattr(record_import, "store_planned", failing_second)
    lines = [line(penalty(source_record_id=f"2020-F-{n:04d}")) for n in range(17)]
    source = write_file(tmp_path / "records.jsonl", *lines)

    result = await run(cli_environment, "import", str(source))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["creditgraph: the store went away"]
    assert stored_batches == [5]
    assert await db[RECORDS].count_documents({}) == 5


# Exporting


async def test_export_after_import_lists_created_changes_in_order_and_resumes_from_cursor(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    await run(cli_environment, "import", str(write_file(tmp_path / "a.jsonl", *GOOD)))

    first = await run(cli_environment, "export", "--since", "0")

    assert first.exit_code == 0, first.output
    rows = exported(first)
    assert [(r["kind"], r["record"]["sourceUnit"]) for r in rows] == [
        ("CREATED", SAMR_FT),
        ("CREATED", SAMR_FT),
        ("CREATED", HEALTH),
    ]
    sequences = [r["sequence"] for r in rows]
    assert sequences == sorted(sequences)
    assert cursor_of(first) == sequences[-1] == await last_sequence(db)
    fixed = PENALTY_ITEMS | {"fine_amount": "300000"}
    fix = write_file(tmp_path / "fix.jsonl", line(penalty(items=fixed, correction=True)))
    await run(cli_environment, "import", str(fix))

    resumed = await run(cli_environment, "export", "--since", str(cursor_of(first)))

    [row] = exported(resumed)
    assert (row["kind"], row["record"]["id"]) == ("CORRECTED", rows[0]["record"]["id"])
    assert row["sequence"] > sequences[-1]
    assert cursor_of(resumed) == row["sequence"]


async def test_export_nothing_new_keeps_the_cursor(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    await run(cli_environment, "import", str(write_file(tmp_path / "a.jsonl", *GOOD)))
    first = await run(cli_environment, "export", "--since", "0")

    again = await run(cli_environment, "export", "--since", str(cursor_of(first)))

    assert again.exit_code == 0
    assert again.stdout == ""
    assert cursor_of(again) == cursor_of(first)


async def test_export_limit_and_out_write_the_first_changes_to_the_file(
    cli_environment: dict[str, str], tmp_path: Path
) -> None:
    await run(cli_environment, "import", str(write_file(tmp_path / "a.jsonl", *GOOD)))
    out = tmp_path / "changes.jsonl"

    result = await run(cli_environment, "export", "--since", "0", "--limit", "2", "--out", str(out))

    assert result.exit_code == 0, result.output
    rows = [json.loads(text) for text in out.read_text("utf-8").splitlines()]
    assert len(rows) == 2
    assert result.stdout == ""
    assert cursor_of(result) == rows[-1]["sequence"]


async def test_export_reads_the_feed_in_pages(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    people = [factories.person() for _ in range(501)]
    await insert_new_subjects(db, subjects=people)
    records = [
        factories.record(CATALOGUE, person, item_code="GOOD_1", decided=date(2020, 3, 1))
        for person in people
    ]
    await write_new_records(db, records=records)

    result = await run(cli_environment, "export", "--since", "0")

    rows = exported(result)
    assert len(rows) == 501
    assert len({r["sequence"] for r in rows}) == 501
    # One audit event per page of 500: every page is audited before the cursor moves on.
    events = await find_events(db, limit=10)
    assert sorted(len(e.subject_ids) for e in events) == [1, 500]


async def test_export_never_carries_restricted_values_and_is_audited(
    cli_environment: dict[str, str], db: Database, tmp_path: Path
) -> None:
    items = SHARED_PENALTY_ITEMS | {
        "case_handler": HANDLER,
        "deciding_authority": "深圳市公安局福田分局",
    }
    source = write_file(
        tmp_path / "a.jsonl",
        line(penalty(item_code="DISHONEST_1", items=items), PSB_FT),
        line(commendation(source_record_id="2020-C-1"), HEALTH),
    )
    await run(cli_environment, "import", str(source))

    result = await run(cli_environment, "export", "--since", "0", "--operator", "ops-li")

    assert HANDLER not in result.stdout
    [row, about_person] = exported(result)
    shown = {i["key"]: i for i in row["record"]["dataItems"]}
    assert shown["case_handler"] == {
        "key": "case_handler",
        "label": "案件承办人",
        "labelEn": "Case handler",
        "value": None,
        "masked": True,
        "attribute": "RESTRICTED",
    }
    # Imported in fen, exported in 元 (domain.data_items.shown_value).
    assert shown["fine_amount"]["value"] == "5,000.00 元"
    assert row["record"]["subject"]["identifier"] == FIRM.identifier
    # A person's identity number is GOVERNMENT data: shown raw to this level, and audited.
    person = about_person["record"]["subject"]
    assert (person["name"], person["identifier"]) == (PERSON.name, PERSON.identifier)
    [read] = [e for e in await find_events(db, limit=10) if e.action is AuditAction.READ]
    assert (read.operation, read.viewer_sub, read.viewer_role) == ("export", "ops-li", "export")
    assert read.subject_ids == (person["id"],)
    assert {"name", "identifier"} <= set(read.data_item_keys)


async def test_export_negative_cursor_is_refused(cli_environment: dict[str, str]) -> None:
    result = await run(cli_environment, "export", "--since", "-1")

    assert result.exit_code == 2
    assert "Traceback" not in result.output


# The feed's last sequence number (store)


async def test_last_sequence_empty_feed_is_zero_then_the_highest_logged(db: Database) -> None:
    assert await last_sequence(db) == 0

    records = [
        factories.record(CATALOGUE, factories.firm(), item_code="GOOD_1", decided=date(2020, 3, 1))
        for _ in range(3)
    ]
    await write_new_records(db, records=records)

    assert await last_sequence(db) == 3


# One line's shape (pure)


def test_parse_line_camel_case_submission_becomes_the_domain_submission() -> None:
    parsed = parse_line(1, line(penalty()))

    assert isinstance(parsed, ParsedLine)
    assert (parsed.unit, parsed.submission) == (SAMR_FT, penalty())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]", [(ProblemCode.INVALID_FORMAT, "line")]),
        ('"a string"', [(ProblemCode.INVALID_FORMAT, "line")]),
        ("", [(ProblemCode.INVALID_FORMAT, "line")]),
    ],
)
def test_parse_line_not_an_object_is_a_problem_of_the_whole_line(
    text: str, expected: list[tuple[ProblemCode, str]]
) -> None:
    parsed = parse_line(9, text)

    assert isinstance(parsed, MalformedLine)
    assert [(p.code, p.field) for p in parsed.problems] == expected
    assert parsed.source_record_id is None


def test_parse_line_every_field_problem_is_named_at_once() -> None:
    given = as_input(penalty()) | {"unit": 7, "colour": "red", "item": None}
    given["subject"] = {"kind": "ROBOT", "identifier": FIRM.identifier}
    given["dataItems"] = [{"key": "offence", "value": 5}]
    given["severity"] = "MILD"

    parsed = parse_line(4, json.dumps(given))

    assert isinstance(parsed, MalformedLine)
    assert [(p.code, p.field) for p in parsed.problems] == [
        (ProblemCode.INVALID_FORMAT, "unit"),
        (ProblemCode.NOT_IN_ENUM, "subject.kind"),
        (ProblemCode.REQUIRED_MISSING, "subject.name"),
        (ProblemCode.REQUIRED_MISSING, "item"),
        (ProblemCode.NOT_IN_ENUM, "severity"),
        (ProblemCode.INVALID_FORMAT, "dataItems[0].value"),
        (ProblemCode.INVALID_FORMAT, "colour"),
    ]
    assert parsed.problems[-1].message == "line 4: colour is not a field of a submission"
    assert parsed.source_record_id == "2020-000001"


async def test_export_withholds_records_the_person_refused_but_keeps_the_change(
    cli_environment: dict[str, str], db: Database, catalogue: Catalogue
) -> None:
    person = factories.person()
    refused = factories.record(
        catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 1)
    ).model_copy(update={"opted_out": True})
    await insert_new_subjects(db, subjects=[person])
    await write_new_records(db, records=[refused])

    lines = exported(await run(cli_environment, "export", "--since", "0"))

    assert [(entry["kind"], entry["record"]) for entry in lines] == [("CREATED", None)]


def basic_line(name: str, unit: str = "440300-SAMR", **items: str) -> str:
    given = {"name": name, "identifier": FIRM.identifier} | items
    data = [{"key": k, "value": v} for k, v in given.items()]
    return json.dumps(
        {"unit": unit, "basicData": {"kind": "LEGAL_PERSON", "dataItems": data}}, ensure_ascii=False
    )


async def test_import_basic_data_lines_rename_a_firm_between_its_records_in_file_order(
    db: Database, cli_environment: dict[str, str], tmp_path: Path
) -> None:
    renamed = "深圳市华鹏智能科技有限公司"
    source = write_file(
        tmp_path / "mixed.jsonl",
        line(penalty()),  # registers the firm under its first name
        basic_line(renamed),  # 440300-SAMR registers market entities
        line(penalty(source_record_id="2", subject=replace(ref(FIRM), name=renamed))),
        basic_line(renamed, unit=SAMR_FT),  # a penalty unit is no registration authority
        basic_line(renamed, registered_capital="一百万"),
    )
    rejects = tmp_path / "rejects.jsonl"

    first = await run(cli_environment, "import", str(source), "--rejects", str(rejects))
    again = await run(cli_environment, "import", str(source), "--rejects", str(tmp_path / "r2"))

    assert summary(first) == (5, 3, 0, 0, 2)
    assert [problems(e) for e in rejects_of(rejects)] == [
        [("UNIT_NOT_AUTHORIZED", "unit")],
        [("INVALID_FORMAT", "dataItems.registered_capital")],
    ]
    assert summary(again) == (5, 0, 3, 0, 2)
    [firm] = await db[SUBJECTS].find({"identifier": FIRM.identifier}).to_list(None)
    assert (firm["name"], firm["former_names"], firm["version"]) == (renamed, [FIRM.name], 2)
    assert await db[RECORDS].count_documents({"subject_id": firm["_id"]}) == 2


def test_parse_line_tells_basic_data_from_a_submission_that_mentions_it() -> None:
    mentions = penalty(items=PENALTY_ITEMS | {"offence": '"basicData"'})

    basic = parse_line(1, basic_line("甲公司"))
    submission = parse_line(2, line(mentions))

    assert isinstance(basic, ParsedBasicData)
    assert (basic.unit, basic.kind.value, basic.data_items[0]) == (
        "440300-SAMR",
        "LEGAL_PERSON",
        ("name", "甲公司"),
    )
    assert isinstance(submission, ParsedLine)
