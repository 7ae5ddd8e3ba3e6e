"""Bearer tokens (DESIGN.md §5, RFC 8725): what is accepted, and every attack refused by code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auth.errors import ConfigurationError, TokenError
from auth.keys import KeySet, SigningKey, load_verification_keys
from auth.roles import DEFAULT_MAX_LIFETIMES, Role
from auth.tokens import TokenVerifier, bearer_token, issue_token
from auth.viewer import Scope, Viewer
from domain.masking import PublicAttribute

ISSUER = "https://id.credit.example.gov.cn"
AUDIENCE = "creditgraph"
NOW = datetime(2020, 9, 1, 9, 0, tzinfo=UTC)
IAT = int(NOW.timestamp())
SUB = "holder-7f3a9c"
ORG = "BANK-0451"
SECRET = b"s" * 32

ED = SigningKey.generate("EdDSA")
ED_OTHER = SigningKey.generate("EdDSA")
ES = SigningKey.generate("ES256")
RS = SigningKey.generate("RS256")
VERIFIER = TokenVerifier(KeySet([ED.verification_key()]), ISSUER, AUDIENCE)


async def never_revoked(jti: str) -> bool:
    return False


def verifier(*keys: SigningKey, **options: Any) -> TokenVerifier:
    return TokenVerifier(KeySet(k.verification_key() for k in keys), ISSUER, AUDIENCE, **options)


def claims(**changes: Any) -> dict[str, Any]:
    """A valid bank token's claims; a change to None drops the claim."""
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": SUB,
        "role": "bank",
        "scope": Scope.FINANCING_READ,
        "org": ORG,
        "iat": IAT,
        "nbf": IAT,
        "exp": IAT + 600,
        "jti": "jti-0001",
    }
    merged = {**base, **changes}
    return {name: value for name, value in merged.items() if value is not None}


