"""The append-only audit trail in SQL: every event, with who and when, in the same transaction as the change."""
from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, cast

from sqlalchemy import Connection, insert, select

from bordergate.adapters.payloads import event_payload
from bordergate.adapters.sql import chain
from bordergate.adapters.sql.chain import canonical
from bordergate.adapters.sql.evidence_tables import audit_personal
from bordergate.adapters.sql.tables import audit_log
from bordergate.domain.events import Event
from bordergate.domain.personal_data import owner_of, personal_paths, personal_subject
from bordergate.services.repositories import AuditEntry

SEALED = "sealed:"
_TOKEN = re.compile(r"sealed:[0-9a-f]{32}")
ERASED = "(erased)"


def _copied(value: Any) -> Any:
    """A copy of the dicts and lists ``seal`` may write into; other values are shared, as nothing changes them.
    (copy.deepcopy did the same at three times the cost, on every event of every change.)"""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def seal_digest(value: Any, salt: str) -> str:
    """The commitment to a personal value kept on the trail: a salted SHA-256 (the salt makes a short ID number
    impossible to find by trying them all once the value and salt are erased)."""
    return SEALED + hashlib.sha256(bytes.fromhex(salt) + canonical(value)).hexdigest()[:32]


def seal(row: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The audit row as the trail keeps it, personal values replaced by their digests; and those values with
    their salts, for ``audit_personal``."""
    row = {**row, "payload": _copied(row["payload"])}
    owner = owner_of(row["action"], row["subject_type"], row["subject_id"], row["payload"])
    kept: list[dict[str, Any]] = []

    def sealed(value: Any) -> str:
        salt = secrets.token_hex(16)
        token = seal_digest(value, salt)
        kept.append({"token": token, "value": value, "salt": salt, "owner": owner})
        return token

    for path in personal_paths(row["action"], row["subject_type"], row["payload"]):
        *parents, leaf = path
        holder = row["payload"]
        for step in parents:
            holder = holder[step]
        value = holder.get(leaf) if isinstance(holder, dict) else holder[leaf]
        if value is not None:
            holder[leaf] = sealed(value)
    split = personal_subject(row["subject_type"], row["subject_id"])
    if split:
        row["subject_id"] = split[0] + sealed(split[1])
    return row, kept


def unseal(value: Any, known: dict[str, Any]) -> Any:
    """A stored payload with its personal values put back, or ``(erased)`` where they were erased."""
    if isinstance(value, str) and SEALED in value:
        if _TOKEN.fullmatch(value):
            return known.get(value, ERASED)
        return _TOKEN.sub(lambda m: str(known.get(m.group(0), ERASED)), value)
    if isinstance(value, dict):
        return {k: unseal(v, known) for k, v in value.items()}
    if isinstance(value, list):
        return [unseal(v, known) for v in value]
    return value


class SqlAudit:
    """Writes events to the audit trail and reads a subject's history back, oldest first."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, events: list[Event]) -> None:
        if not events:
            return
        rows, personal = [], []
        for e in events:
            row, kept = seal({"at": e.at, "actor": e.actor, "action": type(e).__name__,
                              "subject_type": e.subject[0], "subject_id": e.subject[1], "payload": event_payload(e)})
            rows.append(row)
            personal.append(kept)
        # The chain's head is locked here, at commit: the last statements of the transaction.
        chain.link(self.connection, "audit", audit_log, rows)
        self.connection.execute(insert(audit_log), rows)
        values = [{**value, "seq": row.get("seq")} for row, kept in zip(rows, personal) for value in kept]
        if values and chain.chaining:
            self.connection.execute(insert(audit_personal), values)

    def history(self, subject_type: str, subject_id: str) -> list[AuditEntry]:
        rows = [dict(row) for row in self.connection.execute(
            select(audit_log).where(audit_log.c.subject_type == subject_type, audit_log.c.subject_id == subject_id)
            .order_by(audit_log.c.seq, audit_log.c.id)).mappings()]
        seqs = [row["seq"] for row in rows if row["seq"] is not None]
        known = {}
        if seqs:
            known = {token: value for token, value in self.connection.execute(
                select(audit_personal.c.token, audit_personal.c.value).where(audit_personal.c.seq.in_(seqs)))}
        for row in rows:
            row["payload"] = unseal(row["payload"], known)
            for column in chain.CHAIN_COLUMNS:
                row.pop(column, None)
        return cast(list[AuditEntry], rows)
