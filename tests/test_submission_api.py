"""API tests: source units submit records in batches and revoke their own.

Submission is no oracle (issue 8 point 9) and names its authority (point 11).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from typing import Any

import httpx
import pytest

from domain.outcomes import BatchPlanner
from domain.records import ChangeKind, RecordStatus
from domain.submission import RecordSubmission
from resolvers import submission as submission_resolvers
from store.audit import find_events
from store.database import RECORDS, SUBJECTS, Database
from store.feed import count_changes
from store.records import get_records
from store.subjects import get_subjects_by_identifiers, insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.submissions import (
    COMMENDATION_ITEMS,
    FIRM,
    PENALTY_ITEMS,
    PERSON,
    as_input,
    commendation,
    late_report,
    penalty,
    ref,
)

SUBMIT = """
mutation Submit($records: [RecordSubmissionInput!]!) {
  submitRecords(records: $records) {
    accepted duplicates conflicts rejected
    results { index sourceRecordId outcome recordId problems { code field message } }
  }
}
"""

REVOKE = """
mutation Revoke($id: ID!, $reason: String!) {
  revokeRecord(id: $id, reason: $reason) {
    __typename
    ... on RevokeRecordSuccess { record { id status } }
    ... on UserError { code field message }
  }
}
"""

RECORD = "query ($id: ID!) { record(id: $id) { id status disclosure { end } } }"

SAMR_FT = "440300-SAMR-FT"
PSB_FT = "440300-PSB-FT"
COURT = "440300-COURT-INT"
HEALTH = "440300-HC"


async def submit(
    api: httpx.AsyncClient, token: str | None, *submissions: RecordSubmission
) -> dict[str, Any]:
    body = await graphql(api, SUBMIT, {"records": [as_input(s) for s in submissions]}, token=token)
    result: dict[str, Any] = data_of(body)["submitRecords"]
    return result


def outcomes(result: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in result["results"]]


def codes(result: dict[str, Any], index: int = 0) -> list[tuple[str, str]]:
    return [(p["code"], p["field"]) for p in result["results"][index]["problems"]]


async def counts(db: Database) -> tuple[int, int, int]:
    """Records, subjects and change-feed entries stored."""
    return (
        await db[RECORDS].count_documents({}),
        await db[SUBJECTS].count_documents({}),
        await count_changes(db),
    )


# Accepting


async def test_submit_records_new_penalty_is_stored_with_its_new_subject(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty())

    assert (result["accepted"], result["rejected"]) == (1, 0)
    [item] = result["results"]
    assert (item["index"], item["sourceRecordId"], item["outcome"]) == (
        0,
        "2020-000001",
        "ACCEPTED",
    )
    [subject] = await get_subjects_by_identifiers(db, identifiers=[FIRM.identifier])
    assert subject is not None
    assert subject.name == FIRM.name
    assert subject.id != FIRM.id  # generated, never derived from the identifier
    [record] = await get_records(db, ids=[item["recordId"]])
    assert record is not None
    assert (record.subject_id, record.source_unit) == (subject.id, SAMR_FT)
    assert [c.kind for c in record.history] == [ChangeKind.CREATED]
    shown = data_of(await graphql(api, RECORD, {"id": item["recordId"]}))["record"]
    assert shown == {
        "id": item["recordId"],
        "status": "ACTIVE",
        "disclosure": {"end": "2023-03-01"},  # notice 二(八): a 一(二) act in the window
    }


async def test_submit_records_existing_subject_is_used(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[FIRM])

    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty())

    [record] = await get_records(db, ids=[result["results"][0]["recordId"]])
    assert record is not None
    assert record.subject_id == FIRM.id
    assert await db[SUBJECTS].count_documents({}) == 1


async def test_submit_records_mixed_batch_stores_the_accepted_ones(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    bad = penalty(source_record_id="2", items=PENALTY_ITEMS | {"home_address": "某地"})

    result = await submit(
        api, token("source_unit", unit=SAMR_FT), penalty(), bad, late_report(source_record_id="3")
    )

    assert outcomes(result) == ["ACCEPTED", "REJECTED", "ACCEPTED"]
    assert (result["accepted"], result["rejected"]) == (2, 1)
    assert codes(result, 1) == [("NOT_IN_CATALOGUE", "dataItems.home_address")]
    assert result["results"][1]["recordId"] is None
    stored = await db[RECORDS].find({}, {"source_record_id": 1}, limit=10).to_list(None)
    assert sorted(d["source_record_id"] for d in stored) == ["2020-000001", "3"]


async def test_submit_records_same_batch_twice_changes_nothing(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    batch = [penalty(), late_report(source_record_id="2"), penalty(source_record_id="3")]
    first = await submit(api, unit, *batch)
    before = await counts(db)

    again = await submit(api, unit, *batch)

    assert outcomes(again) == ["DUPLICATE"] * 3
    assert again["duplicates"] == 3
    assert [r["recordId"] for r in again["results"]] == [r["recordId"] for r in first["results"]]
    assert await counts(db) == before == (3, 1, 3)


async def test_submit_records_changed_resubmission_is_a_conflict_and_changes_nothing(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    await submit(api, unit, penalty())
    before = await counts(db)

    result = await submit(api, unit, penalty(document_number="深市监福罚〔2020〕13号"))

    assert outcomes(result) == ["CONFLICT"]
    assert result["conflicts"] == 1
    assert codes(result) == [("CONFLICT", "sourceRecordId")]
    assert "documentNumber" in result["results"][0]["problems"][0]["message"]
    assert await counts(db) == before


async def test_submit_records_correction_supersedes_and_keeps_history(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    first = await submit(api, unit, penalty())
    record_id = first["results"][0]["recordId"]

    fixed = penalty(items=PENALTY_ITEMS | {"fine_amount": "600000"}, correction=True)
    result = await submit(api, unit, fixed)

    assert outcomes(result) == ["ACCEPTED"]
    assert result["results"][0]["recordId"] == record_id
    [record] = await get_records(db, ids=[record_id])
    assert record is not None
    assert record.data_items["fine_amount"] == "600000"
    assert [(c.version, c.kind) for c in record.history] == [
        (1, ChangeKind.CREATED),
        (2, ChangeKind.CORRECTED),
    ]
    assert await counts(db) == (1, 1, 2)


async def test_submit_records_batch_of_1001_is_refused_whole(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    batch = [as_input(penalty(source_record_id=str(i))) for i in range(1001)]

    body = await graphql(api, SUBMIT, {"records": batch}, token=token("source_unit", unit=SAMR_FT))

    assert error_codes(body) == ["BATCH_TOO_LARGE"]
    assert body["errors"][0]["extensions"]["field"] == "records"
    assert "at most 1000 records, 1001 were sent" in body["errors"][0]["message"]
    assert await counts(db) == (0, 0, 0)


async def test_submit_records_batch_of_1000_is_judged(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    batch = [penalty(source_record_id=str(i), severity=None) for i in range(1000)]

    result = await submit(api, token("source_unit", unit=SAMR_FT), *batch)

    assert result["rejected"] == 1000


async def test_submit_records_batch_being_judged_lets_other_requests_be_answered_meanwhile(
    api: httpx.AsyncClient, token: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judging a thousand items takes about a tenth of a second; it gives way to the requests
    served beside it every `JUDGED_PER_TURN` items instead of holding them up."""
    judged = 0

    class Counting(BatchPlanner):
        def add(self, index: int, submission: RecordSubmission) -> None:
            nonlocal judged
            judged += 1
            super().add(index, submission)

    monkeypatch.setattr(submission_resolvers, "BatchPlanner", Counting)
    batch = [penalty(source_record_id=str(i)) for i in range(1000)]
    submitted = asyncio.create_task(submit(api, token("source_unit", unit=SAMR_FT), *batch))
    seen_while_judging = []
    while not submitted.done():
        await graphql(api, "{ __typename }")  # answered without waiting on anything: it
        seen_while_judging.append(judged)
        await asyncio.sleep(0)  # would never let the submission go on without this

    assert (await submitted)["accepted"] == 1000
    assert any(0 < n < 1000 for n in seen_while_judging)


