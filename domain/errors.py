"""Errors of the domain: a problem with one field of a submission, as a value, not raised.

A `Problem` carries a stable code, the field at fault and a message. The codes are part of the
API (README, error table); a message names the rule broken and may repeat what the submitter
sent, never a value stored about someone. The exceptions a rule raises stay beside the rule
(`InvalidIdentifier` in `domain.identifiers`, `NoRuleInForce` in `domain.disclosure`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    INVALID_IDENTIFIER = "INVALID_IDENTIFIER"
    NOT_IN_CATALOGUE = "NOT_IN_CATALOGUE"  # notice 一(四): nothing outside the catalogue
    ITEM_NOT_IN_FORCE = "ITEM_NOT_IN_FORCE"
    UNIT_NOT_AUTHORIZED = "UNIT_NOT_AUTHORIZED"  # notice 一(三): who submits what
    LEVEL_ABOVE_AUTHORITY = "LEVEL_ABOVE_AUTHORITY"  # a commendation above its awarder's level
    SUBJECT_KIND_NOT_ALLOWED = "SUBJECT_KIND_NOT_ALLOWED"
    REQUIRED_MISSING = "REQUIRED_MISSING"
    INVALID_FORMAT = "INVALID_FORMAT"
    TOO_LONG = "TOO_LONG"
    NOT_IN_ENUM = "NOT_IN_ENUM"
    FUTURE_DATE = "FUTURE_DATE"
    SUBJECT_OPTED_OUT = "SUBJECT_OPTED_OUT"  # Shenzhen Social Credit Regulation art. 39
    SUBJECT_MISMATCH = "SUBJECT_MISMATCH"
    CONFLICT = "CONFLICT"
    ALREADY_REVOKED = "ALREADY_REVOKED"
    CONDUCT_OUTSIDE_EPIDEMIC = "CONDUCT_OUTSIDE_EPIDEMIC"  # notice 一(一): conduct in the window
    CONDUCT_AFTER_DECISION = "CONDUCT_AFTER_DECISION"


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    field: str
    message: str
