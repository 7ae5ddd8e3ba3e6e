"""The recording opt-out: a person may refuse the recording of some good-behaviour records.

Shenzhen Social Credit Regulation art. 39: a natural person may refuse the recording of
commendations, volunteering and donations about them. Every 一(一) record rests on a
commendation or formal recognition (notice 一(三)), so every good-behaviour item about persons
carries `opt_out_allowed`, GOOD_9 included, and no other item does: the catalogue refuses to
load otherwise (domain.catalogue.CatalogueItem). Such records are then neither accepted nor
shown; those already on file are withheld from every viewer but the person and the credit
centre (`domain.records.sees_opted_out`), and shown again if the person withdraws the refusal.
They are withheld, not deleted: the refusal is the person's to withdraw.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.catalogue import Catalogue, CatalogueItem
from domain.identifiers import SubjectKind
from domain.records import ChangeKind, Record, next_version

BASIS = "《深圳经济特区社会信用条例》第三十九条"


def applies_to(kind: SubjectKind) -> bool:
    """Art. 39 is a right of natural persons only."""
    return kind is SubjectKind.NATURAL_PERSON


def refusable_item_codes(catalogues: Iterable[Catalogue]) -> list[str]:
    """The items any catalogue version lets a person refuse, sorted."""
    return sorted({i.code for c in catalogues for i in c.items if i.opt_out_allowed})


def with_preference(
    record: Record, item: CatalogueItem, *, opted_out: bool, at: datetime, by: str
) -> Record | None:
    """The record withheld (or shown again) by the person's choice; None when it is unaffected."""
    if not item.opt_out_allowed or record.opted_out == opted_out:
        return None
    return next_version(
        record,
        kind=ChangeKind.HIDDEN if opted_out else ChangeKind.SHOWN,
        at=at,
        by=by,
        reason=f"{'recording refused' if opted_out else 'refusal withdrawn'} ({BASIS})",
        opted_out=opted_out,
    )
