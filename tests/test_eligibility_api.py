"""API tests: programmes, eligibility of one subject or a batch, and its store round trips."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from domain.catalogue import Catalogue
from domain.commitments import CommitmentStatus
from domain.disclosure import Severity
from store import blacklist as blacklist_store
from store import commitments as commitment_store
from store.database import AUDIT_EVENTS, Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog, TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

PROGRAMMES = """{ programmes { code title clause subjectKinds minPoints maxPoints
  qualifying { items categories points cap window { decidedFrom decidedTo withinMonths } }
  blockers { kind items withinMonths } } }"""

ELIGIBILITY = """
query ($subject: ID!, $programme: String!) { eligibility(subject: $subject, programme: $programme) {
  subjectId programme eligible points qualifyingRecordIds rulesVersion evaluatedAt
  blockers { code message recordIds }
  subject { name }
} }
"""

ELIGIBILITIES = """
query ($subjects: [ID!]!, $programme: String!) {
  eligibilities(subjects: $subjects, programme: $programme) {
    subjectId eligible points blockers { code } subject { name }
  }
}
"""


async def test_programmes_are_public_data(api: httpx.AsyncClient) -> None:
    programmes = data_of(await graphql(api, PROGRAMMES))["programmes"]

    assert [p["code"] for p in programmes] == [
        "AWARDS_PRIORITY",
        "CREDIT_BONUS_POINTS",
        "FUNDING_PREFERENCE",
        "RESUMPTION_SUPPORT",
        "FINANCING",
        "COMMITMENT_FAST_TRACK",
    ]
    resumption = programmes[3]
    assert resumption["subjectKinds"] == ["LEGAL_PERSON", "OTHER_ORGANIZATION"]
    assert resumption["qualifying"][0]["categories"] == ["GOOD"]
    assert resumption["qualifying"][0]["window"] == {
        "decidedFrom": "2020-01-24",
        "decidedTo": None,
        "withinMonths": 36,
    }
    assert {"kind": "BLACKLISTED", "items": [], "withinMonths": None} in resumption["blockers"]


async def test_funding_department_sees_points_records_and_public_data_only(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person(name="王小明")
    records = [
        factories.record(catalogue, person, item_code="GOOD_2", decided=date(2020, 3, 1)),
        factories.record(catalogue, person, item_code="GOOD_5", decided=date(2020, 4, 1)),
    ]
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, records)

    body = await graphql(
        api,
        ELIGIBILITY,
        {"subject": person.id, "programme": "CREDIT_BONUS_POINTS"},
        token=token("funding", org="FUND-1"),
    )

    result = data_of(body)["eligibility"]
    assert result == {
        "subjectId": person.id,
        "programme": "CREDIT_BONUS_POINTS",
        "eligible": True,
        "points": 8,
        "qualifyingRecordIds": [records[0].id, records[1].id],
        "rulesVersion": "2020.2",
        "evaluatedAt": "2020-09-01T04:00:00+00:00",
        "blockers": [],
        "subject": {"name": "王**"},
    }
    # Notice 三(十二): the check is a query of the subject's credit, and is audited.
    events = await db[AUDIT_EVENTS].find({"subject_ids": person.id}).to_list(None)
    assert [(e["action"], e["viewer_org"]) for e in events] == [("READ", "FUND-1")]


async def test_blocked_subject_is_told_why(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 1),
        severity=Severity.SERIOUS,
    )
    breach = factories.record(catalogue, firm, item_code="DISHONEST_5", decided=date(2020, 8, 1))
    entry = factories.blacklist_entry(
        firm, [serious], listed=date(2020, 7, 1), until=date(2021, 1, 1)
    )
    broken = factories.commitment(
        firm,
        status=CommitmentStatus.VIOLATED,
        violated_on=date(2020, 8, 1),
        violation_record_id=breach.id,
    )
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [serious, breach])
    await blacklist_store.insert_entry(db, entry=entry)
    await commitment_store.insert_commitment(db, commitment=broken)

    body = await graphql(
        api,
        ELIGIBILITY,
        {"subject": firm.id, "programme": "AWARDS_PRIORITY"},
        token=token("funding", org="FUND-1"),
    )

    result = data_of(body)["eligibility"]
    assert result["eligible"] is False
    assert [(b["code"], b["recordIds"]) for b in result["blockers"]] == [
        ("BLACKLISTED", [serious.id]),
        ("SERIOUS_DISHONESTY_ACTIVE", [serious.id]),
        ("DISHONESTY_ACTIVE", [breach.id, serious.id]),
        ("COMMITMENT_VIOLATED", [breach.id]),
        ("INSUFFICIENT_POINTS", []),
    ]


async def test_batch_answers_in_the_order_asked_with_unknown_ids_named(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm, person = factories.firm(), factories.person()
    await insert_new_subjects(db, subjects=[firm, person])

    body = await graphql(
        api,
        ELIGIBILITIES,
        {"subjects": [person.id, "s-none", firm.id, person.id], "programme": "FINANCING"},
        token=token("funding", org="FUND-1"),
    )

    results = data_of(body)["eligibilities"]
    assert [
        (r["subjectId"], r["eligible"], [b["code"] for b in r["blockers"]]) for r in results
    ] == [
        (person.id, False, ["SUBJECT_KIND_NOT_COVERED"]),
        ("s-none", False, ["SUBJECT_NOT_FOUND"]),
        (firm.id, True, []),
        (person.id, False, ["SUBJECT_KIND_NOT_COVERED"]),
    ]
    assert results[1]["subject"] is None


async def test_eligibility_refusals(api: httpx.AsyncClient, token: TokenFactory) -> None:
    funding = token("funding", org="FUND-1")
    variables: dict[str, Any] = {"subjects": ["s-1"], "programme": "FINANCING"}

    anonymous = await graphql(api, ELIGIBILITIES, variables)
    bank = await graphql(api, ELIGIBILITIES, variables, token=token("bank", org="BANK-1"))
    centre = await graphql(api, ELIGIBILITIES, variables, token=token("credit_centre"))
    unknown = await graphql(api, ELIGIBILITIES, variables | {"programme": "NO_SUCH"}, token=funding)
    too_many = await graphql(
        api, ELIGIBILITIES, variables | {"subjects": [f"s-{i}" for i in range(1001)]}, token=funding
    )
    single = await graphql(
        api, ELIGIBILITY, {"subject": "s-1", "programme": "NO_SUCH"}, token=funding
    )

    assert error_codes(anonymous) == error_codes(bank) == error_codes(centre) == ["FORBIDDEN"]
    assert error_codes(unknown) == error_codes(single) == ["PROGRAMME_UNKNOWN"]
    assert unknown["errors"][0]["extensions"]["field"] == "programme"
    assert error_codes(too_many) == ["BATCH_TOO_LARGE"]
    assert too_many["errors"][0]["extensions"]["field"] == "subjects"


async def test_batch_of_1000_costs_the_round_trips_of_a_batch_of_10(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    commands: CommandLog,
) -> None:
    firms = [factories.firm(5000 + i) for i in range(1000)]
    records = [
        factories.record(catalogue, f, item_code="GOOD_7", decided=date(2020, 4, 1)) for f in firms
    ]
    await insert_new_subjects(db, subjects=firms)
    await seed_records(db, records)
    funding = token("funding", org="FUND-1")

    counts = {}
    for size in (10, 1000):
        ids = [f.id for f in firms[:size]]
        commands.start()
        body = await graphql(
            api, ELIGIBILITIES, {"subjects": ids, "programme": "FINANCING"}, token=funding
        )
        counts[size] = commands.stop()
        results = data_of(body)["eligibilities"]
        assert [r["points"] for r in results] == [5] * size

    # Run side by side, the reads may start in any order.
    assert sorted(counts[10]) == sorted(counts[1000])
    # The token's revocation check; standings, blacklist entries, commitments, the subjects
    # asked for (`subject { name }`); the audit.
    assert sorted(counts[1000]) == ["find", "find", "find", "find", "find", "insert"]


async def test_records_refused_or_withdrawn_neither_earn_nor_block(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    """Art. 39 refusals and objection removals are not used; the same records otherwise are."""
    flagged, plain = factories.person(), factories.person()
    files = {}
    for person, flags in ((flagged, True), (plain, False)):
        kept = factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 1))
        refused = factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 2))
        praised = factories.record(catalogue, person, item_code="GOOD_2", decided=date(2020, 3, 3))
        serious = factories.record(
            catalogue,
            person,
            item_code="DISHONEST_2",
            decided=date(2020, 6, 1),
            severity=Severity.SERIOUS,
        )
        breach = factories.record(
            catalogue, person, item_code="DISHONEST_5", decided=date(2020, 8, 1)
        )
        broken = factories.commitment(
            person,
            status=CommitmentStatus.VIOLATED,
            violated_on=date(2020, 8, 1),
            violation_record_id=breach.id,
        )
        records = [
            kept,
            refused.model_copy(update={"opted_out": flags}),
            praised.model_copy(update={"hidden": flags}),
            serious.model_copy(update={"hidden": flags}),
            breach.model_copy(update={"hidden": flags}),
        ]
        await insert_new_subjects(db, subjects=[person])
        await seed_records(db, records)
        await commitment_store.insert_commitment(db, commitment=broken)
        files[person.id] = records
    funding = token("funding", org="FUND-1")

    results = {}
    for person in (flagged, plain):
        body = await graphql(
            api,
            ELIGIBILITY,
            {"subject": person.id, "programme": "AWARDS_PRIORITY"},
            token=funding,
        )
        results[person.id] = data_of(body)["eligibility"]

    kept = files[flagged.id][0]
    assert results[flagged.id]["eligible"] is True
    assert (results[flagged.id]["points"], results[flagged.id]["qualifyingRecordIds"]) == (
        10,
        [kept.id],
    )
    assert results[flagged.id]["blockers"] == []
    mirror = [r.id for r in files[plain.id]]
    assert (results[plain.id]["eligible"], results[plain.id]["points"]) == (False, 30)
    assert results[plain.id]["qualifyingRecordIds"] == mirror[2::-1]  # newest first
    assert [(b["code"], b["recordIds"]) for b in results[plain.id]["blockers"]] == [
        ("SERIOUS_DISHONESTY_ACTIVE", [mirror[3]]),
        ("DISHONESTY_ACTIVE", [mirror[4], mirror[3]]),
        ("COMMITMENT_VIOLATED", [mirror[4]]),
    ]
