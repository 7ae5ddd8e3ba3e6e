"""Data items of demo records: values that fit their catalogue spec and tell one story."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from demo.subjects import Profile, SubjectFactory
from demo.texts import (
    ADDRESS_CAUSES,
    ANNUAL_REPORT_CAUSES,
    COMMENDATIONS,
    COMMITMENT_BENEFITS,
    COMMITMENT_CONTENTS,
    COMMITMENT_VIOLATIONS,
    CONTRIBUTIONS,
    DEFAULT_COMMENDATION,
    DEFAULT_CONTRIBUTIONS,
    DEFAULT_OFFENCES,
    DEFAULT_PENALTY_BASIS,
    EPIDEMIC_IMPACTS,
    LICENSING_IMPACT,
    OFFENCES,
    PENALTY_BASES,
    narrative_facts,
)
from demo.units import COURT, Document, Unit, document_number
from demo.words import AID_DESTINATIONS, FUNDING_PROGRAMMES, RECIPIENTS
from domain.calendar import DateWindow, add_months
from domain.catalogue import CatalogueItem, Category
from domain.data_items import DataFormat, DataItemSpec
from domain.disclosure import Severity
from domain.identifiers import SubjectKind

OPTIONAL_SHARE = 0.8  # of optional data items that are filled in
_CLAUSE = re.compile(r"一\(([一二])\)(\d)")
# Document-number items that name one kind of document; any other names the record's own.
_DOCUMENT_KEYS = {
    "penalty_decision_number": Document.PENALTY,
    "judgment_number": Document.JUDGMENT,
    "commitment_number": Document.COMMITMENT,
}


def theme_of(item: CatalogueItem) -> str:
    """The notice clause an item implements: good1..good9, dishonest1..dishonest5, or else."""
    if item.epidemic_tolerable:
        return "tolerable"
    found = _CLAUSE.match(item.clause.replace("（", "(").replace("）", ")"))
    if found:
        return ("good" if found[1] == "一" else "dishonest") + found[2]
    return item.category.value.lower()


def commitment_type_for(item: CatalogueItem, epidemic_related: bool, rng: random.Random) -> str:
    """The type of the commitment a record is about, from the item's own enum if it has one."""
    spec = item.specs.get("commitment_type")
    if spec is None:
        return ""
    wanted = ("疫情防控", "复工复产") if epidemic_related else ("行政许可",)
    return rng.choice([v for v in spec.enum_values if v in wanted] or spec.enum_values)


@dataclass(frozen=True)
class Case:
    """The facts of one record, settled before its data items are written."""

    item: CatalogueItem
    theme: str
    profile: Profile
    decided: date
    unit: Unit
    document: Document
    document_number: str
    severity: Severity | None
    epidemic_related: bool
    commitment_type: str
    epidemic_window: DateWindow


def record_values(case: Case, rng: random.Random, people: SubjectFactory) -> dict[str, str]:
    """A value for every required data item of the case's item and most optional ones."""
    return _Writer(case, rng, people).values()


def _fen(yuan: int) -> str:
    return str(yuan * 100)


