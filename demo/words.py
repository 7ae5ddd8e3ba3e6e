"""Word lists for the demo data: names, places, trades and units of Shenzhen.

The lists live in `demo/data/words.toml`; this module reads them once and gives them types.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def read_data(name: str) -> dict[str, Any]:
    """A data file of the demo, by name (`words`, `texts`)."""
    return tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))


def _rows(table: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in table)


@dataclass(frozen=True)
class District:
    """A district of Shenzhen, with what addresses and unit codes are built from."""

    name: str
    code: str | None  # administrative division code; 大鹏新区 is a functional area without one
    abbr: str  # in unit codes: 440300-SAMR-FT
    short: str  # in document numbers: 深市监福罚〔2020〕12号
    population: int  # 2020 census, ten thousands: the weight of a random district
    subdistricts: tuple[str, ...]
    roads: tuple[str, ...]


_WORDS = read_data("words")

DISTRICTS = tuple(
    District(
        name=d["name"],
        code=d.get("code"),
        abbr=d["abbr"],
        short=d["short"],
        population=d["population"],
        subdistricts=tuple(d["subdistricts"]),
        roads=tuple(d["roads"]),
    )
    for d in _WORDS["districts"]
)
SHENZHEN_OLD_AREA: str = _WORDS["shenzhen_old_area"]
OTHER_AREAS = _rows(_WORDS["other_areas"])
SURNAMES: str = _WORDS["surnames"]
GIVEN_NAME_CHARACTERS: str = _WORDS["given_name_characters"]
BRAND_CHARACTERS: str = _WORDS["brand_characters"]
TRADES = _rows(_WORDS["trades"])
SHOPS = _rows(_WORDS["shops"])
PARTNERSHIP_TRADES = _rows(_WORDS["partnership_trades"])
COOPERATIVE_CROPS: tuple[str, ...] = tuple(_WORDS["cooperative_crops"])
INSTITUTIONS = _rows(_WORDS["institutions"])
SOCIAL_ORGANISATIONS = _rows(_WORDS["social_organisations"])
HOSPITALS: tuple[str, ...] = tuple(_WORDS["hospitals"])
AID_DESTINATIONS: tuple[str, ...] = tuple(_WORDS["aid_destinations"])
VOLUNTEER_ORGANISATIONS: tuple[str, ...] = tuple(_WORDS["volunteer_organisations"])
RECIPIENTS: tuple[str, ...] = tuple(_WORDS["recipients"])
FUNDING_PROGRAMMES: tuple[str, ...] = tuple(_WORDS["funding_programmes"])
MEDICAL_SUPPLIES = _rows(_WORDS["medical_supplies"])
DAILY_SUPPLIES: tuple[str, ...] = tuple(_WORDS["daily_supplies"])
