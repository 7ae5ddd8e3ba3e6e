"""Check characters of social credit codes (GB 32100-2015) and resident numbers (GB 11643-1999)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identifiers import (
    InvalidIdentifier,
    SubjectKind,
    birth_date,
    resident_check_character,
    uscc_check_character,
    validate_identifier,
    validate_resident_id,
    validate_uscc,
)
from tests import factories

# Written out from the standards rather than imported, so the properties below check the
# module against an independent reading of GB 32100 and GB 11643.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
REFERENCE_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REFERENCE_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
DIGITS = "0123456789"
RESIDENT_CHECKS = DIGITS + "X"

VALID_USCC = (
    "91350200776049653A",
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "12440300455755829J",
    "52440300MJL1234565",
)
VALID_RESIDENT = (
    "11010519491231002X",  # the example of GB 11643-1999
    "440308199901010012",
    "440304200002291236",  # born on a leap day
    "440305198001011235",
)

USCC_LENGTH = "a unified social credit code has 18 characters"
USCC_CHARACTERS = "a unified social credit code uses only 0-9 and A-Y without I, O, S, V and Z"
USCC_CHECK = "the check character of the unified social credit code is wrong"
RESIDENT_LENGTH = "a resident identity number has 18 characters"
RESIDENT_CHARACTERS = "a resident identity number is 17 digits and a digit or X"
RESIDENT_BIRTH = (
    "the resident identity number does not encode a valid birth date (a real day from "
    "1900-01-01 to today)"
)
RESIDENT_CHECK = "the check digit of the resident identity number is wrong"


def reference_uscc_check(body: str) -> str:
    total = sum(
        USCC_CHARSET.index(c) * w for c, w in zip(body, REFERENCE_USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def reference_resident_check(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body, REFERENCE_RESIDENT_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


uscc_bodies = st.builds(
    lambda head, region, rest: head + region + rest,
    st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2),
    st.text(alphabet=DIGITS, min_size=6, max_size=6),
    st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9),
)
# Read from the shipped table itself, not through domain.divisions.
DIVISION_CODES = sorted(
    line.split("\t")[0]
    for line in (Path(__file__).parents[1] / "domain/data/divisions.tsv")
    .read_text("utf-8")
    .splitlines()[1:]
)
TODAY = date(2026, 11, 30)


def resident_body(region: str, born: date, sequence: str) -> str:
    return f"{region}{born:%Y%m%d}{sequence}"


sequences = st.text(alphabet=DIGITS, min_size=3, max_size=3)
resident_bodies = st.builds(
    resident_body,
    st.sampled_from(DIVISION_CODES),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequences,
)


def uscc_alphabet(position: int) -> str:
    """The characters GB 32100 allows at a position: digits for the region code."""
    return DIGITS if 2 <= position <= 7 else USCC_CHARSET


def resident_alphabet(position: int) -> str:
    return RESIDENT_CHECKS if position == 17 else DIGITS


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_known_valid_is_returned_unchanged(code: str) -> None:
    assert validate_uscc(code) == code


@pytest.mark.parametrize("number", VALID_RESIDENT)
def test_resident_id_known_valid_is_returned_unchanged(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number


def test_uscc_lowercase_and_whitespace_is_canonicalised() -> None:
    assert validate_uscc("  91350200776049653a\n") == "91350200776049653A"


def test_resident_id_lowercase_x_is_canonicalised() -> None:
    assert validate_resident_id("11010519491231002x", today=TODAY) == "11010519491231002X"
    assert validate_resident_id(" 11010519491231002x ", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    "code",
    ["", "91350200776049653", "91350200776049653AB", "9135 0200776049653A"],
)
def test_uscc_wrong_length_is_rejected(code: str) -> None:
    with pytest.raises(InvalidIdentifier, match=f"^{USCC_LENGTH}$"):
        validate_uscc(code)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
@pytest.mark.parametrize("position", [0, 9, 16, 17])
def test_uscc_forbidden_letter_is_rejected(letter: str, position: int) -> None:
    code = "91350200776049653A"
    code = code[:position] + letter + code[position + 1 :]

    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(code)

    assert str(caught.value) == USCC_CHARACTERS


def test_uscc_letter_in_region_code_is_rejected() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc("9135A200776049653A")

    assert str(caught.value) == USCC_CHARACTERS


def test_uscc_full_width_digits_are_rejected() -> None:
    code = "91" + "３５０２００" + "776049653A"

    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(code)

    assert str(caught.value) == USCC_CHARACTERS


@pytest.mark.parametrize("code", ["91350200776049653B", "914403001922038217"])
def test_uscc_wrong_check_character_is_rejected(code: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(code)

    assert str(caught.value) == USCC_CHECK


@pytest.mark.parametrize("number", ["", "11010519491231002", "11010519491231002XX"])
def test_resident_id_wrong_length_is_rejected(number: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(number, today=TODAY)

    assert str(caught.value) == RESIDENT_LENGTH


@pytest.mark.parametrize(
    "number",
    [
        "01010519491231002X",  # no region code starts with 0
        "1101051949123100AX",
        "X10105194912310021",
        "1" + "１０１０５１９４９１２３１００２" + "X",  # full-width digits
    ],
)
def test_resident_id_non_digits_are_rejected(number: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(number, today=TODAY)

    assert str(caught.value) == RESIDENT_CHARACTERS


@pytest.mark.parametrize(
    "body",
    [
        "11010519490231002",  # 31 February
        "11010520210229002",  # 29 February in a common year
        "11010519491301002",  # month 13
        "11010519491200002",  # day 0
        "11010518991231002",  # before 1900
    ],
)
def test_resident_id_impossible_birth_date_is_rejected(body: str) -> None:
    number = body + reference_resident_check(body)

    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(number, today=TODAY)

    assert str(caught.value) == RESIDENT_BIRTH


@pytest.mark.parametrize("number", ["110105194912310021", "440308199901010013"])
def test_resident_id_wrong_check_digit_is_rejected(number: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(number, today=TODAY)

    assert str(caught.value) == RESIDENT_CHECK


def test_birth_date_of_valid_number_is_decoded() -> None:
    assert birth_date("11010519491231002X") == date(1949, 12, 31)


def test_birth_date_of_impossible_date_is_none() -> None:
    assert birth_date("110105194902310020") is None


def test_validate_identifier_natural_person_uses_resident_number() -> None:
    assert validate_identifier(SubjectKind.NATURAL_PERSON, "11010519491231002x", today=TODAY) == (
        "11010519491231002X"
    )

    with pytest.raises(InvalidIdentifier) as caught:
        validate_identifier(SubjectKind.NATURAL_PERSON, "91350200776049653A", today=TODAY)

    assert str(caught.value) == RESIDENT_CHARACTERS


@pytest.mark.parametrize("kind", [SubjectKind.LEGAL_PERSON, SubjectKind.OTHER_ORGANIZATION])
def test_validate_identifier_organisation_uses_social_credit_code(kind: SubjectKind) -> None:
    assert validate_identifier(kind, "91350200776049653a", today=TODAY) == "91350200776049653A"

    with pytest.raises(InvalidIdentifier) as caught:
        validate_identifier(kind, "11010519491231002X", today=TODAY)

    assert str(caught.value) == USCC_CHECK


@given(uscc_bodies)
def test_uscc_body_with_its_check_character_validates(body: str) -> None:
    assert uscc_check_character(body) == reference_uscc_check(body)

    code = body + reference_uscc_check(body)

    assert validate_uscc(code) == code


@given(resident_bodies)
def test_resident_body_with_its_check_character_validates(body: str) -> None:
    assert resident_check_character(body) == reference_resident_check(body)

    number = body + reference_resident_check(body)

    assert validate_resident_id(number, today=TODAY) == number
    assert validate_resident_id(number.lower(), today=TODAY) == number


@given(uscc_bodies, st.integers(min_value=0, max_value=17), st.data())
def test_uscc_single_substitution_is_rejected(
    body: str, position: int, data: st.DataObject
) -> None:
    code = body + reference_uscc_check(body)
    others = [c for c in uscc_alphabet(position) if c != code[position]]
    replacement = data.draw(st.sampled_from(others))
    changed = code[:position] + replacement + code[position + 1 :]

    with pytest.raises(InvalidIdentifier):
        validate_uscc(changed)


@given(resident_bodies, st.integers(min_value=0, max_value=17), st.data())
def test_resident_id_single_substitution_is_rejected(
    body: str, position: int, data: st.DataObject
) -> None:
    number = body + reference_resident_check(body)
    others = [c for c in resident_alphabet(position) if c != number[position]]
    replacement = data.draw(st.sampled_from(others))
    changed = number[:position] + replacement + number[position + 1 :]

    with pytest.raises(InvalidIdentifier):
        validate_resident_id(changed, today=TODAY)


RESIDENT_DIVISION = (
    "the first six digits of the resident identity number are no administrative division code "
    "(GB/T 2260)"
)
non_divisions = (
    st.integers(min_value=100_000, max_value=999_999)
    .map(str)
    .filter(lambda code: code not in set(DIVISION_CODES))
)


@given(
    st.sampled_from(DIVISION_CODES),
    st.dates(min_value=TODAY + timedelta(days=1), max_value=date(9999, 12, 31)),
    sequences,
)
def test_resident_id_future_birth_is_rejected(region: str, born: date, sequence: str) -> None:
    body = resident_body(region, born, sequence)

    with pytest.raises(InvalidIdentifier, match=r"valid birth date"):
        validate_resident_id(body + reference_resident_check(body), today=TODAY)


@given(
    st.sampled_from(DIVISION_CODES),
    st.dates(min_value=date(1000, 1, 1), max_value=date(1899, 12, 31)),
    sequences,
)
def test_resident_id_birth_before_1900_is_rejected(region: str, born: date, sequence: str) -> None:
    body = resident_body(region, born, sequence)

    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(body + reference_resident_check(body), today=TODAY)

    assert str(caught.value) == RESIDENT_BIRTH


@given(non_divisions, st.dates(min_value=date(1900, 1, 1), max_value=TODAY), sequences)
def test_resident_id_prefix_not_a_division_is_rejected(
    region: str, born: date, sequence: str
) -> None:
    body = resident_body(region, born, sequence)

    with pytest.raises(InvalidIdentifier) as caught:
        validate_resident_id(body + reference_resident_check(body), today=TODAY)

    assert str(caught.value) == RESIDENT_DIVISION


def test_resident_id_birth_today_is_valid_and_tomorrow_is_not() -> None:
    body = resident_body("440305", TODAY, "001")
    tomorrow = resident_body("440305", TODAY + timedelta(days=1), "001")

    assert validate_resident_id(body + reference_resident_check(body), today=TODAY)
    with pytest.raises(InvalidIdentifier, match="valid birth date"):
        validate_resident_id(tomorrow + reference_resident_check(tomorrow), today=TODAY)


@pytest.mark.parametrize(
    "region",
    [
        "440321",  # 宝安县, became 深圳市 in 1979 and 宝安区 in 1992
        "440301",  # 深圳市市辖区: a placeholder code printed on numbers of the 1980s
        "441900",  # 东莞市, a prefecture without counties
        "429004",  # 仙桃市, a county-level city under the province
        "440311",  # 光明区, since 2018
    ],
)
def test_resident_id_historical_and_special_division_codes_are_valid(region: str) -> None:
    body = resident_body(region, date(1975, 6, 1), "123")
    number = body + reference_resident_check(body)

    assert validate_resident_id(number, today=TODAY) == number


def test_validate_identifier_kept_answers_never_let_an_invalid_identifier_pass() -> None:
    """Answers are kept per (kind, identifier, day): an invalid one raises every time, and a
    birth date that is in the future on one day is judged again on the next."""
    code = factories.uscc(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    born_tomorrow = factories.resident_id(7, born="20200302")
    for _ in range(2):
        with pytest.raises(InvalidIdentifier):
            validate_identifier(SubjectKind.LEGAL_PERSON, wrong, today=date(2020, 3, 1))
        assert validate_identifier(SubjectKind.LEGAL_PERSON, code, today=date(2020, 3, 1)) == code
        with pytest.raises(InvalidIdentifier):
            validate_identifier(SubjectKind.NATURAL_PERSON, born_tomorrow, today=date(2020, 3, 1))
    person = SubjectKind.NATURAL_PERSON
    assert validate_identifier(person, born_tomorrow, today=date(2020, 3, 2)) == born_tomorrow
