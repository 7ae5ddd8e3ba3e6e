"""The demo data generator: reproducible, valid for the catalogue, and bounded in memory.

Pure tests of `generate_demo`; writing the data to a store is tested with the store fixtures.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, date, datetime
from functools import cache

import pytest

from demo.generator import BATCH_SIZE, DECIDED_FROM, DECIDED_TO, DemoBatch, generate_demo
from domain.calendar import DateWindow
from domain.catalogue import Catalogue, Category, parse_catalogue
from domain.data_items import DataFormat, DataItemSpec
from domain.disclosure import Severity, disclosure_period
from domain.identifiers import (
    InvalidIdentifier,
    SubjectKind,
    birth_date,
    validate_identifier,
    validate_resident_id,
    validate_uscc,
)
from domain.records import Record, RecordStatus
from domain.subjects import Subject
from server.cli import DEMO_SEED
from store.catalogue import read_default_catalogue

WINDOW = DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31))
CREATED_AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
SMALL = 200
LARGE = 2000
SHENZHEN_DISTRICTS = {
    "440303": "罗湖区",
    "440304": "福田区",
    "440305": "南山区",
    "440306": "宝安区",
    "440307": "龙岗区",
    "440308": "盐田区",
    "440309": "龙华区",
    "440310": "坪山区",
    "440311": "光明区",
}
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,8}〔20\d\d〕\d{1,6}号|（20\d\d）粤03刑初\d{1,6}号")
AMOUNT = re.compile(r"0|[1-9]\d*")
SUBJECT_ID = re.compile(r"s-[0-9a-f]{16}")
RECORD_ID = re.compile(r"r-[0-9a-f]{16}")
# The README's flows name these firms of the seed `serve --demo` writes (demo/data/*.toml are
# read by position: a reordered word list would give them other ids or names).
README_FIRMS = {
    "s-d4412dd3291ff6f9": "深圳市远新农产品有限公司",
    "s-e05bff6186d4d83c": "深圳市骏嘉生物科技有限公司",
}


@cache
def catalogue() -> Catalogue:
    return read_default_catalogue()


@cache
def batches(subjects: int, seed: int = 2020) -> tuple[DemoBatch, ...]:
    return tuple(generate(subjects, seed))


def subjects_of(subjects: int, seed: int = 2020) -> list[Subject]:
    return [s for batch in batches(subjects, seed) for s in batch.subjects]


def records_of(subjects: int, seed: int = 2020) -> list[Record]:
    return [r for batch in batches(subjects, seed) for r in batch.records]


def generate(subjects: int, seed: int) -> list[DemoBatch]:
    return list(
        generate_demo(
            catalogue(),
            subjects=subjects,
            seed=seed,
            epidemic_window=WINDOW,
            created_at=CREATED_AT,
        )
    )


def dumped(batches: list[DemoBatch]) -> list[str]:
    return [m.model_dump_json() for b in batches for m in (*b.subjects, *b.records)]


def assert_valid_value(spec: DataItemSpec, value: str) -> None:
    """The value has the spec's format, length and, for an enum, one of its values."""
    where = f"{spec.key}={value!r}"
    assert 0 < len(value) <= spec.max_length, where
    match spec.format:
        case DataFormat.TEXT:
            assert value.strip() == value, where
        case DataFormat.DATE:
            assert date.fromisoformat(value).isoformat() == value, where
        case DataFormat.DATETIME:
            assert datetime.fromisoformat(value).tzinfo is not None, where
        case DataFormat.AMOUNT:
            assert AMOUNT.fullmatch(value), where
        case DataFormat.ENUM:
            assert value in spec.enum_values, where
        case DataFormat.IDENTIFIER:
            try:
                validate_uscc(value)
            except InvalidIdentifier:
                validate_resident_id(value, today=CREATED_AT.date())
        case DataFormat.DOCUMENT_NUMBER:
            assert DOCUMENT_NUMBER.fullmatch(value), where


def test_generate_demo_same_seed_gives_identical_output() -> None:
    first, second = generate(600, seed=7), generate(600, seed=7)

    assert dumped(first) == dumped(second)


