"""Demo subjects: people and organisations of Shenzhen, and their basic data items."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo.identifiers import IdentifierSource
from demo.words import (
    BRAND_CHARACTERS,
    COOPERATIVE_CROPS,
    DISTRICTS,
    GIVEN_NAME_CHARACTERS,
    INSTITUTIONS,
    OTHER_AREAS,
    PARTNERSHIP_TRADES,
    SHENZHEN_OLD_AREA,
    SHOPS,
    SOCIAL_ORGANISATIONS,
    SURNAMES,
    TRADES,
    District,
)
from domain.catalogue import CatalogueItem
from domain.data_items import DataFormat
from domain.identifiers import SubjectKind

CITY_AREA = "440300"
# Codes issued since the reform of 2015 carry MA5 (firms) or MJ (social organisations) in
# Shenzhen; older ones the eight digits of the former organisation code.
_REFORM = date(2016, 1, 1)
_DISTRICT_WEIGHTS = [d.population for d in DISTRICTS]
_CODED_DISTRICTS = {d.code: d for d in DISTRICTS if d.code}
_MOBILE_PREFIXES = (
    *(f"13{d}" for d in range(10)),
    *(f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)),
    *(f"18{d}" for d in range(10)),
    *("191", "198", "199"),
)


@dataclass(frozen=True)
class _Form:
    """A legal form: the first two characters of its codes, and how many were set up since 2016."""

    prefix: str  # 登记管理部门码 + 机构类别码
    new_share: float
    new_mark: str = ""


_COMPANY = _Form("91", new_share=0.55, new_mark="MA5")
_INSTITUTION = _Form("12", new_share=0.0)  # 事业单位
_COOPERATIVE = _Form("93", new_share=0.6, new_mark="MA5")  # 农民专业合作社
_INDIVIDUAL_BUSINESS = _Form("92", new_share=0.7, new_mark="MA5")  # 个体工商户
_PARTNERSHIP = _Form("91", new_share=0.8, new_mark="MA5")
_BRANCH = _Form("91", new_share=0.6, new_mark="MA5")


@dataclass(frozen=True)
class Profile:
    """What a demo subject is, beyond its stored fields: the facts its data items draw on."""

    kind: SubjectKind
    identifier: str
    name: str
    district: District
    address: str
    phone: str
    representative: str  # who signs for it; a natural person signs for themself
    industry: str = ""
    gender: str | None = None
    birth: date | None = None
    established: date | None = None
    capital_fen: int | None = None


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class SubjectFactory:
    """Makes the profiles of one run; every draw comes from the run's `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._identifiers = IdentifierSource(rng)

    def profile(self, kind: SubjectKind) -> Profile:
        if kind is SubjectKind.NATURAL_PERSON:
            return self._person()
        if kind is SubjectKind.LEGAL_PERSON:
            return self._legal_person()
        return self._other_organisation()

    def person_name(self) -> str:
        rng = self._rng
        size = 2 if rng.random() < 0.7 else 1
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN_NAME_CHARACTERS, k=size))

    def mobile(self) -> str:
        return f"{self._rng.choice(_MOBILE_PREFIXES)}{self._rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0755-{self._rng.choice('238')}{self._rng.randrange(10**7):07d}"

    def district(self) -> District:
        return self._rng.choices(DISTRICTS, weights=_DISTRICT_WEIGHTS)[0]

    def address(self, district: District) -> str:
        rng = self._rng
        brand = self._brand()
        building = rng.choice(
            (
                f"{brand}大厦{rng.randint(2, 32)}{rng.randint(1, 20):02d}室",
                f"{brand}花园{rng.randint(1, 12)}栋{rng.randint(1, 30)}{rng.randint(1, 8):02d}",
                f"{brand}工业园{rng.randint(1, 9)}栋{rng.randint(1, 6)}楼",
            )
        )
        street = rng.choice(district.subdistricts)
        road = rng.choice(district.roads)
        return f"深圳市{district.name}{street}街道{road}{rng.randint(1, 3000)}号{building}"

    def _brand(self) -> str:
        return "".join(self._rng.sample(BRAND_CHARACTERS, 2))

    def _person(self) -> Profile:
        rng = self._rng
        roll = rng.random()
        if roll < 0.55:
            district = rng.choices(DISTRICTS[:-1], weights=_DISTRICT_WEIGHTS[:-1])[0]
            area = district.code or SHENZHEN_OLD_AREA
            if rng.random() < 0.15:  # people move within the city
                district = self.district()
        else:
            area = SHENZHEN_OLD_AREA if roll < 0.65 else rng.choice(OTHER_AREAS)[0]
            district = self.district()
        identifier, born, man = self._identifiers.resident_number(area)
        name = self.person_name()
        return Profile(
            kind=SubjectKind.NATURAL_PERSON,
            identifier=identifier,
            name=name,
            district=district,
            address=self.address(district),
            phone=self.mobile(),
            representative=name,
            gender="男" if man else "女",
            birth=born,
        )

    def _legal_person(self) -> Profile:
        rng = self._rng
        roll, district, brand = rng.random(), self.district(), self._brand()
        area = district.code or CITY_AREA
        if roll < 0.86:
            word, industry = rng.choice(TRADES)
            suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
            form, name = _COMPANY, f"深圳市{brand}{word}{suffix}"
            area = CITY_AREA if rng.random() < 0.85 else area
            capital = rng.choice((10, 50, 100, 300, 500, 1000, 5000, 10000))
        elif roll < 0.92:
            pattern, industry = rng.choice(INSTITUTIONS)
            street = rng.choice(district.subdistricts)
            form = _INSTITUTION
            name = pattern.format(district=district.name, brand=brand, subdistrict=street)
            capital = rng.choice((100, 500, 2000, 5000))
        elif roll < 0.98:
            prefix, pattern, industry = rng.choice(SOCIAL_ORGANISATIONS)
            trade = rng.choice(TRADES)[0]
            form = _Form(prefix, new_share=0.4, new_mark="MJ")
            name = pattern.format(district=district.name, brand=brand, trade=trade)
            area = CITY_AREA if rng.random() < 0.5 else area
            capital = rng.choice((3, 10, 50, 200, 800))
        else:
            crop = rng.choice(COOPERATIVE_CROPS)
            form, name = _COOPERATIVE, f"深圳市{district.name}{brand}{crop}专业合作社"
            industry, capital = "农业", rng.choice((10, 50, 200))
        return self._organisation(
            SubjectKind.LEGAL_PERSON, form, area, name, district, industry, capital
        )

    def _other_organisation(self) -> Profile:
        rng = self._rng
        roll, district, brand = rng.random(), self.district(), self._brand()
        area, capital = CITY_AREA, None
        if roll < 0.5:
            shop, industry = rng.choice(SHOPS)
            form, name = _INDIVIDUAL_BUSINESS, f"深圳市{district.name}{brand}{shop}"
            area, capital = district.code or CITY_AREA, rng.choice((1, 3, 5, 10, 50))
        elif roll < 0.75:
            word, industry = rng.choice(PARTNERSHIP_TRADES)
            form, name = _PARTNERSHIP, f"深圳市{brand}{word}合伙企业（有限合伙）"
            capital = rng.choice((100, 500, 1000, 5000))
        else:  # a branch has no capital of its own
            word, industry = rng.choice(TRADES)
            branch = district.name.removesuffix("新区").removesuffix("区")
            form, name = _BRANCH, f"深圳市{brand}{word}有限公司{branch}分公司"
        return self._organisation(
            SubjectKind.OTHER_ORGANIZATION, form, area, name, district, industry, capital
        )

    def _organisation(
        self,
        kind: SubjectKind,
        form: _Form,
        area: str,
        name: str,
        district: District,
        industry: str,
        capital_wan: int | None,
    ) -> Profile:
        rng = self._rng
        district = _CODED_DISTRICTS.get(area, district)
        if rng.random() < form.new_share:
            established, mark = _between(rng, _REFORM, date(2019, 12, 31)), form.new_mark
        else:
            established, mark = _between(rng, date(1985, 1, 1), _REFORM - timedelta(1)), ""
        return Profile(
            kind=kind,
            identifier=self._identifiers.social_credit_code(form.prefix, area, mark),
            name=name,
            district=district,
            address=self.address(district),
            phone=self.landline() if rng.random() < 0.6 else self.mobile(),
            representative=self.person_name(),
            industry=industry,
            established=established,
            capital_fen=None if capital_wan is None else capital_wan * 10**6,
        )


