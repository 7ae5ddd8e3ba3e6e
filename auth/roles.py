"""Token roles: the scopes each may carry, the claims each needs, how long each token may live."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from auth.errors import ConfigurationError
from auth.viewer import Scope

HOUR = 3600


class Role(StrEnum):
    SUBJECT = "subject"
    BANK = "bank"
    FUNDING = "funding"
    GOVERNMENT = "government"
    SOURCE_UNIT = "source_unit"
    CREDIT_CENTRE = "credit_centre"


@dataclass(frozen=True)
class RoleSpec:
    """What a role's token holds: `scopes` by default, never a scope outside `allowed_scopes`."""

    scopes: frozenset[str]
    allowed_scopes: frozenset[str]
    required_claims: tuple[str, ...]
    max_lifetime: int


def _spec(
    scopes: set[str], *, extra: set[str] | None = None, claims: tuple[str, ...] = (), hours: int
) -> RoleSpec:
    return RoleSpec(frozenset(scopes), frozenset(scopes | (extra or set())), claims, hours * HOUR)


# DESIGN.md §5. Short lives where a token reaches a subject's AUTHORIZED data (bank, subject)
# or decides eligibility (funding); a working day for staff roles.
ROLES: Mapping[Role, RoleSpec] = MappingProxyType(
    {
        Role.SUBJECT: _spec(
            {Scope.SUBJECT_SELF, Scope.GRANTS_WRITE, Scope.REPAIR_APPLY},
            claims=("subject",),
            hours=1,
        ),
        Role.BANK: _spec({Scope.FINANCING_READ}, claims=("org",), hours=1),
        # DESIGN.md §5: a funding department sees PUBLIC data "unless also records:read".
        Role.FUNDING: _spec(
            {Scope.ELIGIBILITY_READ}, extra={Scope.RECORDS_READ}, claims=("org",), hours=1
        ),
        Role.GOVERNMENT: _spec({Scope.RECORDS_READ}, hours=8),
        Role.SOURCE_UNIT: _spec({Scope.RECORDS_SUBMIT}, claims=("unit",), hours=8),
        Role.CREDIT_CENTRE: _spec(
            {
                Scope.CATALOGUE_WRITE,
                Scope.REPAIR_REVIEW,
                Scope.BLACKLIST_WRITE,
                Scope.AUDIT_READ,
                Scope.RECORDS_READ,
                Scope.RESTRICTED_READ,
                Scope.CASES_WRITE,
            },
            hours=8,
        ),
    }
)

_ROLE_NAMES = frozenset(role.value for role in Role)

DEFAULT_MAX_LIFETIMES: Mapping[str, int] = MappingProxyType(
    {role.value: spec.max_lifetime for role, spec in ROLES.items()}
)


def max_lifetimes(overrides: Mapping[str, int] | None = None) -> dict[Role, int]:
    """The maximum token lifetime of every role in seconds, `overrides` replacing defaults."""
    lifetimes = {role: spec.max_lifetime for role, spec in ROLES.items()}
    for name, seconds in (overrides or {}).items():
        if name not in _ROLE_NAMES:
            raise ConfigurationError(f"max lifetime given for unknown role {name!r}")
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds <= 0:
            raise ConfigurationError(f"max lifetime of role {name!r} must be a positive integer")
        lifetimes[Role(name)] = seconds
    return lifetimes
