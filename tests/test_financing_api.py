"""API tests: the financing profile a bank reads only with the firm's live grant (三(十三))."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx

from domain.catalogue import Catalogue, Category
from domain.commitments import CommitmentStatus
from domain.disclosure import Severity
from domain.grants import AuthorizationGrant
from domain.records import ChangeKind, Record, RecordChange, RecordStatus
from domain.subjects import Subject
from store import commitments as commitment_store
from store.database import AUDIT_EVENTS, Database
from store.grants import insert_grant
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, CommandLog, TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

BANK = "BANK-001"
NOW = datetime(2020, 9, 1, 4, tzinfo=UTC)
PROFILE_CLASSES = (Category.GOOD, Category.DISHONEST, Category.COMMITMENT)

PROFILE = """
query ($subject: ID!) { financingProfile(subject: $subject) {
  subject { id name }
  grantId
  goodRecords { id }
  activeDishonesty { id }
  blacklisted
  blacklistEntries { id }
  commitments { id status dataItems { key value masked } }
  repairs { recordId itemCode decisionDate repairedAt }
  eligibility { programme eligible points blockers { code } }
  grade { grade label reasons }
} }
"""


def grant(
    subject: Subject,
    *,
    org: str = BANK,
    classes: tuple[Category, ...] = PROFILE_CLASSES,
    valid_until: datetime = NOW + timedelta(days=30),
    revoked_at: datetime | None = None,
) -> AuthorizationGrant:
    return AuthorizationGrant(
        id=f"g-{subject.id}-{org}-{len(classes)}-{revoked_at is not None}",
        subject_id=subject.id,
        grantee_org=org,
        purpose="贷款审查",
        data_classes=classes,
        valid_from=NOW - timedelta(days=1),
        valid_until=valid_until,
        revoked_at=revoked_at,
        created_at=NOW - timedelta(days=1),
    )


async def test_bank_reads_the_whole_profile_with_a_grade(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm(name="深圳市华鹏科技有限公司")
    goods = [
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, d))
        for d in (1, 2, 3)
    ]
    repaired = factories.record(
        catalogue, firm, item_code="DISHONEST_4", decided=date(2020, 2, 1)
    ).model_copy(
        update={
            "status": RecordStatus.REPAIRED,
            "version": 2,
            "history": (
                RecordChange(version=2, kind=ChangeKind.REPAIRED, at=NOW, by="centre", reason=""),
            ),
        }
    )
    commitment = factories.commitment(firm)
    given = grant(firm)
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [*goods, repaired])
    await commitment_store.insert_commitment(db, commitment=commitment)
    await insert_grant(db, grant=given)

    body = await graphql(api, PROFILE, {"subject": firm.id}, token=token("bank", org=BANK))

    profile = data_of(body)["financingProfile"]
    assert profile["subject"] == {"id": firm.id, "name": "深圳市华鹏科技有限公司"}
    assert profile["grantId"] == given.id
    assert {r["id"] for r in profile["goodRecords"]} == {r.id for r in goods}
    assert profile["activeDishonesty"] == []
    assert (profile["blacklisted"], profile["blacklistEntries"]) == (False, [])
    [shown] = profile["commitments"]
    assert shown["status"] == "ACTIVE"
    assert {"key": "signatory", "value": "李建国", "masked": False} in shown["dataItems"]
    assert profile["repairs"] == [
        {
            "recordId": repaired.id,
            "itemCode": "DISHONEST_4",
            "decisionDate": "2020-02-01",
            "repairedAt": "2020-09-01T04:00:00+00:00",
        }
    ]
    assert profile["eligibility"] == {
        "programme": "FINANCING",
        "eligible": True,
        "points": 15,
        "blockers": [],
    }
    assert profile["grade"]["grade"] == "A"
    assert profile["grade"]["reasons"] == ["15 points under FINANCING, at least 15"]
    [event] = await db[AUDIT_EVENTS].find({"subject_ids": firm.id}).to_list(None)
    assert (event["grant_ids"], event["viewer_org"]) == ([given.id], BANK)
    assert "signatory" in event["data_item_keys"]


async def test_profile_showing_only_public_values_is_audited_with_its_grant(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    given = grant(firm)
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(
        db,
        [factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1))],
    )
    await insert_grant(db, grant=given)

    body = await graphql(
        api,
        "query ($s: ID!) { financingProfile(subject: $s) { grade { grade } } }",
        {"s": firm.id},
        token=token("bank", org=BANK),
    )

    assert data_of(body)["financingProfile"] == {"grade": {"grade": "B"}}
    [event] = await db[AUDIT_EVENTS].find({"subject_ids": firm.id}).to_list(None)
    assert (event["grant_ids"], event["data_item_keys"]) == ([given.id], [])


async def test_serious_dishonesty_grades_d_and_blocks_financing(
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
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [serious])
    await insert_grant(db, grant=grant(firm))

    body = await graphql(api, PROFILE, {"subject": firm.id}, token=token("bank", org=BANK))

    profile = data_of(body)["financingProfile"]
    assert [r["id"] for r in profile["activeDishonesty"]] == [serious.id]
    assert profile["eligibility"]["blockers"] == [{"code": "SERIOUS_DISHONESTY_ACTIVE"}]
    assert profile["grade"]["grade"] == "D"
    assert profile["grade"]["reasons"][0].startswith("SERIOUS_DISHONESTY_ACTIVE: ")


async def test_profile_without_a_live_covering_grant_is_grant_required(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    none, partial, revoked, expired, elsewhere = (factories.firm() for _ in range(5))
    await insert_new_subjects(db, subjects=[none, partial, revoked, expired, elsewhere])
    for given in (
        grant(partial, classes=(Category.GOOD, Category.DISHONEST)),
        grant(revoked, revoked_at=NOW - timedelta(hours=1)),
        grant(expired, valid_until=NOW - timedelta(seconds=1)),
        grant(elsewhere, org="BANK-OTHER"),
    ):
        await insert_grant(db, grant=given)
    bank = token("bank", org=BANK)

    for subject_id in (none.id, partial.id, revoked.id, expired.id, elsewhere.id, "s-none"):
        body = await graphql(api, PROFILE, {"subject": subject_id}, token=bank)
        assert error_codes(body) == ["GRANT_REQUIRED"], subject_id
        assert body["errors"][0]["extensions"]["field"] == "subject"
    assert await db[AUDIT_EVENTS].count_documents({}) == 0


async def test_profile_for_anyone_but_a_bank_is_forbidden(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    await insert_grant(db, grant=grant(firm))

    for holder in (None, token("funding", org=BANK), token("subject", subject=firm.id)):
        body = await graphql(api, PROFILE, {"subject": firm.id}, token=holder)
        assert error_codes(body) == ["FORBIDDEN"]


def repaired(record: Record) -> Record:
    return record.model_copy(
        update={
            "status": RecordStatus.REPAIRED,
            "version": 2,
            "history": (
                RecordChange(version=2, kind=ChangeKind.REPAIRED, at=NOW, by="centre", reason=""),
            ),
        }
    )


async def test_profile_leaves_out_records_removed_from_display_on_an_objection(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    firm = factories.firm()
    good, withdrawn_good = (
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, d))
        for d in (1, 2)
    )
    general = factories.record(catalogue, firm, item_code="DISHONEST_4", decided=date(2020, 6, 1))
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 2),
        severity=Severity.SERIOUS,
    )
    fixed, withdrawn_fix = (
        repaired(
            factories.record(catalogue, firm, item_code="DISHONEST_4", decided=date(2020, 2, d))
        )
        for d in (1, 2)
    )
    hide = {"hidden": True}
    records = [
        good,
        withdrawn_good.model_copy(update=hide),
        general,
        serious.model_copy(update=hide),
        fixed,
        withdrawn_fix.model_copy(update=hide),
    ]
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, records)
    await insert_grant(db, grant=grant(firm))

    body = await graphql(api, PROFILE, {"subject": firm.id}, token=token("bank", org=BANK))

    profile = data_of(body)["financingProfile"]
    assert [r["id"] for r in profile["goodRecords"]] == [good.id]
    assert [r["id"] for r in profile["activeDishonesty"]] == [general.id]
    assert [r["recordId"] for r in profile["repairs"]] == [fixed.id]
    assert (profile["eligibility"]["points"], profile["eligibility"]["blockers"]) == (5, [])
    assert profile["grade"]["grade"] == "C"  # the general penalty shown, not the serious one
    assert profile["grade"]["reasons"] == [
        f"DISHONESTY_ACTIVE: dishonesty on public display: {general.id}"
    ]


async def test_profile_of_a_person_leaves_out_records_the_person_refused(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    person = factories.person()
    kept, refused = (
        factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, d))
        for d in (1, 2)
    )
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, [kept, refused.model_copy(update={"opted_out": True})])
    await insert_grant(db, grant=grant(person))

    body = await graphql(api, PROFILE, {"subject": person.id}, token=token("bank", org=BANK))

    profile = data_of(body)["financingProfile"]
    # Shenzhen regulation art. 39: shown to no one but the person and the credit centre.
    assert [r["id"] for r in profile["goodRecords"]] == [kept.id]
    assert profile["eligibility"]["points"] == 5


async def test_profile_shows_commitments_as_the_subject_shows_them_in_one_read_each(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    commands: CommandLog,
) -> None:
    firm = factories.firm()
    valid = factories.commitment(firm, valid_until=TODAY)
    lapsed = factories.commitment(
        firm, valid_until=TODAY - timedelta(days=1), status=CommitmentStatus.FULFILLED
    )
    await insert_new_subjects(db, subjects=[firm])
    for commitment in (valid, lapsed):
        await commitment_store.insert_commitment(db, commitment=commitment)
    await insert_grant(db, grant=grant(firm))

    commands.start()
    body = await graphql(api, PROFILE, {"subject": firm.id}, token=token("bank", org=BANK))
    sent = commands.stop()

    # A bank sees an organisation's commitments while they are valid, as Subject.commitments.
    assert [c["id"] for c in data_of(body)["financingProfile"]["commitments"]] == [valid.id]
    # The token's revocation; grants; subjects, records, blacklist, commitments; the audit.
    assert sorted(sent) == ["find"] * 6 + ["insert"]
