"""The catalogue's published versions, and the default catalogue shipped as a data file."""

from __future__ import annotations

import tomllib
from importlib import resources

from domain.catalogue import Catalogue, parse_catalogue
from domain.deidentification import check_deidentified
from store.database import CATALOGUE_VERSIONS, Database
from store.documents import from_document, insert_new, to_document

MAX_VERSIONS = 1000


def read_default_catalogue() -> Catalogue:
    """The catalogue in `default_catalogue.toml`; a bad file raises `CatalogueError`, and so
    does one whose masks combine into an identification (checked before anything serves)."""
    text = resources.files("store").joinpath("default_catalogue.toml").read_text("utf-8")
    catalogue = parse_catalogue(tomllib.loads(text))
    check_deidentified(catalogue)
    return catalogue


async def list_catalogues(db: Database) -> list[Catalogue]:
    """Every published version, the newest effective first."""
    cursor = db[CATALOGUE_VERSIONS].find({}, sort=[("effective_from", -1)], limit=MAX_VERSIONS)
    documents = await cursor.to_list(None)
    catalogues = [parse_catalogue(from_document(doc, key="version")) for doc in documents]
    for catalogue in catalogues:
        check_deidentified(catalogue)
    return catalogues


async def insert_catalogue_if_missing(db: Database, *, catalogue: Catalogue) -> bool:
    """Store a version unless one with its number exists; True when it was stored."""
    return await insert_new(db, CATALOGUE_VERSIONS, [to_document(catalogue, key="version")]) == 1
