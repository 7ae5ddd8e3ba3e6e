"""The development tokens `serve --demo` prints: one per role, each with whom it speaks for."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from auth.keys import SIGNING_FILE, load_signing_key
from auth.roles import Role
from auth.tokens import issue_token
from server.app import database
from server.settings import Settings
from store.database import SUBJECTS

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


async def print_demo_tokens(settings: Settings, uri: str) -> None:
    """One ready token per role; the subject token is a demo firm's own."""
    async with database(settings, uri) as db:
        firm = await db[SUBJECTS].find_one(
            {"kind": "LEGAL_PERSON"}, {"_id": 1, "name": 1}, sort=[("_id", 1)]
        )
    key = load_signing_key(settings.keys_dir / SIGNING_FILE)
    claims: dict[Role, dict[str, str]] = {}
    if firm is not None:
        claims[Role.SUBJECT] = {"subject": firm["_id"]}
    claims |= DEMO_CLAIMS
    width = max(len(role.value) for role in claims)
    typer.echo("Development tokens (send as `Authorization: Bearer <token>`):")
    for role, extra in claims.items():
        token = issue_token(
            key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role=role,
            sub=f"demo-{role.value}",
            org=extra.get("org"),
            unit=extra.get("unit"),
            subject=extra.get("subject"),
            now=datetime.now(UTC),
            max_lifetimes=settings.jwt_max_lifetimes,
        )
        name = None if firm is None else str(firm["name"])
        typer.echo(f"  {role.value:<{width}}  {token}  ({holder(role, extra, name)})")
