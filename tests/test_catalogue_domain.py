"""The catalogue model and the default catalogue shipped in store/default_catalogue.toml."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from domain.catalogue import (
    Catalogue,
    CatalogueError,
    CatalogueItem,
    Category,
    SourceUnitType,
    parse_catalogue,
)
from domain.identifiers import SubjectKind
from domain.masking import Mask, MaskKind, PublicAttribute

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "store" / "default_catalogue.toml"

GOOD_CLAUSES = {f"GOOD_{n}": f"一(一){n}" for n in range(1, 10)}
DISHONEST_CLAUSES = {f"DISHONEST_{n}": f"一(二){n}" for n in range(1, 6)}
TOLERABLE = ("ANNUAL_REPORT_LATE", "ADDRESS_UNREACHABLE")
BASIC = {
    SubjectKind.NATURAL_PERSON: "BASIC_NATURAL_PERSON",
    SubjectKind.LEGAL_PERSON: "BASIC_LEGAL_PERSON",
    SubjectKind.OTHER_ORGANIZATION: "BASIC_OTHER_ORGANIZATION",
}
ORGANISATION_BASIC_KEYS = {
    "name",
    "identifier",
    "legal_representative",
    "district",
    "address",
    "registered_capital",
    "established_on",
    "contact_phone",
    "industry",
    "registration_status",
}
ORGANISATIONS = {SubjectKind.LEGAL_PERSON, SubjectKind.OTHER_ORGANIZATION}


@cache
def _default_data() -> dict[str, Any]:
    with DEFAULT_CATALOGUE.open("rb") as file:
        return tomllib.load(file)


def default_data() -> dict[str, Any]:
    """A fresh copy of the default catalogue's raw data, safe to break."""
    return copy.deepcopy(_default_data())


@cache
def default_catalogue() -> Catalogue:
    return parse_catalogue(_default_data())


def item(code: str) -> CatalogueItem:
    found = default_catalogue().item(code)
    assert found is not None, f"the default catalogue lacks {code}"
    return found


