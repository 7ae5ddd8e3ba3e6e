"""Persisted queries: Apollo's automatic persisted queries (APQ) and trusted documents.

APQ lets a client send a document's SHA-256 instead of its text: an unknown hash is answered
`PERSISTED_QUERY_NOT_FOUND`, the client sends hash and text once, and later requests hit. With a
file of trusted documents (`CREDITGRAPH_TRUSTED_DOCUMENTS`) the API runs those documents only, so
a portal can lock it to its own operations: anything else is `DOCUMENT_NOT_TRUSTED`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_TRUSTED = "DOCUMENT_NOT_TRUSTED"
BAD_PERSISTED_QUERY = "BAD_PERSISTED_QUERY"
SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class PersistedQueryError(Exception):
    """A request naming a persisted query that cannot be run, with its stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def read_trusted_documents(path: Path) -> dict[str, str]:
    """Trusted documents by SHA-256 from a JSON file.

    Either Apollo's persisted query manifest (`{"format": "apollo-persisted-query-manifest",
    "operations": [{"id", "body", ...}]}`) or a plain object of hash to document; every hash is
    checked against its document, so a file cannot trust one text under another's name.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        pairs = [(op["id"], op["body"]) for op in data["operations"]]
    elif isinstance(data, dict):
        pairs = list(data.items())
    else:
        raise ValueError(f"{path}: expected a JSON object of trusted documents")
    documents: dict[str, str] = {}
    for digest, body in pairs:
        if not isinstance(body, str) or document_hash(body) != digest:
            raise ValueError(f"{path}: document {digest} does not have that SHA-256")
        documents[digest] = body
    return documents


class PersistedQueries:
    """Resolves a request's document from its text and its `persistedQuery` extension.

    Registered APQ documents are kept per worker in a bounded LRU (a client that meets another
    worker registers again, as the protocol expects); trusted documents come from the file.
    """

    def __init__(self, trusted: Mapping[str, str] | None = None, *, capacity: int = 2000) -> None:
        self.trusted = dict(trusted) if trusted is not None else None
        self.capacity = capacity
        self.registered: OrderedDict[str, str] = OrderedDict()

    def document(self, query: str | None, extensions: Mapping[str, Any] | None) -> str | None:
        """The document to run; None leaves "no query" to the GraphQL layer to refuse."""
        digest = self._hash_named(extensions)
        if digest is not None and query is not None and document_hash(query) != digest:
            raise PersistedQueryError(BAD_PERSISTED_QUERY, "provided sha does not match query")
        if self.trusted is not None:
            return self._trusted(query, digest)
        if digest is None:
            return query
        if query is not None:
            self._register(digest, query)
            return query
        found = self.registered.get(digest)
        if found is None:
            raise PersistedQueryError(NOT_FOUND, "PersistedQueryNotFound")
        self.registered.move_to_end(digest)
        return found

    def _trusted(self, query: str | None, digest: str | None) -> str | None:
        assert self.trusted is not None
        if digest is None and query is None:
            return None
        key = digest if digest is not None else document_hash(query or "")
        found = self.trusted.get(key)
        if found is None:
            raise PersistedQueryError(NOT_TRUSTED, "this server runs trusted documents only")
        return found

    def _register(self, digest: str, query: str) -> None:
        self.registered[digest] = query
        self.registered.move_to_end(digest)
        while len(self.registered) > self.capacity:
            self.registered.popitem(last=False)

    @staticmethod
    def _hash_named(extensions: Mapping[str, Any] | None) -> str | None:
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return None
        if not isinstance(persisted, dict) or persisted.get("version", 1) != 1:
            raise PersistedQueryError(BAD_PERSISTED_QUERY, "persistedQuery must be version 1")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or SHA256.fullmatch(digest) is None:
            raise PersistedQueryError(
                BAD_PERSISTED_QUERY, "persistedQuery.sha256Hash must be 64 hex digits"
            )
        return digest.lower()
