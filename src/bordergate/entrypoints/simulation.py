"""``bordergate simulate``: run a scenario under each policy, print the KPIs, write the journeys and the plots."""
from __future__ import annotations

from pathlib import Path

import click

from bordergate.simulator.policies import POLICIES
from bordergate.simulator.scenario import ScenarioInvalid, load, shipped


@click.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=2026, show_default=True, help="Same scenario and seed, same trucks.")
@click.option("--policy", "policies", multiple=True, type=click.Choice(list(POLICIES)),
              help="Run only this policy (repeat for several); all three by default, on the same trucks.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for journeys.csv, kpis.json and the plots [default: simulation-SCENARIO-SEED].")
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots.")
def simulate(scenario: str, seed: int, policies: tuple[str, ...], out: Path | None, no_plots: bool) -> None:
    """Run SCENARIO (a shipped name or a JSON file) and compare the policies against the hindsight bound.

    Shipped scenarios: normal_day_2025, harvest_peak, december_2021, holiday_closure, camera_outage.
    """
    from bordergate.simulator.report import kpi_table, write_journeys, write_kpis
    from bordergate.simulator.run import simulate as run

    try:
        chosen = load(scenario)
    except ScenarioInvalid as exc:
        raise click.ClickException(f"{exc}\nShipped scenarios: {', '.join(shipped())}") from None
    results = run(chosen, seed, policies or tuple(POLICIES))
    folder = out or Path(f"simulation-{chosen.name}-{seed}")
    folder.mkdir(parents=True, exist_ok=True)
    click.echo(kpi_table(results))
    rows = write_journeys(results, folder / "journeys.csv")
    write_kpis(results, folder / "kpis.json")
    click.echo(f"\n{rows:,} journeys: {folder / 'journeys.csv'}; KPIs per crossing point: {folder / 'kpis.json'}")
    if not no_plots:
        from bordergate.simulator.plots import draw

        for path in draw(results, folder):
            click.echo(f"plot: {path}")
