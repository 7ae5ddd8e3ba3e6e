"""The catalogue's published versions, and the default catalogue shipped as a data file."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

from domain.catalogue import Catalogue, CatalogueError, CatalogueVersions, parse_catalogue
from domain.deidentification import check_deidentified
from store.database import CATALOGUE_VERSIONS, RECORDS, Database
from store.documents import (
    MAX_VERSIONS,
    Published,
    from_document,
    insert_first_version,
    publish_version,
    to_document,
)
from store.errors import PublicationRefused


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


async def insert_shipped_catalogue(db: Database, *, catalogue: Catalogue) -> bool:
    """The shipped catalogue, on a store that holds no version yet; True when it was stored
    (`store.documents.insert_first_version`)."""
    return await insert_first_version(
        db, CATALOGUE_VERSIONS, document=to_document(catalogue, key="version")
    )


async def item_codes_in_use(db: Database) -> set[str]:
    """The catalogue items stored records are of (one pass over the records: a publication's
    check, not a request's)."""
    cursor = await db[RECORDS].aggregate([{"$group": {"_id": "$item_code"}}])
    return {group["_id"] for group in await cursor.to_list(None)}


async def publish_catalogue(db: Database, *, catalogue: Catalogue, today: date) -> None:
    """Publish a new version, or raise `PublicationRefused` with nothing stored.

    Refused when its number is taken or it would take effect before `today`
    (`store.documents.publish_version`), or when it drops an item stored records are of (they
    would lose what says what they mean and who may see what of them).
    """
    dropped = sorted(await item_codes_in_use(db) - set(catalogue.by_code))
    if dropped:
        raise PublicationRefused(
            f"catalogue {catalogue.version} drops items stored records are of: {', '.join(dropped)}"
        )
    await publish_version(
        db,
        CATALOGUE_VERSIONS,
        document=to_document(catalogue, key="version"),
        effective_from=catalogue.effective_from,
        today=today,
    )


class PublishedCatalogues(Published[CatalogueVersions]):
    """The catalogue versions a process serves from (the invariant: `Published`)."""

    collection = CATALOGUE_VERSIONS

    def numbers(self) -> set[str]:
        return {c.version for c in self.versions}

    async def read(self, db: Database) -> CatalogueVersions:
        return CatalogueVersions(await list_catalogues(db))