class _Writer:
    def __init__(self, case: Case, rng: random.Random, people: SubjectFactory) -> None:
        self._case, self._rng, self._people = case, rng, people
        # Index into the (natural person, organisation) pairs of narratives.
        self._org = 0 if case.profile.kind is SubjectKind.NATURAL_PERSON else 1
        self._facts = narrative_facts(case.profile.district, case.decided, rng)
        self._written: dict[str, str] = {}
        self._dates: dict[str, date] = {}

    def values(self) -> dict[str, str]:
        specs = self._case.item.data_items
        # Enums first: fines, donations and commitments depend on the type chosen.
        for spec in sorted(specs, key=lambda s: s.format is not DataFormat.ENUM):
            if spec.required or self._own_document(spec) or self._rng.random() < OPTIONAL_SHARE:
                value = self._value(spec)
                if value is None and spec.required:
                    value = self._generic(spec)
                if value is not None:
                    fits = spec.format is not DataFormat.TEXT
                    self._written[spec.key] = value if fits else value[: spec.max_length]
        return {s.key: self._written[s.key] for s in specs if s.key in self._written}

    def _value(self, spec: DataItemSpec) -> str | None:
        case, rng, facts = self._case, self._rng, self._facts
        if spec.format is DataFormat.ENUM:
            return self._enum(spec)
        if spec.format is DataFormat.DOCUMENT_NUMBER:
            return self._document(spec)
        match spec.key:
            case "commendation_title":
                subject = COMMENDATIONS.get(case.theme, DEFAULT_COMMENDATION)
                return f"{case.unit.name}关于{subject}的{rng.choice(('通报', '决定'))}"
            case (
                "awarding_department"
                | "deciding_authority"
                | "managing_unit"
                | "funding_department"
            ):
                return case.unit.name
            case "aid_destination":
                return rng.choice(AID_DESTINATIONS)
            case "dispatching_unit":
                return case.profile.name if self._org else facts["hospital"]
            case "medical_institution":
                return facts["hospital"]
            case "work_post" | "volunteer_organization" | "service_hours" | "supply_category":
                return facts[spec.key]
            case "contribution" | "achievement":
                return self._story(CONTRIBUTIONS.get(case.theme, DEFAULT_CONTRIBUTIONS))
            case "supply_name" | "product_name":
                return facts["supply"]
            case "supply_quantity":
                return f"{rng.choice((5, 10, 20, 50, 120))}万{facts['unit']}"
            case "donated_goods":
                goods = "物资" in self._written.get("donation_type", "物资")
                return facts["goods"] if goods else None
            case "donation_amount":
                if "资金" not in self._written.get("donation_type", "资金"):
                    return None
                if self._org:
                    return _fen(rng.randint(1, 500) * 10_000)
                return _fen(rng.choice((500, 1000, 2000, 5000, 10_000, 50_000)))
            case "recipient_organization":
                return rng.choice(RECIPIENTS).format(district=case.profile.district.name)
            case "relief_amount":
                return _fen(rng.randint(5, 300) * 10_000)
            case "tenants_benefited":
                return str(rng.randint(3, 260))
            case "funding_programme":
                return rng.choice(FUNDING_PROGRAMMES)
            case "funding_amount":
                return _fen(rng.randint(10, 500) * 10_000)
            case "offence":
                return self._story(OFFENCES.get(case.theme, DEFAULT_OFFENCES))
            case "penalty_basis":
                return PENALTY_BASES.get(case.theme, DEFAULT_PENALTY_BASIS)[case.unit is COURT]
            case "fine_amount":
                return self._fine()
            case "confiscated_amount":
                return _fen(int(facts["income"]))
            case "case_handler":
                return self._people.person_name()
            case "commitment_content":
                return self._commitment_text(COMMITMENT_CONTENTS)
            case "violation_facts":
                return self._commitment_text(COMMITMENT_VIOLATIONS)
            case "epidemic_impact" if case.commitment_type == "行政许可":
                return LICENSING_IMPACT
            case "epidemic_impact":
                return rng.choice(EPIDEMIC_IMPACTS).format_map(facts)
            case "benefits":
                return "；".join(rng.sample(COMMITMENT_BENEFITS, 2))
            case "unit_contact_phone":
                return self._people.landline()
            case "signatory":
                return case.profile.representative
            case "report_year":
                return str(self._due().year - 1)
            case "registered_address":
                return case.profile.address
            case "epidemic_cause" if case.epidemic_related:
                annual = "report_year" in case.item.specs
                return rng.choice(ANNUAL_REPORT_CAUSES if annual else ADDRESS_CAUSES)
            case "epidemic_cause":
                return None
        if spec.format is DataFormat.DATE:
            return self._date(spec.key).isoformat()
        return self._generic(spec)

    def _generic(self, spec: DataItemSpec) -> str:
        """A value for a key this module knows nothing about, by its format."""
        case, rng = self._case, self._rng
        match spec.format:
            case DataFormat.DATE:
                return case.decided.isoformat()
            case DataFormat.DATETIME:
                hour, minute = rng.randint(8, 18), rng.randint(0, 59)
                return f"{case.decided.isoformat()}T{hour:02d}:{minute:02d}:00+08:00"
            case DataFormat.AMOUNT:
                return _fen(rng.randint(1, 100) * 1000)
            case DataFormat.ENUM:
                return rng.choice(spec.enum_values)
            case DataFormat.IDENTIFIER:
                return case.profile.identifier
            case DataFormat.DOCUMENT_NUMBER:
                return case.document_number
            case DataFormat.TEXT:
                return case.item.title_zh[: spec.max_length]

    def _own_document(self, spec: DataItemSpec) -> bool:
        """Whether the item holds the number of the document the record rests on."""
        own = self._case.document
        is_document = spec.format is DataFormat.DOCUMENT_NUMBER
        return is_document and _DOCUMENT_KEYS.get(spec.key, own) is own

    def _document(self, spec: DataItemSpec) -> str | None:
        """The record's own document number, an earlier commitment's, or None (not this case)."""
        case = self._case
        if self._own_document(spec):
            return case.document_number
        kind = _DOCUMENT_KEYS[spec.key]
        if kind is Document.COMMITMENT:  # the commitment a finding says was broken
            signed = self._date("signed_on")
            return document_number(case.unit, kind, signed.year, self._rng.randint(1, 3000))
        return None  # e.g. a judgment number on an administrative penalty

    def _enum(self, spec: DataItemSpec) -> str:
        case = self._case
        preferred: tuple[str, ...] = ()
        if spec.key == "commendation_level":
            preferred = (case.unit.level,)
        elif spec.key == "commitment_type":
            preferred = (case.commitment_type,)
        elif spec.key == "penalty_type":
            preferred = self._penalty_types()
        elif spec.key == "measure":
            preferred = ("列入经营异常名录",) * 3 + ("责令限期履行", "其他行政管理措施")
        candidates = [v for v in preferred if v in spec.enum_values] or spec.enum_values
        return self._rng.choice(candidates)

    def _penalty_types(self) -> tuple[str, ...]:
        unit = self._case.unit
        if unit is COURT:
            return ("刑事处罚",)
        if "-PSB-" in unit.code:
            return ("罚款", "罚款", "警告", "行政拘留")
        return ("罚款",) * 4 + ("没收违法所得", "没收违法所得", "没收非法财物", "责令停产停业")

    def _fine(self) -> str | None:
        kind = self._written.get("penalty_type", "罚款")
        if kind in ("警告", "刑事处罚", "行政拘留"):
            return None
        rng = self._rng
        if "-PSB-" in self._case.unit.code:  # public order fines are small
            yuan = rng.choice((200, 500, 1000, 2000, 5000))
        elif not self._org:
            yuan = rng.randint(2, 100) * 1000
        else:
            yuan = rng.randint(1, 50) * 10_000
        return _fen(yuan * (3 if self._case.severity is Severity.SERIOUS else 1))

    def _date(self, key: str) -> date:
        """Dates that hang together: service before the award, relief from a month's start."""
        if key in self._dates:
            return self._dates[key]
        decided, rng = self._case.decided, self._rng
        match key:
            case "conduct_date":
                # Notice 一(一): conduct during the epidemic, commended on or after it.
                window = self._case.epidemic_window
                last = min(decided, window.end)
                day = last - timedelta(days=rng.randint(0, max(0, (last - window.start).days)))
            case "service_start_date":
                day = decided - timedelta(days=rng.randint(50, 150))
            case "service_end_date":
                start = self._date("service_start_date")
                day = min(start + timedelta(days=rng.randint(20, 70)), decided - timedelta(1))
            case "relief_start_date":
                day = add_months(decided.replace(day=1), -rng.randint(3, 8))
            case "relief_end_date":
                start = self._date("relief_start_date")
                day = add_months(start, rng.randint(3, 6)) - timedelta(days=1)
            case "valid_until":
                day = add_months(decided, rng.choice((6, 12, 24))) - timedelta(days=1)
            case "due_date":
                day = self._due()
            case "filed_on":
                day = self._due() + timedelta(days=rng.randint(10, 150))
            case "verification_date":
                day = decided - timedelta(days=rng.randint(5, 40))
            case "signed_on" if self._case.item.category is not Category.COMMITMENT:
                day = decided - timedelta(days=rng.randint(30, 200))  # before it was broken
            case _:
                day = decided  # award, decision, finding, signature, validity start
        self._dates[key] = day
        return day

    def _due(self) -> date:
        """Annual reports are due by 30 June for the year before (企业信息公示暂行条例 art. 8)."""
        decided = self._case.decided
        due = date(decided.year, 6, 30)
        return due if decided > due else date(decided.year - 1, 6, 30)

    def _commitment_text(self, texts: dict[str, tuple[str, str]]) -> str:
        pair = texts.get(self._case.commitment_type, texts["疫情防控"])
        return pair[self._org].format_map(self._facts)

    def _story(self, texts: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
        return self._rng.choice(texts[self._org]).format_map(self._facts)
