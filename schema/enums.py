"""The domain's enums, registered with GraphQL under their own names.

`strawberry.enum` marks the class itself, so schema types annotate with the domain classes.
"""

from __future__ import annotations

import strawberry

from domain.catalogue import Category, DataFormat, MaskKind, PublicAttribute, SourceUnitType
from domain.disclosure import DisclosureState, Severity
from domain.identifiers import SubjectKind
from domain.records import (
    ChangeKind,
    ObjectionGrounds,
    ObjectionOutcome,
    ObjectionState,
    RecordStatus,
)

strawberry.enum(SubjectKind, description="信用主体类别")
strawberry.enum(Category, description="信息类别")
strawberry.enum(PublicAttribute, description="公开属性, from the widest audience to the narrowest")
strawberry.enum(MaskKind)
strawberry.enum(
    DataFormat,
    description="数据格式; an amount is submitted as whole fen in digits (500000) and shown in 元 "
    "(5,000.00 元)",
)
strawberry.enum(SourceUnitType, description="信源单位类别")
strawberry.enum(Severity)
strawberry.enum(
    DisclosureState,
    description="公示状态: whether the record is on public display today, and if not, why",
)
strawberry.enum(RecordStatus)
strawberry.enum(ChangeKind, description="What happened to a record")
strawberry.enum(ObjectionGrounds, description="What an objection (异议) disputes")
strawberry.enum(ObjectionState, description="PENDING, or the objection's outcome")
strawberry.enum(ObjectionOutcome, description="How an objection is resolved")

# What each state tells a client; only DISCLOSED is on public display.
_DISCLOSURE_STATES = {
    DisclosureState.PENDING: "Before its start day: not shown yet",
    DisclosureState.DISCLOSED: "On public display today: between its start and end days, both "
    "included",
    DisclosureState.ENDED: "Its disclosure period is over (the day after its end day and later)",
    DisclosureState.REPAIRED: "信用修复: display ended early on an approved repair; the record "
    "stays in the file",
    DisclosureState.WITHDRAWN: "Revoked by its source unit, or removed from display on an "
    "objection (异议)",
    DisclosureState.CLEARED: "The lapse was cured (the annual report was filed, notice 三(十)) and "
    "display ended; not a repair",
    DisclosureState.EXCUSED: "审慎包容 (notice 三(十)): not recorded as dishonesty, never shown",
    DisclosureState.OPTED_OUT: "The person refused its recording (Shenzhen Social Credit "
    "Regulation art. 39): never shown",
}
for _value in DisclosureState.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = _DISCLOSURE_STATES[DisclosureState(_value.value)]

__all__ = [
    "Category",
    "ChangeKind",
    "DataFormat",
    "DisclosureState",
    "MaskKind",
    "ObjectionGrounds",
    "ObjectionOutcome",
    "ObjectionState",
    "PublicAttribute",
    "RecordStatus",
    "Severity",
    "SourceUnitType",
    "SubjectKind",
]
