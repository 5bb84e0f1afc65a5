"""`bordergate open311-client`: register an Open311 client (its api_key printed once), list and revoke them."""
from __future__ import annotations

import click

from bordergate.bootstrap import bootstrap
from bordergate.domain.errors import DomainError, Invalid
from bordergate.domain.open311_commands import RegisterOpen311Client, RevokeOpen311Client
from bordergate.services.authentication import SYSTEM


def _fail(exc: DomainError) -> None:
    lines = [f"error: {exc.detail}"]
    if isinstance(exc, Invalid):
        lines += [f"  {p.field}: {p.message}" for p in exc.problems]
    raise click.ClickException("\n".join(lines))


@click.group("open311-client")
def open311_client() -> None:
    """Applications that post Open311 service requests, and their keys."""


@open311_client.command("add")
@click.option("--name", required=True, help="The application's name, as its operators know it.")
@click.option("--trust", type=click.Choice(["trusted", "screened"]), required=True,
              help="trusted: the province's own portals, reports public at once; screened: other apps, reports "
                   "held until the unit accepts them.")
@click.option("--per-minute", type=int, default=60, show_default=True, help="Requests it may post a minute.")
@click.option("--per-day", type=int, default=2000, show_default=True, help="Requests it may post a day.")
def add(name: str, trust: str, per_minute: int, per_day: int) -> None:
    """Register a client; prints its id and its api_key (shown only now: only its SHA-256 is kept)."""
    try:
        client_id, key = bootstrap().bus.handle(RegisterOpen311Client(SYSTEM, name, trust, per_minute, per_day))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"client  {client_id}\napi_key {key}")


@open311_client.command("list")
def listing() -> None:
    """The registered clients (never their keys)."""
    with bootstrap().reader() as uow:
        clients = uow.open311.clients()
    for c in clients:
        state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
        click.echo(f"{c.id}  {c.trust.value:<8} {c.per_minute}/min {c.per_day}/day  {state:<18} {c.name}")


@open311_client.command("revoke")
@click.argument("client_id")
def revoke(client_id: str) -> None:
    """Refuse the client's requests from now on."""
    try:
        bootstrap().bus.handle(RevokeOpen311Client(SYSTEM, client_id))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Open311 client {client_id} revoked")
