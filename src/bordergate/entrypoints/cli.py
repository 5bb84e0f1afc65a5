"""The command line, bordergate's front door: serve, migrate, create accounts, run the demo, simulate."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click
import structlog
import uvicorn
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bordergate.adapters.sql.database import alembic_config, make_engine, upgrade
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.accounts import OrganisationKind, Role
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.errors import DomainError, Invalid
from bordergate.entrypoints.civic_cli import civic
from bordergate.entrypoints.evidence import audit, db_grant_app_role, retention
from bordergate.entrypoints.logs import configure_logging
from bordergate.entrypoints.open311_cli import open311_client
from bordergate.entrypoints.simulation import simulate
from bordergate.seeding import seed_crossing_points
from bordergate.seeding import sample_catalogue, seed_public_services
from bordergate.domain.service_commands import PublishAllowanceRule, PublishProcedures
from bordergate.services.authentication import SYSTEM

log = structlog.get_logger(__name__)


@click.group()
@click.version_option(package_name="bordergate")
def main() -> None:
    """bordergate: declare trucks online, queue them fairly, clear them at the border."""
    configure_logging(os.environ.get("BORDERGATE_LOG_LEVEL", "info"))


main.add_command(simulate)
main.add_command(audit)
main.add_command(retention)
main.add_command(open311_client)  # Open311 GeoReport v2 (issue 17)
main.add_command(civic)


def _fail(exc: DomainError) -> None:
    lines = [f"error: {exc.detail}"]
    if isinstance(exc, Invalid):
        lines += [f"  {p.field}: {p.message}" for p in exc.problems]
    raise click.ClickException("\n".join(lines))


def _at_head(url: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config(url))
    with make_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == script.get_current_head()


@main.command()
@click.option("--host", default=None, help="Interface to listen on (BORDERGATE_HOST).")
@click.option("--port", type=int, default=None, help="Port to listen on (BORDERGATE_PORT).")
@click.option("--workers", type=int, default=None, help="Server processes (BORDERGATE_WORKERS).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the REST API (OpenAPI at /docs) on the configured database."""
    settings = Settings()
    workers = workers or settings.workers
    if not _at_head(settings.database_url):
        raise click.ClickException("the database schema is not up to date: run `bordergate db upgrade` first")
    if workers > 1 and not settings.secret_key:
        raise click.ClickException("several workers must share BORDERGATE_SECRET_KEY; set it and start again")
    if settings.public_url.startswith("https://") and not settings.otp_key:
        raise click.ClickException("citizens' sign-in codes need their own key in production: set "
                                   "BORDERGATE_OTP_KEY (32+ random characters) and start again")
    _say_how_fees_are_paid(settings)
    uvicorn.run("bordergate.entrypoints.api.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, workers=workers, log_level=settings.log_level, access_log=False)


SANDBOX_WARNING = ("WARNING: BORDERGATE_SANDBOX_PAYMENTS is on: online payments go through the sandbox, where ANYONE "
                   "may mark a fee paid (POST /sandbox-pay/<order>) and no money moves. Never on a real gate: unset "
                   "it and set BORDERGATE_PAYMENT_URL, or take fees in cash.")


def _say_how_fees_are_paid(settings: Settings) -> None:
    """The sandbox on a served gate is free passage for every fee: said on stderr and in the log, not quietly."""
    if settings.sandbox_payments:
        click.echo(SANDBOX_WARNING, err=True)
        log.warning("sandbox payments are on: anyone may mark a fee paid", setting="BORDERGATE_SANDBOX_PAYMENTS")
    elif not settings.payment_url:
        log.info("no payment provider configured: fees are paid in cash at the desk; paying online is refused")


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema, then seed Lang Son's crossing points into an empty database."""
    settings = Settings()
    upgrade(settings.database_url, revision)
    added = seed_crossing_points(bootstrap(settings))
    click.echo(f"schema at {revision} on {settings.database_url.split('@')[-1]}; crossing points added: {added}")
    procedures, rule = seed_public_services(bootstrap(settings))
    click.echo(f"sample procedures published: {procedures}; allowance rule published: {'yes' if rule else 'no'}")


db.add_command(db_grant_app_role)


@main.group()
def organisations() -> None:
    """Enterprises, customs agencies and authorities."""


@organisations.command("add")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]), required=True)
@click.option("--tax-code", default=None, help="MST; required for enterprises and customs agencies.")
def organisations_add(name: str, kind: str, tax_code: str | None) -> None:
    """Register an organisation and print its id."""
    try:
        click.echo(bootstrap().bus.handle(commands.RegisterOrganisation(SYSTEM, name, kind, tax_code)))
    except DomainError as exc:
        _fail(exc)


