"""Reading the catalogue, and publishing a new version of it (DESIGN.md §6)."""

from __future__ import annotations

import tomllib

from auth.viewer import Scope
from domain.catalogue import Catalogue, CatalogueError, parse_catalogue
from domain.deidentification import check_deidentified
from resolvers import errors
from resolvers.access import require
from resolvers.context import Context
from store import catalogue as catalogue_store


def catalogue(ctx: Context, *, version: str | None) -> Catalogue | None:
    """A published version, or the one in force today."""
    if version is None:
        return ctx.catalogues.in_force(ctx.today)
    return ctx.catalogues.version(version)


async def publish_catalogue_version(ctx: Context, *, text: str) -> Catalogue:
    """Publish a catalogue version given as TOML (the format of store/default_catalogue.toml).

    Refused, with nothing stored, when it does not validate, when its masks would identify a
    person (Shenzhen regulation art. 38; `check_deidentified`), when its number is taken, when
    it would take effect before today (records already judged stay judged by the version in
    force when they were), or when it drops an item stored records are of (they would lose
    the item that says what they mean and who may see what of them).
    """
    require(ctx, Scope.CATALOGUE_WRITE, f"publishing a catalogue needs {Scope.CATALOGUE_WRITE}")
    try:
        new = parse_catalogue(tomllib.loads(text))
        check_deidentified(new)
    except (tomllib.TOMLDecodeError, CatalogueError) as exc:
        raise errors.InvalidArgument(str(exc), field="catalogue") from None
    if ctx.catalogues.version(new.version) is not None:
        raise errors.CatalogueVersionExists(
            f"catalogue version {new.version} is published already; give the new one its own "
            f"number",
            field="catalogue",
        )
    if new.effective_from < ctx.today:
        raise errors.InvalidArgument(
            f"effective_from {new.effective_from} is before today ({ctx.today}): a version "
            f"takes effect from today or a later day",
            field="catalogue",
        )
    dropped = sorted(await catalogue_store.item_codes_in_use(ctx.db) - set(new.by_code))
    if dropped:
        raise errors.InvalidArgument(
            f"catalogue {new.version} drops items stored records are of: {', '.join(dropped)}",
            field="catalogue",
        )
    if not await catalogue_store.insert_catalogue_if_missing(ctx.db, catalogue=new):
        raise errors.CatalogueVersionExists(
            f"catalogue version {new.version} was published meanwhile", field="catalogue"
        )
    if ctx.published is not None:
        await ctx.published.reload_if_changed(ctx.db)
    return new