def test_generate_demo_fixed_seed_keeps_the_firms_the_readme_names() -> None:
    firms = {s.id: s.name for s in subjects_of(20, seed=DEMO_SEED)}

    assert README_FIRMS.items() <= firms.items()


def test_generate_demo_other_seed_gives_other_output() -> None:
    one, other = subjects_of(SMALL, seed=7), subjects_of(SMALL, seed=8)

    assert not {s.id for s in one} & {s.id for s in other}
    assert not {s.identifier for s in one} & {s.identifier for s in other}


def test_generate_demo_longer_run_begins_with_the_shorter_one() -> None:
    subjects, records = subjects_of(SMALL), records_of(SMALL)

    assert subjects_of(LARGE)[:SMALL] == subjects
    assert records_of(LARGE)[: len(records)] == records


def test_generate_demo_global_random_state_untouched() -> None:
    random.seed(1)
    before = random.getstate()

    generate(20, seed=3)

    assert random.getstate() == before


def test_generate_demo_negative_count_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        generate(-1, seed=1)


def test_generate_demo_batches_bounded_and_self_contained() -> None:
    sizes = [len(batch.subjects) for batch in batches(BATCH_SIZE + SMALL)]

    assert sizes == [BATCH_SIZE, SMALL]
    for batch in batches(BATCH_SIZE + SMALL):
        assert {r.subject_id for r in batch.records} <= {s.id for s in batch.subjects}


def test_generate_demo_identifiers_valid_for_their_kind() -> None:
    for subject in subjects_of(LARGE):
        assert (
            validate_identifier(subject.kind, subject.identifier, today=CREATED_AT.date())
            == subject.identifier
        )


def test_generate_demo_identifiers_and_ids_unique() -> None:
    subjects, records = subjects_of(LARGE), records_of(LARGE)

    assert len({s.identifier for s in subjects}) == len(subjects)
    assert len({s.id for s in subjects}) == len(subjects)
    assert len({r.id for r in records}) == len(records)
    assert len({(r.source_unit, r.source_record_id) for r in records}) == len(records)


def test_generate_demo_ids_do_not_reveal_identifiers() -> None:
    identifiers = {s.id: s.identifier for s in subjects_of(LARGE)}

    for subject_id, identifier in identifiers.items():
        assert SUBJECT_ID.fullmatch(subject_id)
        assert identifier[-8:] not in subject_id
    for record in records_of(LARGE):
        assert RECORD_ID.fullmatch(record.id)
        assert identifiers[record.subject_id][-8:] not in record.id + record.source_record_id


def test_generate_demo_kinds_in_expected_shares() -> None:
    kinds = Counter(s.kind for s in subjects_of(LARGE))

    assert 0.40 < kinds[SubjectKind.NATURAL_PERSON] / LARGE < 0.50
    assert 0.40 < kinds[SubjectKind.LEGAL_PERSON] / LARGE < 0.50
    assert 0.06 < kinds[SubjectKind.OTHER_ORGANIZATION] / LARGE < 0.14


def test_generate_demo_small_run_uses_every_applicable_item() -> None:
    expected = {i.code for i in catalogue().items if i.category is not Category.BASIC}

    for count in (50, SMALL):
        assert {r.item_code for r in records_of(count)} == expected


def test_generate_demo_about_five_records_per_subject() -> None:
    for count in (SMALL, LARGE):
        assert 3 <= len(records_of(count)) / count <= 7


def test_generate_demo_decision_dates_within_range() -> None:
    decided = [r.decision_date for r in records_of(LARGE)]

    assert min(decided) >= DECIDED_FROM
    assert max(decided) <= DECIDED_TO
    assert {d.year for d in decided} == {2020, 2021}


def test_generate_demo_records_follow_their_catalogue_item() -> None:
    subjects = {s.id: s for s in subjects_of(LARGE)}

    for record in records_of(LARGE):
        item = catalogue().by_code[record.item_code]
        assert record.category is item.category
        assert item.category is not Category.BASIC
        assert record.catalogue_version == catalogue().version
        assert record.subject_kind is subjects[record.subject_id].kind
        assert record.subject_kind in item.subject_kinds
        assert record.status is _status(record)
        assert record.created_at == CREATED_AT
        assert DOCUMENT_NUMBER.fullmatch(record.document_number)
        assert (record.severity is not None) == (item.category is Category.DISHONEST)


