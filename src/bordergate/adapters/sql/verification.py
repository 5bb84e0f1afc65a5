"""Verifying the evidence chains from the rows themselves, and exporting their heads to be checked against."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select

from bordergate.adapters.sql.audit import seal_digest
from bordergate.adapters.sql.chain import GENESIS, hashed_fields, row_hash
from bordergate.adapters.sql.evidence_tables import audit_personal, chain_heads
from bordergate.adapters.sql.tables import audit_log, plate_reads

TABLES: dict[str, Table] = {"audit": audit_log, "plate_reads": plate_reads}
# When each chain's rows were written: they follow one another in time, within what a commit can take.
WRITTEN = {"audit": "at", "plate_reads": "received_at"}
# A row written earlier than a row before it by more than this was back-dated (a command that read the clock
# before another committed first can only be behind it by as long as it took).
BACKDATING_TOLERANCE = timedelta(hours=1)


@dataclass(frozen=True)
class Break:
    """Where a chain stops holding: the row (its place and id) and what is wrong with it."""

    chain: str
    seq: int | None
    row_id: str
    kind: str  # edited, deleted, inserted, reordered, truncated, back-dated, unchained
    detail: str

    def __str__(self) -> str:
        place = f"seq {self.seq}" if self.seq is not None else "no seq"
        return f"{self.chain}: row {self.row_id} ({place}) {self.kind}: {self.detail}"


@dataclass
class Verdict:
    """One chain verified: how many rows, its last link, and the breaks found (the first one first)."""

    chain: str
    rows: int = 0
    last: tuple[int, str] | None = None
    breaks: list[Break] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.breaks


def verify_chain(connection: Connection, chain: str, exported: Iterable[dict[str, Any]] = ()) -> Verdict:
    """Recompute ``chain`` row by row; each head in ``exported`` (from ``export_heads``) must still be in it."""
    table = TABLES[chain]
    ident = table.c.id
    verdict = Verdict(chain)
    # Every row's hash by place first, so a link that points elsewhere says where it points.
    place_of = {h: s for s, h in connection.execute(select(table.c.seq, table.c.row_hash)
                                                     .where(table.c.seq.is_not(None)))}
    hash_at = {0: GENESIS, **{s: h for h, s in place_of.items()}}  # seq 0: the empty chain
    prev, prev_seq = GENESIS, 0
    rows = connection.execution_options(stream_results=True, yield_per=2000).execute(
        select(table).order_by(table.c.seq.is_(None), table.c.seq, ident)).mappings()
    latest = None
    for row in rows:
        verdict.rows += 1
        found = (_judge(chain, table, row, prev, prev_seq, place_of, connection)
                 or _back_dated(chain, row, WRITTEN[chain], latest))
        if found:
            verdict.breaks.append(found)
        written = row[WRITTEN[chain]]
        latest = written if latest is None or written > latest else latest
        if row["seq"] is not None:
            prev, prev_seq = row["row_hash"], row["seq"]
            verdict.last = (row["seq"], row["row_hash"])
    head = connection.execute(select(chain_heads.c.seq, chain_heads.c.row_hash)
                              .where(chain_heads.c.chain == chain)).first()
    heads = [{"id": head[0], "hash": head[1], "at": "the database's own chain head"}] if head else []
    heads += [h for h in exported if h.get("chain") == chain]
    for h in heads:
        found = _against_head(chain, h, prev_seq, hash_at)
        if found:
            verdict.breaks.append(found)
    if chain == "audit":
        verdict.breaks += _personal_values(connection)
    return verdict


def _judge(chain, table, row, prev, prev_seq, place_of, connection) -> Break | None:
    ident, seq = str(row["id"]), row["seq"]
    if seq is None or row["row_hash"] is None or row["prev_hash"] is None:
        return Break(chain, seq, ident, "unchained", "the row has no link in the chain: it was inserted "
                                                     "outside bordergate")
    if row_hash(chain, hashed_fields(table, row), row["prev_hash"]) != row["row_hash"]:
        return Break(chain, seq, ident, "edited", "its fields no longer match its hash: the row was changed "
                                                  "after it was written")
    if row["prev_hash"] == prev:
        if seq != prev_seq + 1:
            return Break(chain, seq, ident, "renumbered", f"it follows seq {prev_seq} but is numbered {seq}")
        return None
    follows = place_of.get(row["prev_hash"])
    if follows is None:
        return Break(chain, seq, ident, "deleted", f"the row it follows is gone: a row between seq {prev_seq} "
                                                   "and this one was deleted")
    if follows > seq:
        return Break(chain, seq, ident, "reordered", f"it follows the row now at seq {follows}, after it: rows "
                                                     "were moved")
    inserted = connection.execute(select(table.c.id).where(table.c.seq == follows + 1)).scalar()
    extra = f"seq {follows + 1} was" if follows + 1 == prev_seq else f"seq {follows + 1} to {prev_seq} were"
    return Break(chain, follows + 1, str(inserted), "inserted",
                 f"the row at seq {seq} follows seq {follows}: {extra} inserted between them")


def _back_dated(chain: str, row, column: str, latest: datetime | None) -> Break | None:
    """A row correctly linked at the end of the chain, but written with a time well before the rows it follows."""
    written = row[column]
    if latest is None or written is None or written >= latest - BACKDATING_TOLERANCE:
        return None
    return Break(chain, row["seq"], str(row["id"]), "back-dated",
                 f"written at {written.isoformat()}, after a row written at {latest.isoformat()}: a row was added "
                 "with a time in the past")


def _against_head(chain: str, head: dict[str, Any], last_seq: int, hash_at: dict[int, str]) -> Break | None:
    seq, at = int(head["id"]), head.get("at")
    if seq > last_seq:
        return Break(chain, seq, "-", "truncated", f"the head of {at} names seq {seq}, but the chain ends at seq "
                                                   f"{last_seq}: rows were removed from its end")
    if hash_at.get(seq) != head["hash"]:
        return Break(chain, seq, "-", "rewritten", f"the row at seq {seq} is not the one the head of {at} names: "
                                                   "the chain was rewritten up to there")
    return None


def _personal_values(connection: Connection) -> list[Break]:
    """A personal value still kept must match the digest the trail committed to."""
    broken = []
    for seq, token, value, salt in connection.execute(select(
            audit_personal.c.seq, audit_personal.c.token, audit_personal.c.value, audit_personal.c.salt)):
        if seal_digest(value, salt) != token:
            broken.append(Break("audit", seq, token, "edited", "a personal value does not match the digest the "
                                                               "trail committed to"))
    return broken


def export_heads(connection: Connection, now: datetime) -> list[dict[str, Any]]:
    """The last link of each chain as it stands, for a file the server cannot write over."""
    heads = []
    for chain, table in TABLES.items():
        last = connection.execute(select(table.c.seq, table.c.row_hash).where(table.c.seq.is_not(None))
                                  .order_by(table.c.seq.desc()).limit(1)).first()
        if last:
            heads.append({"chain": chain, "id": last[0], "hash": last[1], "at": now.isoformat()})
    return heads


def append_heads(path: Path, heads: list[dict[str, Any]]) -> None:
    """Add the heads to ``path``, one JSON line each; earlier lines stay, so every export can be checked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        for head in heads:
            file.write(json.dumps(head, sort_keys=True) + "\n")


def read_heads(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
