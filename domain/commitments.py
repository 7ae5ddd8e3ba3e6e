"""Credit commitments (信用承诺) and the dishonesty record a broken one becomes.

Notice 二(九): commitments are used in licensing, epidemic control and resumption of work, and a
subject that keeps its commitment gets fast-track benefits (容缺受理 and the like). Notice 一(二)5
and 一(三): a broken commitment is reported by the unit that manages it and recorded as
dishonesty. Credit repair applicants commit too (信用修复承诺), and a broken repair commitment is
reported the same way.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.calendar import add_months
from domain.catalogue import Catalogue
from domain.data_items import check_value
from domain.disclosure import NoRuleInForce, rule_in_force
from domain.identifiers import SubjectKind


class CommitmentKind(StrEnum):
    LICENSING = "LICENSING"  # 行政许可
    EPIDEMIC_PREVENTION = "EPIDEMIC_PREVENTION"  # 疫情防控
    RESUMPTION_OF_WORK = "RESUMPTION_OF_WORK"  # 复工复产
    CREDIT_REPAIR = "CREDIT_REPAIR"  # 信用修复

    @property
    def label(self) -> str:
        """The value of the catalogue's `commitment_type` enum for this kind."""
        return KIND_LABELS[self]


KIND_LABELS = {
    CommitmentKind.LICENSING: "行政许可",
    CommitmentKind.EPIDEMIC_PREVENTION: "疫情防控",
    CommitmentKind.RESUMPTION_OF_WORK: "复工复产",
    CommitmentKind.CREDIT_REPAIR: "信用修复",
}


class CommitmentStatus(StrEnum):
    ACTIVE = "ACTIVE"
    FULFILLED = "FULFILLED"
    VIOLATED = "VIOLATED"


# The catalogue item whose data items a commitment is shown by, and the one a breach becomes.
COMMITMENT_ITEM = "COMMITMENT"
VIOLATION_ITEM = "DISHONEST_5"

Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Commitment(BaseModel):
    """A commitment a subject signed with the unit that manages it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    subject_id: str
    subject_kind: SubjectKind
    kind: CommitmentKind
    managing_unit: str = Field(min_length=1, max_length=64)
    managing_unit_name: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=64)
    content: Text
    benefits: str | None = Field(default=None, min_length=1, max_length=500)
    signatory: str | None = Field(default=None, min_length=1, max_length=50)
    signed_on: date
    valid_from: date
    valid_until: date
    status: CommitmentStatus = CommitmentStatus.ACTIVE
    catalogue_version: str
    fulfilled_on: date | None = None
    violated_on: date | None = None
    violation_record_id: str | None = None
    created_at: datetime

    def data_items(self) -> dict[str, str]:
        """The commitment as values of the COMMITMENT catalogue item's data items."""
        values = {
            "commitment_number": self.number,
            "commitment_type": self.kind.label,
            "commitment_content": self.content,
            "benefits": self.benefits,
            "managing_unit": self.managing_unit_name,
            "signed_on": self.signed_on.isoformat(),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "signatory": self.signatory,
        }
        return {k: v for k, v in values.items() if v is not None}

    def displayed(self, today: date) -> bool:
        """Whether the public sees it today: a commitment is shown while it is valid."""
        return self.valid_from <= today <= self.valid_until

    def on_public_list(self, today: date) -> bool:
        """Whether the public list of commitments (信用承诺公示, notice 二(九)) shows it today:
        an organisation's commitment while it is valid, whatever its status; a person's never
        (Shenzhen regulation art. 38: personal information is not published)."""
        return self.subject_kind is not SubjectKind.NATURAL_PERSON and self.displayed(today)


def commitment_id(managing_unit: str, number: str) -> str:
    """One id per commitment number of a unit, so a retried registration finds the first."""
    digest = hashlib.sha256(f"{managing_unit}\x00{number}".encode()).hexdigest()
    return f"c-{digest[:24]}"


def violation_source_id(commitment: Commitment) -> str:
    """The breach's source record id: one per commitment, so a retried report finds the first."""
    return f"commitment-{commitment.id}"


def latest_valid_until(valid_from: date, max_months: int) -> date:
    """The last day a commitment may run to: its display period is capped (catalogue rule)."""
    return add_months(valid_from, max_months)


class Violation(BaseModel):
    """What the managing unit found when it reports a breach (一(二)5)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: Text
    epidemic_impact: str = Field(min_length=1, max_length=1000)
    decision_date: date
    document_number: str = Field(min_length=1, max_length=64)


def violation_values(commitment: Commitment, violation: Violation) -> dict[str, str]:
    """The DISHONEST_5 record's data items: the commitment, the breach and the finding."""
    return {
        "commitment_number": commitment.number,
        "commitment_type": commitment.kind.label,
        "commitment_content": commitment.content,
        "violation_facts": violation.facts,
        "epidemic_impact": violation.epidemic_impact,
        "managing_unit": commitment.managing_unit_name,
        "finding_document_number": violation.document_number,
        "finding_date": violation.decision_date.isoformat(),
    }


