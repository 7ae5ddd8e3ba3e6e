"""API tests: submission is no oracle (issue 8 point 9) and names its authority (point 11)."""

from __future__ import annotations

from dataclasses import replace

import httpx

from store.audit import find_events
from store.database import Database
from store.subjects import insert_new_subjects
from tests.conftest import TokenFactory
from tests.submissions import (
    COMMENDATION_ITEMS,
    FIRM,
    PENALTY_ITEMS,
    PERSON,
    commendation,
    penalty,
    ref,
)
from tests.test_submission_api import codes, outcomes, submit

SAMR_FT = "440300-SAMR-FT"
COURT = "440300-COURT-INT"
HEALTH = "440300-HC"
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
