"""The incentive programmes and the financing grade: published versions, and the version
shipped as a data file (a new store's first, like the default catalogue)."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources

from domain.grading import GradingError, IncentiveRules, RulesVersions, parse_rules
from store.catalogue import list_catalogues
from store.database import PROGRAMME_VERSIONS, Database, Document
from store.documents import MAX_VERSIONS, Published, insert_first_version, publish_version
from store.errors import PublicationRefused

PROGRAMMES_FILE = "default_programmes.toml"


def read_programme_text() -> str:
    return resources.files("store").joinpath(PROGRAMMES_FILE).read_text("utf-8")


def rules_of_text(text: str) -> IncentiveRules:
    """A version of the rules given as TOML (the format of `default_programmes.toml`),
    validated; `GradingError` or `ProgrammeError` (both ValueErrors) names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GradingError(f"not TOML: {exc}") from None
    return parse_rules(data)


@cache
def read_default_rules() -> IncentiveRules:
    """The rules in `default_programmes.toml`, read once; a bad file raises a ValueError."""
    return rules_of_text(read_programme_text())


def _document(rules: IncentiveRules) -> Document:
    data = rules.as_file()
    data["_id"] = data.pop("version")
    return data


def _rules(document: Document) -> IncentiveRules:
    data = dict(document)
    data["version"] = data.pop("_id")
    return parse_rules(data)


async def list_rules(db: Database) -> RulesVersions:
    """Every published version; the store holds one at least once `insert_shipped_rules`
    ran (start-up)."""
    cursor = db[PROGRAMME_VERSIONS].find({}, sort=[("effective_from", -1)], limit=MAX_VERSIONS)
    return RulesVersions(_rules(d) for d in await cursor.to_list(None))


async def insert_shipped_rules(db: Database, *, rules: IncentiveRules) -> bool:
    """The shipped rules, on a store that holds no version yet; True when they were stored
    (`store.documents.insert_first_version`)."""
    return await insert_first_version(db, PROGRAMME_VERSIONS, document=_document(rules))


async def publish_rules(db: Database, *, rules: IncentiveRules, today: date) -> None:
    """Publish a new version, or raise `PublicationRefused` with nothing stored: a taken
    number, a day before `today` (`store.documents.publish_version`), or an item no published
    catalogue version has (a rule that could never take or block a record)."""
    known = {item.code for catalogue in await list_catalogues(db) for item in catalogue.items}
    unknown = sorted(rules.item_codes() - known)
    if unknown:
        raise PublicationRefused(
            f"programmes {rules.version} name items no catalogue version has: " + ", ".join(unknown)
        )
    await publish_version(
        db,
        PROGRAMME_VERSIONS,
        document=_document(rules),
        effective_from=rules.effective_from,
        today=today,
    )


class PublishedProgrammes(Published[RulesVersions]):
    """The versions of the rules a process serves from (the invariant: `Published`)."""

    collection = PROGRAMME_VERSIONS

    def numbers(self) -> set[str]:
        return {r.version for r in self.versions}

    async def read(self, db: Database) -> RulesVersions:
        return await list_rules(db)
