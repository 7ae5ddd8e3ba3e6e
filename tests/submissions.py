"""Submissions for tests: registered units and valid records of each kind, built as a unit would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.calendar import DateWindow
from domain.catalogue import Catalogue, CatalogueVersions, SourceUnitType
from domain.disclosure import Severity
from domain.source_units import SourceUnit, UnitLevel
from domain.subjects import Subject, SubjectRef
from domain.submission import RecordSubmission
from store.catalogue import read_default_catalogue
from tests import factories

TODAY = date(2020, 9, 1)
NOW = datetime(2020, 9, 1, 4, tzinfo=UTC)
WINDOW = DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31))
CATALOGUE: Catalogue = read_default_catalogue()
VERSIONS = CatalogueVersions([CATALOGUE])
FIRM = factories.firm(7001)
PERSON = factories.person(7002)

SAMR = SourceUnit(
    code="440300-SAMR-FT",
    name="深圳市市场监督管理局福田监管局",
    unit_types=(SourceUnitType.PENALTY_DECIDING_UNIT,),
    level=UnitLevel.DISTRICT,
    district="福田区",
)
COURT = SourceUnit(
    code="440300-COURT-INT",
    name="深圳市中级人民法院",
    unit_types=(SourceUnitType.INTERMEDIATE_COURT,),
    level=UnitLevel.MUNICIPAL,
)
HEALTH = SourceUnit(
    code="440300-HC",
    name="深圳市卫生健康委员会",
    unit_types=(SourceUnitType.AWARDING_DEPARTMENT, SourceUnitType.COMMITMENT_MANAGING_UNIT),
    level=UnitLevel.MUNICIPAL,
)
DISTRICT_GOV = HEALTH.model_copy(update={"code": "440304-GOV", "level": UnitLevel.DISTRICT})
STREET_OFFICE = HEALTH.model_copy(update={"code": "440304001-SO", "level": UnitLevel.SUBDISTRICT})

# The data items DISHONEST_1..4 share; DISHONEST_2 (fake medical supplies) adds the product.
SHARED_PENALTY_ITEMS = {
    "offence": "销售不合格口罩",
    "penalty_type": "罚款",
    "penalty_basis": "《中华人民共和国产品质量法》第五十条",
    "deciding_authority": "深圳市市场监督管理局福田监管局",
    "decision_date": "2020-03-01",
    "fine_amount": "500000",
}
PENALTY_ITEMS = SHARED_PENALTY_ITEMS | {"product_name": "一次性使用医用口罩"}
COMMENDATION_ITEMS = {
    "commendation_title": "关于表彰抗疫先进个人的决定",
    "commendation_level": "市级",
    "awarding_department": "深圳市卫生健康委员会",
    "commendation_document_number": "深卫健〔2020〕45号",
    "award_date": "2020-04-01",
    "conduct_date": "2020-02-10",
    "aid_destination": "湖北省武汉市",
}
LATE_REPORT_ITEMS = {
    "report_year": "2019",
    "due_date": "2020-06-30",
    "measure": "列入经营异常名录",
    "deciding_authority": "深圳市市场监督管理局福田监管局",
    "decision_date": "2020-07-15",
}

# Notice 三(十二): what a funding department records of a grant; the amount in fen (50万元).
SCIENCE = SourceUnit(
    code="440300-STIC",
    name="深圳市科技创新委员会",
    unit_types=(SourceUnitType.FUNDING_DEPARTMENT,),
    level=UnitLevel.MUNICIPAL,
)
FUNDING_ITEMS = {
    "funding_programme": "2020年企业技术攻关资助项目",
    "funding_department": "深圳市科技创新委员会",
    "funding_document_number": "深科技创新资〔2020〕18号",
    "grant_date": "2020-05-20",
    "funding_amount": "50000000",
    "funding_purpose": "防疫物资生产线技术改造",
}


def ref(subject: Subject) -> SubjectRef:
    return SubjectRef(kind=subject.kind, identifier=subject.identifier, name=subject.name)


def penalty(**changes: Any) -> RecordSubmission:
    """A valid administrative penalty about FIRM; `items` replaces the data items."""
    items = changes.pop("items", PENALTY_ITEMS)
    fields: dict[str, Any] = {
        "source_record_id": "2020-000001",
        "subject": ref(FIRM),
        "item_code": "DISHONEST_2",
        "decision_date": date(2020, 3, 1),
        "document_number": "深市监福罚〔2020〕12号",
        "severity": Severity.GENERAL,
        "epidemic_related": False,
        "data_items": tuple(items.items()),
    }
    return RecordSubmission(**(fields | changes))


def commendation(**changes: Any) -> RecordSubmission:
    return penalty(
        **{
            "item_code": "GOOD_1",
            "subject": ref(PERSON),
            "severity": None,
            "items": COMMENDATION_ITEMS,
            "document_number": "深卫健〔2020〕45号",
        }
        | changes
    )


def late_report(**changes: Any) -> RecordSubmission:
    return penalty(
        **{"item_code": "ANNUAL_REPORT_LATE", "items": LATE_REPORT_ITEMS, "epidemic_related": True}
        | changes
    )


def funding(**changes: Any) -> RecordSubmission:
    """A grant to FIRM recorded by the city's science and technology commission."""
    return penalty(
        **{
            "source_record_id": "ZZ-2020-0018",
            "item_code": "FUNDING_GRANTED",
            "decision_date": date(2020, 5, 20),
            "document_number": "深科技创新资〔2020〕18号",
            "severity": None,
            "items": FUNDING_ITEMS,
        }
        | changes
    )


def as_input(submission: RecordSubmission) -> dict[str, Any]:
    """A domain submission as the GraphQL variables a unit would send."""
    return {
        "sourceRecordId": submission.source_record_id,
        "subject": {
            "kind": submission.subject.kind.value,
            "identifier": submission.subject.identifier,
            "name": submission.subject.name,
        },
        "item": submission.item_code,
        "decisionDate": submission.decision_date.isoformat(),
        "documentNumber": submission.document_number,
        "severity": None if submission.severity is None else submission.severity.value,
        "epidemicRelated": submission.epidemic_related,
        "dataItems": [{"key": k, "value": v} for k, v in submission.data_items],
        "correction": submission.correction,
    }
