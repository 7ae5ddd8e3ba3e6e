"""The public credit information catalogue (公共信用信息目录).

Notice 一(三) asks for a catalogue that fixes, per item, the data items, data format, data
source, public attribute and disclosure period; 一(四) forbids collecting anything outside it.
The catalogue is data: this module only models and checks it, and finds the published
version in force on a day (`CatalogueVersions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.data_items import DataItemSpec, Key
from domain.disclosure import DisclosureRuleSet
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute

Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,63}$")]


class Category(StrEnum):
    GOOD = "GOOD"  # 良好行为信息
    DISHONEST = "DISHONEST"  # 违法失信信息
    COMMITMENT = "COMMITMENT"  # 信用承诺信息
    BASIC = "BASIC"  # 基础信息
    # Notice 三(十二): the centre collects what funding departments granted (资金资助情况), so
    # that later programmes see it. Not good behaviour: it earns no points, enters no red list.
    FUNDING = "FUNDING"  # 资金资助信息


class CreditField(StrEnum):
    """领域: the field of regulation an item's violations belong to, as a 专项信用报告 (the
    credit report that replaces a no-violation certificate) is requested per field."""

    MARKET_REGULATION = "MARKET_REGULATION"  # 市场监管
    TAX = "TAX"  # 税务
    WORK_SAFETY = "WORK_SAFETY"  # 安全生产
    ENVIRONMENT = "ENVIRONMENT"  # 生态环境
    PUBLIC_SECURITY = "PUBLIC_SECURITY"  # 公安
    HEALTH = "HEALTH"  # 卫生健康

    @property
    def label(self) -> str:
        return CREDIT_FIELD_LABELS[self]


CREDIT_FIELD_LABELS = {
    CreditField.MARKET_REGULATION: "市场监管",
    CreditField.TAX: "税务",
    CreditField.WORK_SAFETY: "安全生产",
    CreditField.ENVIRONMENT: "生态环境",
    CreditField.PUBLIC_SECURITY: "公安",
    CreditField.HEALTH: "卫生健康",
}


class SourceUnitType(StrEnum):
    """信源单位: who may submit an item (notice 一(三))."""

    AWARDING_DEPARTMENT = (
        "AWARDING_DEPARTMENT"  # 表彰奖励作出部门或主管部门 (district level or above)
    )
    PENALTY_DECIDING_UNIT = "PENALTY_DECIDING_UNIT"  # 行政处罚决定作出单位
    INTERMEDIATE_COURT = "INTERMEDIATE_COURT"  # 市中级法院
    COMMITMENT_MANAGING_UNIT = "COMMITMENT_MANAGING_UNIT"  # 承诺管理单位或授权部门
    REGISTRATION_AUTHORITY = "REGISTRATION_AUTHORITY"  # 登记机关 (basic information)
    FUNDING_DEPARTMENT = "FUNDING_DEPARTMENT"  # 资金资助主管部门 (notice 三(十二))


class CatalogueItem(BaseModel):
    """A catalogue item (目录事项): one kind of record the centre may collect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    category: Category
    clause: str = Field(min_length=1)
    subject_kinds: tuple[SubjectKind, ...] = Field(min_length=1)
    source_unit_types: tuple[SourceUnitType, ...] = Field(min_length=1)
    data_items: tuple[DataItemSpec, ...] = Field(min_length=1)
    disclosure_rule: Key
    legal_basis: str = Field(min_length=1)
    epidemic_tolerable: bool = False
    opt_out_allowed: bool = False
    # Notice 三(十): who reports the filing that cures a lapse of this item (the annual report
    # filed with the registration authority), which ends its display: domain/filings.py.
    cleared_by: tuple[SourceUnitType, ...] = ()
    # The fields (领域) a 专项信用报告 counts this item's records under (domain/reports.py).
    fields: tuple[CreditField, ...] = ()

    @model_validator(mode="after")
    def _fields_only_for_violations(self) -> Self:
        # A 专项信用报告 states violations (违法违规) per field: only dishonesty has a field.
        if self.fields and self.category is not Category.DISHONEST:
            raise ValueError("fields apply to dishonesty (DISHONEST) items only")
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("fields repeat")
        return self

    @model_validator(mode="after")
    def _check_data_items(self) -> Self:
        keys = [spec.key for spec in self.data_items]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"data item keys repeat: {', '.join(duplicates)}")
        persons = SubjectKind.NATURAL_PERSON in self.subject_kinds
        refusable = self.category is Category.GOOD and persons
        if self.opt_out_allowed != refusable:
            # Shenzhen Social Credit Regulation art. 39: a person may refuse the recording of
            # commendations, volunteering and donations. Every 一(一) record rests on a
            # commendation or formal recognition (notice 一(三)), so every good-behaviour item
            # about persons is refusable, and nothing else is: a penalty is not the person's to
            # refuse.
            raise ValueError(
                "opt_out_allowed must be true exactly for good-behaviour items about natural "
                "persons (Shenzhen Social Credit Regulation art. 39)"
            )
        if persons:
            # Shenzhen Social Credit Regulation 2023 art. 38, PIPL art. 73: personal information
            # is de-identified before publication, so it is never PUBLIC unmasked.
            exposed = [
                s.key
                for s in self.data_items
                if s.personal and s.public_attribute is PublicAttribute.PUBLIC
            ]
            if exposed:
                listed = ", ".join(exposed)
                raise ValueError(f"personal data items may not be PUBLIC: {listed}")
        return self

    @cached_property
    def specs(self) -> dict[str, DataItemSpec]:
        return {spec.key: spec for spec in self.data_items}

    @property
    def epidemic_offence(self) -> bool:
        """Whether the item is one of the epidemic offences of notice 一(二) (1-5)."""
        return self.clause.startswith("一(二)")

    @property
    def epidemic_good_behaviour(self) -> bool:
        """Whether the item is one of the good behaviours of notice 一(一) (1-9): the red list."""
        return self.clause.startswith("一(一)") and self.category is Category.GOOD


