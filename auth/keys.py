"""Signing and verification keys kept as JWKS files, each key bound to one algorithm.

RFC 8725 §3.1: the algorithm comes from the key (its `kty` and curve), never from a token, so
a public key can only ever verify its own algorithm and is never read as an HMAC secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from auth.errors import ConfigurationError

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

ASYMMETRIC_ALGORITHMS = ("EdDSA", "ES256", "RS256")
HS256 = "HS256"
HS256_KID = "hs256"
MIN_RSA_BITS = 2048
MIN_HS256_SECRET_BYTES = 32  # RFC 7518 §3.2: at least the hash output size.
SIGNING_FILE = "signing.jwks.json"
PUBLIC_FILE = "jwks.json"

# kty → (algorithm, the one curve we accept or None); nothing else is a usable key.
_KEY_TYPES: Mapping[str, tuple[str, str | None]] = {
    "OKP": ("EdDSA", "Ed25519"),
    "EC": ("ES256", "P-256"),
    "RSA": ("RS256", None),
}
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_THUMBPRINT_MEMBERS = {
    "OKP": ("crv", "kty", "x"),
    "EC": ("crv", "kty", "x", "y"),
    "RSA": ("e", "kty", "n"),
}


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    algorithm: str
    key: PublicKey | bytes = field(repr=False)

    def same_material(self, other: VerificationKey) -> bool:
        return self.algorithm == other.algorithm and hmac.compare_digest(
            _material(self.key), _material(other.key)
        )


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    key: PrivateKey | bytes = field(repr=False)

    @classmethod
    def generate(cls, algorithm: str = "EdDSA") -> SigningKey:
        """A fresh key for `algorithm`, its kid the RFC 7638 thumbprint of its public key."""
        key: PrivateKey
        if algorithm == "EdDSA":
            key = ed25519.Ed25519PrivateKey.generate()
        elif algorithm == "ES256":
            key = ec.generate_private_key(ec.SECP256R1())
        elif algorithm == "RS256":
            key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_BITS)
        else:
            raise ConfigurationError(f"cannot generate a key for algorithm {algorithm!r}")
        return cls(thumbprint(_to_jwk(key.public_key())), algorithm, key)

    @classmethod
    def hs256(cls, secret: bytes, kid: str = HS256_KID) -> SigningKey:
        hs256_key(secret, kid)  # the same length rule as for verifying
        return cls(kid, HS256, secret)

    def public_jwk(self) -> dict[str, Any]:
        if isinstance(self.key, bytes):
            raise ConfigurationError("an HS256 secret has no public part to publish")
        return {**_to_jwk(self.key.public_key()), **self._labels()}

    def private_jwk(self) -> dict[str, Any]:
        if isinstance(self.key, bytes):
            raise ConfigurationError("an HS256 secret is configured, not written as a JWK")
        return {**_to_jwk(self.key), **self._labels()}

    def verification_key(self) -> VerificationKey:
        public = self.key if isinstance(self.key, bytes) else self.key.public_key()
        return VerificationKey(self.kid, self.algorithm, public)

    def _labels(self) -> dict[str, str]:
        return {"kid": self.kid, "alg": self.algorithm, "use": "sig"}


class KeySet:
    """Verification keys by kid; several at once while keys rotate."""

    def __init__(self, keys: Iterable[VerificationKey] = ()) -> None:
        self._keys: dict[str, VerificationKey] = {}
        for key in keys:
            known = self._keys.get(key.kid)
            if known is None:
                self._keys[key.kid] = key
            elif not known.same_material(key):
                raise ConfigurationError(f"two different keys share the kid {key.kid!r}")

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[VerificationKey]:
        return iter(self._keys.values())

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def get(self, kid: str) -> VerificationKey | None:
        return self._keys.get(kid)

    def with_key(self, key: VerificationKey) -> KeySet:
        return KeySet([*self, key])


@dataclass(frozen=True)
class KeyFiles:
    signing: Path
    jwks: Path


def hs256_key(secret: bytes, kid: str = HS256_KID) -> VerificationKey:
    """A shared HS256 secret as a key; refused below 32 bytes (RFC 7518 §3.2)."""
    if not isinstance(secret, bytes):
        raise ConfigurationError("the HS256 secret must be bytes")
    if len(secret) < MIN_HS256_SECRET_BYTES:
        raise ConfigurationError(
            f"the HS256 secret is {len(secret)} bytes; it must be at least "
            f"{MIN_HS256_SECRET_BYTES} random bytes"
        )
    return VerificationKey(kid, HS256, secret)


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding."""
    members = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def init_keys(directory: Path) -> KeyFiles:
    """Write a development Ed25519 key set to `directory`, keeping one that already exists."""
    files = KeyFiles(signing=directory / SIGNING_FILE, jwks=directory / PUBLIC_FILE)
    if files.signing.exists():
        if not files.jwks.exists():
            key = load_signing_key(files.signing)
            _write_new(files.jwks, {"keys": [key.public_jwk()]}, mode=0o644)
        return files
    if files.jwks.exists():
        raise ConfigurationError(
            f"{files.jwks} exists without {files.signing}; refusing to replace its keys"
        )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = SigningKey.generate()
    _write_new(files.signing, {"keys": [key.private_jwk()]}, mode=0o600)
    _write_new(files.jwks, {"keys": [key.public_jwk()]}, mode=0o644)
    return files


