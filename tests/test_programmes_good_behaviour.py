"""Domain tests: every shipped programme rewards every 一(一) item (notice 二(七), 三(十二))."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue, Category
from domain.eligibility import Evaluation, evaluate
from domain.identifiers import SubjectKind
from domain.programmes import PointRule, Programme
from domain.records import Record
from domain.subjects import Subject
from store.catalogue import read_default_catalogue
from store.programmes import read_default_rules
from tests import factories

TODAY = date(2021, 9, 1)
AT = datetime(2021, 9, 1, 4, tzinfo=UTC)
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
        subject=subject,
        records=records,
        entries=[],
        commitments=[],
        today=TODAY,
        at=AT,
        rules_version="test",
    )


def good(subject: Subject, code: str, decided: date) -> Record:
    return factories.record(CATALOGUE, subject, item_code=code, decided=decided)


@pytest.mark.parametrize(
    ("programme", "code", "kind"), CASES, ids=lambda v: getattr(v, "code", str(v))
)
def test_shipped_programme_rewards_one_record_of_every_good_item(
    programme: Programme, code: str, kind: SubjectKind
) -> None:
    subject = subject_of(kind)
    record = good(subject, code, date(2020, 4, 1))

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

    later = judged(programme, firm, [good(firm, "GOOD_9", date(2021, 6, 1))])
    before = judged(programme, firm, [good(firm, "GOOD_9", date(2020, 1, 23))])

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