def sign(payload: dict[str, Any], key: SigningKey = ED, **header: Any) -> str:
    headers = {"kid": key.kid, **header}
    return jwt.encode(payload, key.key, algorithm=key.algorithm, headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def hs256_forged(secret: bytes, header: dict[str, Any], payload: dict[str, Any]) -> str:
    signing_input = f"{segment({'typ': 'JWT', **header, 'alg': 'HS256'})}.{segment(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


async def refusal(
    token: str, verifier: TokenVerifier = VERIFIER, now: datetime = NOW, revoked: bool = False
) -> TokenError:
    """The error a token is refused with, after checking the message quotes none of it."""

    async def is_revoked(jti: str) -> bool:
        return revoked

    with pytest.raises(TokenError) as caught:
        await verifier.verify(token, now=now, is_revoked=is_revoked)
    message = str(caught.value)
    assert not token or token not in message
    assert not [part for part in token.split(".") if len(part) >= 4 and part in message]
    assert SUB not in message
    assert ORG not in message
    return caught.value


async def accepted(token: str, verifier: TokenVerifier = VERIFIER, now: datetime = NOW) -> Viewer:
    return await verifier.verify(token, now=now, is_revoked=never_revoked)


HAPPY = [
    (
        Role.SUBJECT,
        {"subject": "91440300MA5DXXXX1X"},
        {
            "scopes": {Scope.SUBJECT_SELF, Scope.GRANTS_WRITE, Scope.REPAIR_APPLY},
            "subject_id": "91440300MA5DXXXX1X",
        },
    ),
    (Role.BANK, {"org": ORG}, {"scopes": {Scope.FINANCING_READ}, "org": ORG}),
    (Role.FUNDING, {"org": "FUND-02"}, {"scopes": {Scope.ELIGIBILITY_READ}, "org": "FUND-02"}),
    (Role.GOVERNMENT, {}, {"scopes": {Scope.RECORDS_READ}}),
    (
        Role.SOURCE_UNIT,
        {"unit": "MARKET-01"},
        {"scopes": {Scope.RECORDS_SUBMIT}, "unit": "MARKET-01"},
    ),
    (
        Role.CREDIT_CENTRE,
        {},
        {
            "scopes": {
                Scope.CATALOGUE_WRITE,
                Scope.REPAIR_REVIEW,
                Scope.BLACKLIST_WRITE,
                Scope.AUDIT_READ,
                Scope.RECORDS_READ,
                Scope.RESTRICTED_READ,
                Scope.CASES_WRITE,
            }
        },
    ),
]


@pytest.mark.parametrize(("role", "extra", "expected"), HAPPY, ids=[h[0].value for h in HAPPY])
async def test_verify_issued_token_per_role_returns_viewer(
    role: Role, extra: dict[str, str], expected: dict[str, Any]
) -> None:
    token = issue_token(
        ED,
        issuer=ISSUER,
        audience=AUDIENCE,
        role=role,
        sub=SUB,
        org=extra.get("org"),
        unit=extra.get("unit"),
        subject=extra.get("subject"),
        now=NOW,
    )

    viewer = await accepted(token, now=NOW + timedelta(minutes=59))

    jti = jwt.decode(token, options={"verify_signature": False})["jti"]
    assert viewer == Viewer(sub=SUB, token_id=jti, role=role.value, **expected)
    assert viewer.authenticated


@pytest.mark.parametrize("key", [ES, RS], ids=["ES256", "RS256"])
async def test_verify_es256_and_rs256_keys_accepted(key: SigningKey) -> None:
    token = issue_token(key, issuer=ISSUER, audience=AUDIENCE, role="government", sub=SUB, now=NOW)

    viewer = await accepted(token, verifier(ED, key))

    assert viewer.scopes == {Scope.RECORDS_READ}


async def test_verify_funding_with_records_read_accepted() -> None:
    token = sign(claims(role="funding", scope="eligibility:read records:read"))

    viewer = await accepted(token)

    assert viewer.base_level is PublicAttribute.GOVERNMENT


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
async def test_verify_alg_none_unsigned_refused_invalid(alg: str) -> None:
    token = f"{segment({'alg': alg, 'typ': 'JWT', 'kid': ED.kid})}.{segment(claims())}."

    assert (await refusal(token)).code == "TOKEN_INVALID"


def public_secrets(key: SigningKey) -> dict[str, bytes]:
    """Every form of a public key an alg-confusion attacker might try as an HMAC secret."""
    public = key.verification_key().key
    assert not isinstance(public, bytes)
    return {
        "pem": public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
        "der": public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo),
        "jwk": json.dumps(key.public_jwk()).encode(),
        "jwks": json.dumps({"keys": [key.public_jwk()]}).encode(),
    }


CONFUSION = [(k, form) for k in (ED, RS) for form in ("pem", "der", "jwk", "jwks")]


@pytest.mark.parametrize(
    ("key", "form"), CONFUSION, ids=[f"{k.algorithm}-{f}" for k, f in CONFUSION]
)
@pytest.mark.parametrize("hs256_configured", [False, True], ids=["no-secret", "secret"])
async def test_verify_hs256_signed_with_public_key_refused_invalid(
    key: SigningKey, form: str, hs256_configured: bool
) -> None:
    secret = public_secrets(key)[form]
    token = hs256_forged(secret, {"kid": key.kid}, claims())
    options = {"hs256_secret": SECRET} if hs256_configured else {}

    error = await refusal(token, verifier(ED, RS, **options))

    assert error.code == "TOKEN_INVALID"


async def test_verify_hs256_without_kid_single_key_refused_invalid() -> None:
    token = hs256_forged(public_secrets(ED)["pem"], {}, claims())

    assert (await refusal(token)).code == "TOKEN_INVALID"


async def test_verify_token_of_other_algorithm_on_kid_refused_invalid() -> None:
    token = sign(claims(), ES, kid=ED.kid)

    error = await refusal(token, verifier(ED, ES))

    assert (error.code, error.message) == (
        "TOKEN_INVALID",
        "the token algorithm does not match its key",
    )


