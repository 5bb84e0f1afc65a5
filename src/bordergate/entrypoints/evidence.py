"""bordergate audit verify | export-head, db grant-app-role, retention purge; and the server's periodic turns."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import Engine

from bordergate.adapters.sql.database import make_engine
from bordergate.adapters.sql.privileges import grant_app_role
from bordergate.adapters.sql.verification import TABLES, append_heads, export_heads, read_heads, verify_chain
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.services.authentication import SYSTEM
from bordergate.services.ports import SystemClock

HEADS_FILE = "audit-heads.jsonl"


@click.group()
def audit() -> None:
    """The tamper-evident audit trail and plate reads (hash chains)."""


@audit.command("verify")
@click.option("--chain", "chains", type=click.Choice(sorted(TABLES)), multiple=True,
              help="The chain to verify (default: both).")
@click.option("--head", "head_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A file of exported heads (bordergate audit export-head): each must still be in its chain, "
                   "which is how a truncated tail shows.")
def audit_verify(chains: tuple[str, ...], head_file: Path | None) -> None:
    """Recompute the chains and name the first broken row; exit 1 on any break."""
    heads = read_heads(head_file) if head_file else []
    engine = make_engine(Settings().database_url, 1)
    broken = False
    try:
        with engine.connect() as connection:
            for chain in chains or tuple(TABLES):
                verdict = verify_chain(connection, chain, heads)
                if verdict.holds:
                    last = f"seq {verdict.last[0]} {verdict.last[1][:16]}..." if verdict.last else "empty"
                    checked = sum(1 for h in heads if h.get("chain") == chain)
                    click.echo(f"{chain}: {verdict.rows} rows, chain holds (last {last}; "
                               f"{checked} exported heads checked)")
                    continue
                broken = True
                click.echo(f"BROKEN at {verdict.breaks[0]}", err=True)
                for more in verdict.breaks[1:10]:
                    click.echo(f"  then {more}", err=True)
    finally:
        engine.dispose()
    if broken:
        raise SystemExit(1)


@audit.command("export-head")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def audit_export_head(file: Path) -> None:
    """Append each chain's head ({chain, id, hash, at} lines) to FILE: keep it where the server cannot write."""
    engine = make_engine(Settings().database_url, 1)
    try:
        heads = write_heads(engine, file, SystemClock().now())
    finally:
        engine.dispose()
    for head in heads:
        click.echo(json.dumps(head, sort_keys=True))


def write_heads(engine: Engine, file: Path, now: datetime) -> list[dict]:
    with engine.connect() as connection:
        heads = export_heads(connection, now)
    append_heads(file, heads)
    return heads


@click.command("grant-app-role")
@click.argument("role")
def db_grant_app_role(role: str) -> None:
    """As the owner, after `db upgrade`: let ROLE run the server, adding evidence but never rewriting it."""
    engine = make_engine(Settings().database_url, 1)
    try:
        statements = grant_app_role(engine, role)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    finally:
        engine.dispose()
    for statement in statements:
        click.echo(statement)


@click.group()
def retention() -> None:
    """Personal data of finished trips (BORDERGATE_RETENTION_DAYS)."""


@retention.command("purge")
def retention_purge() -> None:
    """Pseudonymise the drivers of trips finished longer ago than the retention period, now."""
    gate = bootstrap()
    if not gate.settings.retention_days:
        raise click.ClickException("BORDERGATE_RETENTION_DAYS is not set: personal data is kept for good")
    total = {"trips": 0, "saved_drivers": 0}
    while True:
        done = gate.bus.handle(commands.ErasePersonalData(SYSTEM))
        total = {k: total[k] + done[k] for k in total}
        if done["trips"] < commands.ErasePersonalData.batch:
            break
    click.echo(f"before {done['before']}: {total['trips']} trips and {total['saved_drivers']} saved drivers "
               "pseudonymised")


class HeadExports:
    """The server's periodic export of the chains' heads (BORDERGATE_AUDIT_HEAD_FOLDER, _MINUTES)."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate
        self.last: datetime | None = None

    def due(self) -> bool:
        folder, now = self.gate.settings.audit_head_folder, self.gate.clock.now()
        every = timedelta(minutes=self.gate.settings.audit_head_minutes)
        return bool(folder) and (self.last is None or now - self.last >= every)

    def export(self) -> None:
        now = self.gate.clock.now()
        write_heads(self.gate.engine, Path(self.gate.settings.audit_head_folder) / HEADS_FILE, now)
        self.last = now
