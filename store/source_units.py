"""The source-unit registry, and the default registry shipped as a data file."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from importlib import resources

from domain.source_units import SourceUnit, SourceUnitRegistry
from store.database import SOURCE_UNITS, Database
from store.documents import from_document, insert_new, to_document


def read_default_source_units() -> tuple[SourceUnit, ...]:
    """The units in `default_source_units.toml`; a bad file raises pydantic's ValidationError."""
    text = resources.files("store").joinpath("default_source_units.toml").read_text("utf-8")
    return SourceUnitRegistry.model_validate(tomllib.loads(text)).units


async def insert_source_units_if_missing(db: Database, *, units: Sequence[SourceUnit]) -> int:
    """Store the units whose code is not stored yet; returns how many were new."""
    return await insert_new(db, SOURCE_UNITS, [to_document(u, key="code") for u in units])


async def get_source_units(db: Database, *, codes: Sequence[str]) -> list[SourceUnit | None]:
    """Units in the order of `codes`, None where the code is not registered."""
    if not codes:
        return []
    cursor = db[SOURCE_UNITS].find(
        {"_id": {"$in": list(codes)}}, limit=len(codes), batch_size=len(codes)
    )
    found = {
        doc["_id"]: SourceUnit.model_validate(from_document(doc, key="code"))
        for doc in await cursor.to_list(None)
    }
    return [found.get(code) for code in codes]


async def units_of_district(db: Database, *, district: str) -> list[SourceUnit]:
    """The units registered in a district (区), e.g. "福田区"; city-level units have none."""
    found = await db[SOURCE_UNITS].find({"district": district}).to_list(None)
    return [SourceUnit.model_validate(from_document(doc, key="code")) for doc in found]
