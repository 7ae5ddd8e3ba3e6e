"""Opening the database and creating the indexes every query path needs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, ExecutionTimeout, OperationFailure, PyMongoError
from pymongo.uri_parser import parse_uri

from store.errors import StoreUnavailable
from store.monitoring import CommandObserver

Document = dict[str, Any]
Database = AsyncDatabase[Document]
Client = AsyncMongoClient[Document]

SUBJECTS = "subjects"
RECORDS = "records"
CATALOGUE_VERSIONS = "catalogue_versions"
# The incentive programmes and the financing grade, one document a version (store/programmes.py).
PROGRAMME_VERSIONS = "programme_versions"
GRANTS = "grants"
AUDIT_EVENTS = "audit_events"
REVOKED_TOKENS = "revoked_tokens"
RECORD_CHANGES = "record_changes"
COUNTERS = "counters"
REPAIR_APPLICATIONS = "repair_applications"
EVIDENCE_FILES = "evidence_files"
EVIDENCE_CHUNKS = "evidence_chunks"
# Uploads of evidence begun and not finished: a few at a time, so read whole, no index.
EVIDENCE_UPLOADS = "evidence_uploads"
OBJECTIONS = "objections"
# Read by serial (`_id`) only, so no index of its own.
CREDIT_REPORTS = "credit_reports"
SOURCE_UNITS = "source_units"
# The working-day calendar, one document a year (store/calendar.py).
CALENDAR_YEARS = "calendar_years"
CASES = "typical_cases"
COMMITMENTS = "commitments"
BLACKLIST_ENTRIES = "blacklist_entries"
# One note per finished backfill of a derived field (store.documents.fill_derived); by `_id`.
MIGRATIONS = "migrations"
RATE_LIMITS = "rate_limits"
# One document per subject, `_id` the subject id: what eligibility reads (store/standings.py).
STANDINGS = "standings"

# No index may include `_id`: nx-27017 fails every write to such a collection.
INDEXES: dict[str, list[IndexModel]] = {
    SUBJECTS: [
        IndexModel([("identifier", ASCENDING)], unique=True, name="identifier_unique"),
        IndexModel([("name_key", ASCENDING)], name="name_key"),
        IndexModel([("kind", ASCENDING)], name="kind"),
    ],
    # Every index of records costs each record written (nx-27017: a JSON parse per field
    # indexed, and the pages written), so each serves a list or a lookup that would otherwise
    # read the whole collection: a value held by few records or none (a category no unit has
    # submitted yet, a status other than ACTIVE) is found by its index, not by a newest-first
    # scan of everything (tests/test_store_conformance.py pins a compound index per list).
    RECORDS: [
        # A unit's record id once (`store.records.source_key`); also matches a unit's batch of
        # submissions (`one_of`). Sparse: records stored before the key get it at start.
        IndexModel([("source_key", ASCENDING)], unique=True, sparse=True, name="source_key_unique"),
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_id", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
        IndexModel([("category", ASCENDING), ("order_key", DESCENDING)], name="category_ordered"),
        IndexModel([("item_code", ASCENDING), ("order_key", DESCENDING)], name="item_ordered"),
        IndexModel([("status", ASCENDING), ("order_key", DESCENDING)], name="status_ordered"),
    ],
    CATALOGUE_VERSIONS: [IndexModel([("effective_from", DESCENDING)], name="effective_from")],
    PROGRAMME_VERSIONS: [IndexModel([("effective_from", DESCENDING)], name="effective_from")],
    CREDIT_REPORTS: [
        # A decision's notice is found by the application or objection it is about.
        IndexModel([("regarding", ASCENDING)], name="regarding"),
        # One notice per decision (store/reports.py): only notices hold the field. MongoDB
        # leaves the others out of a sparse index; nx-27017, which keeps every row, lets rows
        # without the field repeat (SQLite's unique index never compares NULLs).
        IndexModel([("notice_of", ASCENDING)], unique=True, sparse=True, name="notice_of_unique"),
    ],
    GRANTS: [
        IndexModel([("grantee_org", ASCENDING), ("subject_id", ASCENDING)], name="grantee_subject"),
        IndexModel([("subject_id", ASCENDING), ("created_at", DESCENDING)], name="subject_created"),
    ],
    # No TTL here: Shenzhen regulation art. 45 keeps query records at least five years.
    AUDIT_EVENTS: [
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_ids", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
    ],
    # One writer per version, the optimistic lock of store/changes.py, is the `_id` (record and
    # version). Stores made before 2026-12-01 also keep the unique index `version_unique` over
    # the two fields (their intents' `_id` was the sequence number); it still holds for them.
    RECORD_CHANGES: [IndexModel([("seq", ASCENDING)], unique=True, name="seq_unique")],
    CASES: [
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("kind", ASCENDING), ("order_key", DESCENDING)], name="kind_ordered"),
    ],
    # `open_key` is the record id while open, so the unique index allows one open at a time
    # (store/deadlines.py); always set, as nx-27017 mishandles unique indexes over missing fields.
    REPAIR_APPLICATIONS: [
        IndexModel([("open_key", ASCENDING)], unique=True, name="open_unique"),
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_id", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
        IndexModel([("state", ASCENDING), ("order_key", DESCENDING)], name="state_ordered"),
        # The credit centre's review queue: fast track first, then oldest (store/repair.py).
        IndexModel([("queue_key", ASCENDING)], name="queue"),
        IndexModel([("state", ASCENDING), ("queue_key", ASCENDING)], name="state_queue"),
    ],
    # A file takes one of an application's numbered slots: the unique key caps the count.
    EVIDENCE_FILES: [
        IndexModel([("slot_key", ASCENDING)], unique=True, name="slot_unique"),
        IndexModel([("application_id", ASCENDING)], name="application"),
    ],
    EVIDENCE_CHUNKS: [IndexModel([("file_id", ASCENDING)], name="file")],
    OBJECTIONS: [
        IndexModel([("open_key", ASCENDING)], unique=True, name="open_unique"),
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_id", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
        IndexModel([("source_unit", ASCENDING), ("order_key", DESCENDING)], name="unit_ordered"),
        IndexModel([("state", ASCENDING), ("order_key", DESCENDING)], name="state_ordered"),
    ],
    COMMITMENTS: [
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_id", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
        IndexModel([("managing_unit", ASCENDING), ("order_key", DESCENDING)], name="unit_ordered"),
    ],
    BLACKLIST_ENTRIES: [
        IndexModel([("order_key", DESCENDING)], name="ordered"),
        IndexModel([("subject_id", ASCENDING), ("order_key", DESCENDING)], name="subject_ordered"),
        IndexModel([("basis_record_ids", ASCENDING)], name="basis"),
    ],
    # Entries expire once the token they revoke could no longer be used anyway.
    REVOKED_TOKENS: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="expiry")],
    # A window's counter is useless once the window has passed.
    RATE_LIMITS: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="expiry")],
}


def describe_host(uri: str) -> str:
    """The host part of a URI, without user name or password, for messages."""
    try:
        hosts = parse_uri(uri)["nodelist"]
    except (PyMongoError, ValueError):
        return "an unparsable MongoDB URI"
    return ",".join(f"{host}:{port}" for host, port in hosts) or "an unnamed host"


async def connect(
    uri: str,
    *,
    timeout_ms: int,
    read_timeout_ms: int | None = None,
    observer: CommandObserver | None = None,
) -> Client:
    """Open a client and check that the server answers `ping` within `timeout_ms`.

    With `read_timeout_ms`, an operation whose answer takes longer fails (and is answered 503
    by the API) instead of holding its request for as long as the store stalls; `observer`
    is told of every command (store.monitoring).
    """
    try:
        client: Client = AsyncMongoClient(
            uri,
            tz_aware=True,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            socketTimeoutMS=read_timeout_ms,
            event_listeners=[] if observer is None else [observer],
        )
    except (PyMongoError, ValueError) as exc:
        raise StoreUnavailable(f"cannot use MongoDB URI for {describe_host(uri)}: {exc}") from None
    try:
        await client.admin.command("ping")
    except PyMongoError:
        await client.close()
        raise StoreUnavailable(
            f"MongoDB at {describe_host(uri)} did not answer within {timeout_ms} ms"
        ) from None
    return client


@asynccontextmanager
async def opened(
    uri: str,
    *,
    database: str,
    timeout_ms: int,
    read_timeout_ms: int | None = None,
    observer: CommandObserver | None = None,
) -> AsyncIterator[Database]:
    """A database for the length of a block: its server checked by `ping`, closed afterwards."""
    client = await connect(
        uri, timeout_ms=timeout_ms, read_timeout_ms=read_timeout_ms, observer=observer
    )
    try:
        yield client[database]
    finally:
        await client.close()


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says the store is down, unreachable or too slow, rather than a bug.

    Such errors are answered 503 STORE_UNAVAILABLE (retry later), never INTERNAL_ERROR; driver
    types stay inside `store/`, so callers ask here.
    """
    if isinstance(error, StoreUnavailable | ConnectionFailure | ExecutionTimeout):
        return True
    return isinstance(error, PyMongoError) and error.timeout


