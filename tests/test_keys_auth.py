"""Key files: the development key set, JWKS loading, and the keys refused at configuration."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from auth.errors import ConfigurationError
from auth.keys import (
    KeySet,
    SigningKey,
    init_keys,
    load_signing_key,
    load_verification_keys,
    thumbprint,
)
from auth.tokens import TokenVerifier, issue_token

NOW = datetime(2020, 9, 1, 9, 0, tzinfo=UTC)
ED = SigningKey.generate("EdDSA")
ED_OTHER = SigningKey.generate("EdDSA")


def write_jwks(path: Path, *jwks: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"keys": list(jwks)}))
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def never_revoked(jti: str) -> bool:
    return False


async def test_init_keys_writes_a_key_set_that_signs_and_verifies(tmp_path: Path) -> None:
    files = init_keys(tmp_path / "keys")

    assert (files.signing.name, files.jwks.name) == ("signing.jwks.json", "jwks.json")
    assert mode(files.signing) == 0o600
    signing = load_signing_key(files.signing)
    keys = load_verification_keys(files.jwks)
    assert keys.kids == (signing.kid,)
    assert signing.kid == thumbprint(json.loads(files.jwks.read_text())["keys"][0])
    assert "d" not in json.loads(files.jwks.read_text())["keys"][0]
    token = issue_token(signing, issuer="i", audience="a", role="government", sub="s", now=NOW)
    viewer = await TokenVerifier(keys, "i", "a").verify(token, now=NOW, is_revoked=never_revoked)
    assert viewer.sub == "s"


def test_init_keys_twice_keeps_the_first_key_set(tmp_path: Path) -> None:
    first = init_keys(tmp_path)
    written = first.signing.read_bytes(), first.jwks.read_bytes()

    second = init_keys(tmp_path)

    assert second == first
    assert (second.signing.read_bytes(), second.jwks.read_bytes()) == written


def test_init_keys_missing_public_file_rewritten_from_signing_key(tmp_path: Path) -> None:
    files = init_keys(tmp_path)
    public = files.jwks.read_bytes()
    files.jwks.unlink()

    init_keys(tmp_path)

    assert json.loads(files.jwks.read_bytes()) == json.loads(public)


def test_init_keys_public_file_without_signing_key_refused(tmp_path: Path) -> None:
    write_jwks(tmp_path / "jwks.json", ED.public_jwk())

    with pytest.raises(ConfigurationError, match="refusing to replace"):
        init_keys(tmp_path)


def test_load_verification_keys_directory_of_two_files_loads_both(tmp_path: Path) -> None:
    write_jwks(tmp_path / "2020-08.jwks.json", ED.public_jwk())
    write_jwks(tmp_path / "jwks.json", ED_OTHER.public_jwk())
    (tmp_path / "notes.json").write_text("not a key set")

    keys = load_verification_keys(tmp_path)

    assert set(keys.kids) == {ED.kid, ED_OTHER.kid}


def test_load_verification_keys_init_directory_reads_one_public_key(tmp_path: Path) -> None:
    init_keys(tmp_path)

    (key,) = load_verification_keys(tmp_path)

    assert isinstance(key.key, Ed25519PublicKey)


def test_load_verification_keys_private_jwks_yields_public_part(tmp_path: Path) -> None:
    path = write_jwks(tmp_path / "private.jwks.json", ED.private_jwk())

    (key,) = load_verification_keys(path)

    assert isinstance(key.key, Ed25519PublicKey)
    assert (key.kid, key.algorithm) == (ED.kid, "EdDSA")


@pytest.mark.parametrize("algorithm", ["ES256", "RS256"])
def test_load_verification_keys_ec_and_rsa_bound_to_their_algorithm(
    tmp_path: Path, algorithm: str
) -> None:
    key = SigningKey.generate(algorithm)

    (loaded,) = load_verification_keys(write_jwks(tmp_path / "k.jwks.json", key.public_jwk()))

    assert (loaded.kid, loaded.algorithm) == (key.kid, algorithm)


def test_load_verification_keys_rsa_under_2048_bits_refused(tmp_path: Path) -> None:
    weak = SigningKey(
        "weak", "RS256", rsa.generate_private_key(public_exponent=65537, key_size=1024)
    )
    path = write_jwks(tmp_path / "weak.jwks.json", weak.public_jwk())

    with pytest.raises(ConfigurationError, match="1024-bit RSA key; at least 2048"):
        load_verification_keys(path)


def test_load_verification_keys_other_curve_refused(tmp_path: Path) -> None:
    p384 = SigningKey("p384", "ES256", ec.generate_private_key(ec.SECP384R1()))
    path = write_jwks(tmp_path / "p384.jwks.json", p384.public_jwk())

    with pytest.raises(ConfigurationError, match="curve P-256"):
        load_verification_keys(path)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"alg": "HS256"}, "its alg must be EdDSA"),
        ({"alg": "none"}, "its alg must be EdDSA"),
        ({"use": "enc"}, "not a signature key"),
        ({"kid": None}, "has no kid"),
        ({"kty": "oct", "k": "c2VjcmV0"}, "configure an HS256 secret"),
        ({"kty": "XYZ"}, "expected one of"),
        ({"x": "AAAA"}, "not a valid OKP key"),
    ],
)
def test_load_verification_keys_unusable_jwk_refused(
    tmp_path: Path, changes: dict[str, Any], match: str
) -> None:
    jwk = {**ED.public_jwk(), **changes}
    path = write_jwks(tmp_path / "k.jwks.json", {k: v for k, v in jwk.items() if v is not None})

    with pytest.raises(ConfigurationError, match=match):
        load_verification_keys(path)


def test_load_verification_keys_same_kid_other_key_refused(tmp_path: Path) -> None:
    write_jwks(tmp_path / "a.jwks.json", ED.public_jwk())
    write_jwks(tmp_path / "b.jwks.json", {**ED_OTHER.public_jwk(), "kid": ED.kid})

    with pytest.raises(ConfigurationError, match="share the kid"):
        load_verification_keys(tmp_path)


@pytest.mark.parametrize("content", ["{", "[]", '{"keys": []}', '{"keys": ["x"]}'])
def test_load_verification_keys_not_a_jwks_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "jwks.json").write_text(content)

    with pytest.raises(ConfigurationError, match="JWKS"):
        load_verification_keys(tmp_path / "jwks.json")


def test_load_verification_keys_missing_or_empty_location_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no JWKS file or directory"):
        load_verification_keys(tmp_path / "absent")
    with pytest.raises(ConfigurationError, match="no \\*.jwks.json"):
        load_verification_keys(tmp_path)


def test_load_signing_key_public_only_refused(tmp_path: Path) -> None:
    path = write_jwks(tmp_path / "signing.jwks.json", ED.public_jwk())

    with pytest.raises(ConfigurationError, match="no private part"):
        load_signing_key(path)


def test_thumbprint_matches_rfc_examples() -> None:
    # RFC 7638 §3.1 and RFC 8037 appendix A.3.
    rsa_jwk = {
        "kty": "RSA",
        "e": "AQAB",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tS"
        "oc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0"
        "_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI"
        "4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    }
    okp_jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}

    assert thumbprint(rsa_jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert thumbprint(okp_jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_key_set_same_key_twice_kept_once() -> None:
    keys = KeySet([ED.verification_key(), ED.verification_key()])

    assert keys.kids == (ED.kid,)


def test_signing_key_repr_shows_no_secret() -> None:
    assert "s" * 32 not in repr(SigningKey.hs256(b"s" * 32))
