"""Issued credit reports: their serials, metadata and signed PDFs.

The PDF is kept in the report's own document as BSON binary: a report is small (the domain
refuses more than 8 MB, well under the 16 MB document limit) and is read whole or not at all.
"""

from __future__ import annotations

from datetime import date

from domain.reports import CreditReport, report_serial
from store.counters import allocate
from store.database import CREDIT_REPORTS, Database, Document
from store.documents import from_document, to_document

_METADATA = {"pdf": 0}


def _report(document: Document) -> CreditReport:
    return CreditReport.model_validate(from_document(document, key="serial"))


async def next_serial(db: Database, *, region_code: str, day: date) -> str:
    """The next serial of the day: each region and day counts from 000001."""
    sequence = await allocate(db, name=f"{CREDIT_REPORTS}:{region_code}:{day:%Y%m%d}")
    return report_serial(region_code, day, sequence)


async def insert_report(db: Database, *, report: CreditReport, pdf: bytes) -> None:
    if len(pdf) != report.size:
        raise ValueError(f"report {report.serial} is {len(pdf)} bytes, not {report.size}")
    await db[CREDIT_REPORTS].insert_one(to_document(report, key="serial") | {"pdf": pdf})


async def get_report(db: Database, *, serial: str) -> CreditReport | None:
    """The report's metadata, without reading its PDF."""
    document = await db[CREDIT_REPORTS].find_one({"_id": serial}, _METADATA)
    return None if document is None else _report(document)


async def find_notice(db: Database, *, regarding: str) -> CreditReport | None:
    """The notice issued on the decision of the repair application or objection `regarding`."""
    document = await db[CREDIT_REPORTS].find_one({"regarding": regarding}, _METADATA)
    return None if document is None else _report(document)


async def get_report_pdf(db: Database, *, serial: str) -> tuple[CreditReport, bytes] | None:
    document = await db[CREDIT_REPORTS].find_one({"_id": serial})
    if document is None:
        return None
    pdf = bytes(document.pop("pdf"))
    return _report(document), pdf