@main.group()
def users() -> None:
    """Sign-in accounts."""


@users.command("create")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", "organisation_id", default=None, help="Organisation id (none for drivers).")
@click.password_option(envvar="BORDERGATE_NEW_PASSWORD", help="Prompted for when not given.")
def users_create(username: str, full_name: str, role: str, organisation_id: str | None, password: str) -> None:
    """Create a user and print their id."""
    try:
        click.echo(bootstrap().bus.handle(
            commands.CreateUser(SYSTEM, username, password, full_name, role, organisation_id)))
    except DomainError as exc:
        _fail(exc)


@main.group()
def checkpoints() -> None:
    """Checkpoints of the crossing points, where cameras read plates."""


@checkpoints.command("add")
@click.option("--crossing-point", required=True, help="e.g. HUU_NGHI")
@click.option("--kind", type=click.Choice([k.value for k in CheckpointKind]), required=True)
@click.option("--direction", type=click.Choice([d.value for d in Direction]), required=True)
@click.option("--name", required=True)
@click.option("--lanes", type=int, default=1, show_default=True)
def checkpoints_add(crossing_point: str, kind: str, direction: str, name: str, lanes: int) -> None:
    """Describe a checkpoint and print its id."""
    try:
        click.echo(bootstrap().bus.handle(commands.AddCheckpoint(SYSTEM, crossing_point, kind, direction, name,
                                                                 lanes)))
    except DomainError as exc:
        _fail(exc)


@checkpoints.command("list")
@click.option("--crossing-point", default=None)
def checkpoints_list(crossing_point: str | None) -> None:
    """Checkpoints and their cameras, one per line."""
    from bordergate.services.control_views import checkpoints as listing

    gate = bootstrap()
    for c in listing(gate.reader(), SYSTEM, crossing_point, "en"):
        click.echo(f"{c['id']}  {c['crossing_point']:<10} {c['direction']['code']:<8} {c['kind']['code']:<19} "
                   f"{c['name']} ({c['lanes']} lanes)")
        for camera in c["cameras"]:
            click.echo(f"    camera {camera['id']}  lane {camera['lane']}  {camera['status']['code']:<8} "
                       f"{camera['name']}")


@main.group()
def cameras() -> None:
    """Cameras and their keys."""


@cameras.command("register")
@click.option("--checkpoint", "checkpoint_id", required=True)
@click.option("--name", required=True)
@click.option("--lane", type=int, default=1, show_default=True)
def cameras_register(checkpoint_id: str, name: str, lane: int) -> None:
    """Register a camera; prints its id and its key (shown only now: set it in the camera as X-Camera-Key)."""
    try:
        camera_id, key = bootstrap().bus.handle(commands.RegisterCamera(SYSTEM, checkpoint_id, name, lane))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"camera {camera_id}\nkey    {key}")


@cameras.command("revoke")
@click.argument("camera_id")
@click.option("--reason", default=None)
def cameras_revoke(camera_id: str, reason: str | None) -> None:
    """Refuse the camera's reads from now on."""
    try:
        bootstrap().bus.handle(commands.RevokeCamera(SYSTEM, camera_id, reason))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"camera {camera_id} revoked")


@main.group()
def control() -> None:
    """Smart control at the gate."""


