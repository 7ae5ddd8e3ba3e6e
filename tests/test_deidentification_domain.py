"""Masks judged together (domain/deidentification.py): no level's view identifies a person."""

from __future__ import annotations

import copy
import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth.masking import show_items
from domain.catalogue import Catalogue, CatalogueError, parse_catalogue
from domain.data_items import IdentityPart
from domain.deidentification import (
    BIRTH_SPAN,
    FULL_NAME_SHARE,
    MIN_CANDIDATES,
    REGIONS_LEFT,
    SURNAME_SHARE,
    Knowledge,
    birthdays_left,
    check_deidentified,
    identifications,
    kept_positions,
    knowledge_at,
)
from domain.identifiers import SubjectKind
from domain.masking import Mask, MaskKind, PublicAttribute, apply_mask
from store.catalogue import insert_shipped_catalogue, list_catalogues
from store.database import Database
from tests import factories

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "store" / "default_catalogue.toml"
PERSON_KEYS = ("name", "identifier", "address", "mobile", "birth_date")
LEVELS_BELOW_RESTRICTED = (
    PublicAttribute.PUBLIC,
    PublicAttribute.AUTHORIZED,
    PublicAttribute.GOVERNMENT,
)


@cache
def _default_data() -> dict[str, Any]:
    with DEFAULT_CATALOGUE.open("rb") as file:
        return tomllib.load(file)


