"""Store tests: a decision's notice is found by the application or objection it is about."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.reports import CreditReport, ReportKind
from store import reports as report_store
from store.database import Database

ISSUED = datetime(2020, 9, 1, 4, tzinfo=UTC)


def stored(serial: str, *, kind: ReportKind, regarding: str | None) -> CreditReport:
    return CreditReport(
        serial=serial,
        subject_id="s-1",
        kind=kind,
        purpose=kind.value,
        regarding=regarding,
        issued_at=ISSUED,
        issued_to="s-1",
        sha256="a" * 64,
        content_sha256="b" * 64,
        size=3,
    )


async def test_find_notice_by_what_it_is_about(db: Database) -> None:
    repair = stored("44030020200901000001", kind=ReportKind.REPAIR_DECISION, regarding="ra-1")
    objection = stored("44030020200901000002", kind=ReportKind.OBJECTION_NOTICE, regarding="ob-1")
    report = stored("44030020200901000003", kind=ReportKind.CREDIT, regarding=None)
    for each in (repair, objection, report):
        await report_store.insert_report(db, report=each, pdf=b"pdf")

    assert await report_store.find_notice(db, regarding="ra-1") == repair
    assert await report_store.find_notice(db, regarding="ob-1") == objection
    assert await report_store.find_notice(db, regarding="ra-2") is None


async def test_report_stored_without_kind_reads_as_a_credit_report(db: Database) -> None:
    report = stored("44030020200901000001", kind=ReportKind.CREDIT, regarding=None)
    await report_store.insert_report(db, report=report, pdf=b"pdf")
    await db["credit_reports"].update_one({"_id": report.serial}, {"$unset": {"kind": ""}})

    found = await report_store.get_report(db, serial=report.serial)

    assert found is not None
    assert found.kind is ReportKind.CREDIT
    assert found.regarding is None


async def test_of_two_notices_of_one_decision_the_first_stored_stands(db: Database) -> None:
    first = stored("44030020200901000001", kind=ReportKind.REPAIR_DECISION, regarding="ra-1")
    second = stored("44030020200901000002", kind=ReportKind.REPAIR_DECISION, regarding="ra-1")

    assert await report_store.insert_report(db, report=first, pdf=b"pdf") == first
    assert await report_store.insert_report(db, report=second, pdf=b"pdf") == first

    assert await report_store.get_report(db, serial=second.serial) is None
    assert await report_store.find_notice(db, regarding="ra-1") == first


async def test_reports_of_no_decision_are_stored_side_by_side(db: Database) -> None:
    reports = [
        stored(f"4403002020090100000{n}", kind=ReportKind.CREDIT, regarding=None) for n in (1, 2)
    ]
    for report in reports:
        assert await report_store.insert_report(db, report=report, pdf=b"pdf") == report

    assert [await report_store.get_report(db, serial=r.serial) for r in reports] == reports
