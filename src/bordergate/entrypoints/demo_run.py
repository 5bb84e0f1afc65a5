"""`bordergate demo`: serve at once, prepare the replayed day behind the screens, then print what to try and as whom."""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
import uvicorn

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.notices import local_time
from bordergate.seeding import seed_crossing_points
from bordergate.entrypoints.demo import DayInPreparation, DemoWorld, replayed_demo, seed_demo
from bordergate.entrypoints.demo_citizens import CITIZENS, wire_citizen_sandboxes
from bordergate.entrypoints.demo_preparing import Preparation, WhilePreparing
from bordergate.entrypoints.simulation import fresh_sqlite

PROGRESS_SECONDS = 2.0  # how often the terminal hears how far the day's preparation is
_DEFAULT_BOOKINGS = Settings.model_fields["bookings_per_minute"].default


def demo_settings(url: str, base: str, speed: float, replaying: bool) -> Settings:
    """The demo's settings. The border guard's system is connected through its sandbox twin, so the demo shows a
    status no officer is asked to confirm. A sign-in lasts a shift (and an hour idle) on the gate's clock; on a
    replayed day that clock runs ``speed`` times faster, so both are stretched to stay real ones. One simulated
    enterprise books the day's trucks: no booking limit. A citizen's sign-in code is stretched alike."""
    stretch = speed if replaying else 1
    settings = Settings(database_url=url, public_url=base,
                        secret_key=os.environ.get("BORDERGATE_SECRET_KEY") or os.urandom(24).hex(),
                        agency_systems=f"border_guard={os.urandom(16).hex()}", sandbox_payments=True,
                        bookings_per_minute=1_000_000 if replaying else _DEFAULT_BOOKINGS,
                        session_absolute_minutes=round(480 * stretch), session_idle_minutes=round(60 * stretch))
    # A sign-in code must last five real minutes too: past the range a real gate may set, hence no validation.
    return settings.model_copy(update={"otp_ttl_seconds": round(300 * stretch)})


def run_demo(port: int, host: str, database: str, no_serve: bool, speed: float, no_replay: bool) -> None:
    """Seed and serve the demo; replaying a day, the screens are served first and say the day is being prepared."""
    url = fresh_sqlite(Path(database))
    upgrade(url)
    base = f"http://{host}:{port}"
    replaying = not (no_serve or no_replay)
    settings = demo_settings(url, base, speed, replaying)
    from bordergate.entrypoints.api.app import create_app

    if not replaying:
        gate = bootstrap(settings)
        wire_citizen_sandboxes(gate)
        seed_crossing_points(gate)
        world = seed_demo(gate)
        print_world(gate, world, base, replaying=False)
        if not no_serve:
            serve(create_app(gate), host, port, lambda: _echo(f"serving at {base}/"))
        return
    _echo(f"replaying a normal 2025 day at {speed:g}x: the screens are served at once while the day's trucks are "
          "declared up to 04:00 on the gate's clock; they say so until it is done")
    gate, day = replayed_demo(settings, datetime.now(GATE_TIME).date(), speed)
    wire_citizen_sandboxes(gate)
    announcer = threading.Thread(target=announce, args=(gate, day, base, speed), name="bordergate-demo-announcer",
                                 daemon=True)

    def listening() -> None:
        _echo(f"serving at {base}/ (the public page; the day is being prepared)")
        day.start()  # only now: preparing the day competes for the CPU with starting to serve
        announcer.start()
    try:
        serve(WhilePreparing(create_app(gate), lambda: preparation(day)), host, port, listening)
    finally:
        day.stop()
    if day.world is None:
        raise click.ClickException(f"the replayed day could not be prepared: {day.failure}")


def preparation(day: DayInPreparation) -> Preparation | None:
    """None once the day is ready (or its preparation failed); until then, how far it is."""
    if day.ready.is_set():
        return None
    return Preparation(*day.trucks_declared())


