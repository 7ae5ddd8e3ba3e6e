"""API tests: `disclosure.state` and `disclosure.end` over HTTP, as the portal and the subject
see them; the end day is on display, the day after is not (民法典 arts. 201–203)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from domain.catalogue import Catalogue
from domain.records import Record, RecordStatus
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.seed import seed_records

RECORD = "query ($id: ID!) { record(id: $id) { id disclosure { end state } } }"
LIST = "query { records(first: 50) { edges { node { id } } } }"

# TODAY is 2020-09-01. General penalties decided before the epidemic: 12 months on display.
ENDS_TODAY = date(2019, 9, 1)
ENDED_YESTERDAY = date(2019, 8, 31)


async def seeded(db: Database, catalogue: Catalogue, decided: date, **changes: object) -> Record:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=decided)
    record = record.model_copy(update=changes)
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [record])
    return record


async def shown(api: httpx.AsyncClient, record: Record, token: str | None) -> dict[str, Any] | None:
    found: dict[str, Any] | None = data_of(
        await graphql(api, RECORD, {"id": record.id}, token=token)
    )["record"]
    return found


async def test_record_on_its_end_day_is_disclosed_to_the_portal(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    record = await seeded(db, catalogue, ENDS_TODAY)

    found = await shown(api, record, None)
    listed = data_of(await graphql(api, LIST))["records"]["edges"]

    assert found == {"id": record.id, "disclosure": {"end": "2020-09-01", "state": "DISCLOSED"}}
    assert [e["node"]["id"] for e in listed] == [record.id]


async def test_record_the_day_after_its_end_is_gone_from_the_portal_and_ended_for_its_subject(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    record = await seeded(db, catalogue, ENDED_YESTERDAY)

    own = await shown(api, record, token("subject", subject=record.subject_id))

    assert await shown(api, record, None) is None
    assert data_of(await graphql(api, LIST))["records"]["edges"] == []
    assert own == {"id": record.id, "disclosure": {"end": "2020-08-31", "state": "ENDED"}}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({"status": RecordStatus.REPAIRED}, "REPAIRED"),
        ({"status": RecordStatus.REVOKED}, "WITHDRAWN"),
        ({"status": RecordStatus.EXCUSED}, "EXCUSED"),
        ({"status": RecordStatus.CLEARED}, "CLEARED"),
        ({"hidden": True}, "WITHDRAWN"),
        ({"opted_out": True}, "OPTED_OUT"),
    ],
)
async def test_record_off_display_is_never_disclosed_to_its_subject(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    changes: dict[str, object],
    state: str,
) -> None:
    record = await seeded(db, catalogue, ENDS_TODAY, **changes)

    own = await shown(api, record, token("subject", subject=record.subject_id))

    assert own is not None
    assert own["disclosure"]["state"] == state
    assert await shown(api, record, None) is None
