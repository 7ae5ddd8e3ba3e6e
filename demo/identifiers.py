"""Identifiers for demo subjects: valid, never repeated within a run, and kept nowhere.

Each kind of code is a space of numbers (a birth day with a sequence number, the body of an
organisation code). A fixed permutation of the space scatters a run's consecutive slots, which
start at a place drawn from the seed: runs of different seeds share an identifier only when
their stretches of the space overlap, not whenever two random draws happen to meet.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.identifiers import USCC_CHARSET, resident_check_character, uscc_check_character

BIRTH_FROM = date(1950, 1, 1)
BIRTH_TO = date(2002, 12, 31)
_BIRTH_DAYS = (BIRTH_TO - BIRTH_FROM).days + 1
_SEQUENCES = 999  # 001-999; odd for men, even for women (GB 11643)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
_MARKED_WIDTH = 8  # characters of an organisation code before its check character
_KEYS = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A)  # any will do; fixed for all seeds


class _Permutation:
    """A shuffle of range(size): a small Feistel network with cycle walking."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._half = ((size - 1).bit_length() + 1) // 2
        self._mask = (1 << self._half) - 1

    def __call__(self, index: int) -> int:
        value = self._encrypt(index)
        while value >= self.size:
            value = self._encrypt(value)
        return value

    def _encrypt(self, value: int) -> int:
        left, right = value >> self._half, value & self._mask
        for key in _KEYS:
            left, right = right, left ^ (_mix(right, key) & self._mask)
        return left << self._half | right


def _mix(value: int, key: int) -> int:
    value = (value ^ key) * 0x9E3779B1 & 0xFFFFFFFF
    value ^= value >> 15
    value = value * 0x85EBCA77 & 0xFFFFFFFF
    return value ^ value >> 13


def _base31(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        digits.append(USCC_CHARSET[digit])
    return "".join(reversed(digits))


def organisation_code(body: str) -> str:
    """The eight-character body with its check character (GB 11714)."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


class IdentifierSource:
    """Issues the identifiers of one run, in the order asked for."""

    def __init__(self, rng: random.Random) -> None:
        self._spaces = {
            "resident": _Permutation(_BIRTH_DAYS * _SEQUENCES),
            "": _Permutation(10**8),  # eight digits: codes from before the 2015 reform
            "MA5": _Permutation(31**5),  # firms registered in Shenzhen since
            "MJ": _Permutation(31**6),  # social organisations since
        }
        self._start = {name: rng.randrange(space.size) for name, space in self._spaces.items()}
        self._issued = dict.fromkeys(self._spaces, 0)

    def resident_number(self, area: str) -> tuple[str, date, bool]:
        """A resident identity number of `area`, the birth date and whether it is a man's."""
        slot = self._next("resident")
        born = BIRTH_FROM + timedelta(days=slot // _SEQUENCES)
        sequence = slot % _SEQUENCES + 1
        body = f"{area}{born:%Y%m%d}{sequence:03d}"
        return body + resident_check_character(body), born, sequence % 2 == 1

    def social_credit_code(self, prefix: str, area: str, mark: str) -> str:
        """A unified social credit code; `mark` is MA5, MJ or empty for an older code."""
        width = _MARKED_WIDTH - len(mark)
        slot = self._next(mark)
        body = mark + (_base31(slot, width) if mark else f"{slot:08d}")
        code = f"{prefix}{area}{organisation_code(body)}"
        return code + uscc_check_character(code)

    def _next(self, space: str) -> int:
        permutation, issued = self._spaces[space], self._issued[space]
        if issued == permutation.size:
            raise ValueError(f"the demo ran out of identifiers after {issued}")
        self._issued[space] = issued + 1
        return permutation((self._start[space] + issued) % permutation.size)
