"""API tests: bad tokens get 401 with a stable code; missing scopes get FORBIDDEN."""

from __future__ import annotations

import asyncio
import base64
import gc
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from typer.testing import CliRunner

from server.cli import app
from store.database import Database
from store.revocations import revoke_token
from tests.conftest import TODAY, TokenFactory, at
from tests.helpers import error_codes, graphql

VIEWER = "{ viewer { authenticated role scopes baseLevel } }"


def unsigned(token: str) -> str:
    """The same claims with `alg: none` and no signature."""
    _, payload, _ = token.split(".")
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=")
    return f"{header.decode()}.{payload}."


def tampered(token: str) -> str:
    """The payload changed after signing: a government token claiming the centre's scopes."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "restricted:read records:read"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def post(api: httpx.AsyncClient, authorization: str) -> httpx.Response:
    return await api.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": authorization}
    )


async def test_valid_token_makes_the_viewer(api: httpx.AsyncClient, token: TokenFactory) -> None:
    body = await graphql(api, VIEWER, token=token("government"))

    assert body["data"]["viewer"] == {
        "authenticated": True,
        "role": "government",
        "scopes": ["records:read"],
        "baseLevel": "GOVERNMENT",
    }


async def test_no_token_is_the_anonymous_portal(api: httpx.AsyncClient) -> None:
    body = await graphql(api, VIEWER)

    assert body["data"]["viewer"]["authenticated"] is False
    assert body["data"]["viewer"]["baseLevel"] == "PUBLIC"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda t: unsigned(t("government")), "TOKEN_INVALID"),
        (lambda t: tampered(t("government")), "TOKEN_INVALID"),
        (lambda t: t("government", now=at(TODAY) - timedelta(hours=9)), "TOKEN_EXPIRED"),
        (lambda t: t("government", now=at(TODAY) + timedelta(hours=1)), "TOKEN_NOT_YET_VALID"),
        (lambda t: "not-a-jwt", "TOKEN_INVALID"),
    ],
    ids=["alg-none", "tampered", "expired", "not-yet-valid", "garbage"],
)
async def test_bad_token_gets_401_with_code_and_challenge(
    api: httpx.AsyncClient, token: TokenFactory, make: object, code: str
) -> None:
    bad = make(token)  # type: ignore[operator]

    response = await post(api, f"Bearer {bad}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert error_codes(response.json()) == [code]
    assert bad not in response.text
    assert "Traceback" not in response.text


async def test_revoked_token_gets_401_token_revoked(
    api: httpx.AsyncClient, token: TokenFactory, db: Database
) -> None:
    issued = token("government")
    claims = json.loads(base64.urlsafe_b64decode(issued.split(".")[1] + "=="))
    # The list forgets an entry once the token has expired in real time (a TTL index).
    await revoke_token(db, token_id=claims["jti"], expires_at=datetime.now(UTC) + timedelta(days=1))

    response = await post(api, f"Bearer {issued}")

    assert response.status_code == 401
    assert error_codes(response.json()) == ["TOKEN_REVOKED"]


async def test_other_authorization_scheme_gets_401(api: httpx.AsyncClient) -> None:
    response = await post(api, "Basic dXNlcjpwYXNz")

    assert response.status_code == 401
    assert error_codes(response.json()) == ["TOKEN_INVALID"]


async def test_audit_events_without_scope_are_forbidden_naming_scope(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(api, "{ auditEvents { totalCount } }", token=token("government"))

    assert error_codes(body) == ["FORBIDDEN"]
    assert "audit:read" in body["errors"][0]["message"]


async def test_grant_without_subject_token_is_forbidden_naming_scope(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    body = await graphql(
        api,
        """mutation { grantAuthorization(input: {org: "B", purpose: "loan",
            dataClasses: [BASIC], until: "2020-12-01T00:00:00Z"}) {
            __typename ... on UserError { code message field } } }""",
        token=token("bank", org="B"),
    )

    error = body["data"]["grantAuthorization"]
    assert error["__typename"] == "UserError"
    assert error["code"] == "FORBIDDEN"
    assert "grants:write" in error["message"]


# The command closes its client on its own loop; see tests/test_records_cli.py (PYTHON-5867).
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
)
async def test_token_revoked_with_the_cli_gets_401_token_revoked(
    api: httpx.AsyncClient, token: TokenFactory, cli_environment: dict[str, str]
) -> None:
    issued = token("government")
    jti = json.loads(base64.urlsafe_b64decode(issued.split(".")[1] + "=="))["jti"]

    result = await asyncio.to_thread(
        CliRunner().invoke, app, ["token", "revoke", jti], env=cli_environment
    )
    gc.collect()
    response = await post(api, f"Bearer {issued}")

    assert result.exit_code == 0, result.output
    assert response.status_code == 401
    assert error_codes(response.json()) == ["TOKEN_REVOKED"]