def announce(gate: Gate, day: DayInPreparation, base: str, speed: float) -> None:
    """A progress line every few seconds while the day is prepared; then the world to try, or why it failed (and the
    server stops: a demo without its day is no demo)."""
    while not day.ready.wait(PROGRESS_SECONDS):
        declared, due = day.trucks_declared()
        reads = local_time(gate.clock.now(), "en")
        if due and declared == due:
            _echo(f"  preparing the day: all {due} trucks declared; making the demo's accounts, checkpoints and "
                  f"trucks (the gate's clock reads {reads})")
        else:
            _echo(f"  preparing the day: {declared} of {due} trucks declared (the gate's clock reads {reads})")
    if day.world is None:
        _echo(f"the replayed day could not be prepared: {day.failure}")
        os.kill(os.getpid(), signal.SIGINT)  # uvicorn's own way out: it stops serving and run_demo says why
        return
    _echo(f"the day is ready: the gate's clock reads {local_time(gate.clock.now(), 'en')} and runs {speed:g}x")
    print_world(gate, day.world, base, replaying=True)


def print_world(gate: Gate, world: DemoWorld, base: str, replaying: bool) -> None:
    """Each address to open with the account it needs, every camera key of the export journey, a read to send."""
    _echo(f"bordergate demo on {base}/")
    _echo(f"  public page (no account): {base}/      sign in: {base}/signin      API docs: {base}/docs")
    _echo(f"  screens: {base}/board as dieuhanh; {base}/portal as lan; {base}/agency as haiquan (customs) or "
          f"kiemdich (quarantine); {base}/admin as admin")
    _echo(f"  the durian truck's driver page (no account, the link is the key): {world.driver_link}")
    for username, (role, password) in world.accounts.items():
        _echo(f"  sign in as {username:<12} ({role}) password: {password}")
    if world.reports:
        _echo("  citizen reports, filed as congdan (or anonymously) and handled by each unit's .canbo: "
              + ", ".join(f"{shows} {code}" for shows, code in world.reports.items()))
    _echo("  cameras of the export journey at Hữu Nghị (each camera's key, sent as X-Camera-Key; no account):")
    for checkpoint, key in world.cameras:
        _echo(f"    {checkpoint}: {key}")
    # A replayed day runs on its own clock: a read must not be ahead of it.
    captured = gate.clock.now().isoformat(timespec="seconds") if replaying else "'$(date -Iseconds)'"
    border_key = world.cameras[-1][1]
    if replaying:
        _echo("    (the read below carries the gate's time now; later, take the time from GET /healthz: a read "
              "ahead of the gate's clock, or older than a day, is refused)")
    _echo(f"    try, at the border: curl -X POST {base}/api/v1/plate-reads -H 'X-Camera-Key: {border_key}' "
          f"-H 'Content-Type: application/json' -d '{{\"captured_at\": \"{captured}\", "
          "\"plate\": \"12C-123.45\", \"confidence\": 0.95}'")
    _echo(f"  agencies: GET {base}/api/v1/declarations/{world.cleared}/clearance as lan (a token from POST "
          f"{base}/api/v1/auth/token): customs and plant quarantine released it after the declarant answered a hold; "
          "the border guard's system, a sandbox twin, too")
    _echo(f"  fees: receipt {world.receipt}: GET {base}/api/v1/receipts/{world.receipt}.pdf as dailyhq; "
          f"verify (no account): {gate.receipt_url(world.receipt)}")
    _echo(f"  citizens: sign in by phone at {base}/citizen/sign-in (any number; read the SMS at "
          f"{base}/sandbox/sms), or with VNeID's sandbox as:")
    for subject, phone, name in CITIZENS:
        _echo(f"    {name} ({subject}, phone {phone})")
    _echo(f"  the citizen app (open it on a phone, installable): {base}/citizen/; public reports {base}/reports and "
          f"each unit's figures {base}/reports/stats; a unit's inbox {base}/unit/ as bqlck.canbo; Open311: "
          f"{base}/open311/v2/services.json")
    _echo(f"  public services (no account): {base}/services?q=lam+ho+chieu (a sample catalogue, typed without "
          f"diacritics); an application's status: {base}/services/status?receipt=000.00.25.H35-261202-0002 "
          "(the one-stop system's sandbox)")


def serve(app: Callable, host: str, port: int, on_listening: Callable[[], object]) -> None:
    """Serve ``app`` until interrupted; ``on_listening`` runs once the port answers."""
    server = _Listening(uvicorn.Config(app, host=host, port=port, log_level="warning"), on_listening)
    server.run()


class _Listening(uvicorn.Server):
    """uvicorn's server, telling us once its socket is bound (it exits instead when it cannot bind)."""

    def __init__(self, config: uvicorn.Config, on_listening: Callable[[], object]) -> None:
        super().__init__(config)
        self.on_listening = on_listening

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            self.on_listening()


def _echo(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()
