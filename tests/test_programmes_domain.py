"""Domain tests: programmes as data, their points, windows and blockers.

Every shipped programme rewards every 一(一) item (notice 二(七), 三(十二)).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.blacklist import BlacklistEntry
from domain.catalogue import Catalogue, Category
from domain.commitments import Commitment, CommitmentStatus
from domain.disclosure import Severity
from domain.eligibility import Evaluation, evaluate, not_found
from domain.grading import RulesVersions, parse_rules
from domain.identifiers import SubjectKind
from domain.programmes import BlockerKind, PointRule, Programme, ProgrammeError, parse_programmes
from domain.records import Record, RecordStatus
from domain.standings import standing_of
from domain.subjects import Subject
from store.catalogue import read_default_catalogue
from store.programmes import read_default_rules, read_programme_text
from tests import factories

TODAY = date(2020, 9, 1)
AT = datetime(2020, 9, 1, 4, tzinfo=UTC)


def programme(**fields: Any) -> Programme:
    data: dict[str, Any] = {
        "code": "TEST",
        "title_zh": "测试",
        "title_en": "Test",
        "clause": "二(七)",
        "basis": "通知二(七)",
        "subject_kinds": ["NATURAL_PERSON", "LEGAL_PERSON", "OTHER_ORGANIZATION"],
    }
    return Programme.model_validate(data | fields)


def run(
    chosen: Programme,
    subject: Subject,
    records: list[Record] = [],  # noqa: B006 - never mutated
    entries: list[BlacklistEntry] = [],  # noqa: B006
    commitments: list[Commitment] = [],  # noqa: B006
    today: date = TODAY,
) -> Evaluation:
    return evaluate(
        chosen,
        standing=standing_of(subject.id, subject.kind, records),
        entries=entries,
        commitments=commitments,
        today=today,
        at=AT,
        rules_version="test",
    )


def good(catalogue: Catalogue, subject: Subject, item: str, decided: date) -> Record:
    return factories.record(catalogue, subject, item_code=item, decided=decided)


def bad(
    catalogue: Catalogue,
    subject: Subject,
    severity: Severity,
    *,
    item: str = "DISHONEST_2",
    decided: date = date(2020, 6, 1),
) -> Record:
    return factories.record(catalogue, subject, item_code=item, decided=decided, severity=severity)


def codes(evaluation: Evaluation) -> list[str]:
    return [b.code for b in evaluation.blockers]


POINTS = programme(
    qualifying=[
        {"items": ["GOOD_1", "GOOD_2"], "points": 5, "cap": 10},
        {"items": ["GOOD_5"], "points": 3},
    ],
    min_points=1,
)


def test_points_count_each_record_under_its_rule(catalogue: Catalogue) -> None:
    firm = factories.firm()
    records = [
        good(catalogue, firm, "GOOD_1", date(2020, 3, 1)),
        good(catalogue, firm, "GOOD_5", date(2020, 4, 1)),
    ]

    result = run(POINTS, firm, records)

    assert (result.eligible, result.points) == (True, 8)
    assert result.qualifying_record_ids == (records[0].id, records[1].id)
    assert (result.rules_version, result.evaluated_at) == ("test", AT)


def test_points_of_a_rule_stop_at_its_cap_but_every_record_qualifies(catalogue: Catalogue) -> None:
    firm = factories.firm()
    records = [good(catalogue, firm, "GOOD_2", date(2020, 3, d)) for d in (1, 2, 3)]

    result = run(POINTS, firm, records)

    assert result.points == 10
    assert len(result.qualifying_record_ids) == 3


def test_points_stop_at_the_programme_maximum(catalogue: Catalogue) -> None:
    firm = factories.firm()
    capped = programme(qualifying=[{"items": ["GOOD_5"], "points": 4}], max_points=10)
    records = [good(catalogue, firm, "GOOD_5", date(2020, 3, d)) for d in (1, 2, 3)]

    assert run(capped, firm, records).points == 10


def test_record_matching_two_rules_counts_once_under_the_first(catalogue: Catalogue) -> None:
    firm = factories.firm()
    twice = programme(
        qualifying=[{"items": ["GOOD_5"], "points": 4}, {"items": ["GOOD_5"], "points": 100}]
    )

    assert run(twice, firm, [good(catalogue, firm, "GOOD_5", date(2020, 3, 1))]).points == 4


@pytest.mark.parametrize(
    "changes",
    [
        {"status": RecordStatus.REVOKED},
        {"status": RecordStatus.REPAIRED},
        {"opted_out": True},  # Shenzhen regulation art. 39: refused, so never used
        {"hidden": True},  # removed from display on an objection
    ],
)
def test_records_that_no_longer_stand_earn_nothing(
    catalogue: Catalogue, changes: dict[str, object]
) -> None:
    person = factories.person()
    record = good(catalogue, person, "GOOD_5", date(2020, 3, 1))

    kept = run(POINTS, person, [record])
    result = run(POINTS, person, [record.model_copy(update=changes)])

    assert (kept.points, kept.qualifying_record_ids) == (3, (record.id,))
    assert (result.points, result.qualifying_record_ids) == (0, ())
    assert codes(result) == ["INSUFFICIENT_POINTS"]


def test_standing_record_past_its_display_still_earns_within_the_window(
    catalogue: Catalogue,
) -> None:
    firm = factories.firm()
    within = programme(
        qualifying=[{"items": ["GOOD_5"], "points": 3, "window": {"within_months": 36}}]
    )
    record = good(catalogue, firm, "GOOD_5", date(2020, 3, 1))
    later = date(2023, 3, 1)

    assert record.disclosure.end == later  # its display ends the day the window opens
    assert run(within, firm, [record], today=later).points == 3


FIXED = programme(
    qualifying=[
        {
            "items": ["GOOD_7"],
            "points": 10,
            "window": {"decided_from": "2020-01-24", "decided_to": "2020-12-31"},
        }
    ]
)


@pytest.mark.parametrize(
    ("decided", "points"),
    [
        (date(2020, 1, 23), 0),
        (date(2020, 1, 24), 10),
        (date(2020, 9, 1), 10),
        (date(2020, 9, 2), 0),  # after the evaluation day: not yet decided
    ],
)
def test_fixed_window_counts_both_ends_and_nothing_after_today(
    catalogue: Catalogue, decided: date, points: int
) -> None:
    firm = factories.firm()

    assert run(FIXED, firm, [good(catalogue, firm, "GOOD_7", decided)]).points == points


def test_fixed_window_end_day_counts(catalogue: Catalogue) -> None:
    firm = factories.firm()
    records = [good(catalogue, firm, "GOOD_7", date(2020, 12, 31))]
    later = [good(catalogue, firm, "GOOD_7", date(2021, 1, 1))]

    assert run(FIXED, firm, records, today=date(2021, 6, 1)).points == 10
    assert run(FIXED, firm, later, today=date(2021, 6, 1)).points == 0


RECENT = programme(qualifying=[{"items": ["GOOD_3"], "points": 2, "window": {"within_months": 6}}])


@pytest.mark.parametrize(
    ("decided", "points"), [(date(2020, 2, 29), 0), (date(2020, 3, 1), 2), (TODAY, 2)]
)
def test_relative_window_reaches_back_n_months_inclusive(
    catalogue: Catalogue, decided: date, points: int
) -> None:
    firm = factories.firm()

    assert run(RECENT, firm, [good(catalogue, firm, "GOOD_3", decided)]).points == points


def test_insufficient_points_block_with_a_message(catalogue: Catalogue) -> None:
    needs = programme(qualifying=[{"items": ["GOOD_5"], "points": 3}], min_points=5)
    firm = factories.firm()

    result = run(needs, firm, [good(catalogue, firm, "GOOD_5", date(2020, 3, 1))])

    assert not result.eligible
    assert result.blockers[0].message == "3 points; the programme needs 5"


def test_subject_kind_outside_the_programme_is_not_covered() -> None:
    firms_only = programme(subject_kinds=["LEGAL_PERSON"])

    result = run(firms_only, factories.person())

    assert codes(result) == ["SUBJECT_KIND_NOT_COVERED"]


def blocked_by(kind: BlockerKind, **rule: Any) -> Programme:
    return programme(blockers=[{"kind": kind.value, **rule}])


def test_blacklist_entry_in_force_blocks(catalogue: Catalogue) -> None:
    firm = factories.firm()
    basis = bad(catalogue, firm, Severity.SERIOUS)
    entry = factories.blacklist_entry(firm, [basis], listed=date(2020, 7, 1), until=TODAY)

    result = run(blocked_by(BlockerKind.BLACKLISTED), firm, entries=[entry])

    assert codes(result) == ["BLACKLISTED"]
    assert result.blockers[0].record_ids == (basis.id,)
    assert "2020-09-01" in result.blockers[0].message


def test_blacklist_entry_expired_yesterday_or_removed_does_not_block(catalogue: Catalogue) -> None:
    firm = factories.firm()
    basis = [bad(catalogue, firm, Severity.SERIOUS)]
    expired = factories.blacklist_entry(
        firm, basis, listed=date(2020, 7, 1), until=date(2020, 8, 31)
    )
    removed = factories.blacklist_entry(
        firm, basis, listed=date(2020, 7, 1), until=date(2021, 1, 1), removed=date(2020, 8, 1)
    )

    assert run(blocked_by(BlockerKind.BLACKLISTED), firm, entries=[expired, removed]).eligible


def test_serious_dishonesty_on_display_blocks_and_general_does_not(catalogue: Catalogue) -> None:
    firm = factories.firm()
    chosen = blocked_by(BlockerKind.SERIOUS_DISHONESTY_ACTIVE)
    serious = bad(catalogue, firm, Severity.SERIOUS)

    assert run(chosen, firm, [bad(catalogue, firm, Severity.GENERAL)]).eligible
    result = run(chosen, firm, [serious])
    assert codes(result) == ["SERIOUS_DISHONESTY_ACTIVE"]
    assert result.blockers[0].record_ids == (serious.id,)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": RecordStatus.REPAIRED},
        {"status": RecordStatus.REVOKED},
        {"hidden": True},
        {"opted_out": True},
    ],
)
def test_dishonesty_repaired_revoked_or_withdrawn_does_not_block(
    catalogue: Catalogue, changes: dict[str, object]
) -> None:
    firm = factories.firm()
    record = bad(catalogue, firm, Severity.SERIOUS).model_copy(update=changes)

    assert run(blocked_by(BlockerKind.SERIOUS_DISHONESTY_ACTIVE), firm, [record]).eligible


def test_dishonesty_blocks_through_its_last_display_day(catalogue: Catalogue) -> None:
    firm = factories.firm()
    # Decided before the epidemic: 12 months, last shown on 2020-09-02.
    record = bad(catalogue, firm, Severity.GENERAL, decided=date(2019, 9, 2))
    chosen = blocked_by(BlockerKind.DISHONESTY_ACTIVE)

    assert not run(chosen, firm, [record]).eligible
    assert not run(chosen, firm, [record], today=date(2020, 9, 2)).eligible
    assert run(chosen, firm, [record], today=date(2020, 9, 3)).eligible


def test_dishonesty_blocker_narrowed_to_items_ignores_others(catalogue: Catalogue) -> None:
    firm = factories.firm()
    chosen = blocked_by(BlockerKind.DISHONESTY_ACTIVE, items=["DISHONEST_1"])

    assert run(chosen, firm, [bad(catalogue, firm, Severity.GENERAL)]).eligible
    blocked = run(chosen, firm, [bad(catalogue, firm, Severity.GENERAL, item="DISHONEST_1")])
    assert codes(blocked) == ["DISHONESTY_ACTIVE"]


def test_dishonesty_blocker_within_months_ignores_older_decisions(catalogue: Catalogue) -> None:
    firm = factories.firm()
    chosen = blocked_by(BlockerKind.DISHONESTY_ACTIVE, within_months=3)

    older = run(chosen, firm, [bad(catalogue, firm, Severity.GENERAL, decided=date(2020, 5, 31))])
    newer = run(chosen, firm, [bad(catalogue, firm, Severity.GENERAL, decided=date(2020, 6, 1))])
    assert (older.eligible, newer.eligible) == (True, False)


def broken(catalogue: Catalogue, firm: Subject, on: date) -> tuple[Commitment, Record]:
    record = bad(catalogue, firm, Severity.GENERAL, item="DISHONEST_5", decided=on)
    c = factories.commitment(
        firm, status=CommitmentStatus.VIOLATED, violated_on=on, violation_record_id=record.id
    )
    return c, record


def test_violated_commitment_blocks_while_its_record_stands(catalogue: Catalogue) -> None:
    firm = factories.firm()
    c, record = broken(catalogue, firm, date(2020, 8, 1))

    result = run(blocked_by(BlockerKind.COMMITMENT_VIOLATED), firm, [record], commitments=[c])

    assert codes(result) == ["COMMITMENT_VIOLATED"]
    assert result.blockers[0].record_ids == (record.id,)
    assert c.number in result.blockers[0].message


@pytest.mark.parametrize(
    "changes",
    [{"status": RecordStatus.REPAIRED}, {"status": RecordStatus.REVOKED}, {"hidden": True}],
)
def test_violated_commitment_whose_record_no_longer_stands_does_not_block(
    catalogue: Catalogue, changes: dict[str, object]
) -> None:
    firm = factories.firm()
    c, record = broken(catalogue, firm, date(2020, 8, 1))
    withdrawn = record.model_copy(update=changes)

    assert run(
        blocked_by(BlockerKind.COMMITMENT_VIOLATED), firm, [withdrawn], commitments=[c]
    ).eligible


@pytest.mark.parametrize(("on", "blocks"), [(date(2019, 12, 31), False), (date(2020, 1, 1), True)])
def test_violated_commitment_within_months_counts_from_the_breach(
    catalogue: Catalogue, on: date, blocks: bool
) -> None:
    firm = factories.firm()
    chosen = blocked_by(BlockerKind.COMMITMENT_VIOLATED, within_months=8)
    c, record = broken(catalogue, firm, on)
    # The record is still shown: only the breach's age decides.
    shown = record.model_copy(
        update={"disclosure": record.disclosure.model_copy(update={"end": date(2022, 1, 1)})}
    )

    assert run(chosen, firm, [shown], commitments=[c]).eligible is not blocks


def test_active_and_fulfilled_commitments_do_not_block() -> None:
    firm = factories.firm()
    commitments = [
        factories.commitment(firm),
        factories.commitment(firm, status=CommitmentStatus.FULFILLED),
    ]

    assert run(blocked_by(BlockerKind.COMMITMENT_VIOLATED), firm, commitments=commitments).eligible


def test_every_blocker_is_reported_at_once(catalogue: Catalogue) -> None:
    firm = factories.firm()
    serious = bad(catalogue, firm, Severity.SERIOUS)
    c, record = broken(catalogue, firm, date(2020, 8, 1))
    entry = factories.blacklist_entry(firm, [serious], listed=TODAY, until=date(2021, 1, 1))
    everything = programme(
        blockers=[{"kind": k.value} for k in BlockerKind],
        min_points=1,
        subject_kinds=["LEGAL_PERSON"],
    )

    result = run(everything, firm, [serious, record], [entry], [c])

    assert codes(result) == [
        "BLACKLISTED",
        "SERIOUS_DISHONESTY_ACTIVE",
        "DISHONESTY_ACTIVE",
        "COMMITMENT_VIOLATED",
        "INSUFFICIENT_POINTS",
    ]


def test_blocker_items_on_a_blacklist_rule_are_refused() -> None:
    with pytest.raises(ValueError, match="items do not apply"):
        blocked_by(BlockerKind.BLACKLISTED, items=["DISHONEST_1"])


def test_not_found_answers_an_unknown_subject() -> None:
    result = not_found(POINTS, subject_id="s-none", at=AT, rules_version="v")

    assert (result.eligible, codes(result)) == (False, ["SUBJECT_NOT_FOUND"])


def test_shipped_programmes_cover_the_notice() -> None:
    codes_shipped = [p.code for p in read_default_rules().programmes.programmes]

    assert codes_shipped == [
        "AWARDS_PRIORITY",
        "CREDIT_BONUS_POINTS",
        "FUNDING_PREFERENCE",
        "RESUMPTION_SUPPORT",
        "FINANCING",
        "COMMITMENT_FAST_TRACK",
    ]


def test_shipped_programmes_name_only_catalogue_items(catalogue: Catalogue) -> None:
    for p in read_default_rules().programmes.programmes:
        named = {i for r in p.qualifying for i in r.items} | {
            i for b in p.blockers for i in b.items
        }
        assert named <= set(catalogue.by_code), p.code


NEW_PROGRAMME = """
[[programmes]]
code = "VOLUNTEER_HONOUR"
title_zh = "志愿服务荣誉"
title_en = "Volunteer honour"
clause = "二(七)"
basis = "通知二(七)"
subject_kinds = ["NATURAL_PERSON"]
min_points = 2

