"""``bordergate simulate``: run a scenario under each policy, print the KPIs, write the journeys and the plots."""
from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import click

from bordergate.simulator.policies import POLICIES
from bordergate.simulator.scenario import Scenario, ScenarioInvalid, load, shipped


@click.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=2026, show_default=True, help="Same scenario and seed, same trucks.")
@click.option("--policy", "policies", multiple=True, type=click.Choice(list(POLICIES)),
              help="Run only this policy (repeat for several); all three by default, on the same trucks.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for journeys.csv, kpis.json and the plots [default: simulation-SCENARIO-SEED].")
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots.")
@click.option("--through-system", is_flag=True,
              help="Drive the trucks through the real system in-process (database, commands, call-forward loop) "
                   "and compare its calls with the model's bordergate policy.")
@click.option("--lane", "lanes", multiple=True, metavar="POINT:DIRECTION",
              help="With --through-system: only this lane (repeat for several), e.g. HUU_NGHI:outbound.")
@click.option("--database", default=None, help="With --through-system: database URL [default: a new SQLite file "
                                                "in the output folder].")
@click.option("--server", default=None, metavar="URL",
              help="With --through-system: drive a running bordergate over HTTP instead, at its own clock's pace "
                   "(the scenario is moved to start when its first truck can still be declared there).")
@click.option("--user", default="admin", show_default=True, help="With --server: an admin account there.")
@click.option("--password", envvar="BORDERGATE_SIMULATOR_PASSWORD", default=None,
              help="With --server: that account's password [env: BORDERGATE_SIMULATOR_PASSWORD].")
def simulate(scenario: str, seed: int, policies: tuple[str, ...], out: Path | None, no_plots: bool,
             through_system: bool, lanes: tuple[str, ...], database: str | None, server: str | None, user: str,
             password: str | None) -> None:
    """Run SCENARIO (a shipped name or a JSON file) and compare the policies against the hindsight bound.

    Shipped scenarios: normal_day_2025, harvest_peak, december_2021, holiday_closure, camera_outage,
    collapse_december_2021.
    """
    from bordergate.simulator.report import kpi_table, write_journeys, write_kpis
    from bordergate.simulator.run import simulate as run

    try:
        chosen = load(scenario)
    except ScenarioInvalid as exc:
        raise click.ClickException(f"{exc}\nShipped scenarios: {', '.join(shipped())}") from None
    folder = out or Path(f"simulation-{chosen.name}-{seed}")
    if through_system:
        indices = _lane_indices(chosen, lanes)
        folder.mkdir(parents=True, exist_ok=True)
        if server:
            results = _over_http(chosen, seed, indices, server, user, password)
        else:
            results = _through_system(chosen, seed, indices, database or fresh_sqlite(folder / "system.db"))
    else:
        results = run(chosen, seed, policies or tuple(POLICIES))
        folder.mkdir(parents=True, exist_ok=True)
    click.echo(kpi_table(results))
    rows = write_journeys(results, folder / "journeys.csv")
    write_kpis(results, folder / "kpis.json")
    click.echo(f"\n{rows:,} journeys: {folder / 'journeys.csv'}; KPIs per crossing point: {folder / 'kpis.json'}")
    if not no_plots:
        from bordergate.simulator.plots import draw

        for path in draw(results, folder):
            click.echo(f"plot: {path}")


def _lane_indices(scenario: Scenario, names: tuple[str, ...]) -> list[int]:
    known = {lane.name: index for index, lane in enumerate(scenario.lanes)}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.ClickException(f"no lane {', '.join(unknown)} in {scenario.name}; its lanes: {', '.join(known)}")
    return [known[name] for name in names] if names else list(known.values())


