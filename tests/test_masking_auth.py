"""Pure tests of the mask functions and the masking policy: viewer level × attribute × mask."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auth.masking import revealed_by, revealed_keys, show, show_items
from auth.viewer import Scope, Viewer
from domain.catalogue import Catalogue, CatalogueItem
from domain.data_items import DataFormat, DataItemSpec
from domain.masking import (
    Mask,
    MaskKind,
    PublicAttribute,
    apply_mask,
    district_only,
    keep,
    month_only,
    surname_only,
)
from store.catalogue import read_default_catalogue

IDENTITY = "11010519491231002X"
MOBILE = "13812345678"
ADDRESS = "深圳市南山区科技园南区高新南四道18号"

P, A, G, R = (
    PublicAttribute.PUBLIC,
    PublicAttribute.AUTHORIZED,
    PublicAttribute.GOVERNMENT,
    PublicAttribute.RESTRICTED,
)


def spec(attribute: PublicAttribute, mask: Mask) -> DataItemSpec:
    return DataItemSpec(
        key="k",
        label_zh="项",
        label_en="item",
        format=DataFormat.TEXT,
        public_attribute=attribute,
        mask=mask,
    )


def test_keep_identity_number_six_and_four_stars_the_birth_date() -> None:
    assert keep(IDENTITY, 6, 4) == "110105********002X"


def test_keep_mobile_three_and_four() -> None:
    assert keep(MOBILE, 3, 4) == "138****5678"


def test_keep_value_shorter_than_kept_part_is_starred_whole() -> None:
    assert keep("12345", 3, 4) == "*****"


@pytest.mark.parametrize(
    ("name", "shown"),
    [("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("李", "李*")],
)
def test_surname_only_keeps_surname(name: str, shown: str) -> None:
    assert surname_only(name) == shown


def test_district_only_cuts_after_district() -> None:
    assert district_only(ADDRESS) == "深圳市南山区"
    assert district_only("广东省深圳市福田区福华三路1号") == "广东省深圳市福田区"


def test_district_only_without_district_shows_nothing() -> None:
    assert district_only("科技园18号") == ""
    assert apply_mask("科技园18号", Mask(kind=MaskKind.ADDRESS)) is None


def test_month_only_cuts_date_and_datetime() -> None:
    assert month_only("2020-03-15") == "2020-03"
    assert month_only("2020-03-15T10:00:00+08:00") == "2020-03"


# level of the viewer for the subject × attribute of the item → (value shown, masked)
MATRIX = [
    (level, attribute, mask, expected)
    for attribute, mask, masked_value in [
        (A, Mask(kind=MaskKind.KEEP, front=6, back=4), "110105********002X"),
        (A, Mask(kind=MaskKind.HIDDEN), None),
        (G, Mask(kind=MaskKind.KEEP, front=6, back=4), "110105********002X"),
        (G, Mask(kind=MaskKind.HIDDEN), None),
        (R, Mask(kind=MaskKind.HIDDEN), None),
        (R, Mask(kind=MaskKind.KEEP, front=6, back=4), "110105********002X"),
    ]
    for level in (P, A, G, R)
    for expected in [(IDENTITY, False) if level.rank >= attribute.rank else (masked_value, True)]
]


@pytest.mark.parametrize(("level", "attribute", "mask", "expected"), MATRIX)
def test_show_follows_level_attribute_and_mask(
    level: PublicAttribute,
    attribute: PublicAttribute,
    mask: Mask,
    expected: tuple[str | None, bool],
) -> None:
    shown = show(spec(attribute, mask), IDENTITY, level)

    assert (shown.value, shown.masked) == expected
    assert shown.attribute is attribute


@pytest.mark.parametrize("level", [P, A, G, R])
def test_show_public_item_is_raw_for_every_level(level: PublicAttribute) -> None:
    shown = show(spec(P, Mask(kind=MaskKind.HIDDEN)), "深圳市华鹏科技有限公司", level)

    assert (shown.value, shown.masked) == ("深圳市华鹏科技有限公司", False)


@pytest.mark.parametrize(
    ("mask", "raw", "public_sees"),
    [
        (Mask(kind=MaskKind.NAME), "王小明", "王**"),
        (Mask(kind=MaskKind.ADDRESS), ADDRESS, "深圳市南山区"),
        (Mask(kind=MaskKind.DATE_MONTH), "1980-01-01", "1980-01"),
        (Mask(kind=MaskKind.KEEP, front=3, back=4), MOBILE, "138****5678"),
        (Mask(kind=MaskKind.HIDDEN), MOBILE, None),
    ],
)
def test_every_mask_kind_applies_below_attribute(
    mask: Mask, raw: str, public_sees: str | None
) -> None:
    below = show(spec(A, mask), raw, P)
    at_level = show(spec(A, mask), raw, A)

    assert (below.value, below.masked) == (public_sees, True)
    assert (at_level.value, at_level.masked) == (raw, False)


def test_natural_person_basic_items_are_masked_for_public(catalogue: Catalogue) -> None:
    basic = catalogue.by_code["BASIC_NATURAL_PERSON"]
    values = {"name": "王小明", "identifier": IDENTITY, "mobile": MOBILE, "address": ADDRESS}

    shown = {v.key: v.value for v in show_items(basic, values, P)}

    assert shown == {"name": "王**", "identifier": None, "mobile": None, "address": "深圳市南山区"}


def test_natural_person_mobile_is_kept_3_4_for_authorized_viewers(catalogue: Catalogue) -> None:
    basic = catalogue.by_code["BASIC_NATURAL_PERSON"]

    shown = {v.key: v.value for v in show_items(basic, {"mobile": MOBILE}, A)}

    assert shown == {"mobile": "138****5678"}


# Any catalogue item (by index), any viewer's level, values for some of its items (`present`).
ITEMS_AND_VALUES = given(
    index=st.integers(min_value=0, max_value=10_000),
    level=st.sampled_from(PublicAttribute),
    raws=st.lists(
        st.one_of(st.none(), st.text(max_size=30), st.from_regex(r"[0-9]{1,12}", fullmatch=True))
    ),
    present=st.lists(st.booleans()),
)


def item_and_values(
    index: int, raws: list[str | None], present: list[bool]
) -> tuple[CatalogueItem, dict[str, Any]]:
    """The catalogue item at `index` and `raws` for those of its data items `present` keeps."""
    catalogue = read_default_catalogue()
    item = catalogue.items[index % len(catalogue.items)]
    values = {
        spec.key: raws[i % len(raws)] if raws else "深圳市南山区科技园"
        for i, spec in enumerate(item.data_items)
        if not present or present[i % len(present)]
    }
    return item, values


@settings(max_examples=200, deadline=None)
@ITEMS_AND_VALUES
def test_show_items_shows_each_item_as_show_does_at_every_level(
    index: int, level: PublicAttribute, raws: list[str | None], present: list[bool]
) -> None:
    """The masks worked out once an item and level change nothing: every viewer's level, any
    catalogue item (amounts and masks of every kind), any values, some absent."""
    item, values = item_and_values(index, raws, present)

    shown = show_items(item, values, level)

    assert shown == [show(s, values[s.key], level) for s in item.data_items if s.key in values]


@settings(max_examples=200, deadline=None)
@ITEMS_AND_VALUES
def test_revealed_by_names_what_the_shown_values_reveal_at_every_level(
    index: int, level: PublicAttribute, raws: list[str | None], present: list[bool]
) -> None:
    """The audit's keys worked out without showing a value are those the shown values reveal:
    every viewer's level, any catalogue item, any values, some absent or null."""
    item, values = item_and_values(index, raws, present)

    assert revealed_by(item, values, level) == revealed_keys(show_items(item, values, level))