def raw_item(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(entry for entry in data["items"] if entry["code"] == code)


def catalogue_error(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    return str(caught.value)


def test_default_catalogue_file_loads_and_validates() -> None:
    catalogue = default_catalogue()

    assert catalogue.version == "2020.2"
    assert catalogue.effective_from == date(2020, 1, 24)
    assert catalogue.published_by == "深圳市公共信用中心"


@pytest.mark.parametrize(("code", "clause"), sorted({**GOOD_CLAUSES, **DISHONEST_CLAUSES}.items()))
def test_default_catalogue_notice_item_implements_its_clause(code: str, clause: str) -> None:
    expected = Category.GOOD if code.startswith("GOOD") else Category.DISHONEST

    assert item(code).clause == clause
    assert item(code).category is expected


def test_default_catalogue_every_clause_of_notice_part_one_is_covered() -> None:
    clauses = {entry.clause for entry in default_catalogue().items}

    assert set(GOOD_CLAUSES.values()) | set(DISHONEST_CLAUSES.values()) <= clauses


def test_default_catalogue_commitment_item_comes_from_managing_unit() -> None:
    commitment = item("COMMITMENT")

    assert commitment.category is Category.COMMITMENT
    assert commitment.clause == "二(九)"
    assert commitment.source_unit_types == (SourceUnitType.COMMITMENT_MANAGING_UNIT,)
    assert commitment.disclosure_rule == "commitment"


@pytest.mark.parametrize("kind", list(SubjectKind))
def test_default_catalogue_basic_item_exists_for_each_kind(kind: SubjectKind) -> None:
    basic = default_catalogue().basic_item(kind)

    assert basic.code == BASIC[kind]
    assert basic.category is Category.BASIC
    assert basic.subject_kinds == (kind,)
    assert basic.source_unit_types == (SourceUnitType.REGISTRATION_AUTHORITY,)
    assert basic.disclosure_rule == "basic"


def test_basic_item_is_the_first_listed_naming_the_kind_and_none_is_refused() -> None:
    catalogue = default_catalogue()
    basic = [i for i in catalogue.items if i.category is Category.BASIC]
    again = basic[0].model_copy(update={"code": "BASIC_AGAIN"})  # listed after the first
    twice = Catalogue.model_validate(catalogue.model_dump() | {"items": [*catalogue.items, again]})
    none = Catalogue.model_validate(
        catalogue.model_dump() | {"items": [i for i in catalogue.items if i not in basic]}
    )

    for kind in SubjectKind:
        first = next(i for i in basic if kind in i.subject_kinds)
        assert catalogue.basic_item(kind) is first
        assert twice.basic_item(kind).code == first.code
        with pytest.raises(LookupError):
            none.basic_item(kind)


def test_default_catalogue_basic_natural_person_has_the_fields_the_api_reads() -> None:
    specs = item("BASIC_NATURAL_PERSON").specs
    expected = {
        "name": (PublicAttribute.AUTHORIZED, Mask(kind=MaskKind.NAME), True),
        "identifier": (PublicAttribute.AUTHORIZED, Mask(kind=MaskKind.HIDDEN), True),
        "district": (PublicAttribute.PUBLIC, Mask(kind=MaskKind.HIDDEN), False),
        "address": (PublicAttribute.AUTHORIZED, Mask(kind=MaskKind.ADDRESS), True),
        "mobile": (PublicAttribute.GOVERNMENT, Mask(kind=MaskKind.KEEP, front=3, back=4), True),
        "birth_date": (PublicAttribute.GOVERNMENT, Mask(kind=MaskKind.DATE_MONTH), True),
    }

    actual = {key: (spec.public_attribute, spec.mask, spec.personal) for key, spec in specs.items()}

    assert actual == expected
    assert specs["identifier"].format == "identifier"
    assert specs["birth_date"].format == "date"


@pytest.mark.parametrize("code", ["BASIC_LEGAL_PERSON", "BASIC_OTHER_ORGANIZATION"])
def test_default_catalogue_basic_organisation_has_the_fields_the_api_reads(code: str) -> None:
    specs = item(code).specs
    public = {k for k, spec in specs.items() if spec.public_attribute is PublicAttribute.PUBLIC}

    assert set(specs) == ORGANISATION_BASIC_KEYS
    assert public == ORGANISATION_BASIC_KEYS - {"legal_representative", "contact_phone"}
    representative = specs["legal_representative"]
    assert representative.personal
    assert representative.public_attribute is PublicAttribute.AUTHORIZED
    assert representative.mask == Mask(kind=MaskKind.NAME)
    assert specs["contact_phone"].public_attribute is PublicAttribute.GOVERNMENT
    assert specs["contact_phone"].mask == Mask(kind=MaskKind.KEEP, front=3, back=4)
    assert specs["registered_capital"].format == "amount"
    assert specs["identifier"].format == "identifier"


@pytest.mark.parametrize("code", TOLERABLE)
def test_default_catalogue_tolerable_item_implements_clause_three_ten(code: str) -> None:
    tolerable = item(code)

    assert tolerable.epidemic_tolerable
    assert tolerable.category is Category.DISHONEST
    assert tolerable.clause == "三(十)"
    assert set(tolerable.subject_kinds) == ORGANISATIONS
    assert tolerable.source_unit_types == (SourceUnitType.PENALTY_DECIDING_UNIT,)
    assert tolerable.disclosure_rule == "dishonesty"


def test_default_catalogue_only_clause_three_ten_items_are_tolerable() -> None:
    tolerable = {entry.code for entry in default_catalogue().items if entry.epidemic_tolerable}

    assert tolerable == set(TOLERABLE)


def test_default_catalogue_source_units_follow_notice_clause_one_three() -> None:
    for entry in default_catalogue().items:
        units = set(entry.source_unit_types)
        if entry.code in GOOD_CLAUSES:
            expected = {SourceUnitType.AWARDING_DEPARTMENT}
        elif entry.code in {"DISHONEST_1", "DISHONEST_2", "DISHONEST_3", "DISHONEST_4"}:
            # Criminal judgments come only from the city intermediate court.
            expected = {SourceUnitType.PENALTY_DECIDING_UNIT, SourceUnitType.INTERMEDIATE_COURT}
        elif entry.code in {"DISHONEST_5", "COMMITMENT"}:
            expected = {SourceUnitType.COMMITMENT_MANAGING_UNIT}
        elif entry.code in TOLERABLE:
            expected = {SourceUnitType.PENALTY_DECIDING_UNIT}
        elif entry.category is Category.FUNDING:  # notice 三(十二): the granting department
            expected = {SourceUnitType.FUNDING_DEPARTMENT}
        else:
            expected = {SourceUnitType.REGISTRATION_AUTHORITY}
        assert units == expected, entry.code


def test_default_catalogue_items_use_the_rule_family_of_their_category() -> None:
    families = {
        Category.GOOD: "good_behaviour",
        Category.DISHONEST: "dishonesty",
        Category.COMMITMENT: "commitment",
        Category.BASIC: "basic",
        Category.FUNDING: "funding",
    }

    for entry in default_catalogue().items:
        assert entry.disclosure_rule == families[entry.category], entry.code


@pytest.mark.parametrize("code", sorted(GOOD_CLAUSES))
def test_default_catalogue_good_item_about_persons_is_refusable_under_art_39(code: str) -> None:
    entry = item(code)

    assert entry.opt_out_allowed is (SubjectKind.NATURAL_PERSON in entry.subject_kinds)


def test_default_catalogue_only_good_items_are_refusable() -> None:
    for entry in default_catalogue().items:
        if entry.category is not Category.GOOD:
            assert not entry.opt_out_allowed, entry.code


@pytest.mark.parametrize(
    ("code", "allowed", "fix"),
    [
        ("GOOD_9", False, "must be true"),
        ("DISHONEST_1", True, "must be true exactly for good-behaviour items"),
    ],
)
def test_parse_catalogue_opt_out_contradicting_art_39_names_the_item(
    code: str, allowed: bool, fix: str
) -> None:
    data = default_data()
    raw_item(data, code)["opt_out_allowed"] = allowed

    message = catalogue_error(data)

    assert f"item {code}" in message
    assert fix in message
    assert "art. 39" in message


def test_default_catalogue_personal_items_of_natural_persons_are_not_public() -> None:
    for entry in default_catalogue().items:
        if SubjectKind.NATURAL_PERSON not in entry.subject_kinds:
            continue
        for spec in entry.data_items:
            if spec.personal:
                assert spec.public_attribute is not PublicAttribute.PUBLIC, (entry.code, spec.key)


def test_default_catalogue_uses_every_attribute_level_and_mask_kind() -> None:
    specs = [spec for entry in default_catalogue().items for spec in entry.data_items]

    assert {spec.public_attribute for spec in specs} == set(PublicAttribute)
    assert {spec.mask.kind for spec in specs} == set(MaskKind)


def test_default_catalogue_non_basic_item_has_a_public_data_item() -> None:
    for entry in default_catalogue().items:
        if entry.category is Category.BASIC:
            continue
        attributes = {spec.public_attribute for spec in entry.data_items}
        assert PublicAttribute.PUBLIC in attributes, entry.code


def test_default_catalogue_items_have_four_to_ten_data_items() -> None:
    # Ten: the good-behaviour items with the most detail also carry their conduct date.
    for entry in default_catalogue().items:
        assert 4 <= len(entry.data_items) <= 10, entry.code


def test_default_catalogue_amount_labels_name_no_unit() -> None:
    # Amounts are submitted in fen and shown in 元 with the unit in the value, so a label that
    # named either unit would be wrong on one side.
    amounts = [
        spec
        for entry in default_catalogue().items
        for spec in entry.data_items
        if spec.format == "amount"
    ]

    assert amounts
    for spec in amounts:
        assert not {"分", "元"} & set(spec.label_zh), spec.key
        assert "fen" not in spec.label_en, spec.key
        assert "yuan" not in spec.label_en, spec.key


def test_default_catalogue_good_items_apply_to_realistic_subjects() -> None:
    everyone = set(SubjectKind)

    assert SubjectKind.NATURAL_PERSON in item("GOOD_1").subject_kinds
    assert set(item("GOOD_5").subject_kinds) == everyone
    # Notice 一(一)6: individual landlords relieve rent too.
    assert set(item("GOOD_6").subject_kinds) == everyone
    for code in ("GOOD_4", "GOOD_7"):
        assert set(item(code).subject_kinds) == ORGANISATIONS, code


@pytest.mark.parametrize(
    ("viewer", "required", "allowed"),
    [
        (PublicAttribute.PUBLIC, PublicAttribute.PUBLIC, True),
        (PublicAttribute.PUBLIC, PublicAttribute.AUTHORIZED, False),
        (PublicAttribute.AUTHORIZED, PublicAttribute.PUBLIC, True),
        (PublicAttribute.AUTHORIZED, PublicAttribute.AUTHORIZED, True),
        (PublicAttribute.AUTHORIZED, PublicAttribute.GOVERNMENT, False),
        (PublicAttribute.GOVERNMENT, PublicAttribute.AUTHORIZED, True),
        (PublicAttribute.GOVERNMENT, PublicAttribute.RESTRICTED, False),
        (PublicAttribute.RESTRICTED, PublicAttribute.RESTRICTED, True),
        (PublicAttribute.RESTRICTED, PublicAttribute.PUBLIC, True),
    ],
)
def test_public_attribute_allows_follows_the_order(
    viewer: PublicAttribute, required: PublicAttribute, allowed: bool
) -> None:
    assert viewer.allows(required) is allowed


def test_public_attribute_order_is_public_authorized_government_restricted() -> None:
    ranks = [attribute.rank for attribute in PublicAttribute]

    assert list(PublicAttribute) == [
        PublicAttribute.PUBLIC,
        PublicAttribute.AUTHORIZED,
        PublicAttribute.GOVERNMENT,
        PublicAttribute.RESTRICTED,
    ]
    assert ranks == sorted(ranks)


def test_mask_keep_with_counts_is_accepted() -> None:
    mask = Mask(kind=MaskKind.KEEP, front=6, back=4)

    assert (mask.front, mask.back) == (6, 4)


@pytest.mark.parametrize("kind", [k for k in MaskKind if k is not MaskKind.KEEP])
def test_mask_counts_on_other_kinds_are_rejected(kind: MaskKind) -> None:
    with pytest.raises(ValidationError, match="front and back apply only to the KEEP mask"):
        Mask(kind=kind, back=2)


def test_mask_negative_count_is_rejected() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Mask(kind=MaskKind.KEEP, front=-1)


def test_parse_catalogue_unknown_public_attribute_names_item_key_and_field() -> None:
    data = default_data()
    spec = raw_item(data, "DISHONEST_2")["data_items"][2]
    spec["public_attribute"] = "SECRET"

    message = catalogue_error(data)

    assert f"item DISHONEST_2, data item {spec['key']}, field public_attribute" in message


def test_parse_catalogue_duplicate_item_code_names_the_code() -> None:
    data = default_data()
    data["items"].append(copy.deepcopy(raw_item(data, "GOOD_3")))

    message = catalogue_error(data)

    assert "item codes repeat: GOOD_3" in message


def test_parse_catalogue_public_personal_item_of_natural_person_names_item_and_key() -> None:
    data = default_data()
    spec = raw_item(data, "BASIC_NATURAL_PERSON")["data_items"][0]
    spec["public_attribute"] = "PUBLIC"

    message = catalogue_error(data)

    assert "item BASIC_NATURAL_PERSON" in message
    assert "personal" in message
    assert "PUBLIC" in message
    assert message.endswith(f": {spec['key']}")


def test_parse_catalogue_public_personal_item_of_organisation_is_accepted() -> None:
    data = default_data()
    raw_item(data, "BASIC_LEGAL_PERSON")["data_items"][2]["public_attribute"] = "PUBLIC"

    spec = parse_catalogue(data).by_code["BASIC_LEGAL_PERSON"].data_items[2]

    assert spec.personal
    assert spec.public_attribute is PublicAttribute.PUBLIC


def test_parse_catalogue_unknown_disclosure_rule_family_names_item_and_field() -> None:
    data = default_data()
    raw_item(data, "COMMITMENT")["disclosure_rule"] = "promises"

    message = catalogue_error(data)

    assert "disclosure_rule" in message
    assert "COMMITMENT (promises)" in message


def test_parse_catalogue_mask_counts_on_name_mask_names_item_key_and_field() -> None:
    data = default_data()
    raw_item(data, "COMMITMENT")["data_items"][-1]["mask"] = {"kind": "NAME", "front": 1}

    message = catalogue_error(data)

    assert "item COMMITMENT, data item signatory, field mask" in message
    assert "front and back apply only to the KEEP mask" in message


def test_parse_catalogue_enum_without_values_names_item_and_key() -> None:
    data = default_data()
    spec = raw_item(data, "DISHONEST_4")["data_items"][3]
    del spec["enum_values"]

    message = catalogue_error(data)

    assert f"item DISHONEST_4, data item {spec['key']}" in message
    assert "enum_values" in message


def test_parse_catalogue_missing_title_names_item_and_field() -> None:
    data = default_data()
    del raw_item(data, "GOOD_7")["title_en"]

    message = catalogue_error(data)

    assert "item GOOD_7, field title_en: Field required" in message


def test_parse_catalogue_reports_every_problem_at_once() -> None:
    data = default_data()
    raw_item(data, "GOOD_1")["clause"] = ""
    raw_item(data, "DISHONEST_1")["data_items"][0]["format"] = "blob"

    message = catalogue_error(data)

    assert "item GOOD_1, field clause" in message
    assert "item DISHONEST_1, data item penalty_decision_number, field format" in message
