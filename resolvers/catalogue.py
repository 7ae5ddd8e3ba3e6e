"""Reading the catalogue."""

from __future__ import annotations

from domain.catalogue import Catalogue
from resolvers.context import Context


def catalogue(ctx: Context, *, version: str | None) -> Catalogue | None:
    """A published version, or the one in force today."""
    if version is None:
        return ctx.catalogues.in_force(ctx.today)
    return ctx.catalogues.version(version)
