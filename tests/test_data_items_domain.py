"""Pure tests: amounts are stored in fen and leave the service in 元."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.data_items import DataItemSpec, shown_value
from tests.submissions import CATALOGUE


def amount_spec() -> DataItemSpec:
    return CATALOGUE.by_code["DISHONEST_1"].specs["fine_amount"]


@pytest.mark.parametrize(
    ("fen", "shown"),
    [("0", "0.00 元"), ("5", "0.05 元"), ("500000", "5,000.00 元"), ("1234567", "12,345.67 元")],
)
def test_shown_value_amount_in_fen_is_shown_in_yuan(fen: str, shown: str) -> None:
    assert shown_value(amount_spec(), fen) == shown


@given(st.integers(min_value=0, max_value=10**18))
def test_shown_value_amount_reads_back_to_the_stored_fen(fen: int) -> None:
    shown = shown_value(amount_spec(), str(fen))

    assert shown.endswith(" 元")
    assert Decimal(shown.removesuffix(" 元").replace(",", "")) * 100 == fen


def test_shown_value_other_formats_and_foreign_amounts_are_shown_as_stored() -> None:
    text = CATALOGUE.by_code["DISHONEST_1"].specs["offence"]

    assert shown_value(text, "1234") == "1234"
    assert shown_value(amount_spec(), "12.5") == "12.5"
