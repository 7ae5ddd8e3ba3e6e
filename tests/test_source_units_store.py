"""The source-unit registry: its data file covers every unit the demo uses, and the store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache

import pytest
from pydantic import ValidationError

from demo.generator import generate_demo
from demo.tokens import DEMO_CLAIMS
from domain.calendar import DateWindow
from domain.catalogue import SourceUnitType
from domain.records import Record
from domain.source_units import SourceUnit, SourceUnitRegistry, UnitLevel, unit_problems
from store.catalogue import read_default_catalogue
from store.database import Database
from store.source_units import (
    get_source_units,
    insert_source_units_if_missing,
    read_default_source_units,
)

REGISTRY = {unit.code: unit for unit in read_default_source_units()}


@cache
def demo_records() -> tuple[Record, ...]:
    batches = generate_demo(
        read_default_catalogue(),
        subjects=1500,
        seed=2020,
        epidemic_window=DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31)),
        created_at=datetime(2024, 5, 1, tzinfo=UTC),
    )
    return tuple(r for batch in batches for r in batch.records)


def test_default_registry_holds_every_unit_of_the_demo_data() -> None:
    used = {record.source_unit for record in demo_records()}

    assert used - REGISTRY.keys() == set()


def test_default_registry_lets_each_demo_record_be_submitted_by_its_unit() -> None:
    catalogue = read_default_catalogue()

    for record in demo_records():
        item = catalogue.by_code[record.item_code]
        assert unit_problems(item, REGISTRY[record.source_unit], record.data_items) == [], record


def test_default_registry_holds_the_development_token_unit() -> None:
    assert {
        claims["unit"] for claims in DEMO_CLAIMS.values() if "unit" in claims
    } <= REGISTRY.keys()


def test_default_registry_court_is_the_only_intermediate_court() -> None:
    courts = [u.code for u in REGISTRY.values() if u.acts_as(SourceUnitType.INTERMEDIATE_COURT)]

    assert courts == ["440300-COURT-INT"]


@pytest.mark.parametrize(
    ("level", "district_or_above"),
    [
        (UnitLevel.NATIONAL, True),
        (UnitLevel.MUNICIPAL, True),
        (UnitLevel.DISTRICT, True),
        (UnitLevel.SUBDISTRICT, False),
    ],
)
def test_unit_level_at_least_district(level: UnitLevel, district_or_above: bool) -> None:
    assert level.at_least(UnitLevel.DISTRICT) is district_or_above


def test_registry_with_a_repeated_code_is_refused() -> None:
    unit = REGISTRY["440300-SAMR"]

    with pytest.raises(ValidationError, match="unit codes repeat: 440300-SAMR"):
        SourceUnitRegistry(units=(unit, unit))


def test_unit_with_a_repeated_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="unit_types repeat"):
        SourceUnit(
            code="440300-X",
            name="某单位",
            unit_types=(SourceUnitType.AWARDING_DEPARTMENT, SourceUnitType.AWARDING_DEPARTMENT),
            level=UnitLevel.MUNICIPAL,
        )


async def test_source_units_are_inserted_once_and_read_in_key_order(db: Database) -> None:
    units = list(REGISTRY.values())

    assert await insert_source_units_if_missing(db, units=units) == len(units)
    assert await insert_source_units_if_missing(db, units=units) == 0

    found = await get_source_units(db, codes=["440300-COURT-INT", "NOPE", "440300-SAMR"])
    assert found == [REGISTRY["440300-COURT-INT"], None, REGISTRY["440300-SAMR"]]
    assert await get_source_units(db, codes=[]) == []


def test_source_unit_submitting_for_itself_or_twice_for_one_authority_is_refused() -> None:
    court = REGISTRY["440300-COURT-INT"]
    for repeated in (court.name, court.submits_for[0].name):
        with pytest.raises(ValidationError, match="submits_for repeats"):
            SourceUnit.model_validate(
                court.model_dump()
                | {
                    "submits_for": [
                        *court.model_dump()["submits_for"],
                        {"name": repeated, "level": "区级"},
                    ]
                }
            )
