"""Pure tests of catalogue values: refusable good behaviour, dated and multiple enums."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import enum_values
from domain.catalogue import CatalogueItem, Category
from domain.data_items import DataFormat, DataItemSpec, check_value
from domain.enum_values import SEPARATOR, DatedValue, enum_problems
from domain.errors import Problem, ProblemCode
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.objections import InvalidCorrection, corrected_items
from domain.records import Record
from domain.subjects import Subject
from domain.submission import RecordSubmission, judge
from tests.submissions import (
    CATALOGUE,
    COMMENDATION_ITEMS,
    COURT,
    HEALTH,
    PERSON,
    SAMR,
    SHARED_PENALTY_ITEMS,
    VERSIONS,
    WINDOW,
    commendation,
    penalty,
    ref,
)

GOOD_ITEMS = [i for i in CATALOGUE.items if i.category is Category.GOOD]
PENALTY_ITEMS = [i for i in CATALOGUE.items if "penalty_type" in i.specs]
NEW_LAW = date(2021, 7, 15)  # 行政处罚法 (2021) in force
OLD_LAW_LAST_DAY = date(2021, 7, 14)
# 行政处罚法 (2021) art. 9 and the 1996/2017 law's art. 8, as catalogue values.
ART_9_ONLY: tuple[str, ...] = ("通报批评", "暂扣许可证件", "降低资质等级", "吊销许可证件")
ART_9_ONLY += ("限制开展生产经营活动", "责令关闭", "限制从业")
OLD_ONLY = ("暂扣许可证", "吊销许可证", "暂扣执照", "吊销执照")
BOTH = ("警告", "罚款", "没收违法所得", "没收非法财物", "责令停产停业", "行政拘留", "其他行政处罚")

# The day the checks run: after every decision date used here.
TODAY = date(2026, 12, 1)


def judged(
    submission: RecordSubmission, *, subject: Subject | None = None, today: date = date(2022, 1, 1)
) -> Record | list[Problem]:
    unit = HEALTH if submission.item_code.startswith("GOOD") else SAMR
    return judge(
        submission,
        catalogues=VERSIONS,
        unit=unit,
        subject=subject,
        new_subject_id="s-new",
        today=today,
        now=datetime.combine(today, datetime.min.time(), UTC),
        epidemic_window=WINDOW,
    )


def codes(result: Record | list[Problem]) -> list[tuple[ProblemCode, str]]:
    assert isinstance(result, list), result
    return [(p.code, p.field) for p in result]


def valid_values(item: CatalogueItem) -> dict[str, str]:
    """Valid values of every required data item, as an awarding department would send them."""
    by_format = {
        DataFormat.TEXT: "抗疫支援",
        DataFormat.DOCUMENT_NUMBER: "深卫健〔2020〕45号",
        DataFormat.DATE: "2020-04-01",
        DataFormat.AMOUNT: "1234567",
    }
    values = {}
    for spec in item.data_items:
        if not spec.required:
            continue
        if spec.key in COMMENDATION_ITEMS:
            # The awarding unit names itself; the conduct falls in the window, before the award.
            values[spec.key] = COMMENDATION_ITEMS[spec.key]
        elif spec.format is DataFormat.ENUM:
            values[spec.key] = "市级" if "市级" in spec.enum_values else spec.enum_values[0]
        else:
            values[spec.key] = by_format[spec.format]
    return values


def good_behaviour(item: CatalogueItem) -> RecordSubmission:
    return commendation(item_code=item.code, items=valid_values(item))


# Shenzhen Social Credit Regulation art. 39: every 一(一) item about persons is refusable


@pytest.mark.parametrize("item", GOOD_ITEMS, ids=lambda i: i.code)
def test_judge_good_behaviour_of_a_person_who_opted_out_is_refused_for_every_item(
    item: CatalogueItem,
) -> None:
    opted_out = PERSON.model_copy(update={"opted_out": True})

    result = judged(good_behaviour(item), subject=opted_out)

    if SubjectKind.NATURAL_PERSON in item.subject_kinds:
        assert codes(result) == [(ProblemCode.SUBJECT_OPTED_OUT, "subject.identifier")]
    else:
        assert codes(result) == [(ProblemCode.SUBJECT_KIND_NOT_ALLOWED, "subject.kind")]


@pytest.mark.parametrize("item", GOOD_ITEMS, ids=lambda i: i.code)
def test_judge_good_behaviour_of_a_person_who_did_not_opt_out_is_accepted_where_persons_fit(
    item: CatalogueItem,
) -> None:
    result = judged(good_behaviour(item), subject=PERSON)

    if SubjectKind.NATURAL_PERSON in item.subject_kinds:
        assert isinstance(result, Record), result
    else:
        assert codes(result) == [(ProblemCode.SUBJECT_KIND_NOT_ALLOWED, "subject.kind")]


def test_judge_rent_relief_by_an_individual_landlord_is_accepted() -> None:
    # Notice 一(一)6: a person letting a shop to a small firm relieves rent too.
    result = judged(good_behaviour(CATALOGUE.by_code["GOOD_6"]), subject=PERSON)

    assert isinstance(result, Record), result


# Penalty types: 行政处罚法 (2021) art. 9 from 2021-07-15, the old law's list before


def penalty_on(
    item: CatalogueItem, day: date, types: str, *, authority: str | None = None
) -> RecordSubmission:
    items = SHARED_PENALTY_ITEMS | {"penalty_type": types, "decision_date": day.isoformat()}
    if authority is not None:
        items |= {"deciding_authority": authority}
    if item.code == "DISHONEST_2":
        items |= {"product_name": "一次性使用医用口罩"}
    if item.code == "DISHONEST_3":
        items |= {"medical_institution": "深圳市人民医院"}
    subject = ref(PERSON) if item.code == "DISHONEST_3" else penalty().subject
    return penalty(item_code=item.code, subject=subject, decision_date=day, items=items)


@pytest.mark.parametrize("item", PENALTY_ITEMS, ids=lambda i: i.code)
@pytest.mark.parametrize("kind", ART_9_ONLY)
def test_judge_new_penalty_type_is_accepted_from_the_2021_law_and_refused_before(
    item: CatalogueItem, kind: str
) -> None:
    after = judged(penalty_on(item, NEW_LAW, kind))
    before = judged(penalty_on(item, OLD_LAW_LAST_DAY, kind))

    assert isinstance(after, Record), after
    assert after.data_items["penalty_type"] == kind
    assert codes(before) == [(ProblemCode.NOT_IN_ENUM, "dataItems.penalty_type")]


@pytest.mark.parametrize("item", PENALTY_ITEMS, ids=lambda i: i.code)
@pytest.mark.parametrize("kind", OLD_ONLY)
def test_judge_old_penalty_type_is_accepted_before_the_2021_law_and_refused_after(
    item: CatalogueItem, kind: str
) -> None:
    before = judged(penalty_on(item, OLD_LAW_LAST_DAY, kind))
    after = judged(penalty_on(item, NEW_LAW, kind))

    assert isinstance(before, Record), before
    assert codes(after) == [(ProblemCode.NOT_IN_ENUM, "dataItems.penalty_type")]


@pytest.mark.parametrize("day", [date(2020, 3, 1), OLD_LAW_LAST_DAY, NEW_LAW, date(2024, 5, 1)])
@pytest.mark.parametrize("kind", BOTH)
def test_judge_penalty_type_of_both_laws_is_accepted_on_every_day(day: date, kind: str) -> None:
    result = judged(penalty_on(CATALOGUE.by_code["DISHONEST_1"], day, kind), today=date(2025, 1, 1))

    assert isinstance(result, Record), result


def test_judge_several_penalty_types_are_stored_in_catalogue_order() -> None:
    types = f"没收违法所得{SEPARATOR} 罚款 {SEPARATOR}通报批评"

    result = judged(penalty_on(CATALOGUE.by_code["DISHONEST_4"], NEW_LAW, types))

    assert isinstance(result, Record), result
    assert result.data_items["penalty_type"] == "通报批评、罚款、没收违法所得"


@pytest.mark.parametrize(
    ("types", "code"),
    [
        ("罚款、罚款", ProblemCode.INVALID_FORMAT),
        ("罚款、", ProblemCode.NOT_IN_ENUM),
        ("罚款，警告", ProblemCode.NOT_IN_ENUM),
        ("罚款、暂扣执照", ProblemCode.NOT_IN_ENUM),
    ],
)
def test_judge_bad_list_of_penalty_types_is_refused(types: str, code: ProblemCode) -> None:
    result = judged(penalty_on(CATALOGUE.by_code["DISHONEST_1"], NEW_LAW, types))

    assert codes(result) == [(code, "dataItems.penalty_type")]


def test_judge_criminal_penalty_among_several_types_needs_the_court() -> None:
    submission = penalty_on(CATALOGUE.by_code["DISHONEST_1"], NEW_LAW, "罚款、刑事处罚")

    assert codes(judged(submission)) == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]
    by_court = judge(
        penalty_on(
            CATALOGUE.by_code["DISHONEST_1"], NEW_LAW, "罚款、刑事处罚", authority=COURT.name
        ),
        catalogues=VERSIONS,
        unit=COURT,
        subject=None,
        new_subject_id="s-new",
        today=date(2022, 1, 1),
        now=datetime(2022, 1, 1, tzinfo=UTC),
        epidemic_window=WINDOW,
    )
    assert isinstance(by_court, Record), by_court


def test_check_value_dated_value_without_a_decision_date_is_refused() -> None:
    spec = CATALOGUE.by_code["DISHONEST_1"].specs["penalty_type"]

    assert check_value(spec, "罚款", "f", today=TODAY)[1] == []
    assert [p.code for p in check_value(spec, "通报批评", "f", today=TODAY)[1]] == [
        ProblemCode.NOT_IN_ENUM
    ]


def test_check_value_refusal_names_the_day_the_value_starts_and_its_law() -> None:
    spec = CATALOGUE.by_code["DISHONEST_1"].specs["penalty_type"]

    [problem] = check_value(spec, "限制从业", "f", on=OLD_LAW_LAST_DAY, today=TODAY)[1]

    assert "from 2021-07-15" in problem.message
    assert "行政处罚法" in problem.message


@given(st.lists(st.sampled_from(BOTH + ART_9_ONLY), min_size=1, unique=True))
def test_multiple_enum_round_trips_through_its_stored_string(chosen: list[str]) -> None:
    spec = CATALOGUE.by_code["DISHONEST_1"].specs["penalty_type"]

    stored, problems = check_value(spec, SEPARATOR.join(chosen), "f", on=NEW_LAW, today=TODAY)

    assert problems == []
    assert sorted(enum_values.split(stored, multiple=True)) == sorted(chosen)
    assert check_value(spec, stored, "f", on=NEW_LAW, today=TODAY) == (stored, [])


# The catalogue refuses enum definitions that could not be read back


@pytest.mark.parametrize(
    ("values", "dated", "multiple", "fragment"),
    [
        (("警告", "警告"), (), False, "enum values repeat"),
        (("警告", " 罚款"), (), False, "blank or padded"),
        (("警告、罚款",), (), True, "may not hold 、"),
        (("警告",), (DatedValue(value="罚款", effective_from=NEW_LAW),), False, "not enum values"),
    ],
)
def test_enum_problems_name_what_cannot_be_read_back(
    values: tuple[str, ...], dated: tuple[DatedValue, ...], multiple: bool, fragment: str
) -> None:
    assert any(fragment in p for p in enum_problems(values, dated, multiple=multiple))


def test_dated_value_without_dates_or_with_reversed_dates_is_refused() -> None:
    with pytest.raises(ValueError, match="needs effective_from"):
        DatedValue(value="罚款")
    with pytest.raises(ValueError, match="before effective_from"):
        DatedValue(value="罚款", effective_from=NEW_LAW, effective_until=OLD_LAW_LAST_DAY)


def test_multiple_or_dated_values_on_a_text_item_are_refused() -> None:
    with pytest.raises(ValueError, match="enum format only"):
        DataItemSpec(
            key="k",
            label_zh="项",
            label_en="item",
            format=DataFormat.TEXT,
            public_attribute=PublicAttribute.PUBLIC,
            multiple=True,
        )


@given(
    st.sampled_from(list(Category)),
    st.sets(st.sampled_from(list(SubjectKind)), min_size=1),
    st.booleans(),
)
def test_catalogue_item_is_refusable_exactly_when_good_behaviour_about_persons(
    category: Category, kinds: set[SubjectKind], opt_out_allowed: bool
) -> None:
    # Shenzhen Social Credit Regulation art. 39 as a rule of the item data, not a list of codes.
    base = CATALOGUE.by_code["GOOD_9"].model_dump()
    data = base | {
        "category": category,
        "subject_kinds": sorted(kinds),
        "opt_out_allowed": opt_out_allowed,
    }
    refusable = category is Category.GOOD and SubjectKind.NATURAL_PERSON in kinds

    if opt_out_allowed is refusable:
        assert CatalogueItem.model_validate(data).opt_out_allowed is refusable
    else:
        with pytest.raises(ValueError, match="art. 39"):
            CatalogueItem.model_validate(data)


def test_objection_correction_is_judged_by_the_values_in_force_on_the_decision_date() -> None:
    item = CATALOGUE.by_code["DISHONEST_1"]

    corrected = corrected_items(
        item, {}, {"penalty_type": "罚款、通报批评"}, on=NEW_LAW, today=TODAY
    )

    assert corrected["penalty_type"] == "通报批评、罚款"
    with pytest.raises(InvalidCorrection, match="2021-07-15"):
        corrected_items(item, {}, {"penalty_type": "通报批评"}, on=OLD_LAW_LAST_DAY, today=TODAY)
