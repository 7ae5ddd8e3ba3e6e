"""Public lists: the red list (守信激励名单) and the epidemic column (关注新型冠状病毒疫情专栏,
notice 二(五)), the same records on display for every viewer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.catalogue import Category
from resolvers import public_lists
from resolvers.context import Context
from schema.cases import CaseQuery
from schema.connections import After, Connection, First, connection
from schema.records import Record

District = Annotated[
    str | None,
    strawberry.argument(description="Only records decided by units of this district, e.g. 福田区"),
]


@strawberry.type(
    description="关注新型冠状病毒疫情专栏 (notice 二(五)): the typical cases, and the records of "
    "good behaviour (一(一)) and of epidemic offences (一(二)) on public display, the same for "
    "every viewer"
)
class EpidemicColumn(CaseQuery):  # its typical cases are the portal's, field for field
    @strawberry.field(
        description="Records of notice 一(一) and 一(二) on public display today, newest "
        "decision first; a person's refusal of recording (art. 39) is respected"
    )
    async def records(
        self,
        info: Info[Context, None],
        category: Annotated[
            Category | None,
            strawberry.argument(description="GOOD (一(一)) or DISHONEST (一(二)) only"),
        ] = None,
        item: Annotated[
            str | None, strawberry.argument(description="Only this catalogue item's records")
        ] = None,
        district: District = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Record]:
        page = await public_lists.public_list(
            info.context,
            public_lists.EPIDEMIC_COLUMN,
            wanted=public_lists.RecordFilter(category=category, item_code=item),
            district=district,
            first=first,
            after=after,
        )
        return connection(page, Record.of)


@strawberry.type
class PublicListQuery:
    """The portal's public lists: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="守信激励名单 (red list): records of good behaviour in the epidemic (notice "
        "一(一)) on public display today, newest decision first, the same for every viewer; "
        "a person's refusal of recording (art. 39) is respected"
    )
    async def red_list(
        self,
        info: Info[Context, None],
        item: Annotated[
            str | None, strawberry.argument(description="Only this catalogue item (GOOD_1…GOOD_9)")
        ] = None,
        district: District = None,
        decided_from: Annotated[
            date | None, strawberry.argument(description="Only decisions on or after this day")
        ] = None,
        decided_to: Annotated[
            date | None, strawberry.argument(description="Only decisions on or before this day")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Record]:
        wanted = public_lists.RecordFilter(
            item_code=item, decided_from=decided_from, decided_to=decided_to
        )
        page = await public_lists.public_list(
            info.context,
            public_lists.RED_LIST,
            wanted=wanted,
            district=district,
            first=first,
            after=after,
        )
        return connection(page, Record.of)

    @strawberry.field(description="关注新型冠状病毒疫情专栏: the portal's epidemic column (二(五))")
    def epidemic_column(self) -> EpidemicColumn:
        return EpidemicColumn()
