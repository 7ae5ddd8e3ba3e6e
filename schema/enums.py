"""The domain's enums, registered with GraphQL under their own names.

`strawberry.enum` marks the class itself, so schema types annotate with the domain classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

from domain.catalogue import Category, SourceUnitType
from domain.data_items import DataFormat
from domain.disclosure import DisclosureState, Severity
from domain.identifiers import SubjectKind
from domain.masking import MaskKind, PublicAttribute
from domain.records import (
    ChangeKind,
    ObjectionGrounds,
    ObjectionOutcome,
    ObjectionState,
    RecordStatus,
)
from domain.repair import RepairMeasure

E = TypeVar("E", bound=Enum)


def described(
    enum: type[E], description: str, values: Mapping[E, str], *, name: str | None = None
) -> type[E]:
    """Registers `enum` with GraphQL, each value with its description from `values`.

    The domain's enums stay free of GraphQL, so their values are described here; a value
    missing from `values` fails at import, not as an undocumented schema element.
    """
    strawberry.enum(enum, name=name, description=description)
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[enum(value.value)]
    return enum


described(
    SubjectKind,
    "信用主体类别: the three kinds of subject named in notice 一(四)",
    {
        SubjectKind.NATURAL_PERSON: "自然人: a person, identified by a resident identity number",
        SubjectKind.LEGAL_PERSON: "法人: a company or other legal person, identified by its "
        "unified social credit code",
        SubjectKind.OTHER_ORGANIZATION: "其他组织: an organization that is not a legal person, "
        "identified by its unified social credit code",
    },
)
described(
    Category,
    "信息类别: the kind of credit information a catalogue item records",
    {
        Category.GOOD: "良好行为信息: commendations and other good behaviour (notice 一(一))",
        Category.DISHONEST: "违法失信信息: penalties, judgments and broken commitments "
        "(notice 一(二))",
        Category.COMMITMENT: "信用承诺信息: commitments a subject made (notice 二(九))",
        Category.BASIC: "基础信息: registration data of a subject",
        Category.FUNDING: "资金资助信息: government funding a subject was granted "
        "(notice 三(十二))",
    },
)
described(
    PublicAttribute,
    "公开属性, from the widest audience to the narrowest",
    {
        PublicAttribute.PUBLIC: "公开公示: shown to anyone, signed in or not",
        PublicAttribute.AUTHORIZED: "授权查询: shown to the subject itself and to a viewer it "
        "authorized by a grant",
        PublicAttribute.GOVERNMENT: "政务共享: shown to government viewers (records:read scope)",
        PublicAttribute.RESTRICTED: "不予公开: shown only to viewers with the restricted:read "
        "scope",
    },
)
described(
    MaskKind,
    "How a value is shown to a viewer below its public attribute",
    {
        MaskKind.HIDDEN: "Not shown: the value is null",
        MaskKind.KEEP: "Only the first `front` and last `back` characters are shown, the rest "
        "replaced by *",
        MaskKind.NAME: "A person's name cut to the surname, the rest starred: 张三丰 → 张** "
        "(compound surnames kept whole)",
        MaskKind.ADDRESS: "An address cut to its administrative divisions, down to the street "
        "or town; null when none is recognised",
        MaskKind.DATE_MONTH: "A date or date-time cut to its month: 2020-03-15 → 2020-03",
    },
)
described(
    DataFormat,
    "数据格式; an amount is submitted as whole fen in digits (500000) and shown in 元 "
    "(5,000.00 元)",
    {
        DataFormat.TEXT: "Free text",
        DataFormat.DATE: "A calendar date, ISO 8601 (2020-02-26)",
        DataFormat.DATETIME: "A date and time with its UTC offset, ISO 8601 "
        "(2020-02-26T09:30:00+08:00)",
        DataFormat.AMOUNT: "An amount of money: submitted as whole fen in digits (500000), shown "
        "in 元 (5,000.00 元)",
        DataFormat.ENUM: "One of the item's listed values (enumValues)",
        DataFormat.IDENTIFIER: "A subject's identifier: unified social credit code or resident "
        "identity number",
        DataFormat.DOCUMENT_NUMBER: "A document number (文号) as printed on the decision",
    },
)
described(
    SourceUnitType,
    "信源单位类别: who may submit an item (notice 一(三))",
    {
        SourceUnitType.AWARDING_DEPARTMENT: "表彰奖励作出部门或主管部门: the department that "
        "commended, district level or above",
        SourceUnitType.PENALTY_DECIDING_UNIT: "行政处罚决定作出单位: the unit that decided an "
        "administrative penalty",
        SourceUnitType.INTERMEDIATE_COURT: "市中级法院: the city's intermediate court, for "
        "criminal liability",
        SourceUnitType.COMMITMENT_MANAGING_UNIT: "承诺管理单位或授权部门: the unit that manages "
        "a commitment",
        SourceUnitType.REGISTRATION_AUTHORITY: "登记机关: the registration authority, for basic "
        "information",
        SourceUnitType.FUNDING_DEPARTMENT: "资金资助主管部门: a department that grants government "
        "funding, for what it granted (notice 三(十二))",
    },
)
described(
    Severity,
    "失信程度: how serious a dishonest act is; it sets the disclosure period",
    {
        Severity.GENERAL: "一般失信: general dishonesty; in the epidemic no minimum display "
        "period before repair (notice 三(十一))",
        Severity.SERIOUS: "严重失信: serious dishonesty; may ground a blacklist listing "
        "(notice 二(八))",
    },
)
described(
    RecordStatus,
    "A record's standing in the file",
    {
        RecordStatus.ACTIVE: "In force, shown as its disclosure period says",
        RecordStatus.REPAIRED: "信用修复: disclosure ended early, the record stays in the file",
        RecordStatus.REVOKED: "The decision was overturned by its source unit",
        RecordStatus.EXCUSED: "审慎包容 (notice 三(十)): not recorded as dishonesty",
        RecordStatus.EXPIRED: "Its disclosure period is over",
        RecordStatus.CLEARED: "The lapse was cured (annual report filed, notice 三(十)); display "
        "ended",
    },
)
described(
    ChangeKind,
    "What happened to a record; every change is reported (notice 一(三))",
    {
        ChangeKind.CREATED: "Submitted by its source unit",
        ChangeKind.CORRECTED: "Its data items were corrected",
        ChangeKind.REVOKED: "Revoked by its source unit",
        ChangeKind.REPAIRED: "信用修复 approved: display ended early",
        ChangeKind.OBJECTION_FILED: "An objection (异议) about it was filed",
        ChangeKind.OBJECTION_RESOLVED: "An objection (异议) about it was resolved",
        ChangeKind.HIDDEN: "Removed from public display (an objection, or the person opted out)",
        ChangeKind.SHOWN: "Put back on public display",
        ChangeKind.CLEARED: "The lapse was cured (notice 三(十)) and display ended",
    },
)
described(
    ObjectionGrounds,
    "What an objection (异议) disputes",
    {
        ObjectionGrounds.ERROR: "The record's content is wrong",
        ObjectionGrounds.SHOWN_PAST_PERIOD: "It is still shown after its disclosure period",
        ObjectionGrounds.WRONGLY_LISTED: "The subject should not have such a record at all",
        ObjectionGrounds.OTHER: "Something else, explained in the description",
    },
)
_OUTCOMES = {
    ObjectionOutcome.CORRECTED: "The source unit corrected the record's data items",
    ObjectionOutcome.REMOVED_FROM_DISPLAY: "The record is no longer shown to the public",
    ObjectionOutcome.UPHELD: "The record stands as it is",
}
described(
    ObjectionState,
    "PENDING, or the objection's outcome",
    {
        ObjectionState.PENDING: "Filed, not yet resolved",
        **{ObjectionState(outcome.value): text for outcome, text in _OUTCOMES.items()},
    },
)
described(ObjectionOutcome, "How an objection is resolved", _OUTCOMES)

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
described(
    DisclosureState,
    "公示状态: whether the record is on public display today, and if not, why",
    _DISCLOSURE_STATES,
)

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
    "described",
]

# Shared by repair applications and their evidence files (schema/repair.py, schema/evidence.py).
described(
    RepairMeasure,
    "What a subject did to repair its credit",
    {
        RepairMeasure.COMMITMENT: "信用修复承诺书: a signed credit repair commitment",
        RepairMeasure.CORRECTION: "纠正失信行为: the dishonest act was corrected",
        RepairMeasure.PENALTY_FULFILLED: "履行行政处罚决定: the penalty decision (or the "
        "judgment) was carried out (notice 三(十一))",
        RepairMeasure.TRAINING: "信用修复专题培训: credit repair training attended",
        RepairMeasure.CREDIT_REPORT: "信用报告 by a comprehensive credit service agency",
    },
)
