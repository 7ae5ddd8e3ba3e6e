"""Names as compared (issue 8 point 10): NFKC and whitespace folding, pure."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.subjects import name_key, same_name

FULL_TO_HALF = {"（": "(", "）": ")", "　": " ", "Ａ": "A", "１": "1"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("深圳市华鹏合伙企业（有限合伙）", "深圳市华鹏合伙企业(有限合伙)"),
        ("ＡＢＣ科技有限公司", "ABC科技有限公司"),
        ("王小明", " 王小明　"),
        ("John  Smith", "John Smith"),
    ],
)
def test_same_name_folds_width_and_whitespace(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(("a", "b"), [("王小明", "王晓明"), ("王小明", "王 小明"), ("abc", "ABC")])
def test_same_name_keeps_what_differs(a: str, b: str) -> None:
    assert not same_name(a, b)


@given(st.text(alphabet=st.sampled_from("王小明深圳（）() 　ＡA１1\t"), max_size=20))
def test_name_key_is_idempotent_and_width_blind(name: str) -> None:
    half = "".join(FULL_TO_HALF.get(c, c) for c in name)

    assert name_key(name_key(name)) == name_key(name)
    assert same_name(name, half)
    assert name_key(name) == unicodedata.normalize("NFKC", name_key(name))
    assert "  " not in name_key(name)