async def ping(db: Database) -> bool:
    try:
        await db.command("ping")
    except PyMongoError:
        return False
    return True


# Indexes an older version made, by their fields and whether they are unique. Each costs every
# write, and a unique one over fields that new documents lack refuses them on MongoDB (which
# indexes a missing field as null): the intents' `version_unique` over record and version,
# which no entry of the change feed has had since its writes were logged whole.
RETIRED_INDEXES: dict[str, list[tuple[tuple[str, ...], bool]]] = {
    RECORDS: [
        (("source_unit", "source_record_id"), True),  # now `source_key_unique`
        (("source_key",), False),  # now unique: MongoDB refuses two indexes on one key
    ],
    RECORD_CHANGES: [(("record_id", "version"), True)],
}
INDEX_NOT_FOUND = 27  # MongoDB's code: another worker starting at once dropped it first


async def ensure_indexes(db: Database) -> None:
    """Drop the retired indexes, then create every index; creating an existing index again is a
    no-op. Matched by fields and uniqueness, not by name: nx-27017 names indexes its own way."""
    for collection, retired in RETIRED_INDEXES.items():
        for index in await (await db[collection].list_indexes()).to_list(None):
            if (tuple(index["key"]), bool(index.get("unique"))) not in retired:
                continue
            try:
                await db[collection].drop_index(index["name"])
            except OperationFailure as exc:
                if exc.code != INDEX_NOT_FOUND:
                    raise
    for collection, models in INDEXES.items():
        await db[collection].create_indexes(models)