[[programmes.qualifying]]
items = ["GOOD_3"]
points = 1
window = { within_months = 12 }

[[programmes.blockers]]
kind = "BLACKLISTED"
"""


def test_programme_added_to_a_copy_of_the_data_is_evaluated_without_code(
    catalogue: Catalogue,
) -> None:
    rules = parse_rules(tomllib.loads(read_programme_text() + NEW_PROGRAMME))
    added = rules.programmes.programme("VOLUNTEER_HONOUR")
    assert added is not None
    person = factories.person()
    records = [good(catalogue, person, "GOOD_3", date(2020, 4, d)) for d in (1, 2)]

    result = run(added, person, records)

    assert (result.eligible, result.points, result.programme) == (True, 2, "VOLUNTEER_HONOUR")
    assert codes(run(added, person, records[:1])) == ["INSUFFICIENT_POINTS"]


def test_programme_codes_must_not_repeat() -> None:
    data = tomllib.loads(read_programme_text())
    data.pop("grading")
    data.pop("effective_from")
    data["programmes"].append(data["programmes"][0])

    with pytest.raises(ProgrammeError, match="AWARDS_PRIORITY"):
        parse_programmes(data)


def test_programme_with_an_unknown_blocker_names_its_place() -> None:
    data = tomllib.loads(read_programme_text())
    data.pop("grading")
    data.pop("effective_from")
    data["programmes"][0]["blockers"][0]["kind"] = "LATE_TAXES"

    with pytest.raises(ProgrammeError, match=r"programmes\.0\.blockers\.0\.kind"):
        parse_programmes(data)


A_YEAR_ON = date(2021, 9, 1)
A_YEAR_ON_AT = datetime(2021, 9, 1, 4, tzinfo=UTC)
CATALOGUE: Catalogue = read_default_catalogue()
PROGRAMMES = read_default_rules().programmes.programmes
GOOD_CODES = [i.code for i in CATALOGUE.items if i.category is Category.GOOD]
# Every (programme, good item, kind of subject) the notice says must be rewarded.
CASES = [
    (p, code, kind)
    for p in PROGRAMMES
    for code in GOOD_CODES
    for kind in CATALOGUE.by_code[code].subject_kinds
    if kind in p.subject_kinds
]


def subject_of(kind: SubjectKind) -> Subject:
    if kind is SubjectKind.NATURAL_PERSON:
        return factories.person()
    return factories.firm().model_copy(update={"kind": kind})


def judged(programme: Programme, subject: Subject, records: list[Record]) -> Evaluation:
    return evaluate(
        programme,
        standing=standing_of(subject.id, subject.kind, records),
        entries=[],
        commitments=[],
        today=A_YEAR_ON,
        at=A_YEAR_ON_AT,
        rules_version="test",
    )


def good_record(subject: Subject, code: str, decided: date) -> Record:
    return factories.record(CATALOGUE, subject, item_code=code, decided=decided)


@pytest.mark.parametrize(
    ("programme", "code", "kind"), CASES, ids=lambda v: getattr(v, "code", str(v))
)
def test_shipped_programme_rewards_one_record_of_every_good_item(
    programme: Programme, code: str, kind: SubjectKind
) -> None:
    subject = subject_of(kind)
    record = good_record(subject, code, date(2020, 4, 1))

    result = judged(programme, subject, [record])

    assert result.points > 0
    assert result.qualifying_record_ids == (record.id,)
    assert result.eligible


@pytest.mark.parametrize("programme", PROGRAMMES, ids=lambda p: p.code)
def test_shipped_programme_takes_the_whole_good_category(programme: Programme) -> None:
    # A good-behaviour item added to the catalogue later is rewarded without editing programmes.
    assert any(Category.GOOD in rule.categories for rule in programme.qualifying)


@pytest.mark.parametrize("code", ["AWARDS_PRIORITY", "RESUMPTION_SUPPORT"])
def test_shipped_programme_needing_points_refuses_a_subject_without_good_behaviour(
    code: str,
) -> None:
    [programme] = [p for p in PROGRAMMES if p.code == code]
    firm = factories.firm()

    result = judged(programme, firm, [])

    assert (result.eligible, result.points) == (False, 0)


def test_resumption_support_counts_a_commendation_decided_after_the_epidemic_year() -> None:
    # Conduct in the window, commendation later (notice 一(一), DESIGN §4).
    [programme] = [p for p in PROGRAMMES if p.code == "RESUMPTION_SUPPORT"]
    firm = factories.firm()

    later = judged(programme, firm, [good_record(firm, "GOOD_9", date(2021, 6, 1))])
    before = judged(programme, firm, [good_record(firm, "GOOD_9", date(2020, 1, 23))])

    assert later.eligible
    assert not before.eligible


def test_point_rule_naming_neither_items_nor_categories_is_refused() -> None:
    with pytest.raises(ValueError, match="names items or categories"):
        PointRule(points=1)


def test_point_rule_takes_an_item_named_or_any_item_of_its_categories() -> None:
    rule = PointRule(items=("DISHONEST_1",), categories=(Category.GOOD,), points=1)

    assert rule.takes("GOOD_7", Category.GOOD)
    assert rule.takes("DISHONEST_1", Category.DISHONEST)
    assert not rule.takes("DISHONEST_2", Category.DISHONEST)


def test_rules_read_back_from_their_file_shape_unchanged() -> None:
    shipped = read_default_rules()

    assert parse_rules(shipped.as_file()) == shipped


@given(
    st.lists(st.dates(date(2020, 1, 1), date(2030, 12, 31)), min_size=1, max_size=6, unique=True),
    st.dates(date(2019, 1, 1), date(2031, 12, 31)),
)
def test_the_version_in_force_is_the_newest_effective_on_the_day(
    days: list[date], day: date
) -> None:
    shipped = read_default_rules()
    versions = RulesVersions(
        shipped.model_copy(
            update={
                "effective_from": d,
                "programmes": shipped.programmes.model_copy(update={"version": f"v{i}"}),
            }
        )
        for i, d in enumerate(days)
    )

    chosen = versions.in_force(day)

    started = [d for d in days if d <= day]
    assert chosen.effective_from == (max(started) if started else min(days))