def load_verification_keys(path: Path) -> KeySet:
    """The public keys of a JWKS file, or of every `*.jwks.json` and `jwks.json` in a directory."""
    if path.is_dir():
        files = sorted({*path.glob("*.jwks.json"), *path.glob(PUBLIC_FILE)})
        if not files:
            raise ConfigurationError(f"no *.jwks.json or {PUBLIC_FILE} file in {path}")
    elif path.is_file():
        files = [path]
    else:
        raise ConfigurationError(f"no JWKS file or directory at {path}")
    keys = []
    for file in files:
        for index, jwk in enumerate(_read_jwks(file)):
            # Only the public members are read: a private JWKS verifies like its public twin.
            public = {name: value for name, value in jwk.items() if name not in _PRIVATE_MEMBERS}
            kid, algorithm, key = _parse_jwk(public, f"key {index} of {file}")
            if not isinstance(key, PublicKey):
                raise ConfigurationError(f"key {index} of {file} has no public part")
            keys.append(VerificationKey(kid, algorithm, key))
    return KeySet(keys)


def load_signing_key(path: Path) -> SigningKey:
    """The one private key of a private JWKS file, as `init_keys` writes it."""
    jwks = _read_jwks(path)
    if len(jwks) != 1:
        raise ConfigurationError(f"{path} must hold exactly one signing key")
    kid, algorithm, key = _parse_jwk(jwks[0], f"the key of {path}")
    if not isinstance(key, PrivateKey):
        raise ConfigurationError(f"the key of {path} has no private part")
    return SigningKey(kid, algorithm, key)


def _read_jwks(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"cannot read the JWKS {path}: {error}") from None
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) for k in keys):
        raise ConfigurationError(f"{path} is not a JWKS: it needs a non-empty list 'keys'")
    return keys


def _parse_jwk(jwk: dict[str, Any], where: str) -> tuple[str, str, PublicKey | PrivateKey]:
    kty, kid = jwk.get("kty"), jwk.get("kid")
    if kty == "oct":
        raise ConfigurationError(f"{where} is symmetric; configure an HS256 secret instead")
    if not isinstance(kty, str) or kty not in _KEY_TYPES:
        raise ConfigurationError(f"{where} has kty {kty!r}; expected one of {sorted(_KEY_TYPES)}")
    algorithm, curve = _KEY_TYPES[kty]
    if curve is not None and jwk.get("crv") != curve:
        raise ConfigurationError(f"{where} must be on the curve {curve}")
    if jwk.get("alg", algorithm) != algorithm:
        raise ConfigurationError(f"{where} is a {kty} key, so its alg must be {algorithm}")
    if jwk.get("use", "sig") != "sig":
        raise ConfigurationError(f"{where} is not a signature key (use must be 'sig')")
    if not isinstance(kid, str) or not kid:
        raise ConfigurationError(f"{where} has no kid")
    try:
        key = _FROM_JWK[kty](jwk)
    except (InvalidKeyError, ValueError, TypeError, KeyError) as error:
        raise ConfigurationError(f"{where} is not a valid {kty} key: {error}") from None
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey) and key.key_size < MIN_RSA_BITS:
        raise ConfigurationError(
            f"{where} is a {key.key_size}-bit RSA key; at least {MIN_RSA_BITS} bits are required"
        )
    if not isinstance(key, PublicKey | PrivateKey):
        raise ConfigurationError(f"{where} is not an {algorithm} key")
    return kid, algorithm, key


_FROM_JWK = {
    "OKP": OKPAlgorithm.from_jwk,
    "EC": ECAlgorithm.from_jwk,
    "RSA": RSAAlgorithm.from_jwk,
}


def _to_jwk(key: PublicKey | PrivateKey) -> dict[str, Any]:
    if isinstance(key, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey):
        return OKPAlgorithm.to_jwk(key, as_dict=True)
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        return ECAlgorithm.to_jwk(key, as_dict=True)
    return RSAAlgorithm.to_jwk(key, as_dict=True)


def _material(key: PublicKey | bytes) -> bytes:
    if isinstance(key, bytes):
        return key
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _write_new(path: Path, document: dict[str, Any], *, mode: int) -> None:
    # O_EXCL: never overwrite a key file; the mode is set at creation, so a private key is
    # never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), mode)
        json.dump(document, file, indent=2)
        file.write("\n")
