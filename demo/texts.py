"""Narratives for the demo records, by theme: the notice's clause an item implements.

Themes are `good1`..`good9` (一(一)1-9), `dishonest1`..`dishonest5` (一(二)1-5),
`commitment` (二(九)) and `tolerable` (三(十)). The texts live in `demo/data/texts.toml`;
their placeholders are filled from `narrative_facts`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.words import (
    DAILY_SUPPLIES,
    HOSPITALS,
    MEDICAL_SUPPLIES,
    VOLUNTEER_ORGANISATIONS,
    District,
    read_data,
)

_OUTBREAK = date(2020, 1, 20)

_TEXTS = read_data("texts")

# By theme: the natural person's narratives, the organisation's.
Narratives = tuple[tuple[str, ...], tuple[str, ...]]


def _by_theme(table: dict[str, dict[str, list[str]]]) -> dict[str, Narratives]:
    return {t: (tuple(v["person"]), tuple(v["organisation"])) for t, v in table.items()}


def _pairs(table: dict[str, dict[str, str]], first: str, second: str) -> dict[str, tuple[str, str]]:
    return {key: (v[first], v[second]) for key, v in table.items()}


COMMENDATIONS: dict[str, str] = _TEXTS["commendations"]
DEFAULT_COMMENDATION: str = _TEXTS["default_commendation"]
WORK_POSTS: tuple[str, ...] = tuple(_TEXTS["work_posts"])
SERVICES: tuple[str, ...] = tuple(_TEXTS["services"])
CONTRIBUTIONS = _by_theme(_TEXTS["contributions"])
DEFAULT_CONTRIBUTIONS = CONTRIBUTIONS.pop("default")
OFFENCES = _by_theme(_TEXTS["offences"])
DEFAULT_OFFENCES = OFFENCES.pop("default")
# (administrative penalty, criminal judgment) bases.
PENALTY_BASES = _pairs(_TEXTS["penalty_bases"], "penalty", "judgment")
DEFAULT_PENALTY_BASIS = PENALTY_BASES.pop("default")
COMMITMENT_MATERIALS: tuple[str, ...] = tuple(_TEXTS["commitment_materials"])
# By commitment type: (natural person, organisation).
COMMITMENT_CONTENTS = _pairs(_TEXTS["commitment_contents"], "person", "organisation")
COMMITMENT_VIOLATIONS = _pairs(_TEXTS["commitment_violations"], "person", "organisation")
EPIDEMIC_IMPACTS: tuple[str, ...] = tuple(_TEXTS["epidemic_impacts"])
LICENSING_IMPACT: str = _TEXTS["licensing_impact"]
COMMITMENT_BENEFITS: tuple[str, ...] = tuple(_TEXTS["commitment_benefits"])
# Notice 三(十): why a firm missed a duty during the epidemic.
ANNUAL_REPORT_CAUSES: tuple[str, ...] = tuple(_TEXTS["annual_report_causes"])
ADDRESS_CAUSES: tuple[str, ...] = tuple(_TEXTS["address_causes"])


def narrative_facts(district: District, decided: date, rng: random.Random) -> dict[str, str]:
    """The details a record's narratives are filled with, drawn once so they agree."""
    # Acts happen some weeks before the decision, but not before the outbreak was known.
    occurred = max(decided - timedelta(days=rng.randint(7, 60)), min(decided, _OUTBREAK))
    supply, unit = rng.choice(MEDICAL_SUPPLIES)
    many = unit == "只"
    quantity = rng.choice((300, 800, 1500, 3200, 5000, 12000) if many else (50, 120, 300, 600))
    value = quantity * rng.randint(1, 5)
    cost = rng.randint(15, 60)
    facts = {
        "date": f"{occurred.year}年{occurred.month}月{occurred.day}日",
        "month": f"{occurred.year}年{occurred.month}月",
        "district": district.name,
        "subdistrict": rng.choice(district.subdistricts),
        "place": f"{district.name}{rng.choice(district.roads)}",
        "supply": supply,
        "unit": unit,
        "qty": str(quantity),
        "goods": f"{supply}{quantity}{unit}",
        "value": str(value),
        "income": str(value // rng.randint(2, 6)),
        "cost": str(cost),
        "price": str(cost * rng.randint(3, 8)),
        "daily": rng.choice(DAILY_SUPPLIES),
        "hospital": rng.choice(HOSPITALS),
        "post": rng.choice(WORK_POSTS),
        "org": rng.choice(VOLUNTEER_ORGANISATIONS).format(district=district.name),
        "service": rng.choice(SERVICES),
        "n": str(rng.randint(2, 30)),
        "m": str(rng.randint(40, 3000)),
        "days": str(rng.randint(14, 90)),
        "hours": str(rng.randint(20, 600)),
        "p": str(rng.randint(80, 130)),
        "months": str(rng.randint(1, 6)),
        "material": rng.choice(COMMITMENT_MATERIALS),
    }
    # Data items that repeat a detail of the narrative.
    facts |= {
        "work_post": facts["post"],
        "supply_category": facts["daily"],
        "volunteer_organization": facts["org"],
        "service_hours": facts["hours"],
    }
    return facts
