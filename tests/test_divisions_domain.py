"""Division codes and the ADDRESS mask (issue 8 points 8 and 10): pure, no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.divisions import is_division_code, leading_divisions
from domain.masking import district_only

# Read from the shipped table itself: (code, name) of every current county-level division.
ROWS = [
    line.split("\t")
    for line in (Path(__file__).parents[1] / "domain/data/divisions.tsv")
    .read_text("utf-8")
    .splitlines()[1:]
]
NAMES = {code: name for code, name, _ in ROWS}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def chain(code: str) -> str:
    """Province, prefecture (when it has a name) and county of a county code, written out."""
    parts = [code[:2] + "0000", code[:4] + "00", code]
    return "".join(
        NAMES[part]
        for part in dict.fromkeys(parts)
        if part in NAMES and NAMES[part] not in PLACEHOLDERS
    )


COUNTIES = sorted(
    code
    for code, name, status in ROWS
    if status == "current" and not code.endswith("00") and name not in PLACEHOLDERS
)


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("广东省深圳市南山区粤海街道科技园社区科苑路15号", "广东省深圳市南山区粤海街道"),
        ("深圳市南山区蛇口花园城小区3栋1201", "深圳市南山区"),
        ("深圳市宝安区新安街道宝城社区创业一路18号", "深圳市宝安区新安街道"),
        ("深圳市南山区科技园南区高新南四道18号", "深圳市南山区"),
        ("深圳市龙岗区坂田街道华为基地园区B区", "深圳市龙岗区坂田街道"),
        ("广东省东莞市虎门镇连升路1号", "广东省东莞市虎门镇"),
        ("广东省东莞市松山湖园区工业北路6号", "广东省东莞市"),
        ("广东省中山市石岐区民族路3号", "广东省中山市"),
        ("中山市小榄镇升平中路8号", "中山市小榄镇"),
        ("海南省儋州市那大镇人民中路2号", "海南省儋州市那大镇"),
        ("湖北省仙桃市沙嘴街道仙桃大道1号", "湖北省仙桃市沙嘴街道"),
        ("北京市朝阳区建国路88号", "北京市朝阳区"),
        ("上海市浦东新区张江镇祖冲之路2号", "上海市浦东新区张江镇"),
        ("深圳市龙岗区新乡路3号", "深圳市龙岗区"),
        ("深圳市大鹏新区葵涌街道金业大道1号", "深圳市"),  # a functional area, no division
        ("科技园社区18号", ""),
        ("南山区", "南山区"),
    ],
)
def test_district_only_keeps_divisions_down_to_the_street(address: str, masked: str) -> None:
    assert district_only(address) == masked


def test_district_only_reads_counties_inside_their_prefecture() -> None:
    # 朝阳区 is also a district of 长春市; after 北京市 it is Beijing's, after 长春市 Changchun's.
    assert district_only("吉林省长春市朝阳区工农大路1号") == "吉林省长春市朝阳区"
    assert district_only("北京市海淀区长春桥路") == "北京市海淀区"


road_characters = st.sampled_from("科苑深南建设人民中山解放和平东西南北一二三华强滨海")
tail_words = st.sampled_from(["小区", "社区", "园区", "花园", "大厦", "区", "栋", "号", "室", "镇"])
tails = st.builds(
    lambda road, kind, number, rest: f"{road}{kind}{number}号{''.join(rest)}",
    st.text(road_characters, min_size=1, max_size=4),
    st.sampled_from(["路", "大道", "街", "巷"]),
    st.integers(min_value=1, max_value=3000),
    st.lists(st.one_of(tail_words, st.text(road_characters, max_size=3)), max_size=6),
)
towns = st.one_of(
    st.just(""),
    st.builds(
        lambda name, suffix: name + suffix,
        st.text(road_characters, min_size=2, max_size=3),
        st.sampled_from(["街道", "镇", "乡"]),
    ),
)


@given(st.sampled_from(COUNTIES), towns, tails)
def test_address_mask_keeps_nothing_after_the_street_or_town(
    county: str, town: str, tail: str
) -> None:
    divisions = chain(county) + town

    masked = district_only(divisions + tail)

    assert masked == divisions


@given(st.text(max_size=60))
def test_address_mask_is_a_prefix_never_longer_and_stable(address: str) -> None:
    masked = district_only(address)

    assert address.startswith(masked)
    assert len(masked) <= len(address)
    assert district_only(masked) == masked


@given(st.sampled_from(COUNTIES))
def test_every_current_county_code_is_a_division(code: str) -> None:
    assert is_division_code(code)
    assert leading_divisions(chain(code)) == chain(code)


@pytest.mark.parametrize("code", ["000000", "440399", "123456", "4403", "44030５"])
def test_codes_outside_the_table_are_not_divisions(code: str) -> None:
    assert not is_division_code(code)
