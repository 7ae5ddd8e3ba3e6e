"""The credit repair fast track (从快从简, notice 三(十一)): who gets it and what it shortens.

三(十一) asks that repair applications by subjects of epidemic control, medical care and the
supply of necessities, and by subjects whose lapse the epidemic caused, be handled fast and
simply. It is never a reward for the epidemic offences of 一(二), which 二(八) punishes
strictly. The fast track shortens the decision deadline (`decision_days`) and puts the
application first in the credit centre's queue (domain.repair.queue_rank).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from domain.catalogue import Catalogue, CatalogueItem, Category, SourceUnitType
from domain.disclosure import Severity
from domain.records import Record, stands

DECISION_DAYS = 3
# 从快从简: a fast-track application is decided by the working day after its acceptance.
FAST_TRACK_DECISION_DAYS = 1


class FastTrackReason(StrEnum):
    EPIDEMIC_CAUSE = "EPIDEMIC_CAUSE"  # the act was caused by the epidemic
    EPIDEMIC_SUPPORT_SUBJECT = "EPIDEMIC_SUPPORT_SUBJECT"  # front-line, medical or supply work


def carries_penalty(item: CatalogueItem) -> bool:
    """Whether records of the item rest on a penalty decision or a judgment (notice 一(三))."""
    return bool(
        {SourceUnitType.PENALTY_DECIDING_UNIT, SourceUnitType.INTERMEDIATE_COURT}
        & set(item.source_unit_types)
    )


def fast_track_reasons(
    record: Record, item: CatalogueItem, held: Iterable[Record]
) -> tuple[FastTrackReason, ...]:
    """Why notice 三(十一) fast-tracks an application about `record` (of `item`); `held` are
    the subject's records.

    - Never for an epidemic offence (一(二)1-5, `item.epidemic_offence`): those are disclosed
      for the serious period (二(八)), whatever else the subject did or a flag says.
    - EPIDEMIC_CAUSE: the epidemic caused the lapse — the `epidemic_related` flag on a general
      administrative penalty (or judgment) that is not an 一(二) act.
    - EPIDEMIC_SUPPORT_SUBJECT: the subject did epidemic support work — it holds a standing
      good-behaviour record (一(一)1-9: medical aid, front line, volunteering, supplies,
      donations, rent relief, resumption, daily necessities, other support). A record the
      person refused (art. 39) does not stand, so it is not used for its benefit either.
    """
    if item.epidemic_offence:
        return ()
    reasons = []
    general = record.severity is not Severity.SERIOUS
    if record.epidemic_related and general and carries_penalty(item):
        reasons.append(FastTrackReason.EPIDEMIC_CAUSE)
    if any(r.category is Category.GOOD and stands(r) for r in held):
        reasons.append(FastTrackReason.EPIDEMIC_SUPPORT_SUBJECT)
    return tuple(reasons)


def decision_days(fast_track: bool) -> int:
    """Working days from acceptance to the decision: 3 (arts. 79–85), 1 on the fast track."""
    return FAST_TRACK_DECISION_DAYS if fast_track else DECISION_DAYS


def support_item_codes(catalogues: Iterable[Catalogue]) -> list[str]:
    """The items whose records show epidemic support work: every good-behaviour item, sorted."""
    return sorted({i.code for c in catalogues for i in c.items if i.category is Category.GOOD})
