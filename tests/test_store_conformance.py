"""Store conformance: every query shape the store uses, pinned to MongoDB's documented results.

DESIGN.md §2.1: this module runs on nx-27017 (the session server in conftest) and on a real
MongoDB when CREDITGRAPH_TEST_MONGODB_URI is set, so every assertion states what the MongoDB
manual documents, never what nx-27017 happens to do. Where the two differ in something the
store does not rely on (index names, index directions as listed), the assertion is limited to
what both must agree on and a comment names the difference.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymongo import AsyncMongoClient, IndexModel
from pymongo.errors import DuplicateKeyError

from domain.audit import AuditAction, AuditEvent
from domain.catalogue import Catalogue, CatalogueItem, Category
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.records import (
    ChangeKind,
    Record,
    RecordChange,
    RecordStatus,
    first_version,
    publicly_visible,
)
from domain.subjects import Subject
from store import audit as audit_store
from store import blacklist as blacklist_store
from store import records as record_store
from store.blacklist import EntryFilter
from store.catalogue import (
    insert_shipped_catalogue,
    list_catalogues,
    publish_catalogue,
    read_default_catalogue,
)
from store.changes import write_new_records
from store.database import (
    AUDIT_EVENTS,
    BLACKLIST_ENTRIES,
    CATALOGUE_VERSIONS,
    INDEXES,
    RECORD_CHANGES,
    RECORDS,
    RETIRED_INDEXES,
    SUBJECTS,
    Database,
    Document,
    connect,
    describe_host,
    ensure_indexes,
    ping,
)
from store.documents import day_number, fill_derived, from_document, one_of, to_document
from store.errors import StoreUnavailable
from store.records import (
    RecordFilter,
    add_day_numbers,
    count_records,
    count_records_of_subjects,
    find_records,
    find_records_of_subjects,
    get_records,
    order_key,
    record_document,
)
from store.subjects import (
    count_subjects,
    find_subjects,
    get_subject_by_identifier,
    get_subjects,
    insert_new_subjects,
)
from tests import factories
from tests.conftest import CommandLog
from tests.seed import seed_records

DUPLICATE_KEY = 11000  # MongoDB's documented code for a unique index violation
UNREACHABLE = "mongodb://user:secret@127.0.0.1:9/"  # port 9 (discard) is closed on loopback
CHINA = timezone(timedelta(hours=8))
EVERYTHING = 1000  # a limit above any test's data
DEFAULT_CATALOGUE = read_default_catalogue()


# --- helpers ---------------------------------------------------------------------------------


async def stored(db: Database, collection: str) -> dict[str, Document]:
    """Every raw document of a collection, by `_id`."""
    documents = await db[collection].find({}, limit=EVERYTHING).to_list(None)
    return {doc["_id"]: doc for doc in documents}


def none_paths(value: Any, path: str = "") -> list[str]:
    """The paths of every None inside a document (there must be none)."""
    if value is None:
        return [path or "<root>"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in none_paths(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in none_paths(v, f"{path}[{i}]")]
    return []


def ids(models: Sequence[Subject | Record]) -> list[str]:
    return [m.id for m in models]


def is_utc(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() == timedelta(0)


async def drop_leaked_monitor_sockets() -> None:
    """Collect the sockets PyMongo leaks when a closed client's monitor was mid-connect.

    PyMongo 4.20's `_async_create_connection` closes its socket on OSError and timeout but not
    on cancellation, and `close()` cancels the monitor (PYTHON-5867, mongodb/mongo-python-driver
    PR 2858). Against a closed port that races, so the socket's ResourceWarning would surface
    in a later test. Not the store's doing: `connect` closes its client.
    """
    await asyncio.sleep(0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def list_order(records: Sequence[Record]) -> list[Record]:
    """List order as specified: newest decision first, ties by id descending."""
    return sorted(records, key=lambda r: (r.decision_date, r.id), reverse=True)


# The record set most record tests stand on: three subjects, three categories, four statuses,
# three records decided on the same day. List order (newest first, ties by id descending):
#   r-b2 2021-02-01, r-a4 2021-01-15, r-b1 2020-06-30,
#   r-p2 2020-05-10, r-a3 2020-05-10, r-a2 2020-05-10, r-a1 2020-03-01, r-p1 2020-01-10
FIRM_A = factories.firm(1, name="深圳市甲科技有限公司")
FIRM_B = factories.firm(2, name="深圳市乙贸易有限公司")
PERSON_P = factories.person(3, name="张三")
ALL_IN_ORDER = ["r-b2", "r-a4", "r-b1", "r-p2", "r-a3", "r-a2", "r-a1", "r-p1"]


def seeded_records(catalogue: Catalogue) -> list[Record]:
    def make(
        subject: Subject,
        record_id: str,
        item_code: str,
        decided: date,
        status: RecordStatus = RecordStatus.ACTIVE,
        severity: Severity = Severity.GENERAL,
    ) -> Record:
        return factories.record(
            catalogue,
            subject,
            item_code=item_code,
            decided=decided,
            status=status,
            severity=severity,
            record_id=record_id,
        )

    return [
        make(FIRM_A, "r-a1", "DISHONEST_1", date(2020, 3, 1), severity=Severity.SERIOUS),
        make(FIRM_A, "r-a2", "DISHONEST_2", date(2020, 5, 10), RecordStatus.REPAIRED),
        make(FIRM_A, "r-a3", "GOOD_1", date(2020, 5, 10)),
        make(FIRM_A, "r-a4", "COMMITMENT", date(2021, 1, 15)),
        make(FIRM_B, "r-b1", "DISHONEST_1", date(2020, 6, 30), RecordStatus.REVOKED),
        make(FIRM_B, "r-b2", "GOOD_1", date(2021, 2, 1), RecordStatus.EXCUSED),
        make(PERSON_P, "r-p1", "DISHONEST_2", date(2020, 1, 10)),
        make(PERSON_P, "r-p2", "DISHONEST_1", date(2020, 5, 10)),
    ]


async def seed(db: Database, catalogue: Catalogue) -> list[Record]:
    records = seeded_records(catalogue)
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B, PERSON_P])
    stored_records = await seed_records(db, records)
    assert sorted(await stored(db, RECORDS)) == sorted(ids(records))
    return stored_records


def named_firms(names: Sequence[str]) -> list[Subject]:
    return [factories.firm(100 + i, name=name) for i, name in enumerate(names)]


# --- documents -------------------------------------------------------------------------------


def test_to_document_enums_and_dates_become_plain_strings_datetimes_stay(
    catalogue: Catalogue,
) -> None:
    record = factories.record(
        catalogue,
        FIRM_A,
        item_code="DISHONEST_2",
        decided=date(2020, 5, 10),
        record_id="r-x",
    )

    document = to_document(record)

    assert type(document["status"]) is str
    assert document["status"] == "ACTIVE"
    assert type(document["category"]) is str
    assert type(document["subject_kind"]) is str
    assert type(document["severity"]) is str
    assert document["decision_date"] == "2020-05-10"
    assert document["disclosure"]["start"] == "2020-05-10"
    assert type(document["created_at"]) is datetime
    assert document["_id"] == "r-x"
    assert "id" not in document


def test_to_document_then_from_document_gives_the_model_back() -> None:
    subject = FIRM_A

    assert Subject.model_validate(from_document(to_document(subject))) == subject


async def test_subject_document_stored_has_string_id_iso_types_and_utc_datetime(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A])

    document = (await stored(db, SUBJECTS))[FIRM_A.id]

    assert document == {
        "_id": "s-firm-1",
        "kind": "LEGAL_PERSON",
        "identifier": FIRM_A.identifier,
        "name": "深圳市甲科技有限公司",
        "name_key": "深圳市甲科技有限公司",
        "basic": dict(FIRM_A.basic),
        "former_names": [],
        "opted_out": False,
        "created_at": datetime(2021, 7, 1, tzinfo=UTC),
        # Basic data is versioned (issue 12.1): the version a correction is conditional on.
        "version": 1,
        "history": [],
    }
    assert is_utc(document["created_at"])


async def test_subject_datetime_with_offset_stored_comes_back_utc_same_instant(
    db: Database,
) -> None:
    noon_in_shenzhen = datetime(2021, 7, 1, 12, 0, tzinfo=CHINA)
    subject = FIRM_A.model_copy(update={"created_at": noon_in_shenzhen})
    await insert_new_subjects(db, subjects=[subject])

    value = (await stored(db, SUBJECTS))[subject.id]["created_at"]

    assert isinstance(value, datetime)
    assert is_utc(value)
    assert value == datetime(2021, 7, 1, 4, 0, tzinfo=UTC)


async def test_record_document_stored_has_iso_dates_order_key_and_no_none(
    db: Database, catalogue: Catalogue
) -> None:
    # A period without a minimum (notice 三(十一)) has no earliest_repair_date to store.
    record = factories.record(
        catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 5, 10), record_id="r-x"
    )
    no_minimum = record.disclosure.model_copy(update={"earliest_repair_date": None})
    record = record.model_copy(update={"disclosure": no_minimum})
    await seed_records(db, [record])

    document = (await stored(db, RECORDS))["r-x"]

    assert "id" not in document
    assert document["decision_date"] == "2020-05-10"
    assert document["disclosure"] == {
        "start": "2020-05-10",
        "end": "2023-05-10",
        "rule": record.disclosure.rule,
        "basis": record.disclosure.basis,
    }
    assert document["order_key"] == "20200510|r-x"
    assert document["status"] == "ACTIVE"
    assert document["category"] == "DISHONEST"
    assert document["subject_kind"] == "LEGAL_PERSON"
    assert document["severity"] == "GENERAL"
    assert document["version"] == 1
    assert document["history"] == [
        {
            "version": 1,
            "kind": "CREATED",
            "at": record.created_at,
            "by": "440300-TEST",
            "reason": "",
        }
    ]
    assert is_utc(document["created_at"])
    assert none_paths(document) == []


async def test_record_document_without_severity_omits_the_key(
    db: Database, catalogue: Catalogue
) -> None:
    record = factories.record(
        catalogue, FIRM_A, item_code="GOOD_1", decided=date(2020, 5, 10), record_id="r-good"
    )
    assert record.severity is None
    await seed_records(db, [record])

    document = (await stored(db, RECORDS))["r-good"]

    assert "severity" not in document
    assert "earliest_repair_date" not in document["disclosure"]
    assert none_paths(document) == []


async def test_record_history_datetimes_stored_as_utc_datetimes(
    db: Database, catalogue: Catalogue
) -> None:
    change = RecordChange(
        version=2,
        kind=ChangeKind.REPAIRED,
        at=datetime(2020, 9, 1, 9, 30, tzinfo=CHINA),
        by="officer-1",
        reason="信用修复",
    )
    record = factories.record(
        catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 5, 10), record_id="r-h"
    ).model_copy(update={"history": (change,), "version": 2, "status": RecordStatus.REPAIRED})
    [written] = await seed_records(db, [record])

    document = (await stored(db, RECORDS))["r-h"]

    assert document["status"] == "REPAIRED"
    assert document["version"] == 2
    assert document["history"] == [
        {
            "version": 1,
            "kind": "CREATED",
            "at": record.created_at,
            "by": "440300-TEST",
            "reason": "",
        },
        {
            "version": 2,
            "kind": "REPAIRED",
            "at": datetime(2020, 9, 1, 1, 30, tzinfo=UTC),
            "by": "officer-1",
            "reason": "信用修复",
        },
    ]
    assert all(is_utc(change["at"]) for change in document["history"])
    assert await get_records(db, ids=["r-h"]) == [written]


async def test_get_subjects_round_trip_returns_equal_models(db: Database) -> None:
    subjects = [
        FIRM_A,
        PERSON_P.model_copy(update={"opted_out": True}),
        FIRM_B.model_copy(update={"created_at": datetime(2022, 1, 2, 3, 4, 5, tzinfo=CHINA)}),
    ]
    await insert_new_subjects(db, subjects=subjects)

    assert await get_subjects(db, ids=ids(subjects)) == subjects


async def test_get_subjects_ids_in_any_order_returns_that_order_with_none_for_missing(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B, PERSON_P])

    found = await get_subjects(db, ids=[PERSON_P.id, "s-missing", FIRM_A.id, FIRM_B.id])

    assert found == [PERSON_P, None, FIRM_A, FIRM_B]


async def test_get_subjects_empty_ids_returns_empty_without_a_command(
    db: Database, commands: CommandLog
) -> None:
    commands.start()
    found = await get_subjects(db, ids=[])

    assert commands.stop() == []
    assert found == []


async def test_get_subject_by_identifier_known_and_unknown_returns_subject_or_none(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B])

    assert await get_subject_by_identifier(db, identifier=FIRM_B.identifier) == FIRM_B
    assert await get_subject_by_identifier(db, identifier=PERSON_P.identifier) is None


async def test_get_records_round_trip_returns_equal_models(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)

    assert await get_records(db, ids=ids(records)) == records


async def test_get_records_ids_in_any_order_returns_that_order_with_none_for_missing(
    db: Database, catalogue: Catalogue
) -> None:
    by_id = {r.id: r for r in await seed(db, catalogue)}

    found = await get_records(db, ids=["r-p1", "r-none", "r-a1"])

    assert found == [by_id["r-p1"], None, by_id["r-a1"]]
    assert await get_records(db, ids=[]) == []


# --- inserting only what is new --------------------------------------------------------------


async def test_insert_new_subjects_fresh_ids_returns_number_inserted(db: Database) -> None:
    assert await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B, PERSON_P]) == 3
    assert sorted(await stored(db, SUBJECTS)) == sorted([FIRM_A.id, FIRM_B.id, PERSON_P.id])


async def test_insert_new_subjects_empty_returns_zero(db: Database) -> None:
    assert await insert_new_subjects(db, subjects=[]) == 0
    assert await stored(db, SUBJECTS) == {}


async def test_insert_new_subjects_same_ids_again_returns_zero_and_changes_nothing(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B])
    before = await stored(db, SUBJECTS)
    renamed = [s.model_copy(update={"name": "改名有限公司"}) for s in (FIRM_A, FIRM_B)]

    assert await insert_new_subjects(db, subjects=renamed) == 0
    assert await stored(db, SUBJECTS) == before


async def test_insert_new_subjects_mix_of_new_and_existing_inserts_only_new(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A])
    before = await stored(db, SUBJECTS)
    renamed_a = FIRM_A.model_copy(update={"name": "改名有限公司"})

    assert await insert_new_subjects(db, subjects=[FIRM_B, renamed_a, PERSON_P]) == 2

    after = await stored(db, SUBJECTS)
    assert sorted(after) == sorted([FIRM_A.id, FIRM_B.id, PERSON_P.id])
    assert after[FIRM_A.id] == before[FIRM_A.id]
    assert await get_subjects(db, ids=[FIRM_B.id, PERSON_P.id]) == [FIRM_B, PERSON_P]


async def test_write_new_records_fresh_ids_returns_number_inserted(
    db: Database, catalogue: Catalogue
) -> None:
    records = seeded_records(catalogue)

    assert await write_new_records(db, records=records) == len(records)
    assert sorted(await stored(db, RECORDS)) == sorted(ids(records))


async def test_write_new_records_empty_returns_zero(db: Database) -> None:
    assert await write_new_records(db, records=[]) == 0
    assert await stored(db, RECORDS) == {}


async def test_write_new_records_same_ids_again_returns_zero_and_changes_nothing(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)
    before = await stored(db, RECORDS)
    changed = [r.model_copy(update={"status": RecordStatus.REVOKED}) for r in records]

    assert await write_new_records(db, records=changed) == 0
    assert await stored(db, RECORDS) == before


async def test_write_new_records_mix_of_new_and_existing_inserts_only_new(
    db: Database, catalogue: Catalogue
) -> None:
    records = seeded_records(catalogue)
    await write_new_records(db, records=records[:3])
    before = await stored(db, RECORDS)
    changed = [r.model_copy(update={"status": RecordStatus.REVOKED}) for r in records[:3]]

    assert await write_new_records(db, records=[*changed, *records[3:]]) == len(records) - 3

    after = await stored(db, RECORDS)
    assert sorted(after) == sorted(ids(records))
    assert {k: after[k] for k in before} == before
    assert await get_records(db, ids=ids(records)) == [
        first_version(r, at=r.created_at, by=r.source_unit) for r in records
    ]


# --- indexes ---------------------------------------------------------------------------------


async def test_subjects_identifier_taken_by_another_id_raises_duplicate_key(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[FIRM_A])
    twin = to_document(FIRM_A.model_copy(update={"id": "s-twin", "name": "另一家公司"}))

    with pytest.raises(DuplicateKeyError) as caught:
        await db[SUBJECTS].insert_one(twin)

    # Only the code: nx-27017's message is SQLite's and it reports no keyValue.
    assert caught.value.code == DUPLICATE_KEY
    assert sorted(await stored(db, SUBJECTS)) == [FIRM_A.id]


async def test_records_same_source_unit_and_record_id_raises_duplicate_key(
    db: Database, catalogue: Catalogue
) -> None:
    original = factories.record(
        catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 5, 10), record_id="r-1"
    )
    await seed_records(db, [original])
    # As the store writes every record: with its source key, which the unique index covers.
    twin = record_document(original.model_copy(update={"id": "r-2"}))

    with pytest.raises(DuplicateKeyError) as caught:
        await db[RECORDS].insert_one(twin)

    assert caught.value.code == DUPLICATE_KEY
    assert sorted(await stored(db, RECORDS)) == ["r-1"]


async def test_records_same_record_id_from_another_source_unit_is_accepted(
    db: Database, catalogue: Catalogue
) -> None:
    original = factories.record(
        catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 5, 10), record_id="r-1"
    )
    other_unit = original.model_copy(update={"id": "r-2", "source_unit": "440300-OTHER"})
    other_number = original.model_copy(update={"id": "r-3", "source_record_id": "OTHER-1"})

    assert await write_new_records(db, records=[original, other_unit, other_number]) == 3
    assert sorted(await stored(db, RECORDS)) == ["r-1", "r-2", "r-3"]


def test_indexes_declared_have_unique_names_and_no_id_key() -> None:
    for collection, models in INDEXES.items():
        names = [model.document["name"] for model in models]
        assert len(set(names)) == len(names), collection
        for model in models:
            # nx-27017 fails every write to a collection that has an index containing `_id`
            # ("JSON path error near '_id'"); `order_key` does that job instead.
            assert "_id" not in model.document["key"], (collection, model.document["name"])


async def test_create_indexes_declared_models_again_returns_each_declared_name(
    db: Database,
) -> None:
    for collection, models in INDEXES.items():
        created = await db[collection].create_indexes(models)

        assert created == [model.document["name"] for model in models]


def index_keys(info: Mapping[str, Any]) -> set[tuple[tuple[str, ...], bool]]:
    """A collection's indexes by fields and uniqueness: nx-27017 lists its own names
    (idx_<coll>_<fields>) and direction 1 for every field, where MongoDB lists the declared
    name and direction."""
    return {
        (tuple(field for field, _ in spec["key"]), bool(spec.get("unique")))
        for spec in info.values()
    }


async def test_ensure_indexes_each_declared_index_exists_with_its_fields_and_uniqueness(
    db: Database,
) -> None:
    for collection, models in INDEXES.items():
        present = index_keys(await db[collection].index_information())
        for model in models:
            declared = (
                tuple(model.document["key"].keys()),
                bool(model.document.get("unique")),
            )
            assert declared in present, (collection, model.document["name"])


async def test_ensure_indexes_twice_is_idempotent(db: Database) -> None:
    collections = list(INDEXES)
    before = {c: await db[c].index_information() for c in collections}

    await ensure_indexes(db)
    await ensure_indexes(db)

    assert {c: await db[c].index_information() for c in collections} == before


async def test_ensure_indexes_drops_the_retired_indexes_of_an_older_store_and_no_other(
    db: Database,
) -> None:
    # A store as an older version left it: among others, a plain source key index where the
    # unique one is now (MongoDB refuses two indexes on one key).
    info = await db[RECORDS].index_information()
    await db[RECORDS].drop_index(
        next(name for name, spec in info.items() if spec["key"] == [("source_key", 1)])
    )
    await db[RECORDS].create_indexes(
        [
            IndexModel([("source_key", 1)], name="source_key"),
            IndexModel(
                [("source_unit", 1), ("source_record_id", 1)],
                unique=True,
                name="source_unit_record_unique",
            ),
            IndexModel([("status", 1), ("source_unit", 1)], name="an_operators_own"),
        ]
    )
    await db[RECORD_CHANGES].create_indexes(
        [IndexModel([("record_id", 1), ("version", 1)], unique=True, name="version_unique")]
    )

    await ensure_indexes(db)

    for collection, retired in RETIRED_INDEXES.items():
        assert not index_keys(await db[collection].index_information()) & set(retired)
    kept = index_keys(await db[RECORDS].index_information())
    assert {(("source_key",), True), (("status", "source_unit"), False)} <= kept


# --- subjects: find and count ----------------------------------------------------------------


async def test_find_subjects_no_filter_returns_id_order(db: Database) -> None:
    subjects = [factories.firm(n) for n in (5, 3, 12, 1, 4)]
    await insert_new_subjects(db, subjects=subjects)

    found = await find_subjects(db, limit=EVERYTHING)

    # Binary string order: "s-firm-12" sorts before "s-firm-3".
    assert ids(found) == ["s-firm-1", "s-firm-12", "s-firm-3", "s-firm-4", "s-firm-5"]


async def test_find_subjects_after_an_id_returns_strictly_later_ids(db: Database) -> None:
    await insert_new_subjects(db, subjects=[factories.firm(n) for n in (1, 2, 3, 4, 5)])

    found = await find_subjects(db, after="s-firm-2", limit=EVERYTHING)

    assert ids(found) == ["s-firm-3", "s-firm-4", "s-firm-5"]


async def test_find_subjects_after_an_absent_id_returns_ids_greater_than_it(
    db: Database,
) -> None:
    await insert_new_subjects(db, subjects=[factories.firm(n) for n in (1, 2, 3, 4, 5)])

    found = await find_subjects(db, after="s-firm-25", limit=EVERYTHING)

    assert ids(found) == ["s-firm-3", "s-firm-4", "s-firm-5"]


async def test_find_subjects_limit_returns_first_that_many(db: Database) -> None:
    await insert_new_subjects(db, subjects=[factories.firm(n) for n in (1, 2, 3, 4, 5)])

    assert ids(await find_subjects(db, limit=2)) == ["s-firm-1", "s-firm-2"]
    assert ids(await find_subjects(db, after="s-firm-2", limit=2)) == ["s-firm-3", "s-firm-4"]
    assert ids(await find_subjects(db, after="s-firm-4", limit=2)) == ["s-firm-5"]
    assert await find_subjects(db, after="s-firm-5", limit=2) == []


async def test_find_subjects_one_kind_returns_only_that_kind(db: Database) -> None:
    subjects = [factories.firm(1), factories.person(2), factories.firm(3), factories.person(4)]
    await insert_new_subjects(db, subjects=subjects)

    people = await find_subjects(db, kinds=[SubjectKind.NATURAL_PERSON], limit=EVERYTHING)
    firms = await find_subjects(db, kinds=[SubjectKind.LEGAL_PERSON], limit=EVERYTHING)
    others = await find_subjects(db, kinds=[SubjectKind.OTHER_ORGANIZATION], limit=EVERYTHING)

    assert ids(people) == ["s-person-2", "s-person-4"]
    assert ids(firms) == ["s-firm-1", "s-firm-3"]
    assert others == []


async def test_find_subjects_several_kinds_returns_any_of_them_in_id_order(
    db: Database,
) -> None:
    org = factories.firm(5).model_copy(
        update={"id": "s-org-5", "kind": SubjectKind.OTHER_ORGANIZATION}
    )
    subjects = [factories.firm(1), factories.person(2), org, factories.person(4)]
    await insert_new_subjects(db, subjects=subjects)

    found = await find_subjects(
        db, kinds=[SubjectKind.OTHER_ORGANIZATION, SubjectKind.LEGAL_PERSON], limit=EVERYTHING
    )

    assert ids(found) == ["s-firm-1", "s-org-5"]


async def test_find_subjects_empty_kinds_returns_nothing(db: Database) -> None:
    await insert_new_subjects(db, subjects=[factories.firm(1), factories.person(2)])

    # `$in: []` matches no document (MongoDB manual, $in); None is what means "any kind".
    assert await find_subjects(db, kinds=[], limit=EVERYTHING) == []
    assert await count_subjects(db, kinds=[]) == 0
    assert len(await find_subjects(db, kinds=None, limit=EVERYTHING)) == 2


async def test_find_subjects_search_chinese_prefix_matches_names_starting_with_it(
    db: Database,
) -> None:
    subjects = named_firms(
        [
            "深圳市华鹏科技有限公司",
            "深圳湾科技发展有限公司",
            "华鹏深圳贸易有限公司",
            "腾讯科技（深圳）有限公司",
        ]
    )
    await insert_new_subjects(db, subjects=subjects)

    async def names(search: str) -> list[str]:
        return [s.name for s in await find_subjects(db, search=search, limit=EVERYTHING)]

    assert await names("深圳市") == ["深圳市华鹏科技有限公司"]
    assert await names("深圳") == ["深圳市华鹏科技有限公司", "深圳湾科技发展有限公司"]
    assert await names("腾讯科技（深圳）") == ["腾讯科技（深圳）有限公司"]


async def test_find_subjects_search_term_inside_a_name_does_not_match(db: Database) -> None:
    subjects = named_firms(["深圳市华鹏科技有限公司", "华鹏深圳贸易有限公司"])
    await insert_new_subjects(db, subjects=subjects)

    found = await find_subjects(db, search="华鹏", limit=EVERYTHING)

    assert [s.name for s in found] == ["华鹏深圳贸易有限公司"]


async def test_find_subjects_search_regex_metacharacters_match_literally(db: Database) -> None:
    subjects = named_firms(
        ["A.*B Trading", "AxyzB Trading", "ABC Trading", "(Paren) Holdings", "Paren Holdings"]
        + ["C++ Works", "CCC Works", "[x] Labs", "x Labs", "$1 Shop", "1 Shop"]
    )
    await insert_new_subjects(db, subjects=subjects)

    async def names(search: str) -> list[str]:
        return [s.name for s in await find_subjects(db, search=search, limit=EVERYTHING)]

    assert await names("A.*") == ["A.*B Trading"]
    assert await names("(") == ["(Paren) Holdings"]
    assert await names("(Paren)") == ["(Paren) Holdings"]
    assert await names("C++") == ["C++ Works"]
    assert await names("[x]") == ["[x] Labs"]
    assert await names("$1") == ["$1 Shop"]
    assert await names(".") == []
    assert await names("\\") == []


async def test_find_subjects_search_kind_after_limit_combined_apply_all(db: Database) -> None:
    subjects = [
        factories.firm(1, name="深圳市一号公司"),
        factories.firm(2, name="深圳市二号公司"),
        factories.firm(3, name="广州市三号公司"),
        factories.firm(4, name="深圳市四号公司"),
        factories.person(5, name="深圳市民"),
        factories.firm(6, name="深圳市六号公司"),
    ]
    await insert_new_subjects(db, subjects=subjects)

    found = await find_subjects(
        db, search="深圳市", kinds=[SubjectKind.LEGAL_PERSON], after="s-firm-1", limit=2
    )

    assert ids(found) == ["s-firm-2", "s-firm-4"]


async def test_count_subjects_filters_agree_with_find(db: Database) -> None:
    subjects = [
        factories.firm(1, name="深圳市一号公司"),
        factories.firm(2, name="广州市二号公司"),
        factories.person(3, name="深圳市民"),
        factories.person(4, name="A.*B"),
        factories.firm(5, name="AxB"),
    ]
    await insert_new_subjects(db, subjects=subjects)

    firms, people = [SubjectKind.LEGAL_PERSON], [SubjectKind.NATURAL_PERSON]
    cases: list[tuple[str | None, list[SubjectKind] | None, int]] = [
        (None, None, 5),
        (None, firms, 3),
        (None, people, 2),
        (None, [SubjectKind.OTHER_ORGANIZATION], 0),
        (None, [*firms, *people], 5),
        (None, [], 0),
        ("深圳市", None, 2),
        ("深圳市", people, 1),
        ("深圳市", [], 0),
        ("市", None, 0),
        ("A.*", None, 1),
        ("", None, 5),
    ]
    for search, kinds, expected in cases:
        found = await find_subjects(db, search=search, kinds=kinds, limit=EVERYTHING)
        assert len(found) == expected, (search, kinds)
        assert await count_subjects(db, search=search, kinds=kinds) == expected, (search, kinds)


# --- records: find and count -----------------------------------------------------------------


async def test_find_records_no_filter_returns_newest_first_ties_by_id_descending(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)

    found = await find_records(db, spec=RecordFilter(), limit=EVERYTHING)

    assert ids(found) == ALL_IN_ORDER
    assert ids(found) == ids(list_order(records))
    assert found == list_order(records)


async def test_find_records_two_on_the_same_day_returns_higher_id_first(
    db: Database, catalogue: Catalogue
) -> None:
    day = date(2020, 5, 10)
    records = [
        factories.record(catalogue, FIRM_A, item_code="GOOD_1", decided=day, record_id=i)
        for i in ("r-day-a", "r-day-b")
    ]
    await seed_records(db, records)

    found = await find_records(db, spec=RecordFilter(), limit=EVERYTHING)

    assert ids(found) == ["r-day-b", "r-day-a"]


async def test_find_records_after_an_order_key_returns_strictly_later_in_order(
    db: Database, catalogue: Catalogue
) -> None:
    # Order keys are "<ISO date>|<id>", strings compared as strings (MongoDB's binary order).
    # nx-27017 0.8.1 routes a find whose string operand starts with YYYY-MM-DD through SQLite
    # datetime() on both sides, which is NULL for "2020-05-10|r-a2", so this shape is pinned.
    by_id = {r.id: r for r in await seed(db, catalogue)}

    for k, record_id in enumerate(ALL_IN_ORDER):
        cursor = order_key(by_id[record_id])
        found = await find_records(db, spec=RecordFilter(), after=cursor, limit=EVERYTHING)
        assert ids(found) == ALL_IN_ORDER[k + 1 :], record_id


async def test_find_records_pages_of_limit_cover_the_list_once_in_order(
    db: Database, catalogue: Catalogue
) -> None:
    await seed(db, catalogue)

    seen: list[Record] = []
    after: str | None = None
    while True:
        page = await find_records(db, spec=RecordFilter(), after=after, limit=3)
        assert len(page) <= 3
        seen += page
        if len(page) < 3:
            break
        after = order_key(page[-1])

    assert ids(seen) == ALL_IN_ORDER


FILTER_CASES: list[tuple[str, RecordFilter, list[str]]] = [
    ("subject", RecordFilter(subject_id=FIRM_A.id), ["r-a4", "r-a3", "r-a2", "r-a1"]),
    ("subject_none", RecordFilter(subject_id="s-none"), []),
    (
        "category_dishonest",
        RecordFilter(category=Category.DISHONEST),
        ["r-b1", "r-p2", "r-a2", "r-a1", "r-p1"],
    ),
    ("category_good", RecordFilter(category=Category.GOOD), ["r-b2", "r-a3"]),
    ("category_commitment", RecordFilter(category=Category.COMMITMENT), ["r-a4"]),
    ("category_basic", RecordFilter(category=Category.BASIC), []),
    ("item_code", RecordFilter(item_code="DISHONEST_1"), ["r-b1", "r-p2", "r-a1"]),
    ("item_code_unused", RecordFilter(item_code="GOOD_9"), []),
    (
        "status_active",
        RecordFilter(status=RecordStatus.ACTIVE),
        ["r-a4", "r-p2", "r-a3", "r-a1", "r-p1"],
    ),
    ("status_repaired", RecordFilter(status=RecordStatus.REPAIRED), ["r-a2"]),
    ("status_revoked", RecordFilter(status=RecordStatus.REVOKED), ["r-b1"]),
    ("status_excused", RecordFilter(status=RecordStatus.EXCUSED), ["r-b2"]),
    ("status_expired", RecordFilter(status=RecordStatus.EXPIRED), []),
    (
        "decided_from_inclusive",
        RecordFilter(decided_from=date(2020, 5, 10)),
        ["r-b2", "r-a4", "r-b1", "r-p2", "r-a3", "r-a2"],
    ),
    (
        "decided_to_inclusive",
        RecordFilter(decided_to=date(2020, 5, 10)),
        ["r-p2", "r-a3", "r-a2", "r-a1", "r-p1"],
    ),
    (
        "decided_from_to_inclusive_both_ends",
        RecordFilter(decided_from=date(2020, 5, 10), decided_to=date(2020, 6, 30)),
        ["r-b1", "r-p2", "r-a3", "r-a2"],
    ),
    (
        "decided_one_day",
        RecordFilter(decided_from=date(2020, 5, 10), decided_to=date(2020, 5, 10)),
        ["r-p2", "r-a3", "r-a2"],
    ),
    (
        "decided_empty_range",
        RecordFilter(decided_from=date(2020, 5, 11), decided_to=date(2020, 6, 29)),
        [],
    ),
    (
        "subject_and_category",
        RecordFilter(subject_id=FIRM_A.id, category=Category.DISHONEST),
        ["r-a2", "r-a1"],
    ),
    (
        "subject_category_status",
        RecordFilter(subject_id=FIRM_A.id, category=Category.DISHONEST, status=RecordStatus.ACTIVE),
        ["r-a1"],
    ),
    (
        "item_code_and_decided_range",
        RecordFilter(
            item_code="DISHONEST_1", decided_from=date(2020, 4, 1), decided_to=date(2020, 12, 31)
        ),
        ["r-b1", "r-p2"],
    ),
    (
        "subject_category_status_excused",
        RecordFilter(subject_id=FIRM_B.id, category=Category.GOOD, status=RecordStatus.EXCUSED),
        ["r-b2"],
    ),
    (
        "subject_and_other_category",
        RecordFilter(subject_id=PERSON_P.id, category=Category.GOOD),
        [],
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(spec, expected) for _, spec, expected in FILTER_CASES],
    ids=[name for name, _, _ in FILTER_CASES],
)
async def test_find_records_filter_returns_exactly_matching_in_list_order(
    db: Database, catalogue: Catalogue, spec: RecordFilter, expected: list[str]
) -> None:
    await seed(db, catalogue)

    found = await find_records(db, spec=spec, limit=EVERYTHING)

    assert ids(found) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(spec, expected) for _, spec, expected in FILTER_CASES],
    ids=[name for name, _, _ in FILTER_CASES],
)
async def test_count_records_filter_agrees_with_find(
    db: Database, catalogue: Catalogue, spec: RecordFilter, expected: list[str]
) -> None:
    await seed(db, catalogue)

    assert await count_records(db, spec=spec) == len(expected)


async def test_find_records_filter_with_after_and_limit_pages_within_the_filter(
    db: Database, catalogue: Catalogue
) -> None:
    by_id = {r.id: r for r in await seed(db, catalogue)}
    spec = RecordFilter(category=Category.DISHONEST)

    found = await find_records(db, spec=spec, after=order_key(by_id["r-p2"]), limit=2)

    assert ids(found) == ["r-a2", "r-a1"]


# Disclosure boundaries. DISHONEST_2, general, decided 2019-08-01 (before the epidemic window):
# disclosed from 2019-08-01 until 2020-08-01 (12 months, end exclusive). GOOD_1: 36 months.
DISCLOSURE_CASES: list[tuple[str, str, date, RecordStatus]] = [
    ("d-active", "DISHONEST_2", date(2019, 8, 1), RecordStatus.ACTIVE),
    ("d-repaired", "DISHONEST_2", date(2019, 8, 1), RecordStatus.REPAIRED),
    ("d-revoked", "DISHONEST_2", date(2019, 8, 1), RecordStatus.REVOKED),
    ("d-excused", "DISHONEST_2", date(2019, 8, 1), RecordStatus.EXCUSED),
    ("d-expired", "DISHONEST_2", date(2019, 8, 1), RecordStatus.EXPIRED),
    ("d-late", "DISHONEST_2", date(2020, 7, 31), RecordStatus.ACTIVE),
    ("d-next", "DISHONEST_2", date(2020, 8, 1), RecordStatus.ACTIVE),
    ("g-active", "GOOD_1", date(2020, 2, 1), RecordStatus.ACTIVE),
    ("g-repaired", "GOOD_1", date(2020, 2, 1), RecordStatus.REPAIRED),
]


async def seed_disclosure(db: Database, catalogue: Catalogue) -> list[Record]:
    subjects = [FIRM_A, FIRM_B]
    records = [
        factories.record(
            catalogue,
            subjects[k % 2],
            item_code=item_code,
            decided=decided,
            status=status,
            record_id=record_id,
        )
        for k, (record_id, item_code, decided, status) in enumerate(DISCLOSURE_CASES)
    ]
    await insert_new_subjects(db, subjects=subjects)
    await seed_records(db, records)
    return records


def boundary_days(records: Sequence[Record]) -> list[date]:
    """For every record: the day before its start, its start, its end (its last day on
    display) and the day after it."""
    one = timedelta(days=1)
    days = {
        day
        for r in records
        for day in (r.disclosure.start - one, r.disclosure.start, r.disclosure.end)
    } | {r.disclosure.end + one for r in records}
    return sorted(days)


async def test_find_records_disclosed_on_boundary_days_equals_publicly_visible(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)
    active = next(r for r in records if r.id == "d-active")
    # The boundaries really are exercised: in on the start day and on the end day, out the
    # day before the start and the day after the end.
    assert active.disclosure.start == date(2019, 8, 1)
    assert active.disclosure.end == date(2020, 8, 1)
    assert [publicly_visible(active, d) for d in boundary_days([active])] == [
        False,
        True,
        True,
        False,
    ]

    days = boundary_days(records)
    assert len(days) >= 10
    for day in days:
        found = await find_records(db, spec=RecordFilter(disclosed_on=day), limit=EVERYTHING)
        expected = [r.id for r in list_order(records) if publicly_visible(r, day)]
        assert ids(found) == expected, day


async def test_find_records_disclosed_on_sample_days_returns_exact_ids(
    db: Database, catalogue: Catalogue
) -> None:
    await seed_disclosure(db, catalogue)

    async def on(day: date) -> list[str]:
        return ids(await find_records(db, spec=RecordFilter(disclosed_on=day), limit=EVERYTHING))

    assert await on(date(2019, 7, 31)) == []
    assert await on(date(2019, 8, 1)) == ["d-active"]
    assert await on(date(2020, 2, 1)) == ["g-active", "d-active"]
    assert await on(date(2020, 7, 31)) == ["d-late", "g-active", "d-active"]
    # The end day is on display (d-active ends 2020-08-01), the day after is not.
    assert await on(date(2020, 8, 1)) == ["d-next", "d-late", "g-active", "d-active"]
    assert await on(date(2020, 8, 2)) == ["d-next", "d-late", "g-active"]
    assert await on(date(2023, 2, 1)) == ["d-next", "d-late", "g-active"]
    # Decided in the window, the 一(二) acts are shown for 3 years (notice 二(八)).
    assert await on(date(2023, 2, 2)) == ["d-next", "d-late"]
    assert await on(date(2023, 8, 2)) == []


async def test_count_records_disclosed_on_boundary_days_agrees_with_find(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)

    for day in boundary_days(records):
        spec = RecordFilter(disclosed_on=day)
        expected = sum(publicly_visible(r, day) for r in records)
        assert await count_records(db, spec=spec) == expected, day
        assert len(await find_records(db, spec=spec, limit=EVERYTHING)) == expected, day


async def test_find_records_disclosed_on_with_subject_returns_visible_of_that_subject(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)

    for day in boundary_days(records):
        spec = RecordFilter(disclosed_on=day, subject_id=FIRM_A.id)
        found = await find_records(db, spec=spec, limit=EVERYTHING)
        expected = [
            r.id
            for r in list_order(records)
            if r.subject_id == FIRM_A.id and publicly_visible(r, day)
        ]
        assert ids(found) == expected, day


async def test_find_records_disclosed_on_with_status_revoked_returns_nothing(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)

    for day in boundary_days(records):
        for status in (RecordStatus.REVOKED, RecordStatus.REPAIRED, RecordStatus.EXCUSED):
            spec = RecordFilter(disclosed_on=day, status=status)
            assert await find_records(db, spec=spec, limit=EVERYTHING) == [], (day, status)
            assert await count_records(db, spec=spec) == 0, (day, status)


async def test_find_records_disclosed_on_with_status_active_equals_disclosed_on_alone(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)

    for day in boundary_days(records):
        alone = await find_records(db, spec=RecordFilter(disclosed_on=day), limit=EVERYTHING)
        active = RecordFilter(disclosed_on=day, status=RecordStatus.ACTIVE)
        assert await find_records(db, spec=active, limit=EVERYTHING) == alone, day


async def test_ne_true_matches_false_and_a_missing_field_not_true(db: Database) -> None:
    # The `hidden` / `opted_out` filters of store/records.py: MongoDB documents that `$ne`
    # also selects documents without the field (records stored before the flags existed).
    await db["flags"].insert_many([{"_id": "f"}, {"_id": "n", "x": False}, {"_id": "t", "x": True}])

    found = await db["flags"].find({"x": {"$ne": True}}, limit=EVERYTHING).to_list(None)

    assert sorted(d["_id"] for d in found) == ["f", "n"]
    assert await db["flags"].count_documents({"x": {"$ne": True}}) == 2


# --- records of many subjects in one round trip ----------------------------------------------


async def seed_uneven(db: Database, catalogue: Catalogue) -> dict[str, list[Record]]:
    """FIRM_A with 10 records (GOOD_1 on even days, DISHONEST_2 on odd), FIRM_B with 2,
    PERSON_P with none. Returned per subject in list order."""
    start = date(2020, 3, 1)
    a = [
        factories.record(
            catalogue,
            FIRM_A,
            item_code="GOOD_1" if k % 2 == 0 else "DISHONEST_2",
            decided=start + timedelta(days=k),
            record_id=f"r-a{k:02d}",
        )
        for k in range(10)
    ]
    b = [
        factories.record(
            catalogue, FIRM_B, item_code="GOOD_1", decided=start + timedelta(days=k), record_id=i
        )
        for k, i in ((3, "r-b-old"), (40, "r-b-new"))
    ]
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B, PERSON_P])
    stored_a = await seed_records(db, a)
    stored_b = await seed_records(db, b)
    return {FIRM_A.id: list_order(stored_a), FIRM_B.id: list_order(stored_b), PERSON_P.id: []}


async def test_find_records_of_subjects_sends_count_find_and_pipeline_for_long_files(
    db: Database, catalogue: Catalogue, commands: CommandLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_subject = await seed_uneven(db, catalogue)
    everyone = [FIRM_A.id, FIRM_B.id, PERSON_P.id]

    commands.start()
    whole = await find_records_of_subjects(
        db, subject_ids=everyone, spec=RecordFilter(), limit_each=3
    )
    short_only = commands.stop()
    # FIRM_A's 10 records are over 3 but within WHOLE_FILE: read whole by the find, then cut.
    monkeypatch.setattr(record_store, "WHOLE_FILE", 3)
    commands.start()
    piped = await find_records_of_subjects(
        db, subject_ids=everyone, spec=RecordFilter(), limit_each=3
    )
    mixed = commands.stop()

    assert short_only == ["aggregate", "find"]
    assert mixed == ["aggregate", "find", "aggregate"]
    assert whole == piped == [by_subject[i][:3] for i in everyone]


async def test_find_records_of_subjects_limit_each_bounds_every_subject_newest_first(
    db: Database, catalogue: Catalogue
) -> None:
    by_subject = await seed_uneven(db, catalogue)

    found = await find_records_of_subjects(
        db, subject_ids=[FIRM_A.id, FIRM_B.id], spec=RecordFilter(), limit_each=3
    )

    assert found == [by_subject[FIRM_A.id][:3], by_subject[FIRM_B.id]]
    assert ids(found[0]) == ["r-a09", "r-a08", "r-a07"]
    assert ids(found[1]) == ["r-b-new", "r-b-old"]


async def test_find_records_of_subjects_given_order_returns_that_order_empty_for_none(
    db: Database, catalogue: Catalogue
) -> None:
    by_subject = await seed_uneven(db, catalogue)

    found = await find_records_of_subjects(
        db,
        subject_ids=[FIRM_B.id, PERSON_P.id, "s-unknown", FIRM_A.id],
        spec=RecordFilter(),
        limit_each=20,
    )

    assert found == [by_subject[FIRM_B.id], [], [], by_subject[FIRM_A.id]]


async def test_find_records_of_subjects_filter_applies_before_the_limit(
    db: Database, catalogue: Catalogue
) -> None:
    await seed_uneven(db, catalogue)

    found = await find_records_of_subjects(
        db,
        subject_ids=[FIRM_A.id, FIRM_B.id],
        spec=RecordFilter(category=Category.DISHONEST),
        limit_each=3,
    )

    assert [ids(group) for group in found] == [["r-a09", "r-a07", "r-a05"], []]


async def test_find_records_of_subjects_disclosed_on_equals_publicly_visible(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)
    subject_ids = [FIRM_B.id, FIRM_A.id]

    for day in boundary_days(records):
        found = await find_records_of_subjects(
            db, subject_ids=subject_ids, spec=RecordFilter(disclosed_on=day), limit_each=20
        )
        expected = [
            [r.id for r in list_order(records) if r.subject_id == s and publicly_visible(r, day)]
            for s in subject_ids
        ]
        assert [ids(group) for group in found] == expected, day


async def test_find_records_of_subjects_empty_ids_returns_empty_without_a_command(
    db: Database, commands: CommandLog
) -> None:
    commands.start()
    found = await find_records_of_subjects(db, subject_ids=[], spec=RecordFilter(), limit_each=3)

    assert commands.stop() == []
    assert found == []


async def test_count_records_of_subjects_exact_counts_in_given_order_in_one_aggregate(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    await seed_uneven(db, catalogue)

    commands.start()
    counts = await count_records_of_subjects(
        db, subject_ids=[FIRM_B.id, PERSON_P.id, FIRM_A.id, "s-unknown"], spec=RecordFilter()
    )

    assert commands.stop() == ["aggregate"]
    assert counts == [2, 0, 10, 0]


async def test_count_records_of_subjects_filter_counts_only_matching(
    db: Database, catalogue: Catalogue
) -> None:
    await seed_uneven(db, catalogue)

    dishonest = await count_records_of_subjects(
        db, subject_ids=[FIRM_A.id, FIRM_B.id], spec=RecordFilter(category=Category.DISHONEST)
    )
    good = await count_records_of_subjects(
        db, subject_ids=[FIRM_A.id, FIRM_B.id], spec=RecordFilter(category=Category.GOOD)
    )

    assert dishonest == [5, 0]
    assert good == [5, 2]


async def test_count_records_of_subjects_agrees_with_count_records_per_subject(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)
    subject_ids = [PERSON_P.id, FIRM_A.id, FIRM_B.id]

    for _, spec, _ in FILTER_CASES:
        if spec.subject_id is not None:
            continue
        counts = await count_records_of_subjects(db, subject_ids=subject_ids, spec=spec)
        one_by_one = [
            await count_records(db, spec=RecordFilter(**{**vars(spec), "subject_id": s}))
            for s in subject_ids
        ]
        assert counts == one_by_one, spec
    assert sum(
        await count_records_of_subjects(db, subject_ids=subject_ids, spec=RecordFilter())
    ) == len(records)


async def test_count_records_of_subjects_empty_ids_returns_empty_without_a_command(
    db: Database, commands: CommandLog
) -> None:
    commands.start()
    counts = await count_records_of_subjects(db, subject_ids=[], spec=RecordFilter())

    assert commands.stop() == []
    assert counts == []


# --- catalogue -------------------------------------------------------------------------------


async def test_insert_shipped_catalogue_on_a_new_store_only(
    db: Database, catalogue: Catalogue
) -> None:
    assert await insert_shipped_catalogue(db, catalogue=catalogue) is True
    before = await stored(db, CATALOGUE_VERSIONS)

    assert await insert_shipped_catalogue(db, catalogue=catalogue) is False
    assert await stored(db, CATALOGUE_VERSIONS) == before
    assert list(before) == [catalogue.version]


async def test_catalogue_document_stored_keyed_by_version_with_iso_dates(
    db: Database, catalogue: Catalogue
) -> None:
    await insert_shipped_catalogue(db, catalogue=catalogue)

    document = (await stored(db, CATALOGUE_VERSIONS))[catalogue.version]

    assert "version" not in document
    assert document["effective_from"] == "2020-01-24"
    assert none_paths(document) == []


async def test_list_catalogues_returns_equal_catalogue(db: Database, catalogue: Catalogue) -> None:
    await insert_shipped_catalogue(db, catalogue=catalogue)

    assert await list_catalogues(db) == [catalogue]


async def test_list_catalogues_several_versions_returns_newest_effective_first(
    db: Database, catalogue: Catalogue
) -> None:
    newer = catalogue.model_copy(update={"version": "2021.1", "effective_from": date(2021, 1, 1)})
    older = catalogue.model_copy(update={"version": "2019.1", "effective_from": date(2019, 1, 1)})
    for version in (catalogue, older, newer):
        await publish_catalogue(db, catalogue=version, today=date(2019, 1, 1))

    assert await list_catalogues(db) == [newer, catalogue, older]


async def test_list_catalogues_empty_store_returns_empty(db: Database) -> None:
    assert await list_catalogues(db) == []


# --- connecting ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # see drop_leaked_monitor_sockets
async def test_connect_unreachable_raises_store_unavailable_naming_host_not_secret() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        await connect(UNREACHABLE, timeout_ms=300)
    message = str(caught.value)
    del caught  # its traceback holds the closed client and so the leaked socket
    await drop_leaked_monitor_sockets()

    assert "127.0.0.1:9" in message
    assert "secret" not in message
    assert "user" not in message


async def test_connect_malformed_uri_raises_store_unavailable_without_secret() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        await connect("mongodb://user:secret@127.0.0.1:notaport/", timeout_ms=300)

    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("mongodb://user:secret@127.0.0.1:9/", "127.0.0.1:9"),
        ("mongodb://user:secret@db.example/creditgraph", "db.example:27017"),
        (
            "mongodb://user:secret@db1.example:27018,db2.example:27019/?replicaSet=rs0",
            "db1.example:27018,db2.example:27019",
        ),
        ("mongodb://user:secret@127.0.0.1:notaport/", "an unparsable MongoDB URI"),
        ("http://user:secret@db.example/", "an unparsable MongoDB URI"),
    ],
)
def test_describe_host_uri_with_credentials_returns_hosts_only(uri: str, expected: str) -> None:
    described = describe_host(uri)

    assert described == expected
    assert "secret" not in described
    assert "user" not in described


async def test_ping_live_database_returns_true(db: Database) -> None:
    assert await ping(db) is True


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # see drop_leaked_monitor_sockets
async def test_ping_unreachable_server_returns_false() -> None:
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        "mongodb://127.0.0.1:9/", serverSelectionTimeoutMS=300, connectTimeoutMS=300
    )
    try:
        answered = await ping(client["creditgraph"])
    finally:
        await client.close()
    del client
    await drop_leaked_monitor_sockets()

    assert answered is False


async def test_find_events_after_an_order_key_returns_strictly_older_events(db: Database) -> None:
    events = [
        AuditEvent(
            id=f"a-{n}",
            at=datetime(2020, 9, 1, 4, n, tzinfo=UTC),
            action=AuditAction.READ,
            operation="q",
            subject_ids=("s-1",),
        )
        for n in range(3)
    ]
    for event in events:
        await audit_store.insert_event(db, event=event)

    first = await audit_store.find_events(db, subject_id="s-1", limit=2)
    rest = await audit_store.find_events(
        db, subject_id="s-1", after=audit_store.order_key(first[-1]), limit=2
    )

    assert [e.id for e in first] == ["a-2", "a-1"]
    assert [e.id for e in rest] == ["a-0"]
    assert await audit_store.count_events(db, subject_id="s-1") == 3


def test_audit_events_have_no_expiry_shorter_than_five_years() -> None:
    # Shenzhen regulation art. 45: query records are kept at least five years.
    expiring = [
        int(index.document["expireAfterSeconds"])
        for index in INDEXES[AUDIT_EVENTS]
        if "expireAfterSeconds" in index.document
    ]

    assert all(seconds >= 5 * 366 * 24 * 3600 for seconds in expiring)


# --- query shapes both engines serve natively (issue 9, DESIGN.md §2.1 "Measured since") ------

# What nx-27017 takes for a date (neosqlite's datetime_utils patterns): any comparison on such a
# string goes to its Python tier, which decodes every document of the collection.
DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}|\d{4}/\d{2}/\d{2}|\d{2}-\d{2}-\d{4}")
COMPARISONS = ("$lt", "$lte", "$gt", "$gte")


def date_like_comparisons(value: Any, path: str = "") -> list[str]:
    """The paths inside a filter where a range operator compares a date, datetime or a string
    that nx-27017 takes for one."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            here = f"{path}.{key}"
            if key in COMPARISONS and (
                isinstance(inner, date) or (isinstance(inner, str) and DATE_LIKE.match(inner))
            ):
                found.append(here)
            found += date_like_comparisons(inner, here)
    elif isinstance(value, list | tuple):
        for k, inner in enumerate(value):
            found += date_like_comparisons(inner, f"{path}[{k}]")
    return found


