"""Subject identifiers and their check characters.

Organisations carry the unified social credit code (统一社会信用代码, GB 32100-2015); natural
persons the resident identity number (公民身份号码, GB 11643-1999). Both are 18 characters and end
in a check character, so a mistyped code is caught before anything is stored. A resident number
also names a place and a day: its first six digits are a GB/T 2260 division and its next eight
a birth date that has happened, so a number nobody can hold is refused too.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from functools import lru_cache

from domain.divisions import is_division_code


class SubjectKind(StrEnum):
    """信用主体类别: the three kinds of subject named in notice 一(四)."""

    NATURAL_PERSON = "NATURAL_PERSON"
    LEGAL_PERSON = "LEGAL_PERSON"
    OTHER_ORGANIZATION = "OTHER_ORGANIZATION"


class InvalidIdentifier(ValueError):
    """The identifier is malformed or its check character does not match."""


USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# re.ASCII: `\d` would otherwise accept full-width and other Unicode digits.
_USCC_PATTERN = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}", re.ASCII)

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECKS = "10X98765432"
_RESIDENT_PATTERN = re.compile(r"[1-9]\d{5}\d{8}\d{3}[0-9X]", re.ASCII)


def uscc_check_character(body: str) -> str:
    """Return the check character for the first 17 characters of a social credit code."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def resident_check_character(body: str) -> str:
    """Return the check character for the first 17 digits of a resident identity number."""
    total = sum(int(c) * w for c, w in zip(body, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECKS[total % 11]


def validate_uscc(code: str) -> str:
    """Return the social credit code in canonical form, or raise `InvalidIdentifier`."""
    code = code.strip().upper()
    if len(code) != 18:
        raise InvalidIdentifier("a unified social credit code has 18 characters")
    if not _USCC_PATTERN.fullmatch(code):
        raise InvalidIdentifier(
            "a unified social credit code uses only 0-9 and A-Y without I, O, S, V and Z"
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise InvalidIdentifier("the check character of the unified social credit code is wrong")
    return code


def birth_date(number: str) -> date | None:
    """Return the birth date a resident identity number encodes, or None if it is no date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


# GB 11643-1999 numbers are issued to people alive since 1999; none was born before 1900.
EARLIEST_BIRTH = date(1900, 1, 1)


def validate_resident_id(number: str, *, today: date) -> str:
    """Return the resident identity number in canonical form, or raise `InvalidIdentifier`.

    Valid means: 17 digits and a check digit that matches (mod 11-2), a first six digits that
    are a division code of some revision of GB/T 2260 (abolished codes stay valid: a number
    keeps the code it was issued under), and a real birth date from 1900-01-01 to `today`.
    """
    number = number.strip().upper()
    if len(number) != 18:
        raise InvalidIdentifier("a resident identity number has 18 characters")
    if not _RESIDENT_PATTERN.fullmatch(number):
        raise InvalidIdentifier("a resident identity number is 17 digits and a digit or X")
    if not is_division_code(number[:6]):
        raise InvalidIdentifier(
            "the first six digits of the resident identity number are no administrative "
            "division code (GB/T 2260)"
        )
    born = birth_date(number)
    if born is None or not EARLIEST_BIRTH <= born <= today:
        raise InvalidIdentifier(
            "the resident identity number does not encode a valid birth date (a real day from "
            f"{EARLIEST_BIRTH} to today)"
        )
    if resident_check_character(number[:17]) != number[17]:
        raise InvalidIdentifier("the check digit of the resident identity number is wrong")
    return number


@lru_cache(maxsize=4096)
def validate_identifier(kind: SubjectKind, identifier: str, *, today: date) -> str:
    """Validate the identifier a subject of this kind must carry, as of `today`.

    A pure function of its arguments, so its answers are kept (an invalid identifier raises
    each time): an import judges each identifier three times a record, and a subject has
    several records.
    """
    if kind is SubjectKind.NATURAL_PERSON:
        return validate_resident_id(identifier, today=today)
    return validate_uscc(identifier)


def identify(identifier: str, *, today: date) -> tuple[SubjectKind, str]:
    """Either kind of identifier, canonicalised, with the kind its shape tells.

    Raises `InvalidIdentifier` naming both rules when it is neither a valid resident identity
    number nor a valid social credit code.
    """
    reasons = []
    for kind in (SubjectKind.NATURAL_PERSON, SubjectKind.LEGAL_PERSON):
        try:
            return kind, validate_identifier(kind, identifier, today=today)
        except InvalidIdentifier as exc:
            reasons.append(str(exc))
    raise InvalidIdentifier(
        f"identifier is neither a valid resident identity number ({reasons[0]}) nor a valid "
        f"social credit code ({reasons[1]})"
    )
