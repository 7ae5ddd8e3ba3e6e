"""The development tokens `serve --demo` prints: one per role, each with whom it speaks for."""

from __future__ import annotations

from collections.abc import Callable

from auth.roles import Role
from domain.subjects import Subject

DEMO_CLAIMS: dict[Role, dict[str, str]] = {
    Role.BANK: {"org": "DEMO-BANK"},
    Role.FUNDING: {"org": "440300-FUNDING"},
    Role.GOVERNMENT: {},
    Role.SOURCE_UNIT: {"unit": "440300-SAMR"},
    Role.CREDIT_CENTRE: {},
}


def holder(role: Role, claims: dict[str, str], subject_name: str | None) -> str:
    """Whom a demo token speaks for, as printed beside it.

    Every token names its holder: the subject's id and name, the bank's or department's
    org, the source unit; a role bound to none of these (government, credit centre) by its
    `sub`, so a reader can tell the tokens apart without decoding them.
    """
    if "subject" in claims:
        return f"{claims['subject']} {subject_name}"
    if "org" in claims:
        return f"org {claims['org']}"
    if "unit" in claims:
        return f"unit {claims['unit']}"
    return f"sub demo-{role.value}"


def demo_token_lines(issue: Callable[..., str], *, firm: Subject | None) -> list[str]:
    """One ready token per role, as printed; the subject token is the demo firm's own.

    `issue` is `auth.tokens.issue_token` with the deployment's key, issuer and audience bound.
    """
    claims: dict[Role, dict[str, str]] = {}
    if firm is not None:
        claims[Role.SUBJECT] = {"subject": firm.id}
    claims |= DEMO_CLAIMS
    width = max(len(role.value) for role in claims)
    lines = ["Development tokens (send as `Authorization: Bearer <token>`):"]
    for role, extra in claims.items():
        token = issue(role=role, sub=f"demo-{role.value}", **extra)
        name = None if firm is None else firm.name
        lines.append(f"  {role.value:<{width}}  {token}  ({holder(role, extra, name)})")
    return lines
