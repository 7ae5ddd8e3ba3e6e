"""Administrative divisions (行政区划, GB/T 2260): the codes and names of places.

The table ships as data (`domain/data/divisions.tsv`, sources and licences in
`domain/data/SOURCES.md`): every code of every revision since 1980, abolished ones included,
because a resident identity number keeps the code of the place where it was first issued
(GB 11643-1999 §5.1). The same table names the places an address starts with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

# Rows of the standard that hold a code but name no place: they never start an address.
_PLACEHOLDERS = frozenset(["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"])

# The level below the county (乡级: 街道, 镇, 乡, 苏木) is not in GB/T 2260: it is told by its
# suffix. Its name is a few characters that are no part of a road, estate or building name,
# and the suffix must not begin a road (新镇路, 乡村大道).
_TOWN = re.compile(
    r"(?:(?![路巷号村区园楼栋座室弄])[\u3400-\u9fff]){1,7}?"
    r"(?:街道办事处|街道|镇|乡|苏木)"
    r"(?![路街巷]|大道|大街)"
)


@dataclass(frozen=True)
class _Table:
    codes: frozenset[str]
    by_name: dict[str, tuple[str, ...]]
    longest_name: int


@cache
def _table() -> _Table:
    text = resources.files("domain").joinpath("data/divisions.tsv").read_text("utf-8")
    codes: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for line in text.splitlines()[1:]:
        code, name, _status = line.split("\t")
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            # The shipped table is data: a row of another shape is a broken file, not a code.
            raise ValueError(f"divisions.tsv: {code!r} is not a six-digit division code")
        codes.add(code)
        if name not in _PLACEHOLDERS:
            by_name.setdefault(name, []).append(code)
    return _Table(
        codes=frozenset(codes),
        by_name={name: tuple(found) for name, found in by_name.items()},
        longest_name=max(map(len, by_name)),
    )


def is_division_code(code: str) -> bool:
    """Whether `code` is a six-digit division code of any revision of GB/T 2260 since 1980."""
    return code in _table().codes


def _level(code: str) -> int:
    """0 for a province, 1 for a prefecture, 2 for a county (the code's trailing zeros)."""
    if code.endswith("0000"):
        return 0
    return 1 if code.endswith("00") else 2


def _divisions_at(address: str, start: int, level: int, within: str) -> list[tuple[str, str]]:
    """Every division name of `level` inside `within` (a code prefix) at `start`, longest first.

    A name may stand for several codes (塔城地区 is 652500 before 1999 and 654200 since): each
    is a candidate, and the chain that reads furthest decides.
    """
    table = _table()
    return [
        (address[start:end], code)
        for end in range(min(len(address), start + table.longest_name), start, -1)
        for code in table.by_name.get(address[start:end], ())
        if _level(code) == level and code.startswith(within)
    ]


def _chain_end(address: str, position: int, level: int, within: str) -> int:
    """Where the longest chain of divisions from `level` down, starting at `position`, ends;
    a level may be left out (a prefecture without counties, an address without its province)."""
    if level == 3:
        return position
    end = _chain_end(address, position, level + 1, within)
    for name, code in _divisions_at(address, position, level, within):
        end = max(end, _chain_end(address, position + len(name), level + 1, code[: 2 + 2 * level]))
    return end


@lru_cache(maxsize=4096)  # pure, and a page shows the same few addresses over and over
def leading_divisions(address: str) -> str:
    """The administrative divisions an address starts with, down to the street or town.

    Province, prefecture and county are recognised by their names in the table, each inside
    the one before (so 朝阳区 after 北京市 is Beijing's); any of them may be left out, as in
    深圳市南山区… or 广东省东莞市虎门镇… (a prefecture without counties). A street or town
    (…街道, …镇, …乡) is kept when it follows a recognised division. Nothing after that level
    is ever kept: not a 小区, 社区 or 园区, not a road or a number. The result is a prefix of
    `address`, empty when the address starts with no division.
    """
    position = _chain_end(address, 0, 0, "")
    if position == 0:
        return ""
    town = _TOWN.match(address, position)
    return address[: town.end()] if town else address[:position]
