"""Tampering with the evidence as an attacker with the owner's rights would, and verifying the chains after."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from bordergate.adapters.sql.chain import hashed_fields, row_hash
from bordergate.adapters.sql.verification import TABLES, Verdict, export_heads, verify_chain
from bordergate.bootstrap import Gate

TABLE_NAMES = {"audit": "audit_log", "plate_reads": "plate_reads"}


def verify(gate: Gate, chain: str, heads: list[dict[str, Any]] = ()) -> Verdict:
    with gate.engine.connect() as connection:
        return verify_chain(connection, chain, heads)


def heads_now(gate: Gate) -> list[dict[str, Any]]:
    with gate.engine.connect() as connection:
        return export_heads(connection, gate.clock.now())


def row_at(gate: Gate, chain: str, seq: int) -> dict[str, Any]:
    table = TABLES[chain]
    with gate.engine.connect() as connection:
        return dict(connection.execute(select(table).where(table.c.seq == seq)).mappings().one())


def last_seq(gate: Gate, chain: str) -> int:
    with gate.engine.connect() as connection:
        return connection.execute(text(f"SELECT max(seq) FROM {TABLE_NAMES[chain]}")).scalar_one()


def as_attacker(gate: Gate, *statements: str, params: dict[str, Any] | None = None) -> None:
    """Run ``statements`` as the database's owner, with the append-only triggers out of the way first: dropped on
    SQLite, disabled on PostgreSQL (both need the owner, which the server's own role is not)."""
    with gate.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in TABLE_NAMES.values():
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            for table in TABLE_NAMES.values():
                for verb in ("update", "delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
        for statement in statements:
            connection.execute(text(statement), params or {})
        if connection.dialect.name == "postgresql":
            for table in TABLE_NAMES.values():
                connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


def insert_forged(gate: Gate, chain: str, after: int) -> None:
    """A forged row slipped in after ``after``, correctly hashed onto it (the attacker knows the algorithm), the
    rows after it moved one place down."""
    table, name = TABLES[chain], TABLE_NAMES[chain]
    forged = row_at(gate, chain, after)
    if chain == "audit":
        forged.pop("id")
        forged["actor"] = "someone who was never here"
    else:
        forged["id"] = forged["camera_read_id"] = "forged-read"
        forged["plate_text"] = "99C99999"
    forged["seq"], forged["prev_hash"] = after + 1, forged["row_hash"]
    forged["row_hash"] = row_hash(chain, hashed_fields(table, forged), forged["prev_hash"])
    big = 1_000_000
    as_attacker(gate, f"UPDATE {name} SET seq = seq + {big} WHERE seq > {after}",
                f"UPDATE {name} SET seq = seq - {big} + 1 WHERE seq > {big}")
    with gate.engine.begin() as connection:
        connection.execute(table.insert().values(**forged))


def rehash_from(gate: Gate, chain: str, seq: int) -> None:
    """The thorough attacker: every link from ``seq`` on recomputed, and the database's head moved to match."""
    table, name = TABLES[chain], TABLE_NAMES[chain]
    with gate.engine.connect() as connection:
        rows = [dict(r) for r in connection.execute(select(table).where(table.c.seq >= seq - 1)
                                                    .order_by(table.c.seq)).mappings()]
    statements, prev = [], rows[0]["row_hash"]
    for row in rows[1:]:
        this = row_hash(chain, hashed_fields(table, row), prev)
        statements.append(f"UPDATE {name} SET prev_hash = '{prev}', row_hash = '{this}' WHERE seq = {row['seq']}")
        prev = this
    statements.append(f"UPDATE chain_heads SET seq = {rows[-1]['seq']}, row_hash = '{prev}' "
                      f"WHERE chain = '{chain}'")
    as_attacker(gate, *statements)
