"""The catalogue's published versions, and the default catalogue shipped as a data file."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

from domain.catalogue import Catalogue, CatalogueError, CatalogueVersions, parse_catalogue
from domain.deidentification import check_deidentified
from store.database import CATALOGUE_VERSIONS, RECORDS, Database
from store.documents import from_document, insert_new, to_document
from store.errors import PublicationRefused

MAX_VERSIONS = 1000


def catalogue_of_text(text: str) -> Catalogue:
    """A catalogue version given as TOML (the format of `default_catalogue.toml`), validated and
    judged for de-identification; `CatalogueError` names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not TOML: {exc}") from None
    catalogue = parse_catalogue(data)
    check_deidentified(catalogue)
    return catalogue


def read_default_catalogue() -> Catalogue:
    """The catalogue in `default_catalogue.toml`; a bad file raises `CatalogueError`, and so
    does one whose masks combine into an identification (checked before anything serves)."""
    return catalogue_of_text(
        resources.files("store").joinpath("default_catalogue.toml").read_text("utf-8")
    )


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


async def item_codes_in_use(db: Database) -> set[str]:
    """The catalogue items stored records are of (one pass over the records: a publication's
    check, not a request's)."""
    cursor = await db[RECORDS].aggregate([{"$group": {"_id": "$item_code"}}])
    return {group["_id"] for group in await cursor.to_list(None)}


async def publish_catalogue(db: Database, *, catalogue: Catalogue, today: date) -> None:
    """Publish a new version, or raise `PublicationRefused` with nothing stored.

    Refused when its number is taken, when it would take effect before `today` (records already
    judged stay judged by the version in force when they were), or when it drops an item stored
    records are of (they would lose what says what they mean and who may see what of them).
    """
    if await db[CATALOGUE_VERSIONS].find_one({"_id": catalogue.version}, {"_id": 1}):
        raise PublicationRefused(
            f"catalogue version {catalogue.version} is published already; give the new one "
            "its own number",
            taken=True,
        )
    if catalogue.effective_from < today:
        raise PublicationRefused(
            f"effective_from {catalogue.effective_from} is before today ({today}): a version "
            "takes effect from today or a later day"
        )
    dropped = sorted(await item_codes_in_use(db) - set(catalogue.by_code))
    if dropped:
        raise PublicationRefused(
            f"catalogue {catalogue.version} drops items stored records are of: {', '.join(dropped)}"
        )
    if not await insert_catalogue_if_missing(db, catalogue=catalogue):
        raise PublicationRefused(
            f"catalogue version {catalogue.version} was published meanwhile", taken=True
        )


class PublishedCatalogues:
    """The versions a process serves from, reloaded when the store holds others.

    Invariant: a version published through any worker is served by every worker once it has
    reloaded (the publishing worker at once, the others at their next poll): no restart.
    """

    def __init__(self, versions: CatalogueVersions) -> None:
        self.versions = versions

    async def reload_if_changed(self, db: Database) -> bool:
        """Read the versions again if the store's set differs from the one served (a cheap
        look at their numbers first); True when it did."""
        cursor = db[CATALOGUE_VERSIONS].find({}, {"_id": 1}, limit=MAX_VERSIONS)
        stored = {doc["_id"] for doc in await cursor.to_list(None)}
        if stored == {c.version for c in self.versions}:
            return False
        self.versions = CatalogueVersions(await list_catalogues(db))
        return True
