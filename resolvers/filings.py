"""A registration authority reports a filing that clears a lapse (notice 三(十))."""

from __future__ import annotations

from datetime import date

from domain.filings import FilingDateInvalid, NotClearable, NotReporter, cleared
from domain.records import Record
from resolvers.access import registered_source_unit
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound, UnitNotAuthorized
from resolvers.errors import NotClearable as NotClearableError
from resolvers.records import RecordView, change_record, view_of
from store import records as record_store


async def record_annual_report_filed(ctx: Context, *, record_id: str, filed_on: date) -> RecordView:
    """Clear the record whose lapse the reported filing cures, through the record write path."""
    unit = await registered_source_unit(ctx)
    [record] = await record_store.get_records(ctx.db, ids=[record_id])
    if record is None:
        raise NotFound("there is no record with this id", field="id")

    written: list[Record] = []

    def clear(current: Record) -> Record:
        item = ctx.catalogues.item(current.catalogue_version, current.item_code)
        after = cleared(
            current,
            item,
            unit_types=unit.unit_types,
            unit_code=unit.code,
            filed_on=filed_on,
            today=ctx.today,
            at=ctx.now,
        )
        written.append(after)
        return after

    try:
        await change_record(ctx, record_id, clear, doing="its filing was recorded")
    except NotReporter as exc:
        raise UnitNotAuthorized(str(exc), field="id") from None
    except NotClearable as exc:
        raise NotClearableError(str(exc), field="id") from None
    except FilingDateInvalid as exc:
        raise InvalidArgument(str(exc), field="filedOn") from None
    return await view_of(ctx, written[-1])
