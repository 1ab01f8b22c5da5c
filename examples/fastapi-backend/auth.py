"""Bearer tokens ("Authentication & Authorization"): validated on every request, 401 for
missing, invalid or expired tokens (with WWW-Authenticate), 403 for insufficient scope.

Tokens come from the environment variable API_TOKENS, a JSON object:

    {"<token>": {"org_id": "org-a", "subject": "user-a", "scopes": ["sessions:read", "sessions:write"],
                 "expires_at": "2030-01-01T00:00:00Z"}}

A real service would verify JWTs from its identity provider here; the contract the API
shows (401/403, WWW-Authenticate, tenant isolation) stays the same.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, FrozenSet, Mapping, Optional

READ = "sessions:read"
WRITE = "sessions:write"


@dataclass(frozen=True)
class Principal:
    org_id: str
    subject: str
    scopes: FrozenSet[str]
    expires_at: Optional[datetime] = None

    def expired(self, now: Optional[datetime] = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or datetime.now(timezone.utc))


def _digest(token: str) -> str:
    # Tokens are kept and looked up by digest only: no secret in memory dumps, no timing oracle.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenTable:
    def __init__(self, entries: Mapping[str, Mapping[str, object]]) -> None:
        self._by_digest: Dict[str, Principal] = {}
        for token, entry in entries.items():
            expires = entry.get("expires_at")
            self._by_digest[_digest(token)] = Principal(
                org_id=str(entry["org_id"]),
                subject=str(entry.get("subject", "unknown")),
                scopes=frozenset(entry.get("scopes", [READ])),  # type: ignore[arg-type]
                expires_at=datetime.fromisoformat(str(expires).replace("Z", "+00:00")) if expires else None,
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "TokenTable":
        raw = environ.get("API_TOKENS")
        if not raw:
            raise RuntimeError('API_TOKENS is not set: export API_TOKENS=\'{"<token>": {"org_id": "org-a", "scopes": ["sessions:read", "sessions:write"]}}\'')
        return cls(json.loads(raw))

    def lookup(self, token: str) -> Optional[Principal]:
        return self._by_digest.get(_digest(token))


def bearer_token(authorization: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
