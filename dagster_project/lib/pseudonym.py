"""Pseudonyms of personal data: HMAC-SHA-256 keyed by PEIXUN_PII_SALT (RFC 2104), computed by DuckDB in bulk.

HMAC(K, m) = SHA-256((K0 ^ opad) || SHA-256((K0 ^ ipad) || m)), K0 the key padded to SHA-256's
64-byte block (hashed first when longer). Python derives the two padded keys once; DuckDB hashes
every value of a file in one vectorised expression. The keys reach DuckDB as variables of the
connection, so neither the key nor anything derived from it appears in SQL text (error messages
quote SQL). The full 256-bit digest is stored, as 64 hex digits.
"""

from __future__ import annotations

import hashlib

import duckdb

BLOCK_BYTES = 64  # SHA-256's block size
INNER, OUTER = "peixun_pii_inner_key", "peixun_pii_outer_key"


def padded_keys(key: str | bytes) -> tuple[bytes, bytes]:
    """(K0 ^ ipad, K0 ^ opad); a key given as text is taken as its UTF-8 bytes."""
    k0 = key.encode("utf-8") if isinstance(key, str) else key
    if len(k0) > BLOCK_BYTES:
        k0 = hashlib.sha256(k0).digest()
    k0 = k0.ljust(BLOCK_BYTES, b"\0")
    return bytes(b ^ 0x36 for b in k0), bytes(b ^ 0x5C for b in k0)


def use_key(con: duckdb.DuckDBPyConnection, key: str | bytes) -> None:
    """Make `key` the pseudonym key of this connection (each cursor has its own variables)."""
    inner, outer = padded_keys(key)
    con.execute(f"set variable {INNER} = ?::blob", [inner])
    con.execute(f"set variable {OUTER} = ?::blob", [outer])


def hmac_sql(value: str) -> str:
    """SQL for the lower-case hex HMAC-SHA-256 of the text `value` (NULL stays NULL); fails without a key."""

    def key(name: str) -> str:
        return f"coalesce(getvariable('{name}')::blob, error('no pseudonym key on this connection')::blob)"

    return f"sha256({key(OUTER)} || unhex(sha256({key(INNER)} || encode({value}))))"
