"""Bearer tokens: issue them, and verify them into a `Viewer` (DESIGN.md §5, RFC 8725)."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import jwt

from auth import roles
from auth.errors import (
    ConfigurationError,
    TokenExpired,
    TokenInvalid,
    TokenLifetime,
    TokenNotYetValid,
    TokenRevoked,
)
from auth.keys import ASYMMETRIC_ALGORITHMS, HS256, KeySet, SigningKey, VerificationKey, hs256_key
from auth.roles import ROLES, Role
from auth.viewer import Viewer

IsRevoked = Callable[[str], Awaitable[bool]]

# `role` and `jti` join the issue's list: a lifetime needs a role, a revocation needs a jti.
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "sub", "scope", "role", "jti")
TOKEN_TYPE = "at+jwt"  # RFC 9068 §2.1, the explicit typing of RFC 8725 §3.11.
_ACCEPTED_TYPES = frozenset({"jwt", "at+jwt", "application/at+jwt"})
_OPTIONAL_CLAIMS = ("org", "unit", "subject")
_ROLE_NAMES = frozenset(role.value for role in Role)
_MAX_TOKEN_CHARS = 8192
_MAX_LEEWAY_SECONDS = 300
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 6750 §2.1


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None when there is no header."""
    if authorization is None:
        return None
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise TokenInvalid("the Authorization scheme must be Bearer")
    token = rest.strip()
    if not _B64TOKEN.fullmatch(token):
        raise TokenInvalid("the Authorization header must read 'Bearer <token>'")
    return token


def issue_token(
    signing_key: SigningKey,
    *,
    issuer: str,
    audience: str,
    role: Role | str,
    sub: str,
    org: str | None = None,
    unit: str | None = None,
    subject: str | None = None,
    ttl_seconds: int | None = None,
    now: datetime,
    scopes: Iterable[str] | None = None,
    max_lifetimes: Mapping[str, int] | None = None,
) -> str:
    """A token `TokenVerifier` accepts, living `ttl_seconds` (by default its role's maximum)."""
    if role not in _ROLE_NAMES:
        raise ValueError(f"unknown role {role!r}; expected one of {sorted(_ROLE_NAMES)}")
    role = Role(role)
    spec = ROLES[role]
    limit = roles.max_lifetimes(max_lifetimes)[role]
    ttl = limit if ttl_seconds is None else ttl_seconds
    if not 0 < ttl <= limit:
        raise ValueError(f"ttl_seconds must be between 1 and {limit} for a {role} token")
    optional = {"org": org, "unit": unit, "subject": subject}
    for name, value in {"issuer": issuer, "audience": audience, "sub": sub, **optional}.items():
        if value is not None and not (isinstance(value, str) and value):
            raise ValueError(f"the claim {name!r} must be a non-empty string")
    for claim in spec.required_claims:
        if optional[claim] is None:
            raise ValueError(f"a {role} token needs the claim {claim!r}")
    granted = spec.scopes if scopes is None else frozenset(scopes)
    if not granted or not granted <= spec.allowed_scopes:
        raise ValueError(f"a {role} token may hold only {sorted(spec.allowed_scopes)}")
    issued_at = _timestamp(now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": sub,
        "role": role.value,
        "scope": " ".join(sorted(granted)),
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + ttl,
        # Hex, not base64url: an id beginning with "-" is taken for an option by `token revoke`.
        "jti": secrets.token_hex(16),
        **{name: value for name, value in optional.items() if value is not None},
    }
    headers = {"kid": signing_key.kid, "typ": TOKEN_TYPE}
    return jwt.encode(claims, signing_key.key, algorithm=signing_key.algorithm, headers=headers)