def test_generate_demo_data_items_valid_for_their_spec() -> None:
    for record in records_of(LARGE):
        specs = catalogue().by_code[record.item_code].specs
        for key, value in record.data_items.items():
            assert key in specs, f"{record.item_code}.{key} is outside the catalogue (一(四))"
            assert_valid_value(specs[key], value)


def test_generate_demo_required_data_items_present() -> None:
    for record in records_of(LARGE):
        item = catalogue().by_code[record.item_code]
        missing = [s.key for s in item.data_items if s.required and s.key not in record.data_items]
        assert not missing, f"{record.item_code} lacks {missing}"


def test_generate_demo_optional_data_items_mostly_filled() -> None:
    filled = total = 0
    for record in records_of(LARGE):
        for spec in catalogue().by_code[record.item_code].data_items:
            if not spec.required:
                total += 1
                filled += spec.key in record.data_items

    assert 0.5 < filled / total < 0.95


def test_generate_demo_own_document_number_in_its_data_item() -> None:
    for record in records_of(LARGE):
        documents = [
            v
            for k, v in record.data_items.items()
            if catalogue().by_code[record.item_code].specs[k].format is DataFormat.DOCUMENT_NUMBER
        ]
        if documents:
            assert record.document_number in documents, record.item_code


def test_generate_demo_basic_data_items_keyed_as_catalogue() -> None:
    seen: dict[SubjectKind, set[str]] = {kind: set() for kind in SubjectKind}
    for subject in subjects_of(LARGE):
        item = catalogue().basic_item(subject.kind)
        expected = {s.key for s in item.data_items} - {"name", "identifier"}
        assert set(subject.basic) <= expected
        required = {s.key for s in item.data_items if s.required} - {"name", "identifier"}
        assert required <= set(subject.basic)
        for key, value in subject.basic.items():
            assert_valid_value(item.specs[key], value)
        assert len(subject.name) <= item.specs["name"].max_length
        seen[subject.kind] |= set(subject.basic)

    for kind, keys in seen.items():
        item = catalogue().basic_item(kind)
        assert keys == {s.key for s in item.data_items} - {"name", "identifier"}


def test_generate_demo_person_birth_date_and_district_match_identity_number() -> None:
    for subject in subjects_of(LARGE):
        if subject.kind is SubjectKind.NATURAL_PERSON:
            born = birth_date(subject.identifier)
            assert born is not None
            assert subject.basic["birth_date"] == born.isoformat()
            assert 1950 <= born.year <= 2002


def test_generate_demo_organisation_district_matches_registration_area() -> None:
    for subject in subjects_of(LARGE):
        area = subject.identifier[2:8]
        if subject.kind is not SubjectKind.NATURAL_PERSON and area in SHENZHEN_DISTRICTS:
            assert subject.basic["district"] == SHENZHEN_DISTRICTS[area]
        if subject.kind is not SubjectKind.NATURAL_PERSON:
            assert area == "440300" or area in SHENZHEN_DISTRICTS


def test_generate_demo_opted_out_persons_have_no_opt_out_records() -> None:
    opted_out = {s.id for s in subjects_of(LARGE) if s.opted_out}
    opt_out_items = {i.code for i in catalogue().items if i.opt_out_allowed}

    assert opted_out
    assert all(s.kind is SubjectKind.NATURAL_PERSON for s in subjects_of(LARGE) if s.opted_out)
    for record in records_of(LARGE):
        assert not (record.subject_id in opted_out and record.item_code in opt_out_items)


def test_generate_demo_dishonesty_mostly_general() -> None:
    severities = Counter(r.severity for r in records_of(LARGE) if r.category is Category.DISHONEST)
    serious = severities[Severity.SERIOUS] / sum(severities.values())

    assert 0.12 < serious < 0.32


