"""The HTTP surface around GraphQL: health, readiness, metrics, request ids, error masking; the
app's upkeep."""

from __future__ import annotations

from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from domain.catalogue import Catalogue
from server.app import create_app, settle_in_turn, settle_interrupted
from server.settings import Environment, Settings
from store.changes import _log_write
from store.counters import machine_ms
from store.database import EVIDENCE_CHUNKS, EVIDENCE_UPLOADS, RECORDS, Database
from store.embedded import EmbeddedServer
from store.evidence import UPLOAD_LIFETIME_MS, get_evidence_file, insert_evidence_file
from store.records import get_records
from tests import factories
from tests.conftest import TODAY, at, report_settings
from tests.helpers import error_codes, graphql
from tests.test_evidence_store import evidence_file
from tests.test_record_changes_store import new_records


async def test_healthz_answers_while_process_is_up(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_while_store_answers(api: httpx.AsyncClient) -> None:
    response = await api.get("/readyz")

    assert response.status_code == 200


async def test_readyz_is_503_when_store_stops(tmp_path: Path, keys_dir: Path) -> None:
    server = EmbeddedServer(tmp_path / "store")
    uri = server.start()
    settings = Settings(
        data_dir=tmp_path, jwks_path=keys_dir, store_timeout_ms=300, **report_settings(keys_dir)
    )
    app = create_app(settings, mongodb_uri=uri)
    try:
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                assert (await http.get("/readyz")).status_code == 200
                server.stop()
                response = await http.get("/readyz")
    finally:
        server.stop()

    assert response.status_code == 503


async def test_metrics_count_graphql_requests(api: httpx.AsyncClient) -> None:
    await graphql(api, "{ catalogue { version } }")

    text = (await api.get("/metrics")).text

    assert 'creditgraph_http_requests_total{path="/graphql",status="200"} 1.0' in text


async def test_request_id_is_echoed_when_well_formed(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz", headers={"x-request-id": "abc-123"})

    assert response.headers["x-request-id"] == "abc-123"


async def test_request_id_is_replaced_when_malformed(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz", headers={"x-request-id": "bad id\twith spaces"})

    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


async def test_unexpected_error_is_masked_without_message_or_stack(
    api: httpx.AsyncClient, db: Database
) -> None:
    # A record naming a catalogue item no version has: the store is inconsistent.
    await db[RECORDS].insert_one(_broken_record())

    body = await graphql(api, "{ records { edges { node { id item { code } } } } }")

    assert error_codes(body) == ["INTERNAL_ERROR"]
    assert body["errors"][0]["message"] == "Internal server error."
    assert "LookupError" not in str(body)
    assert "Traceback" not in str(body)


async def test_field_suggestions_are_off_in_production(
    db: Database, store_uri: str, keys_dir: Path
) -> None:
    settings = Settings(
        database=db.name,
        env=Environment.PRODUCTION,
        jwks_path=keys_dir,
        **report_settings(keys_dir),
    )
    app = create_app(settings, mongodb_uri=store_uri, clock=lambda: at(TODAY))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            body = await graphql(http, "{ catalog { version } }")

    assert "Did you mean" not in body["errors"][0]["message"]


async def test_field_suggestions_help_in_development(api: httpx.AsyncClient) -> None:
    body = await graphql(api, "{ catalog { version } }")

    assert "Did you mean 'catalogue'" in body["errors"][0]["message"]


async def test_a_write_cut_short_under_a_running_worker_is_finished_by_its_upkeep(
    db: Database, catalogue: Catalogue
) -> None:
    """What every start does, and a running worker every `settle_seconds` (server.app)."""
    records = new_records(catalogue, 2)
    await _log_write(db, factories.logged(records))  # the store failed once the write was logged

    await settle_interrupted(db, day=TODAY)

    assert await get_records(db, ids=[r.id for r in records]) == records


async def test_settling_takes_back_an_evidence_upload_whose_request_died(db: Database) -> None:
    content = b"%PDF-1.7\n" + bytes(range(256))
    file = evidence_file(content)
    await insert_evidence_file(db, file=file, content=content)  # the request died here
    long_ago = machine_ms() - UPLOAD_LIFETIME_MS - 1
    await db[EVIDENCE_UPLOADS].update_one({"_id": file.id}, {"$set": {"started_ms": long_ago}})

    await settle_interrupted(db, day=TODAY)

    assert await get_evidence_file(db, file_id=file.id) is None
    assert await db[EVIDENCE_CHUNKS].count_documents({"file_id": file.id}) == 0


async def test_of_workers_settling_in_the_same_period_one_settles_for_all(
    db: Database, catalogue: Catalogue
) -> None:
    records = new_records(catalogue, 2)
    await _log_write(db, factories.logged(records))  # the store failed once the write was logged

    turns = [await settle_in_turn(db, day=TODAY, every=3600) for _ in range(2)]

    assert turns == [True, False]
    assert await get_records(db, ids=[r.id for r in records]) == records


def _broken_record() -> dict[str, object]:
    return {
        "_id": "r-broken",
        "subject_id": "s-x",
        "subject_kind": "LEGAL_PERSON",
        "item_code": "NO_SUCH_ITEM",
        "catalogue_version": "2020.2",
        "category": "DISHONEST",
        "source_unit": "u",
        "source_record_id": "1",
        "document_number": "d",
        "decision_date": "2020-03-01",
        "data_items": {},
        "disclosure": {"start": "2020-03-01", "end": "2021-03-01", "rule": "r", "basis": "b"},
        "status": "ACTIVE",
        "created_at": at(TODAY),
        "order_key": "20200301|r-broken",
        # The integer days store/records.py writes beside the ISO strings (issue 9).
        "disclosure_start_day": 20200301,
        "disclosure_end_day": 20210301,
    }
