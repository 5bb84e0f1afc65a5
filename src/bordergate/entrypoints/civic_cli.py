"""`bordergate civic`: publish a version of the civic data from a JSON file, or show the version in force."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from bordergate.bootstrap import bootstrap
from bordergate.domain.civic_documents import CivicKind
from bordergate.domain.civic_events import PublishCivicDocument
from bordergate.domain.errors import DomainError, Invalid
from bordergate.domain.working_days import VIETNAM
from bordergate.services.authentication import SYSTEM
from bordergate.services.civic_data import documents_in_force

KINDS = click.Choice([k.value for k in CivicKind])


def _fail(exc: DomainError) -> None:
    lines = [f"error: {exc.detail}"]
    if isinstance(exc, Invalid):
        lines += [f"  {p.field}: {p.message}" for p in exc.problems]
    raise click.ClickException("\n".join(lines))


@click.group()
def civic() -> None:
    """Civic data as published versions: report categories, routing, working calendars, communes."""


@civic.command("publish")
@click.argument("kind", type=KINDS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--in-force-from", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The first day it counts (YYYY-MM-DD); today when not given. Calendars count at once.")
def civic_publish(kind: str, file: Path, in_force_from: object) -> None:
    """Check FILE (JSON, as `civic show KIND` prints it) and publish it as the next version of KIND."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise click.ClickException(f"{file} must hold one JSON object")
    starts = in_force_from.date() if in_force_from is not None else None  # type: ignore[attr-defined]
    try:
        version = bootstrap().bus.handle(PublishCivicDocument(SYSTEM, kind, document, starts))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{kind}: version {version} published")


@civic.command("show")
@click.argument("kind", type=KINDS)
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="In force on this day (today).")
def civic_show(kind: str, day: object) -> None:
    """Print the version of KIND in force (for calendars, each year's), as JSON that `civic publish` takes."""
    gate = bootstrap()
    when = day.date() if day is not None else gate.clock.now().astimezone(VIETNAM).date()  # type: ignore[attr-defined]
    with gate.reader() as uow:
        documents = documents_in_force(uow, kind, when)
    for document in documents:
        click.echo(f"# {kind} version {document.version}, in force from {_day(document.in_force_from)}, "
                   f"published by {document.published_by}")
        click.echo(json.dumps(document.document, ensure_ascii=False, indent=2))


def _day(day: date) -> str:
    return "the start" if day == date.min else day.isoformat()