def test_revealed_keys_lists_only_raw_values_above_public(catalogue: Catalogue) -> None:
    basic = catalogue.by_code["BASIC_NATURAL_PERSON"]
    values = {"name": "王小明", "identifier": IDENTITY, "district": "南山区", "mobile": MOBILE}

    assert revealed_keys(show_items(basic, values, P)) == []
    assert sorted(revealed_keys(show_items(basic, values, A))) == ["identifier", "name"]
    assert sorted(revealed_keys(show_items(basic, values, G))) == ["identifier", "mobile", "name"]


def test_viewer_anonymous_is_public_for_everyone() -> None:
    assert Viewer.anonymous().level_for("s-1") is P


def test_viewer_subject_is_authorized_only_for_itself() -> None:
    viewer = Viewer(sub="u", scopes=frozenset({Scope.SUBJECT_SELF}), subject_id="s-1")

    assert viewer.level_for("s-1") is A
    assert viewer.level_for("s-2") is P


def test_viewer_subject_claim_without_scope_is_public() -> None:
    viewer = Viewer(sub="u", scopes=frozenset(), subject_id="s-1")

    assert viewer.level_for("s-1") is P


def test_viewer_bank_is_authorized_only_with_grant() -> None:
    bank = Viewer(sub="b", scopes=frozenset({Scope.FINANCING_READ}), org="BANK")

    assert bank.level_for("s-1") is P
    assert bank.level_for("s-1", granted=True) is A


def test_viewer_government_and_centre_levels_hold_for_every_subject() -> None:
    government = Viewer(sub="g", scopes=frozenset({Scope.RECORDS_READ}))
    centre = Viewer(sub="c", scopes=frozenset({Scope.RESTRICTED_READ, Scope.RECORDS_READ}))

    assert government.level_for("s-1") is G
    assert government.level_for("s-1", granted=True) is G
    assert centre.level_for("s-1") is R