async def test_verify_expired_refused_expired() -> None:
    token = sign(claims(exp=IAT + 600))

    assert await accepted(token, verifier(ED, leeway_seconds=0), NOW + timedelta(seconds=599))
    error = await refusal(token, verifier(ED, leeway_seconds=0), NOW + timedelta(seconds=600))
    assert error.code == "TOKEN_EXPIRED"


async def test_verify_expired_within_leeway_accepted() -> None:
    token = sign(claims(exp=IAT + 600))

    assert await accepted(token, now=NOW + timedelta(seconds=629))
    assert (await refusal(token, now=NOW + timedelta(seconds=630))).code == "TOKEN_EXPIRED"


async def test_verify_nbf_in_future_refused_not_yet_valid() -> None:
    token = sign(claims(nbf=IAT + 120, exp=IAT + 600))

    error = await refusal(token, verifier(ED, leeway_seconds=0), NOW + timedelta(seconds=119))
    assert error.code == "TOKEN_NOT_YET_VALID"
    assert await accepted(token, verifier(ED, leeway_seconds=0), NOW + timedelta(seconds=120))


async def test_verify_iat_in_future_refused_not_yet_valid() -> None:
    token = sign(claims(iat=IAT + 60, nbf=None, exp=IAT + 600))

    assert (await refusal(token)).code == "TOKEN_NOT_YET_VALID"


@pytest.mark.parametrize(
    ("claim", "value"), [("aud", "other-api"), ("aud", ["other-api"]), ("iss", "https://evil")]
)
async def test_verify_wrong_audience_or_issuer_refused_invalid(claim: str, value: Any) -> None:
    token = sign(claims(**{claim: value}))

    assert (await refusal(token)).code == "TOKEN_INVALID"


async def test_verify_audience_in_list_accepted() -> None:
    token = sign(claims(aud=["other-api", AUDIENCE]))

    assert (await accepted(token)).org == ORG


async def test_verify_unknown_kid_refused_invalid() -> None:
    token = sign(claims(), ED_OTHER)

    error = await refusal(token)

    assert (error.code, error.message) == ("TOKEN_INVALID", "the token names an unknown key (kid)")


async def test_verify_missing_kid_with_several_keys_refused_invalid() -> None:
    token = jwt.encode(claims(), ED.key, algorithm="EdDSA")

    assert (await refusal(token, verifier(ED, ED_OTHER))).code == "TOKEN_INVALID"
    assert (await accepted(token, verifier(ED))).sub == SUB


async def test_verify_tampered_payload_refused_invalid() -> None:
    header, _, signature = sign(claims()).split(".")
    forged = claims(role="credit_centre", scope=Scope.RESTRICTED_READ)
    token = f"{header}.{segment(forged)}.{signature}"

    error = await refusal(token)

    assert (error.code, error.message) == ("TOKEN_INVALID", "the token signature does not verify")


async def test_verify_revoked_jti_refused_revoked() -> None:
    asked: list[str] = []

    async def is_revoked(jti: str) -> bool:
        asked.append(jti)
        return jti == "jti-0001"

    with pytest.raises(TokenError) as caught:
        await VERIFIER.verify(sign(claims()), now=NOW, is_revoked=is_revoked)

    assert caught.value.code == "TOKEN_REVOKED"
    assert asked == ["jti-0001"]
    assert await VERIFIER.verify(sign(claims(jti="jti-0002")), now=NOW, is_revoked=is_revoked)


async def test_verify_lifetime_over_role_maximum_refused_lifetime() -> None:
    within = sign(claims(exp=IAT + 3600))
    beyond = sign(claims(exp=IAT + 3601))

    assert await accepted(within)
    assert (await refusal(beyond)).code == "TOKEN_LIFETIME"


