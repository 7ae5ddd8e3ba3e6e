"""Good behaviour (notice 一(一)1–9) is conduct during the epidemic; the award may come later.

The notice collects good behaviour "在疫情防控期间": what counts is when the person or firm
acted, not when the department decided the commendation. The catalogue gives every 一(一)
item a `conduct_date` data item; this module judges it against the epidemic window.
"""

from __future__ import annotations

from datetime import date

from domain.calendar import DateWindow
from domain.catalogue import CatalogueItem
from domain.disclosure import good_behaviour
from domain.errors import Problem, ProblemCode

CONDUCT_DATE = "conduct_date"
FIELD = f"dataItems.{CONDUCT_DATE}"


def conduct_problems(
    item: CatalogueItem, values: dict[str, str], *, decision_date: date, epidemic_window: DateWindow
) -> list[Problem]:
    """Problems with the conduct date of a good-behaviour record, none for other items.

    The invariant: a 一(一) record is accepted only when its conduct falls inside the epidemic
    window (both ends included) and on or before the decision that commends it. A missing or
    malformed date is reported by the data item checks; nothing more is said about it here.
    """
    if not good_behaviour(item.clause) or CONDUCT_DATE not in values:
        return []
    try:
        conduct = date.fromisoformat(values[CONDUCT_DATE])
    except ValueError:
        return []
    problems = []
    if conduct not in epidemic_window:
        problems.append(
            Problem(
                ProblemCode.CONDUCT_OUTSIDE_EPIDEMIC,
                FIELD,
                f"good behaviour (notice 一(一)) counts only for conduct during the epidemic, "
                f"{epidemic_window.start} to {epidemic_window.end}; {conduct} is outside it",
            )
        )
    if conduct > decision_date:
        problems.append(
            Problem(
                ProblemCode.CONDUCT_AFTER_DECISION,
                FIELD,
                "a commendation comes after the conduct it commends: the conduct date is after "
                "the decision date",
            )
        )
    return problems
