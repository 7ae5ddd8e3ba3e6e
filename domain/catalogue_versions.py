"""The published versions of the catalogue, and which one is in force on a day."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from domain.catalogue import Catalogue, CatalogueItem


class CatalogueVersions:
    """All published versions, newest effective first."""

    def __init__(self, versions: Iterable[Catalogue]) -> None:
        self._versions = sorted(versions, key=lambda c: c.effective_from, reverse=True)
        self._by_version = {c.version: c for c in self._versions}

    def __len__(self) -> int:
        return len(self._versions)

    def __iter__(self) -> Iterator[Catalogue]:
        return iter(self._versions)

    def version(self, version: str) -> Catalogue | None:
        return self._by_version.get(version)

    def in_force(self, day: date) -> Catalogue | None:
        """The newest version effective on or before `day`."""
        return next((c for c in self._versions if c.effective_from <= day), None)

    def newest_with(self, code: str) -> Catalogue | None:
        """The newest version that has the item, whether or not it is in force."""
        return next((c for c in self._versions if c.item(code) is not None), None)

    def item(self, version: str, code: str) -> CatalogueItem:
        """The item a stored record was judged by; a missing one is a broken store."""
        catalogue = self._by_version.get(version)
        item = None if catalogue is None else catalogue.item(code)
        if item is None:
            raise LookupError(f"catalogue {version} has no item {code}")
        return item
