"""Errors raised by `auth`, each with a stable code for GraphQL `extensions.code`.

    AuthError                   anything `auth` refuses.
    ├── ConfigurationError      a key, key set, secret or lifetime is unusable; raised at start-up.
    ├── TokenError              a presented bearer token is refused; the request gets no viewer.
    │   ├── TokenInvalid        malformed, badly signed, wrong alg, kid, iss, aud or claims.
    │   ├── TokenExpired        its `exp` has passed.
    │   ├── TokenNotYetValid    its `nbf` or `iat` lies in the future.
    │   ├── TokenRevoked        its `jti` has been revoked.
    │   └── TokenLifetime       `exp - iat` exceeds the maximum lifetime of its role.

A missing scope is not a token problem: resolvers refuse it with FORBIDDEN.

Messages are fixed texts and claim names: none ever echoes a token or any part of one, so they
are safe to return to clients and to log.
"""

from __future__ import annotations

from typing import ClassVar


class AuthError(Exception):
    code: ClassVar[str] = "AUTH_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(AuthError):
    code = "AUTH_CONFIGURATION"


class TokenError(AuthError):
    code = "TOKEN_INVALID"


class TokenInvalid(TokenError):
    code = "TOKEN_INVALID"


class TokenExpired(TokenError):
    code = "TOKEN_EXPIRED"


class TokenNotYetValid(TokenError):
    code = "TOKEN_NOT_YET_VALID"


class TokenRevoked(TokenError):
    code = "TOKEN_REVOKED"


class TokenLifetime(TokenError):
    code = "TOKEN_LIFETIME"
