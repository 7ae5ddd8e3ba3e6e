"""Publishing a new version of the catalogue (DESIGN.md §6)."""

from __future__ import annotations

from auth.viewer import Scope
from domain.catalogue import Catalogue, CatalogueError
from resolvers import errors
from resolvers.access import require
from resolvers.context import Context
from store import catalogue as catalogue_store
from store.errors import PublicationRefused


async def publish_catalogue_version(ctx: Context, *, text: str) -> Catalogue:
    """Publish a catalogue version given as TOML (the format of store/default_catalogue.toml).

    Refused, with nothing stored, when it does not validate, when its masks would identify a
    person (Shenzhen regulation art. 38; `check_deidentified`), or when the store refuses it
    (`store.catalogue.publish_catalogue`: a taken number, a past day, a dropped item in use).
    The worker publishing it serves it at once.
    """
    require(ctx, Scope.CATALOGUE_WRITE, f"publishing a catalogue needs {Scope.CATALOGUE_WRITE}")
    try:
        new = catalogue_store.catalogue_of_text(text)
        await catalogue_store.publish_catalogue(ctx.db, catalogue=new, today=ctx.today)
    except CatalogueError as exc:
        raise errors.InvalidArgument(str(exc), field="catalogue") from None
    except PublicationRefused as exc:
        refusal = errors.CatalogueVersionExists if exc.taken else errors.InvalidArgument
        raise refusal(str(exc), field="catalogue") from None
    if ctx.published is not None:
        await ctx.published.reload_if_changed(ctx.db)
    return new