def basic_values(item: CatalogueItem, profile: Profile) -> dict[str, str]:
    """The subject's basic data items, keyed as in its catalogue BASIC item."""
    known: dict[str, str | None] = {
        "district": profile.district.name,
        "address": profile.address,
        "mobile": profile.phone,
        "contact_phone": profile.phone,
        "birth_date": None if profile.birth is None else profile.birth.isoformat(),
        "legal_representative": profile.representative,
        "registered_capital": None if profile.capital_fen is None else str(profile.capital_fen),
        "established_on": None if profile.established is None else profile.established.isoformat(),
        "industry": profile.industry or None,
        # Every demo organisation is in business (存续): no randomness drawn, the seed's output
        # is otherwise unchanged.
        "registration_status": None if profile.established is None else "存续",
        "gender": profile.gender,
    }
    values: dict[str, str] = {}
    for spec in item.data_items:
        if spec.key in ("name", "identifier"):
            continue  # Subject fields
        value = known.get(spec.key)
        if value is None and spec.required:
            value = _placeholder(spec.format, spec.enum_values)
        if value is not None:
            if spec.enum_values and value not in spec.enum_values:
                value = spec.enum_values[0]
            values[spec.key] = value[: spec.max_length]
    return values


def _placeholder(format: DataFormat, enum_values: tuple[str, ...]) -> str | None:
    """A neutral value for a required basic key this generator has no facts for."""
    if enum_values:
        return enum_values[0]
    return None if format is not DataFormat.TEXT else "无"
