"""Issued credit reports: their serials, metadata and signed PDFs.

The PDF is kept in the report's own document as BSON binary: a report is small (the domain
refuses more than 8 MB, well under the 16 MB document limit) and is read whole or not at all.
"""

from __future__ import annotations

from datetime import date

from pymongo.errors import DuplicateKeyError

from domain.reports import CreditReport, report_serial
from store.counters import allocate
from store.database import CREDIT_REPORTS, Database, Document
from store.documents import from_document, to_document

_METADATA = {"pdf": 0}


# On a notice only: the decision it is the notice of, under a unique index, so that two
# writers racing to issue it leave one (`insert_report`).
NOTICE_OF = "notice_of"


def _report(document: Document) -> CreditReport:
    data = from_document(document, key="serial")
    data.pop(NOTICE_OF, None)
    return CreditReport.model_validate(data)


async def next_serial(db: Database, *, region_code: str, day: date) -> str:
    """The next serial of the day: each region and day counts from 000001."""
    sequence = await allocate(db, name=f"{CREDIT_REPORTS}:{region_code}:{day:%Y%m%d}")
    return report_serial(region_code, day, sequence)


async def insert_report(db: Database, *, report: CreditReport, pdf: bytes) -> CreditReport:
    """Store an issued report; the report that stands.

    That is `report`, except for the notice of a decision (`regarding`) when one is stored
    already: the first stored stands, so a decision sent twice at once leaves one notice, and
    the later one's serial is left unused, as serials may be (store.counters).
    """
    if len(pdf) != report.size:
        raise ValueError(f"report {report.serial} is {len(pdf)} bytes, not {report.size}")
    document = to_document(report, key="serial") | {"pdf": pdf}
    if report.regarding is not None:
        document[NOTICE_OF] = report.regarding
    try:
        await db[CREDIT_REPORTS].insert_one(document)
    except DuplicateKeyError:
        stored = (
            None if report.regarding is None else await find_notice(db, regarding=report.regarding)
        )
        if stored is None:
            raise  # not a decision's notice standing first: a serial issued twice
        return stored
    return report


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
