"""Domain tests: a subject judged from its standing is judged as from its records.

The oracle below states the rules over whole records, as domain/eligibility.py judged them
before standings existed (domain.records.stands and publicly_visible on each record): judging
the standing must give exactly its evaluation and grade, for any records, rules and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.blacklist import BlacklistEntry
from domain.calendar import add_months
from domain.catalogue import Category
from domain.commitments import Commitment, CommitmentStatus
from domain.disclosure import DisclosurePeriod, Severity
from domain.eligibility import Blocker, Evaluation, Outcome, evaluate
from domain.grading import grade
from domain.programmes import BlockerKind, BlockerRule, PointRule, Programme, Window
from domain.records import Record, RecordStatus, publicly_visible, stands
from domain.standings import in_list_order, standing_facts, standing_of
from domain.subjects import Subject
from store.catalogue import read_default_catalogue
from store.programmes import read_default_rules
from tests import factories

CATALOGUE = read_default_catalogue()
RULES = read_default_rules()
CODES = sorted(CATALOGUE.by_code)
DAY = date(2020, 9, 1)
AT = datetime(2020, 9, 1, 4, tzinfo=UTC)
FIRM = factories.firm()


def _dishonesty(rule: BlockerRule, records: Sequence[Record], today: date) -> list[str]:
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    return [
        r.id
        for r in records
        if r.category is Category.DISHONEST
        and publicly_visible(r, today)
        and (rule.kind is BlockerKind.DISHONESTY_ACTIVE or r.severity is Severity.SERIOUS)
        and (not rule.items or r.item_code in rule.items)
        and (since is None or r.decision_date >= since)
    ]


def _funded(rule: BlockerRule, records: Sequence[Record], today: date) -> list[str]:
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    return [
        r.id
        for r in records
        if r.category is Category.FUNDING
        and stands(r)
        and r.decision_date <= today
        and (since is None or r.decision_date >= since)
        and (not rule.items or r.item_code in rule.items)
    ]


def _broken(
    rule: BlockerRule, records: Sequence[Record], commitments: Sequence[Commitment], today: date
) -> list[str]:
    standing = {r.id for r in records if stands(r)}
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    return [
        c.violation_record_id
        for c in commitments
        if c.status is CommitmentStatus.VIOLATED
        and c.violation_record_id is not None
        and c.violation_record_id in standing
        and c.violated_on is not None
        and c.violated_on <= today
        and (since is None or c.violated_on >= since)
    ]


def judged_from_records(
    programme: Programme,
    subject: Subject,
    records: Sequence[Record],
    entries: Sequence[BlacklistEntry],
    commitments: Sequence[Commitment],
    today: date,
) -> tuple[bool, int, tuple[str, ...], list[tuple[str, tuple[str, ...]]]]:
    """Eligibility, points, qualifying ids and blockers (code, record ids) from the records."""
    blockers: list[tuple[str, tuple[str, ...]]] = []
    if subject.kind not in programme.subject_kinds:
        blockers.append((Outcome.SUBJECT_KIND_NOT_COVERED.value, ()))
    for rule in programme.blockers:
        match rule.kind:
            case BlockerKind.BLACKLISTED:
                listed = [e for e in entries if e.in_force(today)]
                ids = tuple(sorted({i for e in listed for i in e.basis_record_ids}))
                found = ids if listed else None
            case BlockerKind.SERIOUS_DISHONESTY_ACTIVE | BlockerKind.DISHONESTY_ACTIVE:
                found = tuple(_dishonesty(rule, records, today)) or None
            case BlockerKind.COMMITMENT_VIOLATED:
                found = tuple(_broken(rule, records, commitments, today)) or None
            case BlockerKind.FUNDED_RECENTLY:
                found = tuple(_funded(rule, records, today)) or None
        if found is not None:
            blockers.append((rule.kind.value, found))
    counted: list[str] = []
    total = 0
    for point_rule in programme.qualifying:
        earned = 0
        for r in records:
            if (
                r.id not in counted
                and stands(r)
                and point_rule.takes(r.item_code, r.category)
                and point_rule.window.contains(r.decision_date, today)
            ):
                counted.append(r.id)
                earned += point_rule.points
        total += earned if point_rule.cap is None else min(earned, point_rule.cap)
    if programme.max_points is not None:
        total = min(total, programme.max_points)
    if total < programme.min_points:
        blockers.append((Outcome.INSUFFICIENT_POINTS.value, ()))
    return not blockers, total, tuple(counted), blockers


def summary(
    evaluation: Evaluation,
) -> tuple[bool, int, tuple[str, ...], list[tuple[str, tuple[str, ...]]]]:
    found = [(b.code, b.record_ids) for b in evaluation.blockers]
    return evaluation.eligible, evaluation.points, evaluation.qualifying_record_ids, found


@st.composite
def records(draw: st.DrawFn) -> Record:
    code = draw(st.sampled_from(CODES))
    decided = DAY + timedelta(days=draw(st.integers(-900, 60)))
    record = factories.record(
        CATALOGUE,
        FIRM,
        item_code=code,
        decided=DAY,  # a day every catalogue item has a disclosure rule for; replaced below
        severity=draw(st.sampled_from(list(Severity))),
        status=draw(st.sampled_from(list(RecordStatus))),
    )
    start = decided + timedelta(days=draw(st.integers(0, 30)))
    period = DisclosurePeriod(
        start=start,
        end=start + timedelta(days=draw(st.integers(0, 500))),
        rule="test",
        basis="test",
    )
    return record.model_copy(
        update={
            "decision_date": decided,
            "disclosure": period,
            "hidden": draw(st.booleans()),
            "opted_out": draw(st.booleans()),
            "version": draw(st.integers(1, 5)),
        }
    )


WINDOWS = st.builds(
    Window,
    within_months=st.one_of(st.none(), st.integers(1, 36)),
    decided_from=st.one_of(st.none(), st.just(date(2020, 1, 1))),
)
POINT_RULES = st.builds(
    PointRule,
    items=st.lists(st.sampled_from(CODES), max_size=3).map(tuple),
    categories=st.lists(st.sampled_from(list(Category)), min_size=1, max_size=2).map(tuple),
    points=st.integers(0, 10),
    cap=st.one_of(st.none(), st.integers(0, 20)),
    window=WINDOWS,
)
RECORD_BLOCKERS = st.builds(
    BlockerRule,
    kind=st.sampled_from(
        [
            BlockerKind.SERIOUS_DISHONESTY_ACTIVE,
            BlockerKind.DISHONESTY_ACTIVE,
            BlockerKind.FUNDED_RECENTLY,
        ]
    ),
    items=st.lists(st.sampled_from(CODES), max_size=2).map(tuple),
    within_months=st.one_of(st.none(), st.integers(1, 36)),
)
OTHER_BLOCKERS = st.builds(
    BlockerRule,
    kind=st.sampled_from([BlockerKind.BLACKLISTED, BlockerKind.COMMITMENT_VIOLATED]),
    within_months=st.one_of(st.none(), st.integers(1, 36)),
)
PROGRAMMES = st.one_of(
    st.sampled_from(RULES.programmes.programmes),
    st.builds(
        Programme,
        code=st.just("TEST"),
        title_zh=st.just("测试"),
        title_en=st.just("Test"),
        clause=st.just("二(七)"),
        basis=st.just("通知二(七)"),
        subject_kinds=st.just((FIRM.kind,)),
        qualifying=st.lists(POINT_RULES, max_size=3).map(tuple),
        blockers=st.lists(st.one_of(RECORD_BLOCKERS, OTHER_BLOCKERS), max_size=3).map(tuple),
        min_points=st.integers(0, 10),
        max_points=st.one_of(st.none(), st.integers(1, 30)),
    ),
)


@st.composite
def breaches(draw: st.DrawFn, record_ids: list[str]) -> list[Commitment]:
    """Violated commitments citing some of the records (or none of them)."""
    cited = draw(st.lists(st.sampled_from([*record_ids, "r-elsewhere"]), max_size=3))
    return [
        factories.commitment(
            FIRM,
            status=CommitmentStatus.VIOLATED,
            violated_on=DAY - timedelta(days=draw(st.integers(-30, 900))),
            violation_record_id=i,
        )
        for i in cited
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(records(), max_size=8), PROGRAMMES, st.integers(-400, 400), st.data())
def test_judging_the_standing_judges_as_the_records_do(
    file: list[Record], programme: Programme, offset: int, data: st.DataObject
) -> None:
    today = DAY + timedelta(days=offset)
    committed = data.draw(breaches([r.id for r in file]))
    ordered = sorted(file, key=lambda r: (r.decision_date, r.id), reverse=True)

    standing = standing_of(FIRM.id, FIRM.kind, ordered)
    evaluation = evaluate(
        programme,
        standing=standing,
        entries=[],
        commitments=committed,
        today=today,
        at=AT,
        rules_version="test",
    )

    assert summary(evaluation) == judged_from_records(
        programme, FIRM, ordered, [], committed, today
    )
    # The financing grade reads the same facts through the same blockers, in list order as the
    # store answers them (store.standings), whatever order the records were written in.
    graded = grade(
        RULES.grading,
        evaluation=evaluation,
        records=standing.records,
        entries=[],
        commitments=committed,
        today=today,
    )
    assert graded == grade(
        RULES.grading,
        evaluation=evaluation,
        records=in_list_order(standing_of(FIRM.id, FIRM.kind, file).records),
        entries=[],
        commitments=committed,
        today=today,
    )


@settings(max_examples=200, deadline=None)
@given(records(), st.integers(-400, 400))
def test_facts_exist_exactly_while_the_record_stands_and_show_as_it_shows(
    record: Record, offset: int
) -> None:
    today = DAY + timedelta(days=offset)

    facts = standing_facts(record)

    assert (facts is not None) == stands(record)
    if facts is not None:
        assert facts.on_display(today) == publicly_visible(record, today)
        assert (facts.id, facts.version, facts.decision_date) == (
            record.id,
            record.version,
            record.decision_date,
        )


@given(st.lists(records(), max_size=8))
def test_list_order_is_the_record_lists_order(file: list[Record]) -> None:
    standing = standing_of(FIRM.id, FIRM.kind, file)

    ordered = in_list_order(standing.records)

    expected = sorted(
        (r for r in file if stands(r)),
        key=lambda r: f"{r.decision_date:%Y%m%d}|{r.id}",
        reverse=True,
    )
    assert [f.id for f in ordered] == [r.id for r in expected]


def test_a_subject_of_a_kind_not_covered_is_told_so() -> None:
    person = factories.person()
    [financing] = [p for p in RULES.programmes.programmes if p.code == "FINANCING"]
    narrowed = financing.model_copy(update={"subject_kinds": (FIRM.kind,)})

    evaluation = evaluate(
        narrowed,
        standing=standing_of(person.id, person.kind, []),
        entries=[],
        commitments=[],
        today=DAY,
        at=AT,
        rules_version="test",
    )

    assert (
        Blocker(
            code=Outcome.SUBJECT_KIND_NOT_COVERED.value,
            message=f"the programme is not open to {person.kind.value} subjects",
        )
        in evaluation.blockers
    )
