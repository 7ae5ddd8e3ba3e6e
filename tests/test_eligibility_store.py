"""Store tests: the whole-file read eligibility judges on (one `$in` find for a batch)."""

from __future__ import annotations

from datetime import date

from domain.catalogue import Catalogue
from domain.records import RecordStatus
from store.database import Database
from store.records import RecordFilter, files_of_subjects
from tests import factories
from tests.seed import seed_records


async def test_files_are_per_subject_newest_first_in_key_order(
    db: Database, catalogue: Catalogue
) -> None:
    a, b = factories.firm(), factories.firm()
    old = factories.record(catalogue, a, item_code="GOOD_7", decided=date(2020, 3, 1))
    new = factories.record(catalogue, a, item_code="GOOD_5", decided=date(2020, 5, 1))
    revoked = factories.record(
        catalogue, a, item_code="GOOD_4", decided=date(2020, 6, 1), status=RecordStatus.REVOKED
    )
    theirs = factories.record(catalogue, b, item_code="GOOD_7", decided=date(2020, 4, 1))
    await seed_records(db, [old, new, revoked, theirs])

    files = await files_of_subjects(
        db,
        subject_ids=[b.id, "s-none", a.id],
        spec=RecordFilter(status=RecordStatus.ACTIVE),
        limit_each=10,
    )

    assert [[r.id for r in f] for f in files] == [[theirs.id], [], [new.id, old.id]]


async def test_files_read_nothing_for_no_subjects(db: Database) -> None:
    assert await files_of_subjects(db, subject_ids=[], spec=RecordFilter(), limit_each=10) == []