class CommitmentRefusal(ValueError):
    """Something the rules refuse; `field` names the argument at fault.

    CommitmentRefusal
    ├── NotActive        the commitment was fulfilled: nothing is left to break or fulfil
    └── AlreadyViolated  a breach was reported already (one record per commitment)
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class NotActive(CommitmentRefusal):
    pass


class AlreadyViolated(CommitmentRefusal):
    pass


def check_registration(commitment: Commitment, *, catalogue: Catalogue, today: date) -> None:
    """Raise unless the catalogue in force takes the commitment and its dates make sense.

    Notice 一(四): every value as its COMMITMENT data item requires. The catalogue's commitment
    rule caps how long a commitment is shown, so validity is capped the same. A commitment is
    signed by today and still runs today: a lapsed one has nothing left to manage.
    """
    item = catalogue.item(COMMITMENT_ITEM)
    if item is None:
        raise CommitmentRefusal("no catalogue with commitments is in force then", field="signedOn")
    values = commitment.data_items()
    for spec in item.data_items:
        value = values.get(spec.key)
        problems = [] if value is None else check_value(spec, value, spec.key, today=today)[1]
        if value is None and spec.required:
            field = ITEM_ARGUMENTS.get(spec.key, spec.key)
            raise CommitmentRefusal(f"{field}: a value is required", field=field)
        if problems:
            field = ITEM_ARGUMENTS.get(spec.key, spec.key)
            raise CommitmentRefusal(f"{field}: {problems[0].message}", field=field)
    try:
        rule = rule_in_force(catalogue.disclosure_rules, item.disclosure_rule, commitment.signed_on)
    except NoRuleInForce as exc:
        raise CommitmentRefusal(str(exc), field="signedOn") from None
    if commitment.signed_on > today:
        raise CommitmentRefusal("signedOn is in the future", field="signedOn")
    if commitment.valid_from < commitment.signed_on:
        raise CommitmentRefusal(
            "validFrom: a commitment is valid from its signing or later", field="validFrom"
        )
    if commitment.valid_until < commitment.valid_from:
        raise CommitmentRefusal(
            "validUntil: a commitment ends on or after it starts", field="validUntil"
        )
    if commitment.valid_until < today:
        raise CommitmentRefusal(
            "validUntil has passed: nothing is left to manage", field="validUntil"
        )
    months = rule.general.max_months
    latest = latest_valid_until(commitment.valid_from, months)
    if commitment.valid_until > latest:
        raise CommitmentRefusal(
            f"validUntil: a commitment runs at most {months} months, to {latest} at the latest",
            field="validUntil",
        )


def same_registration(a: Commitment, b: Commitment) -> bool:
    """Whether two registrations say the same, whatever happened to the commitment since."""
    return a.model_dump(include=REGISTERED) == b.model_dump(include=REGISTERED)


REGISTERED = {
    "subject_id",
    "kind",
    "number",
    "content",
    "benefits",
    "signatory",
    "signed_on",
    "valid_from",
    "valid_until",
}
# Catalogue data item keys (COMMITMENT, DISHONEST_5), as the API arguments that fill them.
ITEM_ARGUMENTS = {
    "commitment_number": "number",
    "commitment_content": "content",
    "benefits": "benefits",
    "signatory": "signatory",
    "violation_facts": "facts",
    "epidemic_impact": "epidemicImpact",
    "finding_document_number": "documentNumber",
    "finding_date": "decisionDate",
}


def check_open(commitment: Commitment) -> None:
    """Only an ACTIVE commitment can be fulfilled or broken."""
    if commitment.status is CommitmentStatus.VIOLATED:
        raise AlreadyViolated(
            f"a breach of this commitment was reported already (record "
            f"{commitment.violation_record_id})",
            field="id",
        )
    if commitment.status is not CommitmentStatus.ACTIVE:
        raise NotActive(f"the commitment is {commitment.status.value}, not ACTIVE", field="id")


def check_violation(commitment: Commitment, violation: Violation, today: date) -> None:
    """A breach of an open commitment, found on a day it bound the subject, not in the future."""
    check_open(commitment)
    if violation.decision_date > today:
        raise CommitmentRefusal("decisionDate is in the future", field="decisionDate")
    if violation.decision_date < commitment.valid_from:
        raise CommitmentRefusal(
            f"decisionDate is before the commitment was valid ({commitment.valid_from})",
            field="decisionDate",
        )


def fulfilled(commitment: Commitment, today: date) -> Commitment:
    check_open(commitment)
    return commitment.model_copy(
        update={"status": CommitmentStatus.FULFILLED, "fulfilled_on": today}
    )


def violated(commitment: Commitment, *, record_id: str, on: date) -> Commitment:
    return commitment.model_copy(
        update={
            "status": CommitmentStatus.VIOLATED,
            "violated_on": on,
            "violation_record_id": record_id,
        }
    )
