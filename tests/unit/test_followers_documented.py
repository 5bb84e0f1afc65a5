"""docs/events.md lists every event's followers exactly as services/handlers.py routes them, in and after the
transaction: a newcomer reads one list to learn what a command sets off."""
import re
from pathlib import Path

from bordergate.services.handlers import EVENT_HANDLERS, IN_TRANSACTION

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"
SECTION = "### Every event and its followers"
ITEM = re.compile(r"- `(?P<event>\w+)` → (?P<rest>.*)")
PARTS = {"in the transaction": IN_TRANSACTION, "after the commit": EVENT_HANDLERS}


def _name(follower) -> str:
    """`module.function`, as the page names a follower (the module without its package)."""
    return f"{follower.__module__.rsplit('.', 1)[-1]}.{follower.__name__}"


def _tables() -> dict[str, dict[str, list[str]]]:
    routed: dict[str, dict[str, list[str]]] = {}
    for part, table in PARTS.items():
        for kind, followers in table.items():
            routed.setdefault(kind.__name__, {})[part] = [_name(f) for f in followers]
    return routed


def _items() -> list[str]:
    """The section's list items, each joined with its continuation lines."""
    lines = DOC.read_text().split(SECTION, 1)[1].splitlines()
    items: list[str] = []
    for line in lines:
        if line.startswith("#"):
            break
        if line.startswith("- "):
            items.append(line)
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items


def _page() -> dict[str, dict[str, list[str]]]:
    """What the page says follows each event: part (in the transaction / after the commit) -> followers in order."""
    listed: dict[str, dict[str, list[str]]] = {}
    for item in _items():
        found = ITEM.fullmatch(item)
        assert found, f"not '- `Event` → in the transaction: ...; after the commit: ...': {item}"
        parts = {}
        for chunk in found["rest"].split(";"):
            part, _, names = chunk.partition(":")
            assert part.strip() in PARTS, f"{found['event']}: '{part.strip()}' is neither of {sorted(PARTS)}"
            parts[part.strip()] = re.findall(r"`(\w+\.\w+)`", names)
        listed[found["event"]] = parts
    return listed


def test_the_events_page_lists_every_follower_of_every_event_as_the_tables_route_them_in_order():
    assert _page() == _tables()


def test_every_in_transaction_follower_is_named_in_its_events_row_too():
    rows = {}
    for line in DOC.read_text().splitlines():
        first = re.match(r"\| `(\w+)` \|", line)
        if first:
            rows[first.group(1)] = line
    unnamed = [(kind.__name__, _name(f)) for kind, followers in IN_TRANSACTION.items() for f in followers
               if _name(f) not in rows.get(kind.__name__, "")]
    assert unnamed == []


def test_a_follower_takes_the_event_and_the_unit_of_work_first():
    import inspect

    for table in PARTS.values():
        for followers in table.values():
            for follower in followers:
                assert list(inspect.signature(follower).parameters)[:2] == ["event", "uow"], _name(follower)