# Who may submit what (notice 一(三))


async def test_submit_records_penalty_unit_submitting_a_commendation_is_not_authorized(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await submit(api, token("source_unit", unit=SAMR_FT), commendation())

    assert outcomes(result) == ["REJECTED"]
    assert codes(result) == [("UNIT_NOT_AUTHORIZED", "item")]


async def test_submit_records_commendation_from_the_awarding_department_is_accepted(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await submit(api, token("source_unit", unit=HEALTH), commendation())

    assert outcomes(result) == ["ACCEPTED"]


async def test_submit_records_commendation_below_district_level_is_not_authorized(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await submit(api, token("source_unit", unit="440304001-SO"), commendation())

    assert codes(result) == [("UNIT_NOT_AUTHORIZED", "item")]


async def test_submit_records_criminal_judgment_only_from_the_intermediate_court(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    # A judgment is told by penalty_type 刑事处罚 or a judgment case number.
    judgment = penalty(
        item_code="DISHONEST_1",
        document_number="（2020）粤03刑初12号",
        items={k: v for k, v in PENALTY_ITEMS.items() if k != "product_name"}
        | {
            "penalty_type": "刑事处罚",
            "judgment_number": "（2020）粤03刑初12号",
            "deciding_authority": "深圳市中级人民法院",
        },
    )

    police = await submit(api, token("source_unit", unit=PSB_FT), judgment)
    court = await submit(api, token("source_unit", unit=COURT), judgment)

    assert codes(police) == [("UNIT_NOT_AUTHORIZED", "item")]
    assert outcomes(court) == ["ACCEPTED"]


# Opt-out, tolerance, subjects


async def test_submit_records_commendation_of_a_person_who_opted_out_is_refused(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[PERSON.model_copy(update={"opted_out": True})])

    result = await submit(api, token("source_unit", unit=HEALTH), commendation())

    assert codes(result) == [("SUBJECT_OPTED_OUT", "subject.identifier")]
    assert await db[RECORDS].count_documents({}) == 0


async def test_submit_records_excused_tolerable_record_is_hidden_from_anonymous(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await submit(api, token("source_unit", unit=SAMR_FT), late_report())
    record_id = result["results"][0]["recordId"]

    anonymous = data_of(await graphql(api, RECORD, {"id": record_id}))["record"]
    listed = data_of(await graphql(api, "{ records { edges { node { id } } } }"))["records"]
    government = await graphql(api, RECORD, {"id": record_id}, token=token("government"))

    assert outcomes(result) == ["ACCEPTED"]
    assert anonymous is None
    assert listed["edges"] == []
    assert data_of(government)["record"]["status"] == RecordStatus.EXCUSED


async def test_submit_records_name_differing_from_file_is_a_mismatch_without_echo(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[FIRM])
    renamed = replace(ref(FIRM), name="别的名字有限公司")

    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty(subject=renamed))

    assert codes(result) == [("SUBJECT_MISMATCH", "subject.name")]
    assert FIRM.name not in str(result)


async def test_submit_records_writes_an_audit_event_naming_the_subject(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[FIRM])

    await submit(api, token("source_unit", unit=SAMR_FT), penalty())

    [event] = await find_events(db, limit=10)
    assert (event.action, event.operation, event.subject_ids) == ("WRITE", "Submit", (FIRM.id,))


# Refusals of the whole request


async def test_submit_records_without_the_scope_is_forbidden(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    for bearer in (None, token("government")):
        body = await graphql(api, SUBMIT, {"records": [as_input(penalty())]}, token=bearer)

        assert error_codes(body) == ["FORBIDDEN"]
        assert "records:submit" in body["errors"][0]["message"]
    assert await counts(db) == (0, 0, 0)


async def test_submit_records_from_an_unregistered_unit_is_forbidden(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(
        api, SUBMIT, {"records": [as_input(penalty())]}, token=token("source_unit", unit="X-1")
    )

    assert error_codes(body) == ["FORBIDDEN"]
    assert "not a registered source unit" in body["errors"][0]["message"]


# Round trips


async def test_submit_records_round_trips_do_not_grow_with_the_batch(
    api: httpx.AsyncClient, db: Database, token: TokenFactory, commands: CommandLog
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    sent = {}
    for size, offset in ((50, 0), (500, 1000)):
        batch = [
            penalty(
                source_record_id=f"R{offset + i}", subject=ref(factories.firm(8000 + offset + i))
            )
            for i in range(size)
        ]
        commands.start()
        result = await submit(api, unit, *batch)
        sent[size] = commands.stop()
        assert result["accepted"] == size

    assert sent[50] == sent[500]
    # Token revocation, the token's creation rate, unit, rejections this hour, records,
    # subjects; insert subjects; reserve sequence numbers, log the write (one entry), insert
    # records, insert the new subjects' standings whole, mark applied; the audit event.
    expected = ["find", "findAndModify"] + ["find"] * 4
    expected += ["insert", "findAndModify", "insert", "insert", "insert", "update", "insert"]
    assert sent[500] == expected


# Revocation


async def revoke(
    api: httpx.AsyncClient, bearer: str, record_id: str, reason: str = "行政复议撤销原处罚决定"
) -> dict[str, Any]:
    body = await graphql(api, REVOKE, {"id": record_id, "reason": reason}, token=bearer)
    result: dict[str, Any] = data_of(body)["revokeRecord"]
    return result


async def test_revoke_record_by_its_unit_hides_it_at_once_and_keeps_history(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    record_id = (await submit(api, unit, penalty()))["results"][0]["recordId"]

    result = await revoke(api, unit, record_id)

    assert result == {
        "__typename": "RevokeRecordSuccess",
        "record": {"id": record_id, "status": "REVOKED"},
    }
    assert data_of(await graphql(api, RECORD, {"id": record_id}))["record"] is None
    [record] = await get_records(db, ids=[record_id])
    assert record is not None
    assert [(c.kind, c.reason) for c in record.history] == [
        (ChangeKind.CREATED, ""),
        (ChangeKind.REVOKED, "行政复议撤销原处罚决定"),
    ]
    assert await count_changes(db) == 2


async def test_revoke_record_twice_is_already_revoked(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    record_id = (await submit(api, unit, penalty()))["results"][0]["recordId"]
    await revoke(api, unit, record_id)

    result = await revoke(api, unit, record_id)

    assert (result["code"], result["field"]) == ("ALREADY_REVOKED", "id")


async def test_revoke_record_of_another_unit_is_not_found(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    record_id = (await submit(api, token("source_unit", unit=SAMR_FT), penalty()))["results"][0][
        "recordId"
    ]

    other = await revoke(api, token("source_unit", unit=PSB_FT), record_id)
    missing = await revoke(api, token("source_unit", unit=PSB_FT), "r-nothing")

    assert (other["code"], other["field"]) == ("NOT_FOUND", "id")
    assert other["message"] == missing["message"]
    [record] = await get_records(db, ids=[record_id])
    assert record is not None
    assert record.status is RecordStatus.ACTIVE


async def test_revoke_record_reason_length_boundaries(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    unit = token("source_unit", unit=SAMR_FT)
    record_id = (await submit(api, unit, penalty()))["results"][0]["recordId"]

    for reason in ("", "  ", "撤" * 501):
        refused = await revoke(api, unit, record_id, reason)
        assert (refused["code"], refused["field"]) == ("BAD_USER_INPUT", "reason"), reason
    accepted = await revoke(api, unit, record_id, "撤" * 500)

    assert accepted["record"]["status"] == "REVOKED"


async def test_revoke_record_without_the_scope_is_forbidden(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await revoke(api, token("government"), "r-anything")

    assert result["code"] == "FORBIDDEN"
    assert "records:submit" in result["message"]


async def test_submit_records_decision_tomorrow_is_a_future_date(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    result = await submit(
        api, token("source_unit", unit=SAMR_FT), penalty(decision_date=date(2020, 9, 2))
    )

    assert codes(result) == [("FUTURE_DATE", "decisionDate")]


DISTRICT_GOV = "440304-GOV"


async def test_submit_records_name_mismatch_of_an_invalid_record_is_not_reported(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[FIRM])
    renamed = replace(ref(FIRM), name="别的名字有限公司")
    invalid = penalty(subject=renamed, items=PENALTY_ITEMS | {"fine_amount": "五百元"})

    result = await submit(api, token("source_unit", unit=SAMR_FT), invalid)

    assert codes(result) == [("INVALID_FORMAT", "dataItems.fine_amount")]


async def test_submit_records_name_in_other_width_matches_the_name_on_file(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = FIRM.model_copy(update={"name": "深圳市华鹏科技合伙企业（有限合伙）"})
    await insert_new_subjects(db, subjects=[firm])
    half_width = replace(ref(firm), name="深圳市华鹏科技合伙企业(有限合伙) ")

    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty(subject=half_width))

    assert outcomes(result) == ["ACCEPTED"]


async def test_submit_records_rejected_batch_is_audited_on_the_files_it_named(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[FIRM])
    renamed = replace(ref(FIRM), name="别的名字有限公司")

    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty(subject=renamed))

    assert outcomes(result) == ["REJECTED"]
    [event] = await find_events(db, limit=10)
    assert (event.action, event.operation, event.subject_ids) == ("WRITE", "Submit", (FIRM.id,))
    assert event.record_ids == ()


async def test_submit_records_rejected_batch_about_nobody_on_file_is_audited(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    bad = penalty(items=PENALTY_ITEMS | {"fine_amount": "-1"})

    await submit(api, token("source_unit", unit=SAMR_FT), bad)

    [event] = await find_events(db, limit=10)
    assert (event.action, event.operation, event.subject_ids) == ("WRITE", "Submit", ())


async def test_submit_records_penalty_decided_by_another_authority_is_not_authorized(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    other = PENALTY_ITEMS | {"deciding_authority": "深圳市市场监督管理局南山监管局"}

    result = await submit(api, token("source_unit", unit=SAMR_FT), penalty(items=other))

    assert codes(result) == [("UNIT_NOT_AUTHORIZED", "dataItems.deciding_authority")]


async def test_submit_records_court_submits_a_district_court_judgment(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    judgment = PENALTY_ITEMS | {
        "penalty_type": "刑事处罚",
        "judgment_number": "（2020）粤0304刑初12号",
        "deciding_authority": "深圳市福田区人民法院",
    }

    result = await submit(api, token("source_unit", unit=COURT), penalty(items=judgment))

    assert outcomes(result) == ["ACCEPTED"]


async def test_submit_records_commendation_above_the_awarding_level_is_refused(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    items = COMMENDATION_ITEMS | {
        "awarding_department": "深圳市福田区人民政府",
        "commendation_level": "市级",
    }

    result = await submit(api, token("source_unit", unit=DISTRICT_GOV), commendation(items=items))

    assert codes(result) == [("LEVEL_ABOVE_AUTHORITY", "dataItems.commendation_level")]


async def test_submit_records_national_commendation_through_its_competent_department(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    items = COMMENDATION_ITEMS | {
        "awarding_department": "国家卫生健康委员会",
        "commendation_level": "国家级",
    }

    result = await submit(api, token("source_unit", unit=HEALTH), commendation(items=items))

    assert outcomes(result) == ["ACCEPTED"]


async def test_submit_records_opt_out_is_told_only_for_an_otherwise_valid_line(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    await insert_new_subjects(db, subjects=[PERSON.model_copy(update={"opted_out": True})])
    after_window = COMMENDATION_ITEMS | {"conduct_date": "2021-01-05"}
    lines = [
        commendation(source_record_id="c-1", subject=replace(ref(PERSON), name="王某某")),
        commendation(source_record_id="c-2", items=COMMENDATION_ITEMS | {"mobile": "1"}),
        commendation(source_record_id="c-3", items=after_window),
        commendation(source_record_id="c-4", document_number=" "),
        commendation(source_record_id="c-5"),
    ]

    result = await submit(api, token("source_unit", unit=HEALTH), *lines)

    told = [[code for code, _ in codes(result, i)] for i in range(len(lines))]
    assert outcomes(result) == ["REJECTED"] * len(lines)
    assert all(problems and "SUBJECT_OPTED_OUT" not in problems for problems in told[:-1])
    assert codes(result, len(lines) - 1) == [("SUBJECT_OPTED_OUT", "subject.identifier")]
