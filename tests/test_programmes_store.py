"""Store tests: programme versions are stored whole, the shipped one only on a new store, a
publication refused on a taken number, a past day or an item no catalogue has, and a served
set reloads when another worker published."""

from __future__ import annotations

from datetime import date

import pytest

from store.catalogue import insert_shipped_catalogue, read_default_catalogue
from store.database import PROGRAMME_VERSIONS, Database
from store.errors import PublicationRefused
from store.programmes import (
    PublishedProgrammes,
    insert_shipped_rules,
    list_rules,
    publish_rules,
    read_default_rules,
    read_programme_text,
    rules_of_text,
)

TODAY = date(2020, 9, 1)


def renumbered(number: str, effective: date) -> str:
    return (
        read_programme_text()
        .replace('version = "2020.2"', f'version = "{number}"', 1)
        .replace("effective_from = 2020-01-01", f"effective_from = {effective.isoformat()}", 1)
    )


async def test_the_shipped_version_is_stored_on_a_new_store_only_and_read_back_equal(
    db: Database,
) -> None:
    shipped = read_default_rules()
    renumbered_shipped = rules_of_text(renumbered("2099.1", date(2020, 1, 1)))

    first = await insert_shipped_rules(db, rules=shipped)
    again = await insert_shipped_rules(db, rules=shipped)
    newer_shipped = await insert_shipped_rules(db, rules=renumbered_shipped)

    assert (first, again, newer_shipped) == (True, False, False)
    assert list(await list_rules(db)) == [shipped]


async def test_a_publication_is_refused_on_a_taken_number_or_a_past_day(db: Database) -> None:
    await insert_shipped_catalogue(db, catalogue=read_default_catalogue())
    await insert_shipped_rules(db, rules=read_default_rules())
    taken = rules_of_text(renumbered("2020.2", date(2020, 10, 1)))
    past = rules_of_text(renumbered("2020.5", date(2020, 8, 31)))

    with pytest.raises(PublicationRefused, match="published already") as refused:
        await publish_rules(db, rules=taken, today=TODAY)
    assert refused.value.taken
    with pytest.raises(PublicationRefused, match="before today"):
        await publish_rules(db, rules=past, today=TODAY)
    assert [r.version for r in await list_rules(db)] == ["2020.2"]


async def test_a_publication_naming_an_item_no_catalogue_has_is_refused(db: Database) -> None:
    await insert_shipped_catalogue(db, catalogue=read_default_catalogue())
    typo = rules_of_text(renumbered("2020.5", TODAY).replace('"GOOD_1", ', '"GOOD_99", ', 1))

    with pytest.raises(PublicationRefused, match="GOOD_99"):
        await publish_rules(db, rules=typo, today=TODAY)
    assert await db[PROGRAMME_VERSIONS].find_one({"_id": "2020.5"}) is None


async def test_a_served_set_reloads_only_when_the_store_holds_other_versions(
    db: Database,
) -> None:
    await insert_shipped_catalogue(db, catalogue=read_default_catalogue())
    await insert_shipped_rules(db, rules=read_default_rules())
    served = PublishedProgrammes(await list_rules(db))
    unchanged = await served.reload_if_changed(db)
    newer = rules_of_text(renumbered("2020.5", TODAY))

    await publish_rules(db, rules=newer, today=TODAY)
    changed = await served.reload_if_changed(db)

    assert (unchanged, changed) == (False, True)
    assert served.versions.in_force(TODAY) == newer
    assert served.versions.in_force(date(2020, 8, 31)).version == "2020.2"