def person_basic(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The person's basic data items by key, and the commitment's signatory (a name too)."""
    item = next(i for i in data["items"] if i["code"] == "BASIC_NATURAL_PERSON")
    commitment = next(i for i in data["items"] if i["code"] == "COMMITMENT")
    signatory = next(s for s in commitment["data_items"] if s["key"] == "signatory")
    return {spec["key"]: spec for spec in item["data_items"]} | {"signatory": signatory}


def with_masks(**specs: dict[str, Any]) -> Catalogue:
    """The default catalogue with some of the person's basic data items replaced in part."""
    data = copy.deepcopy(_default_data())
    basic = person_basic(data)
    for key, changes in specs.items():
        basic[key].update(changes)
        if "masks" in changes and not changes["masks"]:
            del basic[key]["masks"]
    return parse_catalogue(data)


KEEP_6_4 = {"kind": "KEEP", "front": 6, "back": 4}


def test_default_catalogue_passes_the_check() -> None:
    catalogue = parse_catalogue(_default_data())

    check_deidentified(catalogue)

    public = knowledge_at(catalogue, PublicAttribute.PUBLIC)
    assert public is not None
    assert public.candidates() >= MIN_CANDIDATES


def test_check_identifier_6_4_with_birth_month_for_public_is_refused() -> None:
    catalogue = with_masks(identifier={"mask": KEEP_6_4}, birth_date={"masks": {}})

    with pytest.raises(CatalogueError) as caught:
        check_deidentified(catalogue)

    message = str(caught.value)
    assert "\n" not in message
    assert "PUBLIC sees" in message
    assert "identifier KEEP(6,4)" in message
    assert "birth_date DATE_MONTH" in message
    assert "fewer than 500" in message


def test_knowledge_identifier_6_4_and_birth_month_leave_about_three_numbers() -> None:
    basic = parse_catalogue(_default_data()).basic_item(SubjectKind.NATURAL_PERSON).specs
    known = Knowledge()

    known.learn(basic["identifier"], Mask(kind=MaskKind.KEEP, front=6, back=4))
    alone = known.candidates()
    known.learn(basic["birth_date"], Mask(kind=MaskKind.DATE_MONTH))

    assert round(alone) == round(36525 / 11)
    assert known.candidates() == pytest.approx(28 / 11)  # a February, the check digit known


def test_check_identifier_6_4_alone_without_a_name_is_accepted() -> None:
    hidden = {"mask": {"kind": "HIDDEN"}}
    catalogue = with_masks(identifier={"mask": KEEP_6_4}, name=hidden, signatory=hidden)

    check_deidentified(catalogue)


def test_check_identifier_6_4_with_surname_is_refused() -> None:
    # ~3,300 numbers, and about one person in a hundred shares the median surname.
    assert identifications(with_masks(identifier={"mask": KEEP_6_4})) != []


def test_check_mask_for_authorized_is_judged_at_authorized() -> None:
    catalogue = with_masks(
        identifier={"public_attribute": "GOVERNMENT", "masks": {"AUTHORIZED": KEEP_6_4}}
    )

    found = identifications(catalogue)

    assert [line.split()[0] for line in found] == ["AUTHORIZED"]


def test_check_birth_date_region_and_gender_from_a_record_is_refused() -> None:
    data = copy.deepcopy(_default_data())
    person_basic(data)["birth_date"]["masks"] = {"PUBLIC": {"kind": "KEEP", "front": 4, "back": 5}}
    item = next(i for i in data["items"] if i["code"] == "DISHONEST_3")
    item["data_items"].append(
        {
            "key": "gender",
            "label_zh": "性别",
            "label_en": "Gender",
            "format": "enum",
            "enum_values": ["男", "女"],
            "public_attribute": "PUBLIC",
            "identity": "GENDER",
        }
    )

    found = identifications(parse_catalogue(data))

    assert len(found) == 1
    assert "gender raw" in found[0]
    assert "birth_date KEEP(4,5)" in found[0]


def test_data_item_mask_for_a_level_that_sees_raw_is_refused() -> None:
    data = copy.deepcopy(_default_data())
    person_basic(data)["mobile"]["masks"] = {"GOVERNMENT": {"kind": "HIDDEN"}}

    with pytest.raises(CatalogueError, match="masks name levels that see the raw value"):
        parse_catalogue(data)


def test_mask_for_uses_the_level_entry_then_the_default() -> None:
    spec = parse_catalogue(_default_data()).basic_item(SubjectKind.NATURAL_PERSON).specs["mobile"]

    assert spec.mask_for(PublicAttribute.PUBLIC) == Mask(kind=MaskKind.HIDDEN)
    assert spec.mask_for(PublicAttribute.AUTHORIZED) == Mask(kind=MaskKind.KEEP, front=3, back=4)
    assert spec.mask_for(PublicAttribute.GOVERNMENT) is None


def test_birthdays_left_is_the_smallest_class() -> None:
    assert birthdays_left(frozenset()) == (BIRTH_SPAN[1] - BIRTH_SPAN[0]).days + 1
    assert birthdays_left(frozenset(range(6))) == 28  # a February
    assert birthdays_left(frozenset(range(8))) == 1


# --- Properties over random mask assignments -------------------------------------------------

MASKS = st.one_of(
    st.sampled_from(
        [{"kind": "HIDDEN"}, {"kind": "NAME"}, {"kind": "ADDRESS"}, {"kind": "DATE_MONTH"}]
    ),
    st.builds(
        lambda f, b: {"kind": "KEEP", "front": f, "back": b},
        st.integers(0, 12),
        st.integers(0, 8),
    ),
)
ABOVE_PUBLIC = st.sampled_from(["AUTHORIZED", "GOVERNMENT", "RESTRICTED"])


@st.composite
def assignments(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Random attributes, default masks and per-level masks for the person's data items."""
    found: dict[str, dict[str, Any]] = {}
    for key in PERSON_KEYS:
        attribute = draw(ABOVE_PUBLIC)
        below = [lvl.value for lvl in PublicAttribute if not lvl.allows(PublicAttribute(attribute))]
        levels = draw(st.lists(st.sampled_from(below), unique=True))
        found[key] = {
            "public_attribute": attribute,
            "mask": draw(MASKS),
            "masks": {level: draw(MASKS) for level in levels},
        }
    return found


def birth_date_in_span(n: int) -> date:
    return BIRTH_SPAN[0] + timedelta(days=n)


PEOPLE = st.integers(0, (BIRTH_SPAN[1] - BIRTH_SPAN[0]).days)


def kept(shown: str | None, raw: str) -> set[int]:
    """Positions of `raw` a viewer can read in what it was shown (masks star or cut the rest)."""
    if shown is None:
        return set()
    return {i for i, c in enumerate(shown) if i < len(raw) and c == raw[i]}


def oracle(catalogue: Catalogue, level: PublicAttribute, born: date) -> float | None:
    """Candidates left for one real person, from what the API's masks really show of them.

    Independent of `Knowledge`: it masks a concrete person through `auth.masking.show_items`,
    reads which characters survived, and counts the birthdays of the span that would have been
    shown the same way exactly.
    """
    person = factories.person(serial=7)
    identifier = factories.resident_id(7, born.strftime("%Y%m%d"))
    values = {
        "name": person.name,
        "identifier": identifier,
        "address": "广东省深圳市南山区粤海街道科技园路1号",
        "mobile": "13812345678",
        "birth_date": born.isoformat(),
        "district": "南山区",
    }
    basic = catalogue.basic_item(SubjectKind.NATURAL_PERSON)
    shown = {v.key: v for v in show_items(basic, values, level)}
    if not shown["identifier"].masked:
        return None
    id_kept = kept(shown["identifier"].value, identifier)
    birth_kept = kept(shown["birth_date"].value, values["birth_date"])
    birth_digits = {p - 6 for p in id_kept if 6 <= p < 14}
    iso_to_digit = {0: 0, 1: 1, 2: 2, 3: 3, 5: 4, 6: 5, 8: 6, 9: 7}
    birth_digits |= {iso_to_digit[p] for p in birth_kept if p in iso_to_digit}
    same = 0
    for n in range((BIRTH_SPAN[1] - BIRTH_SPAN[0]).days + 1):
        other = birth_date_in_span(n).strftime("%Y%m%d")
        if all(other[d] == born.strftime("%Y%m%d")[d] for d in birth_digits):
            same += 1
    region_known = shown["address"].value is not None or set(range(6)) <= id_kept
    region_known = region_known or shown["district"].value is not None
    regions = 1 if region_known else REGIONS_LEFT[len(id_kept & set(range(6)))]
    sequence = 10.0 ** len({14, 15, 16} - id_kept)
    numbers = regions * same * sequence
    if 17 in id_kept:
        numbers = max(numbers / 11, 1.0)
    name_kept = kept(shown["name"].value, person.name)
    share = 1.0
    if name_kept == set(range(len(person.name))):
        share = FULL_NAME_SHARE
    elif name_kept:
        share = SURNAME_SHARE
    mobile_kept = kept(shown["mobile"].value, values["mobile"]) - {0}
    return numbers * share * 10.0 ** -len(mobile_kept)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assignment=assignments(), born=PEOPLE)
def test_accepted_catalogue_leaves_every_person_enough_candidates(
    assignment: dict[str, dict[str, Any]], born: int
) -> None:
    catalogue = with_masks(**assignment)
    accepted = identifications(catalogue) == []
    for level in LEVELS_BELOW_RESTRICTED:
        left = oracle(catalogue, level, birth_date_in_span(born))
        if accepted and left is not None:
            assert left >= MIN_CANDIDATES, (level, left)


@settings(max_examples=150, deadline=None)
@given(assignment=assignments())
def test_identifier_6_4_with_birth_month_is_always_refused(
    assignment: dict[str, dict[str, Any]],
) -> None:
    assignment["identifier"] |= {"public_attribute": "AUTHORIZED", "mask": KEEP_6_4, "masks": {}}
    assignment["birth_date"] |= {"mask": {"kind": "DATE_MONTH"}, "masks": {}}

    assert any(line.startswith("PUBLIC ") for line in identifications(with_masks(**assignment)))


@given(mask=MASKS, length=st.sampled_from([10, 11, 18]))
def test_kept_positions_match_what_apply_mask_leaves(mask: dict[str, Any], length: int) -> None:
    raw = "0123456789ABCDEFGH"[:length]
    shown = apply_mask(raw, Mask.model_validate(mask))

    expected = kept_positions(Mask.model_validate(mask), length)

    if mask["kind"] == "ADDRESS":
        assert expected == frozenset()
    else:
        assert kept(shown, raw) == set(expected)


def test_identity_parts_of_default_person_items() -> None:
    basic = parse_catalogue(_default_data()).basic_item(SubjectKind.NATURAL_PERSON)

    assert {s.key: s.identity for s in basic.data_items if s.identity is not None} == {
        "name": IdentityPart.NAME,
        "identifier": IdentityPart.RESIDENT_ID,
        "district": IdentityPart.REGION,
        "address": IdentityPart.REGION,
        "mobile": IdentityPart.MOBILE,
        "birth_date": IdentityPart.BIRTH_DATE,
    }


async def test_list_catalogues_refuses_a_stored_version_that_identifies(db: Database) -> None:
    identifying = with_masks(identifier={"mask": KEEP_6_4}, birth_date={"masks": {}})
    await insert_shipped_catalogue(db, catalogue=identifying)

    with pytest.raises(CatalogueError, match=r"^catalogue 2020\.2 would identify natural persons"):
        await list_catalogues(db)