class TokenVerifier:
    """Checks bearer tokens against configured keys, issuer, audience and role lifetimes."""

    def __init__(
        self,
        keys: KeySet,
        issuer: str,
        audience: str,
        max_lifetimes: Mapping[str, int] | None = None,
        hs256_secret: bytes | None = None,
        leeway_seconds: int = 30,
    ) -> None:
        if not issuer or not audience:
            raise ConfigurationError("a token verifier needs an issuer and an audience")
        if not 0 <= leeway_seconds <= _MAX_LEEWAY_SECONDS:
            raise ConfigurationError(f"the leeway must be 0 to {_MAX_LEEWAY_SECONDS} seconds")
        # RFC 8725 §3.1-3.2: an explicit allow-list; HS256 only with a configured secret.
        self._algorithms = frozenset(ASYMMETRIC_ALGORITHMS)
        if hs256_secret is not None:
            keys = keys.with_key(hs256_key(hs256_secret))
            self._algorithms |= {HS256}
        if not len(keys):
            raise ConfigurationError("a token verifier needs at least one key")
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._lifetimes = roles.max_lifetimes(max_lifetimes)
        self._leeway = leeway_seconds

    async def verify(self, token: str, *, now: datetime, is_revoked: IsRevoked) -> Viewer:
        """The viewer a token names, or a TokenError; `now` stands in for the clock."""
        moment = _timestamp(now)
        claims = self._decode(token)
        viewer, role = _viewer(claims)
        issued_at, expires = _numeric(claims, "iat"), _numeric(claims, "exp")
        not_before = _numeric(claims, "nbf") if "nbf" in claims else None
        if expires <= issued_at:
            raise TokenInvalid("the token expires before it was issued")
        if expires - issued_at > self._lifetimes[role]:
            raise TokenLifetime(f"a {role} token may live at most {self._lifetimes[role]} seconds")
        if not_before is not None and not_before > moment + self._leeway:
            raise TokenNotYetValid("the token is not valid yet (nbf)")
        if issued_at > moment + self._leeway:
            raise TokenNotYetValid("the token is issued in the future (iat)")
        if expires <= moment - self._leeway:
            raise TokenExpired("the token has expired")
        if await is_revoked(_text(claims, "jti")):
            raise TokenRevoked("the token has been revoked")
        return viewer

    def _decode(self, token: str) -> dict[str, Any]:
        if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS:
            raise TokenInvalid("the token is malformed")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenInvalid("the token is malformed") from None
        key = self._key_for(header)
        try:
            claims = jwt.decode(
                token,
                key.key,
                # The one algorithm bound to the key: never the token's choice (RFC 8725 §2.1).
                algorithms=[key.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                options={
                    "require": list(REQUIRED_CLAIMS),
                    # Times are checked against the caller's `now`, not PyJWT's clock.
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "enforce_minimum_key_length": True,
                },
            )
        except jwt.MissingRequiredClaimError as error:
            raise TokenInvalid(f"the token lacks the claim '{_named(error.claim)}'") from None
        except jwt.InvalidSignatureError:
            raise TokenInvalid("the token signature does not verify") from None
        except jwt.InvalidAudienceError:
            raise TokenInvalid("the token is not meant for this audience") from None
        except jwt.InvalidIssuerError:
            raise TokenInvalid("the token is not from the trusted issuer") from None
        except jwt.PyJWTError:
            raise TokenInvalid("the token is malformed") from None
        return claims

    def _key_for(self, header: dict[str, Any]) -> VerificationKey:
        algorithm, kid, kind = header.get("alg"), header.get("kid"), header.get("typ")
        if not isinstance(algorithm, str) or algorithm not in self._algorithms:
            raise TokenInvalid("the token algorithm is not allowed")
        if kind is not None and (not isinstance(kind, str) or kind.lower() not in _ACCEPTED_TYPES):
            raise TokenInvalid("the token is not an access token (typ)")
        if kid is None:
            if len(self._keys) != 1:
                raise TokenInvalid("the token names no key (kid) and several keys are configured")
            (key,) = self._keys
        else:
            found = self._keys.get(kid) if isinstance(kid, str) else None
            if found is None:
                raise TokenInvalid("the token names an unknown key (kid)")
            key = found
        if algorithm != key.algorithm:
            raise TokenInvalid("the token algorithm does not match its key")
        return key


def _viewer(claims: dict[str, Any]) -> tuple[Viewer, Role]:
    """The viewer of verified claims; claim values are checked but never quoted in errors."""
    role_name = _text(claims, "role")
    if role_name not in _ROLE_NAMES:
        raise TokenInvalid("the claim 'role' names no known role")
    role = Role(role_name)
    spec = ROLES[role]
    scopes = frozenset(_text(claims, "scope").split())
    if not scopes:
        raise TokenInvalid("the claim 'scope' names no scope")
    if not scopes <= spec.allowed_scopes:
        raise TokenInvalid(f"the token claims a scope a {role} token may not hold")
    optional = {name: _text(claims, name) if name in claims else None for name in _OPTIONAL_CLAIMS}
    for claim in spec.required_claims:
        if optional[claim] is None:
            raise TokenInvalid(f"a {role} token needs the claim '{claim}'")
    viewer = Viewer(
        sub=_text(claims, "sub"),
        scopes=scopes,
        org=optional["org"],
        unit=optional["unit"],
        subject_id=optional["subject"],
        token_id=_text(claims, "jti"),
        role=role.value,
        purpose=_purpose(claims),
    )
    return viewer, role


def _purpose(claims: dict[str, Any]) -> str | None:
    """The optional `purpose` claim (the query's stated purpose, for the audit trail)."""
    value = claims.get("purpose")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise TokenInvalid("the claim 'purpose' must be a string of at most 200 characters")
    return value.strip()


def _text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value.strip():
        raise TokenInvalid(f"the claim '{name}' must be a non-empty string")
    return value


def _numeric(claims: dict[str, Any], name: str) -> int:
    value = claims.get(name)
    # NumericDate (RFC 7519 §2); bool is an int in Python, and json reads NaN and Infinity.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TokenInvalid(f"the claim '{name}' must be a NumericDate")
    return int(value)


def _named(claim: str) -> str:
    # PyJWT names the missing claim; it is one of ours, but quote nothing we did not write.
    return claim if claim in REQUIRED_CLAIMS else "?"


def _timestamp(now: datetime) -> int:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return math.floor(now.timestamp())
