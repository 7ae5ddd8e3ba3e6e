"""Domain tests: 资金资助 (notice 三(十二)) as catalogue data — the item, who submits it, how it
is shown, that it is no good behaviour, and the programmes' FUNDED_RECENTLY blocker."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from auth.masking import show_items
from domain.calendar import add_months
from domain.catalogue import Category, SourceUnitType
from domain.data_items import DataFormat
from domain.eligibility import blocker, evaluate
from domain.errors import ProblemCode
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.programmes import BlockerKind, BlockerRule
from domain.records import Record, RecordStatus
from domain.source_units import SourceUnit
from domain.standings import RecordFacts, standing_of
from domain.submission import judge
from store.programmes import read_default_rules
from tests import factories
from tests.submissions import (
    CATALOGUE,
    FIRM,
    FUNDING_ITEMS,
    HEALTH,
    NOW,
    SCIENCE,
    TODAY,
    VERSIONS,
    WINDOW,
    funding,
)

FUNDED = CATALOGUE.by_code["FUNDING_GRANTED"]


def judged(unit: SourceUnit = SCIENCE, **changes: object) -> Record | list[tuple[ProblemCode, str]]:
    result = judge(
        funding(**changes),
        catalogues=VERSIONS,
        unit=unit,
        subject=FIRM,
        new_subject_id="s-new",
        today=TODAY,
        now=NOW,
        epidemic_window=WINDOW,
    )
    return result if isinstance(result, Record) else [(p.code, p.field) for p in result]


def test_funding_item_is_its_own_category_from_funding_departments_about_organisations() -> None:
    assert FUNDED.category is Category.FUNDING
    assert FUNDED.source_unit_types == (SourceUnitType.FUNDING_DEPARTMENT,)
    assert SubjectKind.NATURAL_PERSON not in FUNDED.subject_kinds
    assert FUNDED.disclosure_rule == "funding"
    assert FUNDED.specs["funding_amount"].format is DataFormat.AMOUNT


def test_funding_is_neither_good_behaviour_nor_an_offence_so_on_no_public_list() -> None:
    # The red list and the epidemic column take items by these properties (resolvers/records).
    assert not FUNDED.epidemic_good_behaviour
    assert not FUNDED.epidemic_offence
    assert not FUNDED.opt_out_allowed


def test_a_grant_recorded_by_its_funding_department_is_accepted() -> None:
    record = judged()

    assert isinstance(record, Record)
    assert (record.category, record.severity) == (Category.FUNDING, None)
    assert record.disclosure.end == add_months(date(2020, 5, 20), 36)


def test_a_grant_is_refused_from_another_kind_of_unit_or_naming_another_department() -> None:
    by_awarding = judged(unit=HEALTH)
    other_department = judged(items=FUNDING_ITEMS | {"funding_department": "深圳市财政局"})

    assert by_awarding == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]
    assert other_department == [(ProblemCode.UNIT_NOT_AUTHORIZED, "dataItems.funding_department")]


def test_the_amount_and_purpose_are_for_government_and_shown_in_yuan() -> None:
    record = judged()
    assert isinstance(record, Record)

    def seen(level: PublicAttribute) -> dict[str, str | None]:
        return {v.key: v.value for v in show_items(FUNDED, record.data_items, level)}

    public, government = seen(PublicAttribute.PUBLIC), seen(PublicAttribute.GOVERNMENT)
    assert public["funding_programme"] == "2020年企业技术攻关资助项目"
    assert (public["funding_amount"], public["funding_purpose"]) == (None, None)
    assert government["funding_amount"] == "500,000.00 元"


def grant(decided: date, status: RecordStatus = RecordStatus.ACTIVE) -> Record:
    return factories.record(
        CATALOGUE, FIRM, item_code="FUNDING_GRANTED", decided=decided, status=status
    )


def facts(records: list[Record]) -> tuple[RecordFacts, ...]:
    """What a judgement reads of the firm's records that stand."""
    return standing_of(FIRM.id, FIRM.kind, records).records


@given(
    st.lists(st.tuples(st.integers(-1200, 30), st.sampled_from(list(RecordStatus))), max_size=5),
    st.one_of(st.none(), st.integers(1, 60)),
)
def test_funded_recently_blocks_exactly_on_standing_grants_in_its_months(
    grants: list[tuple[int, RecordStatus]], months: int | None
) -> None:
    records = [grant(TODAY + timedelta(days=d), status) for d, status in grants]
    rule = BlockerRule(kind=BlockerKind.FUNDED_RECENTLY, within_months=months)

    found = blocker(rule, records=facts(records), entries=[], commitments=[], today=TODAY)

    since = date.min if months is None else add_months(TODAY, -months)
    expected = [
        r.id
        for r in records
        if r.status is RecordStatus.ACTIVE and since <= r.decision_date <= TODAY
    ]
    assert (found.record_ids if found else ()) == tuple(expected)


def test_funded_recently_ignores_other_categories() -> None:
    commended = factories.record(CATALOGUE, FIRM, item_code="GOOD_7", decided=TODAY)
    rule = BlockerRule(kind=BlockerKind.FUNDED_RECENTLY, within_months=12)

    assert (
        blocker(rule, records=facts([commended]), entries=[], commitments=[], today=TODAY) is None
    )


def test_the_shipped_funding_preference_passes_over_a_subject_funded_in_the_last_year() -> None:
    preference = read_default_rules().programmes.programme("FUNDING_PREFERENCE")
    assert preference is not None
    [rule] = [b for b in preference.blockers if b.kind is BlockerKind.FUNDED_RECENTLY]

    lately = blocker(
        rule, records=facts([grant(date(2020, 5, 20))]), entries=[], commitments=[], today=TODAY
    )
    long_ago = blocker(
        rule, records=facts([grant(date(2019, 5, 20))]), entries=[], commitments=[], today=TODAY
    )

    assert lately is not None
    assert lately.code == "FUNDED_RECENTLY"
    assert long_ago is None


def test_no_shipped_programme_counts_a_grant_as_good_behaviour() -> None:
    records = [grant(date(2020, 5, 20))]

    for programme in read_default_rules().programmes.programmes:
        evaluation = evaluate(
            programme,
            standing=standing_of(FIRM.id, FIRM.kind, records),
            entries=[],
            commitments=[],
            today=TODAY,
            at=NOW,
            rules_version="test",
        )
        assert (evaluation.points, evaluation.qualifying_record_ids) == (0, ()), programme.code
