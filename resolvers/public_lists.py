"""Public lists (DESIGN.md §1: the portal's use of the records): the red list (守信激励名单)
and the epidemic column (关注新型冠状病毒疫情专栏, notice 二(五)) — records on public display,
the same for every viewer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.catalogue import CatalogueItem
from domain.masking import PublicAttribute
from domain.records import record_scope
from resolvers.context import Context
from resolvers.errors import InvalidArgument
from resolvers.pagination import Page
from resolvers.records import RecordFilter as RecordFilter  # what the lists take, for the schema
from resolvers.records import RecordView, page_of
from store import source_units as unit_store


@dataclass(frozen=True)
class PublicList:
    """A list of records the portal shows everyone alike; `name` is for refusals."""

    name: str
    admits: Callable[[CatalogueItem], bool]


# 守信激励名单: the good behaviours of notice 一(一); the epidemic column (二(五)) adds 一(二).
RED_LIST = PublicList("the red list", lambda item: item.epidemic_good_behaviour)
EPIDEMIC_COLUMN = PublicList(
    "the epidemic column", lambda item: item.epidemic_good_behaviour or item.epidemic_offence
)


async def public_list(
    ctx: Context,
    listed: PublicList,
    *,
    wanted: RecordFilter,
    district: str | None,
    first: int | None,
    after: str | None,
) -> Page[RecordView]:
    """Records of `listed`'s items on public display today, newest decision first; `wanted`
    narrows them by category, item and decision days.

    Invariant: the same records for every viewer, the public's (`record_scope` at PUBLIC): a
    public list never shows a record off display nor one a person refused (Shenzhen
    regulation art. 39), whoever asks; each is masked at the viewer's own level. `district`
    keeps records decided by the units registered in it.
    """
    codes = frozenset(
        item.code for catalogue in ctx.catalogues for item in catalogue.items if listed.admits(item)
    )
    if wanted.item_code is not None and wanted.item_code not in codes:
        raise InvalidArgument(
            f"item {wanted.item_code} is not on {listed.name}: its items are "
            f"{', '.join(sorted(codes))}",
            field="item",
        )
    units = None
    if district is not None:
        units = frozenset(
            u.code for u in await unit_store.units_of_district(ctx.db, district=district)
        )
        if not units:
            raise InvalidArgument(
                f"no source unit is registered in district {district}", field="district"
            )
    if wanted.decided_from and wanted.decided_to and wanted.decided_from > wanted.decided_to:
        raise InvalidArgument("decidedFrom must not be after decidedTo", field="decidedFrom")
    spec = RecordFilter.of_scope(
        record_scope(PublicAttribute.PUBLIC, own=False, today=ctx.today),
        category=wanted.category,
        item_code=wanted.item_code,
        item_codes=codes,
        source_units=units,
        decided_from=wanted.decided_from,
        decided_to=wanted.decided_to,
    )
    return await page_of(ctx, spec, first, after)