async def test_verify_configured_lifetime_overrides_default() -> None:
    token = sign(claims(exp=IAT + 601))

    error = await refusal(token, verifier(ED, max_lifetimes={"bank": 600}))

    assert (error.code, error.message) == (
        "TOKEN_LIFETIME",
        "a bank token may live at most 600 seconds",
    )


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "iat", "sub", "scope", "role", "jti"])
async def test_verify_missing_required_claim_refused_invalid(claim: str) -> None:
    token = sign(claims(**{claim: None}))

    error = await refusal(token)

    assert error.code == "TOKEN_INVALID"
    assert f"'{claim}'" in error.message


@pytest.mark.parametrize(
    ("role", "scope", "claim"),
    [
        ("bank", Scope.FINANCING_READ, "org"),
        ("funding", Scope.ELIGIBILITY_READ, "org"),
        ("source_unit", Scope.RECORDS_SUBMIT, "unit"),
        ("subject", Scope.SUBJECT_SELF, "subject"),
    ],
)
async def test_verify_role_without_its_claim_refused_invalid(
    role: str, scope: str, claim: str
) -> None:
    token = sign(claims(role=role, scope=scope, org=None))

    error = await refusal(token)

    assert (error.code, error.message) == (
        "TOKEN_INVALID",
        f"a {role} token needs the claim '{claim}'",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"scope": "financing:read restricted:read"},
        {"scope": " "},
        {"scope": ["financing:read"]},
        {"role": "admin"},
        {"sub": 42},
        {"org": ""},
        {"exp": "soon"},
        {"iat": True},
        {"nbf": [1]},
        {"exp": IAT - 10},
    ],
    ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()),
)
async def test_verify_bad_claim_value_refused_invalid(changes: dict[str, Any]) -> None:
    token = sign(claims(**changes))

    assert (await refusal(token)).code == "TOKEN_INVALID"


async def test_verify_infinite_exp_refused_invalid() -> None:
    # Python's json reads the non-standard Infinity; a signed token must still not carry it.
    header = segment({"alg": "EdDSA", "kid": ED.kid})
    body = b64(json.dumps(claims(exp=None))[:-1].encode() + b', "exp": Infinity}')
    assert isinstance(ED.key, Ed25519PrivateKey)
    signature = ED.key.sign(f"{header}.{body}".encode())

    assert (await refusal(f"{header}.{body}.{b64(signature)}")).code == "TOKEN_INVALID"


@pytest.mark.parametrize(
    "token", ["", "abc", "a.b", "a.b.c", "....", "x" * 9000, "eyJhbGciOiJFZERTQSJ9.e30.AA"]
)
async def test_verify_malformed_token_refused_invalid(token: str) -> None:
    assert (await refusal(token)).code == "TOKEN_INVALID"


async def test_verify_other_token_type_refused_invalid() -> None:
    token = sign(claims(), typ="dpop+jwt")

    assert (await refusal(token)).code == "TOKEN_INVALID"


async def test_verify_key_rotation_both_keys_then_removed_key_refused(tmp_path: Path) -> None:
    for name, key in (("2020-08.jwks.json", ED), ("2020-09.jwks.json", ED_OTHER)):
        (tmp_path / name).write_text(json.dumps({"keys": [key.public_jwk()]}))
    old, new = sign(claims(), ED), sign(claims(), ED_OTHER)

    both = TokenVerifier(load_verification_keys(tmp_path), ISSUER, AUDIENCE)
    assert await accepted(old, both)
    assert await accepted(new, both)

    (tmp_path / "2020-08.jwks.json").unlink()
    rotated = TokenVerifier(load_verification_keys(tmp_path), ISSUER, AUDIENCE)
    assert (await refusal(old, rotated)).code == "TOKEN_INVALID"
    assert await accepted(new, rotated)