def filters_sent(commands: CommandLog) -> list[Any]:
    """The filters, `$match` stages, count queries and update filters of every command."""
    sent: list[Any] = []
    for command in commands.documents:
        sent += [command.get("filter"), command.get("query")]
        sent += [stage.get("$match") for stage in command.get("pipeline", [])]
        sent += [change.get("q") for change in command.get("updates", [])]
    return [f for f in sent if f is not None]


LIST_SPECS = [spec for _, spec, _ in FILTER_CASES] + [
    RecordFilter(disclosed_on=date(2020, 9, 1)),
    RecordFilter(disclosed_on=date(2020, 9, 1), hide_opted_out=True, category=Category.GOOD),
    RecordFilter(disclosed_on=date(2020, 9, 1), decided_from=date(2020, 1, 1)),
    RecordFilter(subject_id=FIRM_A.id, disclosed_on=date(2020, 9, 1), status=RecordStatus.ACTIVE),
]


async def test_record_lists_compare_no_date_like_strings_in_any_command(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    records = await seed(db, catalogue)
    subject_ids = [FIRM_A.id, FIRM_B.id, PERSON_P.id]

    commands.start()
    for spec in LIST_SPECS:
        await find_records(db, spec=spec, limit=EVERYTHING)
        await find_records(db, spec=spec, after=order_key(records[0]), limit=2)
        await count_records(db, spec=spec)
        await find_records_of_subjects(db, subject_ids=subject_ids, spec=spec, limit_each=1)
        await count_records_of_subjects(db, subject_ids=subject_ids, spec=spec)
    sent = filters_sent(commands)
    commands.stop()

    assert len(sent) >= 5 * len(LIST_SPECS)
    assert [p for f in sent for p in date_like_comparisons(f)] == []


def test_date_like_comparisons_finds_iso_days_and_datetimes_only() -> None:
    # The probe itself: the shapes the store used before issue 9 are caught.
    assert date_like_comparisons({"disclosure.end": {"$gt": "2020-09-01"}}) == [
        ".disclosure.end.$gt"
    ]
    assert date_like_comparisons({"$or": [{"t": {"$lt": datetime(2020, 1, 1, tzinfo=UTC)}}]})
    assert not date_like_comparisons(
        {"order_key": {"$lt": "20200901|r-1"}, "d": {"$gte": 20200901}}
    )
    assert not date_like_comparisons({"decision_date": "2020-09-01"})  # equality is SQL-tier


@pytest.mark.parametrize("spec", LIST_SPECS, ids=repr)
def test_record_list_equality_and_order_have_a_compound_index(spec: RecordFilter) -> None:
    # Every list is sorted on `order_key`; an index led by one of its equality fields (or by
    # `order_key` alone) serves the sort, so a page reads about as many keys as it returns.
    declared = {tuple(model.document["key"]) for model in INDEXES[RECORDS]}
    equalities = [
        name
        for name in ("subject_id", "category", "item_code", "status")
        if getattr(spec, name) is not None
    ]
    served = [(name, "order_key") in declared for name in equalities] or [
        ("order_key",) in declared
    ]
    assert any(served), spec


def test_day_number_orders_like_the_days() -> None:
    days = [date(2019, 12, 31), date(2020, 1, 1), date(2020, 2, 29), date(2020, 10, 1)]
    assert [day_number(d) for d in days] == [20191231, 20200101, 20200229, 20201001]
    assert sorted(days, key=day_number) == days


@pytest.mark.parametrize("seed_value", [1, 2, 3])
async def test_find_records_disclosed_on_mixed_records_equals_publicly_visible(
    db: Database, catalogue: Catalogue, seed_value: int
) -> None:
    # Broad: items with periods of 3 months to 3 years, every status, hidden and opted-out
    # records, asked on every boundary day of every record and in pages of three.
    rng = random.Random(seed_value)
    items = ["DISHONEST_1", "DISHONEST_2", "GOOD_1", "GOOD_3", "COMMITMENT"]
    records = []
    for k in range(30):
        made = factories.record(
            catalogue,
            (FIRM_A, FIRM_B, PERSON_P)[k % 3],
            item_code=rng.choice(items),
            decided=date(2020, 1, 24) + timedelta(days=rng.randrange(700)),
            status=rng.choice(list(RecordStatus)),
            severity=rng.choice(list(Severity)),
            record_id=f"m-{k:02d}",
        )
        records.append(
            made.model_copy(update={"hidden": rng.random() < 0.15, "opted_out": rng.random() < 0.1})
        )
    await insert_new_subjects(db, subjects=[FIRM_A, FIRM_B, PERSON_P])
    await seed_records(db, records)

    for day in boundary_days(records):
        spec = RecordFilter(disclosed_on=day)
        expected = [r.id for r in list_order(records) if publicly_visible(r, day)]
        seen: list[Record] = []
        after = None
        while page := await find_records(db, spec=spec, after=after, limit=3):
            seen += page
            after = order_key(page[-1])
        assert ids(seen) == expected, day
        assert await count_records(db, spec=spec) == len(expected), day


def without_day_numbers(record: Record) -> Document:
    """A record as stored before issue 9: no integer days beside the ISO strings, no source key."""
    document = record_document(record)
    del document["disclosure_start_day"], document["disclosure_end_day"], document["source_key"]
    return document


async def test_add_day_numbers_old_documents_become_listed_and_a_second_run_changes_nothing(
    db: Database, catalogue: Catalogue
) -> None:
    records = await seed_disclosure(db, catalogue)
    old = [r for r in records if r.id.startswith("d-")]
    await db[RECORDS].delete_many({"_id": {"$in": ids(old)}})
    await db[RECORDS].insert_many([without_day_numbers(r) for r in old])
    day = date(2020, 7, 31)
    assert ids(await find_records(db, spec=RecordFilter(disclosed_on=day), limit=99)) == [
        "g-active"
    ]

    assert await add_day_numbers(db) == len(old)
    assert await add_day_numbers(db) == 0

    raw = await stored(db, RECORDS)
    for record in records:
        written = record_document(record)
        for name in ("disclosure_start_day", "disclosure_end_day", "source_key"):
            assert raw[record.id][name] == written[name], (record.id, name)
    for day in boundary_days(records):
        found = await find_records(db, spec=RecordFilter(disclosed_on=day), limit=EVERYTHING)
        assert ids(found) == [r.id for r in list_order(records) if publicly_visible(r, day)]


async def test_add_day_numbers_more_than_a_batch_fills_every_document(
    db: Database, catalogue: Catalogue
) -> None:
    records = [
        factories.record(
            catalogue, FIRM_A, item_code="GOOD_1", decided=date(2020, 3, 1), record_id=f"b-{k:03d}"
        )
        for k in range(25)
    ]
    await db[RECORDS].insert_many([without_day_numbers(r) for r in records])

    filled = await fill_derived(
        db,
        RECORDS,
        missing="source_key",
        derive=lambda d: {"source_key": f"k|{d['_id']}"},
        batch=10,
    )

    assert filled == 25
    raw = await stored(db, RECORDS)
    assert {d["source_key"] for d in raw.values()} == {f"k|{r.id}" for r in records}


async def test_find_records_decided_range_after_a_cursor_pages_within_the_range(
    db: Database, catalogue: Catalogue
) -> None:
    by_id = {r.id: r for r in await seed(db, catalogue)}
    spec = RecordFilter(decided_from=date(2020, 3, 1), decided_to=date(2020, 6, 30))

    first = await find_records(db, spec=spec, after=order_key(by_id["r-b2"]), limit=2)
    rest = await find_records(db, spec=spec, after=order_key(by_id["r-a3"]), limit=EVERYTHING)

    assert ids(first) == ["r-b1", "r-p2"]
    assert ids(rest) == ["r-a2", "r-a1"]


async def test_blacklist_lists_compare_no_date_like_strings_in_any_command(
    db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    basis = [factories.record(catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 6, 1))]
    entry = factories.blacklist_entry(
        FIRM_A, basis, listed=date(2020, 7, 1), until=date(2021, 1, 31)
    )
    await blacklist_store.insert_entry(db, entry=entry)
    day = date(2020, 9, 1)

    commands.start()
    for in_force in (True, False, None):
        spec = EntryFilter(subject_id=FIRM_A.id, in_force=in_force, day=day)
        await blacklist_store.find_entries(db, spec=spec, limit=EVERYTHING)
        await blacklist_store.count_entries(db, spec=spec)
    await blacklist_store.entries_of_subjects(db, subject_ids=[FIRM_A.id], in_force_on=day)
    await blacklist_store.rejudge_entries_citing(db, record=basis[0], day=day)
    sent = filters_sent(commands)
    commands.stop()

    assert len(sent) == 10
    assert [p for f in sent for p in date_like_comparisons(f)] == []


async def test_blacklist_add_day_numbers_old_entries_judged_in_force_again_once(
    db: Database, catalogue: Catalogue
) -> None:
    basis = [factories.record(catalogue, FIRM_A, item_code="DISHONEST_2", decided=date(2020, 6, 1))]
    entry = factories.blacklist_entry(
        FIRM_A, basis, listed=date(2020, 7, 1), until=date(2021, 1, 31)
    )
    old = blacklist_store.ENTRY_LIST.document(entry)
    del old["listed_day"], old["until_day"]
    await db[BLACKLIST_ENTRIES].insert_one(old)
    in_force = EntryFilter(in_force=True, day=date(2020, 9, 1))
    assert await blacklist_store.find_entries(db, spec=in_force, limit=EVERYTHING) == []

    assert await blacklist_store.add_day_numbers(db) == 1
    assert await blacklist_store.add_day_numbers(db) == 0

    assert await blacklist_store.find_entries(db, spec=in_force, limit=EVERYTHING) == [entry]


async def test_one_of_matches_exactly_the_values_like_in(db: Database) -> None:
    # MongoDB intersects the `$in` points with the range; nx-27017 scans the range by index.
    await db["keys"].insert_many([{"_id": k, "k": k} for k in ("a", "b", "c", "d", "e")])

    for values in (["b"], ["b", "d"], ["d", "a"], ["z"]):
        found = await db["keys"].find({"k": one_of(values)}, limit=EVERYTHING).to_list(None)
        assert sorted(d["_id"] for d in found) == sorted(set(values) - {"z"}), values


@settings(max_examples=200, deadline=None)
@given(
    item=st.sampled_from([i for i in DEFAULT_CATALOGUE.items if i.category is not Category.BASIC]),
    decided=st.dates(min_value=date(2020, 1, 24), max_value=date(2030, 12, 31)),
    severity=st.sampled_from(Severity),
    epidemic_related=st.booleans(),
)
def test_disclosure_never_starts_before_the_decision(
    item: CatalogueItem, decided: date, severity: Severity, epidemic_related: bool
) -> None:
    # store/records.py bounds the disclosed-on scan by the decision day on this invariant.
    record = factories.record(
        DEFAULT_CATALOGUE,
        FIRM_A,
        item_code=item.code,
        decided=decided,
        severity=severity,
        epidemic_related=epidemic_related,
    )
    assert record.disclosure.start >= record.decision_date


async def test_array_field_with_an_index_matches_one_value_by_in_of_one(db: Database) -> None:
    # MongoDB matches `{field: v}` and `{field: {$in: [v]}}` alike on an array field. nx-27017
    # answers the plain equality with nothing once the field is indexed and the rest of the
    # filter runs in SQL: store/blacklist.py asks with `$in` of one.
    entries = db[BLACKLIST_ENTRIES]
    await entries.insert_one(
        {"_id": "bl-1", "basis_record_ids": ["r-1", "r-2"], "removed": False, "until_day": 20210131}
    )
    in_of_one = {"basis_record_ids": {"$in": ["r-2"]}, "removed": False, "until_day": {"$gte": 1}}

    found = await entries.find(in_of_one).to_list(None)

    assert [d["_id"] for d in found] == ["bl-1"]


async def test_entry_update_conditional_on_its_version_touches_only_its_document(
    db: Database,
) -> None:
    """store/standings.py: `_id` and an `$or` per entry on dotted paths under `$and`, upserted.

    MongoDB: the filter selects the one document, and only while every entry is older or
    missing; the upsert of a document holding a newer entry fails as a duplicate `_id`.
    (nx-27017 ignores an `_id` beside a top-level `$or`, so the store always writes the `$and`.)
    """
    table = db["conformance_entries"]
    await table.insert_many(
        [{"_id": "s-1", "records": {"r-a": {"version": 2}}}, {"_id": "s-2", "kind": "K"}]
    )

    def newer_than(subject: str, version: int, *entries: str) -> dict[str, Any]:
        older = [
            {
                "$or": [
                    {f"records.{e}.version": {"$lt": version}},
                    {f"records.{e}": {"$exists": False}},
                ]
            }
            for e in entries or ("r-a",)
        ]
        return {"$and": [{"_id": subject}, *older]}

    def entry(version: int, *entries: str) -> dict[str, Any]:
        values = {f"records.{e}": {"version": version} for e in entries or ("r-a",)}
        return {"$set": values, "$setOnInsert": {"kind": "K"}}

    added = await table.update_one(newer_than("s-2", 1), entry(1), upsert=True)
    inserted = await table.update_one(newer_than("s-3", 1), entry(1), upsert=True)
    with pytest.raises(DuplicateKeyError):
        await table.update_one(newer_than("s-1", 1), entry(1), upsert=True)
    with pytest.raises(DuplicateKeyError):  # one entry of the two is newer: neither is set
        await table.update_one(
            newer_than("s-1", 2, "r-a", "r-b"), entry(2, "r-a", "r-b"), upsert=True
        )
    raised = await table.update_one(
        newer_than("s-1", 3, "r-a", "r-b"), entry(3, "r-a", "r-b"), upsert=True
    )

    assert (added.matched_count, inserted.upserted_id, raised.matched_count) == (1, "s-3", 1)
    found = await table.find({"_id": {"$in": ["s-1", "s-2", "s-3"]}}, sort=[("_id", 1)]).to_list(3)
    assert found == [
        {"_id": "s-1", "records": {"r-a": {"version": 3}, "r-b": {"version": 3}}},
        {"_id": "s-2", "kind": "K", "records": {"r-a": {"version": 1}}},
        {"_id": "s-3", "kind": "K", "records": {"r-a": {"version": 1}}},
    ]


async def test_entries_set_only_where_missing_by_exists_beside_the_id(db: Database) -> None:
    """store/standings.py, first versions: `_id` and `$exists: false` on dotted paths, upserted.

    MongoDB: the filter selects the one document while every named entry is missing; a missing
    document is inserted with the `_id`; one holding an entry fails as a duplicate `_id`.
    """
    table = db["conformance_entries"]
    await table.insert_many([{"_id": "s-1", "records": {"r-a": {"version": 1}}}, {"_id": "s-2"}])

    def missing(subject: str, *entries: str) -> dict[str, Any]:
        return {"_id": subject, **{f"records.{e}": {"$exists": False} for e in entries}}

    def entries(*names: str) -> dict[str, Any]:
        values = {f"records.{e}": {"version": 1} for e in names}
        return {"$set": values, "$setOnInsert": {"kind": "K"}}

    added = await table.update_one(missing("s-2", "r-a", "r-b"), entries("r-a", "r-b"), upsert=True)
    inserted = await table.update_one(missing("s-3", "r-c"), entries("r-c"), upsert=True)
    with pytest.raises(DuplicateKeyError):
        await table.update_one(missing("s-1", "r-a", "r-d"), entries("r-a", "r-d"), upsert=True)

    assert (added.matched_count, inserted.upserted_id) == (1, "s-3")
    found = await table.find({"_id": {"$in": ["s-1", "s-2", "s-3"]}}, sort=[("_id", 1)]).to_list(3)
    assert found == [
        {"_id": "s-1", "records": {"r-a": {"version": 1}}},
        {"_id": "s-2", "records": {"r-a": {"version": 1}, "r-b": {"version": 1}}},
        {"_id": "s-3", "kind": "K", "records": {"r-c": {"version": 1}}},
    ]