@control.command("sweep")
def control_sweep() -> None:
    """Raise alerts for silent cameras and trucks in the yard too long."""
    raised = bootstrap().bus.handle(commands.SweepGate(SYSTEM))
    click.echo(", ".join(f"{kind}: {count}" for kind, count in raised.items()))


@control.command("tick")
def control_tick() -> None:
    """One turn of what the server's timer does: call trucks forward, send notices, sweep (for cron)."""
    gate = bootstrap()
    for lane, turn in gate.bus.handle(commands.RunCallForward(SYSTEM)).items():
        click.echo(f"{lane}: " + ", ".join(f"{k} {v}" for k, v in turn.items()))
    sent = gate.bus.handle(commands.DeliverNotices(SYSTEM))
    click.echo("notices: " + ", ".join(f"{k} {v}" for k, v in sent.items()))
    raised = gate.bus.handle(commands.SweepGate(SYSTEM))
    click.echo("alerts raised: " + ", ".join(f"{k} {v}" for k, v in raised.items()))


@main.group()
def capacity() -> None:
    """Hourly capacity of the crossing points (the queue runs where it is set)."""


@capacity.command("set")
@click.option("--crossing-point", required=True)
@click.option("--direction", type=click.Choice([d.value for d in Direction]), required=True)
@click.option("--per-hour", type=int, required=True, help="Trucks an hour during working hours.")
@click.option("--hours", default="07-19", show_default=True, help="Working hours, local time: FROM-TO.")
def capacity_set(crossing_point: str, direction: str, per_hour: int, hours: str) -> None:
    """Set the usual capacity: PER_HOUR trucks each working hour, none outside."""
    try:
        first, last = (int(h) for h in hours.split("-"))
    except ValueError:
        raise click.BadParameter("give working hours as FROM-TO, e.g. 07-19", param_hint="--hours") from None
    hourly = tuple(per_hour if first <= h < last else 0 for h in range(24))
    try:
        moved = bootstrap().bus.handle(commands.SetCapacityPlan(SYSTEM, crossing_point, direction, hourly))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{crossing_point} {direction}: {per_hour}/h from {first:02}:00 to {last:02}:00; "
               f"bookings moved: {moved}")


@main.command()
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--database", default="bordergate-demo.db", show_default=True, help="SQLite file, made anew.")
@click.option("--no-serve", is_flag=True, help="Seed and print the accounts, then stop.")
@click.option("--speed", type=click.FloatRange(min=1, max=120), default=60, show_default=True,
              help="While serving, a normal 2025 day is replayed at this many times real time (60: an hour a "
                   "minute), so the board and the public page move. Faster, a 2-core machine falls behind.")
@click.option("--no-replay", is_flag=True, help="Serve the seeded demo on the real clock, with no replayed day.")
def demo(port: int, host: str, database: str, no_serve: bool, speed: float, no_replay: bool) -> None:
    """Seed Lang Son's crossing points, enterprises, vehicles and declarations, then serve them."""
    from bordergate.entrypoints.demo_run import run_demo

    run_demo(port, host, database, no_serve, speed, no_replay)


@main.group()
def procedures() -> None:
    """The procedures catalogue citizens search at /services, published as versions."""


@procedures.command("publish")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
def procedures_publish(path: str | None) -> None:
    """Publish a catalogue version from a JSON file (the shipped sample when none is given)."""
    document = json.loads(Path(path).read_text(encoding="utf-8")) if path else sample_catalogue()
    try:
        click.echo(bootstrap().bus.handle(PublishProcedures(SYSTEM, document)))
    except DomainError as exc:
        _fail(exc)


@main.group()
def allowance() -> None:
    """The border-resident allowance, published as versions."""


@allowance.command("publish")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def allowance_publish(path: str) -> None:
    """Publish an allowance version from a JSON file: version, in_force_from, value_vnd_per_day, times_per_month,
    legal_basis, confirmed (true only once checked against the law in force)."""
    try:
        click.echo(bootstrap().bus.handle(PublishAllowanceRule(SYSTEM, json.loads(Path(path).read_text("utf-8")))))
    except DomainError as exc:
        _fail(exc)