async def test_verify_hs256_only_when_configured() -> None:
    key = SigningKey.hs256(SECRET)
    token = issue_token(
        key, issuer=ISSUER, audience=AUDIENCE, role="bank", sub=SUB, org=ORG, now=NOW
    )

    assert (await accepted(token, verifier(ED, hs256_secret=SECRET))).org == ORG
    assert (await refusal(token, verifier(ED))).code == "TOKEN_INVALID"
    wrong = verifier(ED, hs256_secret=b"t" * 32)
    assert (await refusal(token, wrong)).code == "TOKEN_INVALID"


def test_verifier_short_hs256_secret_refused_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="at least 32 random bytes"):
        verifier(ED, hs256_secret=b"s" * 31)
    with pytest.raises(ConfigurationError, match="at least 32 random bytes"):
        SigningKey.hs256(b"short")


def test_verifier_bad_configuration_refused() -> None:
    with pytest.raises(ConfigurationError, match="unknown role"):
        verifier(ED, max_lifetimes={"admin": 60})
    with pytest.raises(ConfigurationError, match="positive integer"):
        verifier(ED, max_lifetimes={"bank": 0})
    with pytest.raises(ConfigurationError, match="at least one key"):
        TokenVerifier(KeySet(), ISSUER, AUDIENCE)
    with pytest.raises(ConfigurationError, match="issuer and an audience"):
        TokenVerifier(KeySet([ED.verification_key()]), ISSUER, "")


async def test_verify_naive_now_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await VERIFIER.verify(
            sign(claims()), now=NOW.replace(tzinfo=None), is_revoked=never_revoked
        )


def test_default_lifetimes_per_role() -> None:
    assert dict(DEFAULT_MAX_LIFETIMES) == {
        "subject": 3600,
        "bank": 3600,
        "funding": 3600,
        "government": 28800,
        "source_unit": 28800,
        "credit_centre": 28800,
    }


def test_issue_token_ttl_above_role_maximum_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 3600"):
        issue_token(
            ED,
            issuer=ISSUER,
            audience=AUDIENCE,
            role="bank",
            sub=SUB,
            org=ORG,
            ttl_seconds=3601,
            now=NOW,
        )


@pytest.mark.parametrize(
    ("role", "claim"),
    [("bank", "org"), ("funding", "org"), ("source_unit", "unit"), ("subject", "subject")],
)
def test_issue_token_missing_role_claim_refused(role: str, claim: str) -> None:
    with pytest.raises(ValueError, match=f"needs the claim '{claim}'"):
        issue_token(ED, issuer=ISSUER, audience=AUDIENCE, role=role, sub=SUB, now=NOW)


def test_issue_token_scope_outside_role_refused() -> None:
    with pytest.raises(ValueError, match="may hold only"):
        issue_token(
            ED,
            issuer=ISSUER,
            audience=AUDIENCE,
            role="bank",
            sub=SUB,
            org=ORG,
            now=NOW,
            scopes=[Scope.RESTRICTED_READ],
        )


def test_issue_token_claims_and_header() -> None:
    token = issue_token(
        ED, issuer=ISSUER, audience=AUDIENCE, role="government", sub=SUB, ttl_seconds=60, now=NOW
    )

    header = jwt.get_unverified_header(token)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert header == {"alg": "EdDSA", "kid": ED.kid, "typ": "at+jwt"}
    assert (payload["iat"], payload["nbf"], payload["exp"]) == (IAT, IAT, IAT + 60)
    assert payload["role"] == "government"
    assert len(payload["jti"]) >= 16


@pytest.mark.parametrize(
    ("header", "token"),
    [
        (None, None),
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer  abc.def-_", "abc.def-_"),
        ("BEARER x", "x"),
    ],
)
def test_bearer_token_parses_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize(
    "header",
    ["", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "Bearer a,b", "Token abc"],
)
def test_bearer_token_other_scheme_or_malformed_refused_invalid(header: str) -> None:
    with pytest.raises(TokenError) as caught:
        bearer_token(header)

    assert caught.value.code == "TOKEN_INVALID"
    assert "dXNlcjpwYXNz" not in caught.value.message
