"""Hash chains over the evidence tables: each row commits to its fields and to the row before it."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update

from bordergate.adapters.sql.evidence_tables import chain_heads

GENESIS = "0" * 64
CHAIN_COLUMNS = ("seq", "prev_hash", "row_hash")
# Which table each chain runs over.
CHAINS = ("audit", "plate_reads")

# Only benchmarks/plate_reads.py turns this off, to measure what chaining costs in the same run. Unchained rows
# fail `bordergate audit verify`, so this is never a setting.
chaining = True

_LOCK_HEAD = select(chain_heads.c.seq, chain_heads.c.row_hash).where(
    chain_heads.c.chain == bindparam("chain")).with_for_update()
_MOVE_HEAD = update(chain_heads).where(chain_heads.c.chain == bindparam("which")).values(
    seq=bindparam("new_seq"), row_hash=bindparam("new_hash"))


def _plain(value: Any) -> Any:
    """One spelling for every value, whichever database it came back from."""
    if type(value) is str:  # most values: answered before five isinstance checks (every audit row is hashed)
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # JSONB gives 1e20 back as an integer: a whole float is spelt as one, wherever it is.
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def canonical(value: Any) -> bytes:
    """The canonical serialisation the hashes are taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(chain: str, fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the chain's name, the row's own fields (not its place: a moved row still matches its hash,
    so a break names what happened) and the previous row's hash."""
    return hashlib.sha256(canonical({"chain": chain, "fields": fields, "prev": prev_hash})).hexdigest()


def _hash_before(chain: str, fields: dict[str, Any]) -> bytes:
    """All of ``canonical({"chain": .., "fields": .., "prev": ..})`` that comes before the previous row's hash
    (its keys sort in that order): serialised before the head is locked, so the lock is held for less."""
    return b'{"chain":' + canonical(chain) + b',"fields":' + canonical(fields) + b',"prev":'


def _hash_after(before: bytes, prev_hash: str) -> str:
    """``row_hash`` finished once the previous hash is known: the same bytes, so the same hash."""
    return hashlib.sha256(before + canonical(prev_hash) + b"}").hexdigest()


def hashed_fields(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The fields a row's hash commits to: every column but the surrogate id of the audit trail (given by the
    database at insert) and the chain's own columns. Empty fields are left out, so a column added later (empty
    in older rows) leaves their hashes as they were; emptying or filling a field still changes the hash."""
    skip = set(CHAIN_COLUMNS) | ({"id"} if table.name == "audit_log" else set())
    return {c.name: row[c.name] for c in table.columns if c.name not in skip and row.get(c.name) is not None}


def link(connection: Connection, chain: str, table: Table, rows: list[dict[str, Any]]) -> None:
    """Give ``rows`` their place, previous hash and own hash, and move the chain's head past them.

    The head row is locked (FOR UPDATE on PostgreSQL; SQLite writers are already one at a time) until the
    transaction ends: call this just before inserting, as late in the transaction as the rows allow.
    """
    if not rows or not chaining:
        return
    # Each row's own fields do not depend on its place: serialised here, so under the lock only SHA-256 runs.
    befores = [_hash_before(chain, hashed_fields(table, row)) for row in rows]
    seq, prev = connection.execute(_LOCK_HEAD, {"chain": chain}).one()
    for row, before in zip(rows, befores):
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev
        row["row_hash"] = prev = _hash_after(before, prev)
    connection.execute(_MOVE_HEAD, {"which": chain, "new_seq": seq, "new_hash": prev})
