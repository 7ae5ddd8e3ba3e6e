"""The domain's enums, registered with GraphQL under their own names.

`strawberry.enum` marks the class itself, so schema types annotate with the domain classes.
"""

from __future__ import annotations

import strawberry

from domain.catalogue import Category, DataFormat, MaskKind, PublicAttribute, SourceUnitType
from domain.disclosure import DisclosureState, Severity
from domain.identifiers import SubjectKind
from domain.records import ObjectionGrounds, ObjectionOutcome, ObjectionState, RecordStatus

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
strawberry.enum(DisclosureState, description="公示状态")
strawberry.enum(RecordStatus)
strawberry.enum(ObjectionGrounds, description="What an objection (异议) disputes")
strawberry.enum(ObjectionState, description="PENDING, or the objection's outcome")
strawberry.enum(ObjectionOutcome, description="How an objection is resolved")

__all__ = [
    "Category",
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
