"""Every domain event is documented in docs/events.md: what it means, its subject, who records it, what follows."""
import importlib
import pkgutil
import re
from pathlib import Path

import bordergate.domain
from bordergate.domain.events import Event

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"
COLUMNS = ["Event", "What it means", "Subject", "Recorded by", "What follows"]


def _event_names() -> set[str]:
    """Every concrete event the domain defines, found by walking its modules (no hand-kept list to forget)."""
    for module in pkgutil.iter_modules(bordergate.domain.__path__):
        importlib.import_module(f"bordergate.domain.{module.name}")
    found, todo = set(), [Event]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not sub.__name__.startswith("_"):
                found.add(sub.__name__)
    return found


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _rows() -> dict[str, list[str]]:
    """The page's event rows by the event they name: the first cell is the class name in backticks."""
    rows = {}
    for line in DOC.read_text().splitlines():
        first = re.fullmatch(r"`(\w+)`", _cells(line)[0]) if line.startswith("|") else None
        if first:
            rows[first.group(1)] = _cells(line)
    return rows


def test_every_event_the_domain_defines_has_a_row_in_the_events_page():
    assert sorted(_event_names() - set(_rows())) == []


def test_the_events_page_names_no_event_that_no_longer_exists():
    assert sorted(set(_rows()) - _event_names()) == []


def test_every_event_row_says_what_it_means_its_subject_who_records_it_and_what_follows():
    page = DOC.read_text()
    headers = [_cells(line) for line in page.splitlines() if line.startswith("| Event |")]
    assert headers and all(header == COLUMNS for header in headers)
    incomplete = [name for name, cells in _rows().items() if len(cells) != len(COLUMNS) or not all(cells)]
    assert incomplete == []


def test_every_follower_the_bus_routes_an_event_to_is_named_in_that_events_row():
    from bordergate.services.handlers import EVENT_HANDLERS

    rows = _rows()
    unnamed = [(kind.__name__, follower.__name__) for kind, followers in EVENT_HANDLERS.items()
               for follower in followers if follower.__name__ not in rows[kind.__name__][COLUMNS.index("What follows")]]
    assert unnamed == []