def test_generate_demo_epidemic_related_mostly_inside_window() -> None:
    inside = [r.epidemic_related for r in records_of(LARGE) if r.decision_date in WINDOW]
    outside = [r.epidemic_related for r in records_of(LARGE) if r.decision_date not in WINDOW]

    assert sum(inside) / len(inside) > 0.7
    assert 0 < sum(outside) / len(outside) < 0.3


def test_generate_demo_disclosure_computed_by_the_catalogue_rules() -> None:
    for record in records_of(SMALL):
        item = catalogue().by_code[record.item_code]
        expected = disclosure_period(
            rules=catalogue().disclosure_rules,
            family=item.disclosure_rule,
            clause=item.clause,
            decision_date=record.decision_date,
            severity=record.severity or Severity.GENERAL,
            dishonest=item.category is Category.DISHONEST,
            epidemic_related=record.epidemic_related,
            epidemic_window=WINDOW,
            tolerable=item.epidemic_tolerable,
        )
        assert record.disclosure == expected


def _status(record: Record) -> RecordStatus:
    """Notice 三(十): tolerable matters caused by the epidemic and decided in it are excused."""
    item = catalogue().by_code[record.item_code]
    excused = item.epidemic_tolerable and record.epidemic_related and record.decision_date in WINDOW
    return RecordStatus.EXCUSED if excused else RecordStatus.ACTIVE


def test_generate_demo_good_behaviour_conduct_inside_window_before_the_award() -> None:
    good = [r for r in records_of(SMALL) if r.category is Category.GOOD]

    assert good
    for record in good:
        conduct = date.fromisoformat(record.data_items["conduct_date"])
        assert conduct in WINDOW, record.id
        assert conduct <= record.decision_date, record.id


def test_generate_demo_has_excused_and_active_tolerable_records() -> None:
    statuses = {
        r.status for r in records_of(LARGE) if catalogue().by_code[r.item_code].epidemic_tolerable
    }

    assert statuses == {RecordStatus.ACTIVE, RecordStatus.EXCUSED}


def test_generate_demo_criminal_judgments_come_from_the_intermediate_court() -> None:
    judgments = [r for r in records_of(LARGE) if "刑初" in r.document_number]

    assert judgments
    for record in judgments:
        assert record.source_unit == "440300-COURT-INT"
        assert record.data_items["penalty_type"] == "刑事处罚"
        assert "penalty_decision_number" not in record.data_items


def test_generate_demo_unknown_data_items_valid_by_their_format() -> None:
    given = catalogue().model_dump(mode="json")
    formats = [f for f in DataFormat if f is not DataFormat.ENUM]
    given["items"].append(
        {
            "code": "FUTURE_ITEM",
            "title_zh": "将来的目录事项",
            "title_en": "A future item",
            "category": "GOOD",
            "clause": "二(七)",
            "subject_kinds": ["NATURAL_PERSON", "LEGAL_PERSON", "OTHER_ORGANIZATION"],
            "source_unit_types": ["AWARDING_DEPARTMENT"],
            "disclosure_rule": "good_behaviour",
            "legal_basis": "测试",
            "opt_out_allowed": True,  # a good-behaviour item about persons (art. 39)
            "data_items": [
                {
                    "key": f"unknown_{f.value}",
                    "label_zh": "未知",
                    "label_en": "Unknown",
                    "format": f.value,
                    "required": True,
                    "max_length": 64,
                    "public_attribute": "GOVERNMENT",
                }
                for f in formats
            ]
            + [
                {
                    "key": "unknown_enum",
                    "label_zh": "未知",
                    "label_en": "Unknown",
                    "format": "enum",
                    "required": True,
                    "max_length": 4,
                    "public_attribute": "GOVERNMENT",
                    "enum_values": ["甲", "乙"],
                }
            ],
        }
    )
    future = parse_catalogue(given)

    records = [
        r
        for batch in generate_demo(
            future, subjects=60, seed=5, epidemic_window=WINDOW, created_at=CREATED_AT
        )
        for r in batch.records
        if r.item_code == "FUTURE_ITEM"
    ]

    assert records
    specs = future.by_code["FUTURE_ITEM"].specs
    for record in records:
        assert set(record.data_items) == set(specs)
        for key, value in record.data_items.items():
            assert_valid_value(specs[key], value)