def fresh_sqlite(path: Path) -> str:
    """A SQLite URL at ``path``, the file and its journals removed first."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _through_system(scenario: Scenario, seed: int, lanes: list[int], url: str):
    """A gate of its own on ``url`` on a simulated clock; the scenario driven through it, and the comparison."""
    from bordergate.adapters.sql.database import upgrade
    from bordergate.bootstrap import bootstrap
    from bordergate.config import Settings
    from bordergate.seeding import seed_crossing_points
    from bordergate.services.ports import FixedClock
    from bordergate.simulator.clients import InProcess
    from bordergate.simulator.lanes import start_of
    from bordergate.simulator.system import compare

    upgrade(url)
    _require_empty(url)
    clock = FixedClock(start_of(scenario) - timedelta(days=30))
    # One enterprise books every truck of the scenario, so the per-person booking limit is lifted; the loop is
    # turned by the simulator each simulated minute, not by a timer.
    settings = Settings(database_url=url, secret_key=os.environ.get("BORDERGATE_SECRET_KEY") or os.urandom(24).hex(),
                        bookings_per_minute=1_000_000, sweep_seconds=0)
    gate = bootstrap(settings, clock=clock, rng=random.Random(seed))
    seed_crossing_points(gate)

    def pace(moment) -> None:
        clock.at = moment

    try:
        results, tally = compare(scenario, seed, InProcess.with_people(gate), pace, lanes)
    finally:
        gate.engine.dispose()
    return _told(results, tally, url)


def _require_empty(url: str) -> None:
    """A simulated day needs a database of its own: its ids and plates repeat from run to run of a seed."""
    from sqlalchemy import func, select

    from bordergate.adapters.sql.database import make_engine
    from bordergate.adapters.sql.tables import organisations

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            used = connection.execute(select(func.count()).select_from(organisations)).scalar_one()
    finally:
        engine.dispose()
    if used:
        raise click.ClickException(f"{url} already holds {used} organisations; simulate on a new, empty database "
                                   "(leave out --database for a new SQLite file)")


def _over_http(scenario: Scenario, seed: int, lanes: list[int], server: str, user: str, password: str | None):
    """The scenario driven through a running server at its clock's pace, moved to a day still ahead of it."""
    import time

    import httpx

    from bordergate.domain.capacity import GATE_TIME
    from bordergate.domain.errors import ChangedMeanwhile
    from bordergate.simulator.http import OverHttp, ServerRefused
    from bordergate.simulator.lanes import start_of
    from bordergate.simulator.scenario import shifted
    from bordergate.simulator.system import compare
    from bordergate.simulator.traffic import generate

    if not password:
        raise click.ClickException("--server needs the admin's --password (or BORDERGATE_SIMULATOR_PASSWORD)")
    with httpx.Client(base_url=server, timeout=60) as http:
        try:
            client = OverHttp.with_people(http, user, password)
            now = client.now()
        except (ServerRefused, httpx.HTTPError) as exc:
            raise click.ClickException(f"cannot drive {server}: {exc}") from None
        earliest = min(t.declared for t in generate(scenario, seed))  # minutes from the first day's midnight
        day = (now - timedelta(minutes=earliest) + timedelta(days=1)).astimezone(GATE_TIME).date()
        moved = shifted(scenario, day)
        first = (start_of(moved) + timedelta(minutes=earliest)).astimezone(GATE_TIME)
        click.echo(f"driving {server}: the scenario moved to start on {day}; its first truck declares at "
                   f"{first:%Y-%m-%d %H:%M} (UTC+7) on the server's clock, which reads "
                   f"{now.astimezone(GATE_TIME):%Y-%m-%d %H:%M}")

        def pace(moment) -> None:
            while (ahead := (moment - client.now()).total_seconds()) > 0:
                time.sleep(min(ahead, 1.0))

        try:
            results, tally = compare(moved, seed, client, pace, lanes)
        except (ServerRefused, ChangedMeanwhile) as exc:
            raise click.ClickException(f"{server} refused the simulator: {exc}") from None
        except httpx.HTTPError as exc:
            raise click.ClickException(f"{server} stopped answering: {exc}") from None
    return _told(results, tally, server)


def _told(results, tally, where: str):
    """Say what happened along the way and how the system's calls compare with the model's."""
    from bordergate.simulator.system import agreement

    matched = agreement(results)
    click.echo(f"through the system ({where}): {tally.declared:,} declared, {tally.warned:,} shelf-life warnings "
               f"({tally.asked_again:,} asked again after holding back), {tally.entered_by_hand:,} plates typed in, "
               f"{tally.released_by_officers:,} officer releases, {tally.paid_vnd:,} VND taken in cash, "
               f"{tally.let_out:,} let out by the last barrier; refused: {tally.refused_at or 'none'}")
    click.echo(f"system vs model: {matched['same_minute']:,} of {matched['called_by_both']:,} trucks called the same "
               f"minute; mean gap {matched['mean_gap_min']} min, largest {matched['max_gap_min']} min\n")
    return results
