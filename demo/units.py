"""Demo source units (信源单位, notice 一(三)) and the numbers of the documents they issue."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from demo.words import District
from domain.catalogue import SourceUnitType


@dataclass(frozen=True)
class Unit:
    """A source unit: its code, its name, and the prefix of its document numbers."""

    code: str
    name: str
    prefix: str  # 深卫健 in 深卫健〔2020〕45号
    level: str = "市级"  # of its commendations
    penalty_word: str = "罚"  # 深市监福罚〔2020〕12号, 深公福行罚决字〔2020〕12号


class Document(StrEnum):
    """What kind of document a record rests on."""

    COMMENDATION = "commendation"
    PENALTY = "penalty"
    ABNORMAL_LISTING = "abnormal_listing"  # 列入经营异常名录决定
    JUDGMENT = "judgment"
    COMMITMENT = "commitment"
    FINDING = "finding"  # 违反承诺的认定
    FUNDING = "funding"  # 资金资助决定 (notice 三(十二))


GOVERNMENT = Unit("440300-GOV", "深圳市人民政府", "深府")
HEALTH = Unit("440300-HC", "深圳市卫生健康委员会", "深卫健")
CIVIL_AFFAIRS = Unit("440300-CA", "深圳市民政局", "深民")
INDUSTRY = Unit("440300-IIT", "深圳市工业和信息化局", "深工信")
COMMERCE = Unit("440300-COMMERCE", "深圳市商务局", "深商务")
YOUTH_LEAGUE = Unit("440300-CYL", "共青团深圳市委员会", "深团")
STATE_ASSETS = Unit("440300-SASAC", "深圳市人民政府国有资产监督管理委员会", "深国资委")
MARKET_REGULATION = Unit("440300-SAMR", "深圳市市场监督管理局", "深市监")
COURT = Unit("440300-COURT-INT", "深圳市中级人民法院", "粤03")
SCIENCE = Unit("440300-STIC", "深圳市科技创新委员会", "深科技创新")
DEVELOPMENT = Unit("440300-DRC", "深圳市发展和改革委员会", "深发改")
PROVINCIAL_HEALTH = Unit("440000-HC", "广东省卫生健康委员会", "粤卫", level="省级")


def _stem(district: District) -> str:
    return district.name.removesuffix("新区").removesuffix("区")


def district_government(district: District) -> Unit:
    if district.code is None:  # 大鹏新区 is run by a committee of the city
        return Unit("440300-GOV-DP", "深圳市大鹏新区管理委员会", "深鹏管", level="区级")
    return Unit(
        f"{district.code}-GOV", f"深圳市{district.name}人民政府", f"深{district.short}府", "区级"
    )


def market_regulation(district: District) -> Unit:
    """The district bureau of the city's market regulator (深圳市市场监督管理局福田监管局)."""
    return Unit(
        f"440300-SAMR-{district.abbr}",
        f"深圳市市场监督管理局{_stem(district)}监管局",
        f"深市监{district.short}",
    )


def public_security(district: District) -> Unit:
    return Unit(
        f"440300-PSB-{district.abbr}",
        f"深圳市公安局{_stem(district)}分局",
        f"深公{district.short}",
        penalty_word="行罚决字",
    )


def awarding_unit(theme: str, district: District, rng: random.Random) -> Unit:
    """Notice 一(三): the department at district level or above that gave the commendation."""
    local = district_government(district)
    choices = {
        "good1": (HEALTH, HEALTH, HEALTH, PROVINCIAL_HEALTH),
        "good2": (local, HEALTH),
        "good3": (YOUTH_LEAGUE, CIVIL_AFFAIRS, local),
        "good4": (INDUSTRY,),
        "good5": (CIVIL_AFFAIRS, local),
        "good6": (STATE_ASSETS, local),
        "good7": (INDUSTRY, local),
        "good8": (COMMERCE,),
        "good9": (GOVERNMENT, local),
    }.get(theme, (GOVERNMENT, local))
    return rng.choice(choices)


def commitment_unit(commitment_type: str, district: District, rng: random.Random) -> Unit:
    """The unit managing a commitment of this type (行政许可 / 疫情防控 / 复工复产)."""
    local = district_government(district)
    choices = {
        "行政许可": (MARKET_REGULATION,),
        "疫情防控": (local, HEALTH),
        "复工复产": (INDUSTRY, local),
    }.get(commitment_type, (INDUSTRY,))
    return rng.choice(choices)


def source_unit(
    unit_type: SourceUnitType,
    *,
    theme: str,
    district: District,
    commitment_type: str,
    rng: random.Random,
) -> Unit:
    """A unit of this type for a record about a subject in `district`."""
    match unit_type:
        case SourceUnitType.AWARDING_DEPARTMENT:
            return awarding_unit(theme, district, rng)
        case SourceUnitType.PENALTY_DECIDING_UNIT if theme in ("dishonest1", "dishonest3"):
            return public_security(district)  # defying orders, assaulting medical staff
        case SourceUnitType.PENALTY_DECIDING_UNIT:
            return market_regulation(district)
        case SourceUnitType.INTERMEDIATE_COURT:
            return COURT
        case SourceUnitType.COMMITMENT_MANAGING_UNIT:
            return commitment_unit(commitment_type, district, rng)
        case SourceUnitType.REGISTRATION_AUTHORITY:
            return MARKET_REGULATION
        case SourceUnitType.FUNDING_DEPARTMENT:
            return rng.choice((SCIENCE, DEVELOPMENT))


def document_kind(unit_type: SourceUnitType, *, commitment: bool, tolerable: bool) -> Document:
    match unit_type:
        case SourceUnitType.AWARDING_DEPARTMENT:
            return Document.COMMENDATION
        case SourceUnitType.INTERMEDIATE_COURT:
            return Document.JUDGMENT
        case SourceUnitType.COMMITMENT_MANAGING_UNIT:
            return Document.COMMITMENT if commitment else Document.FINDING
        case SourceUnitType.FUNDING_DEPARTMENT:
            return Document.FUNDING
        case _:
            return Document.ABNORMAL_LISTING if tolerable else Document.PENALTY


def document_number(unit: Unit, kind: Document, year: int, number: int) -> str:
    """深市监福罚〔2020〕12号, （2020）粤03刑初12号, 深工信承诺〔2020〕12号 ..."""
    if kind is Document.JUDGMENT:
        return f"（{year}）{unit.prefix}刑初{number}号"
    word = {
        Document.COMMENDATION: "",
        Document.PENALTY: unit.penalty_word,
        Document.ABNORMAL_LISTING: "异",
        Document.COMMITMENT: "承诺",
        Document.FINDING: "认",
        Document.FUNDING: "资",
    }[kind]
    return f"{unit.prefix}{word}〔{year}〕{number}号"