class Catalogue(BaseModel):
    """One published version of the catalogue, in force from `effective_from`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(pattern=r"^[0-9A-Za-z.\-]{1,32}$")
    effective_from: date
    published_by: str = Field(min_length=1)
    disclosure_rules: tuple[DisclosureRuleSet, ...] = Field(min_length=1)
    items: tuple[CatalogueItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_are_unique_and_rules_known(self) -> Self:
        codes = [item.code for item in self.items]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"item codes repeat: {', '.join(duplicates)}")
        families = {rule.family for rule in self.disclosure_rules}
        unknown = sorted(
            f"{i.code} ({i.disclosure_rule})"
            for i in self.items
            if i.disclosure_rule not in families
        )
        if unknown:
            raise ValueError(
                f"items name a disclosure_rule family the catalogue lacks: {', '.join(unknown)}"
            )
        return self

    @cached_property
    def by_code(self) -> dict[str, CatalogueItem]:
        return {item.code: item for item in self.items}

    def item(self, code: str) -> CatalogueItem | None:
        return self.by_code.get(code)

    @cached_property
    def basic_by_kind(self) -> dict[SubjectKind, CatalogueItem]:
        """Each kind's basic-information item: the first listed that names the kind (a page
        asks for it once a subject shown)."""
        found: dict[SubjectKind, CatalogueItem] = {}
        for item in self.items:
            if item.category is Category.BASIC:
                for kind in item.subject_kinds:
                    found.setdefault(kind, item)
        return found

    def basic_item(self, kind: SubjectKind) -> CatalogueItem:
        """The basic-information item that governs a subject's own fields."""
        item = self.basic_by_kind.get(kind)
        if item is None:
            raise LookupError(f"the catalogue has no basic-information item for {kind}")
        return item


class CatalogueVersions:
    """All published versions, newest effective first."""

    def __init__(self, versions: Iterable[Catalogue]) -> None:
        self._versions = sorted(versions, key=lambda c: c.effective_from, reverse=True)
        self._by_version = {c.version: c for c in self._versions}

    def __len__(self) -> int:
        return len(self._versions)

    def __iter__(self) -> Iterator[Catalogue]:
        return iter(self._versions)

    def version(self, version: str) -> Catalogue | None:
        return self._by_version.get(version)

    def in_force(self, day: date) -> Catalogue | None:
        """The newest version effective on or before `day`."""
        return next((c for c in self._versions if c.effective_from <= day), None)

    def newest_with(self, code: str) -> Catalogue | None:
        """The newest version that has the item, whether or not it is in force."""
        return next((c for c in self._versions if c.item(code) is not None), None)

    def item(self, version: str, code: str) -> CatalogueItem:
        """The item a stored record was judged by; a missing one is a broken store."""
        catalogue = self._by_version.get(version)
        item = None if catalogue is None else catalogue.item(code)
        if item is None:
            raise LookupError(f"catalogue {version} has no item {code}")
        return item


class CatalogueError(ValueError):
    """A catalogue document that does not validate; the message names item and field."""


def parse_catalogue(data: object) -> Catalogue:
    """Validate catalogue data, naming the item code and field of every problem."""
    from pydantic import ValidationError

    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        lines = [f"{_describe_location(data, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise CatalogueError("invalid catalogue:\n  " + "\n  ".join(lines)) from None


def _describe_location(data: object, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'item CODE, data item KEY, field NAME'."""
    parts: list[str] = []
    node: object = data
    path = list(loc)
    while path:
        step = path.pop(0)
        if step in ("items", "data_items") and path and isinstance(index := path[0], int):
            path.pop(0)
            node = _child(_child(node, step), index)
            label = "item" if step == "items" else "data item"
            name = _child(node, "code" if step == "items" else "key")
            parts.append(f"{label} {name if isinstance(name, str) else f'#{index + 1}'}")
        else:
            node = _child(node, step)
            parts.append(f"field {step}")
    return ", ".join(parts) or "catalogue"


def _child(node: object, step: int | str) -> object:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list | tuple) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None
