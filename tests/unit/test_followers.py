"""The table of in-transaction followers drives what follows an event: in the same commit, in order, all or nothing.

A tiny unit of work stands in for the database: these tests are about the rule, not about SQL. The events here
are named with a leading underscore: the events page's test walks every Event subclass and skips those.
"""
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bordergate.domain.events import Event
from bordergate.services.unit_of_work import UnitOfWork

AT = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class _TruckDeclared(Event):
    reference: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class _ChecksOpened(_TruckDeclared):
    pass


@dataclass(frozen=True)
class _FeeAssessed(_TruckDeclared):
    pass


@dataclass(frozen=True)
class _InboxTold(_TruckDeclared):
    pass


class _Seen:
    def __init__(self) -> None:
        self.seen: list = []


class _Trail:
    def __init__(self) -> None:
        self.pending: list[Event] = []

    def append(self, events: list[Event]) -> None:
        self.pending.extend(events)


class TinyUnitOfWork(UnitOfWork):
    """Writes the trail only when it commits; a rollback forgets everything."""

    def __init__(self, followers) -> None:
        super().__init__()
        self.followers = followers
        self.declarations, self.bookings, self.clearances, self.reports = _Seen(), _Seen(), _Seen(), _Seen()
        self.audit = _Trail()
        self.trail: list[Event] = []
        self.rolled_back = 0

    def _commit(self) -> None:
        self.trail.extend(self.audit.pending)
        self.audit.pending = []

    def rollback(self) -> None:
        self.audit.pending = []
        self.rolled_back += 1


def _declared(reference: str) -> _TruckDeclared:
    return _TruckDeclared(actor="u1", at=AT, reference=reference)


def open_checks(event, uow) -> None:
    uow.record(_ChecksOpened(actor=event.actor, at=event.at, reference=event.reference))


def assess_fee(event, uow) -> None:
    uow.record(_FeeAssessed(actor=event.actor, at=event.at, reference=event.reference))


def tell_inbox(event, uow) -> None:
    uow.record(_InboxTold(actor=event.actor, at=event.at, reference=event.reference))


def _kinds_and_references(events: list[Event]) -> list[tuple[str, str]]:
    return [(type(e).__name__, e.reference) for e in events]


def test_a_recorded_events_followers_run_in_the_same_commit_and_their_events_reach_the_trail_with_it():
    uow = TinyUnitOfWork({_TruckDeclared: [open_checks, assess_fee]})
    with uow:
        uow.record(_declared("A"))
        uow.commit()
    assert _kinds_and_references(uow.trail) == [("_TruckDeclared", "A"), ("_ChecksOpened", "A"), ("_FeeAssessed", "A")]


def test_what_a_follower_records_is_followed_in_turn():
    uow = TinyUnitOfWork({_TruckDeclared: [open_checks], _ChecksOpened: [tell_inbox]})
    with uow:
        uow.record(_declared("A"))
        uow.commit()
    assert _kinds_and_references(uow.trail) == [("_TruckDeclared", "A"), ("_ChecksOpened", "A"), ("_InboxTold", "A")]


def test_followers_events_are_told_right_after_the_event_they_follow_not_at_the_end():
    """The trail reads in the order things ran: a trip, its checks (and what they told), its fee; then the next."""
    uow = TinyUnitOfWork({_TruckDeclared: [open_checks, assess_fee], _ChecksOpened: [tell_inbox]})
    with uow:
        uow.record(_declared("A"))
        uow.record(_declared("B"))
        uow.commit()
    assert _kinds_and_references(uow.trail) == [
        ("_TruckDeclared", "A"), ("_ChecksOpened", "A"), ("_InboxTold", "A"), ("_FeeAssessed", "A"),
        ("_TruckDeclared", "B"), ("_ChecksOpened", "B"), ("_InboxTold", "B"), ("_FeeAssessed", "B")]


def test_a_failing_in_transaction_follower_rolls_the_whole_command_back_with_nothing_written():
    def refuse(event, uow) -> None:
        raise RuntimeError("the tariff cannot be read")

    uow = TinyUnitOfWork({_TruckDeclared: [open_checks, refuse]})
    with pytest.raises(RuntimeError, match="tariff"), uow:
        uow.record(_declared("A"))
        uow.commit()
    assert uow.trail == [] and uow.audit.pending == [] and uow.rolled_back


def test_a_refusal_kept_on_the_trail_is_followed_by_nothing():
    uow = TinyUnitOfWork({_TruckDeclared: [open_checks]})
    with uow:
        uow.keep_only(_declared("A"))
    assert _kinds_and_references(uow.trail) == [("_TruckDeclared", "A")]


def test_a_follower_that_keeps_causing_what_it_follows_stops_the_commit_instead_of_looping():

    def again(event, uow) -> None:
        uow.record(_declared(event.reference))

    uow = TinyUnitOfWork({_TruckDeclared: [again]})
    with pytest.raises(RuntimeError, match="keep causing events"), uow:
        uow.record(_declared("A"))
        uow.commit()
    assert uow.trail == []


def test_every_unit_of_work_the_gate_makes_runs_the_tables_followers(tmp_path):
    from bordergate.bootstrap import bootstrap
    from bordergate.config import Settings
    from bordergate.services.handlers import IN_TRANSACTION

    gate = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'gate.db'}", secret_key="x" * 32))
    try:
        followers = gate.uow().followers
        assert set(followers) == set(IN_TRANSACTION)
        assert [len(fs) for fs in followers.values()] == [len(fs) for fs in IN_TRANSACTION.values()]
    finally:
        gate.engine.dispose()


def test_a_failing_follower_after_the_commit_is_logged_and_the_committed_change_stands():
    """Bootstrap wraps followers in partials (dependencies injected); naming one in the log must not fail."""
    from functools import partial

    from bordergate.services.messagebus import MessageBus

    def publish_waits(event, uow, clock) -> None:
        raise RuntimeError("the board is down")

    made: list[TinyUnitOfWork] = []

    def factory() -> TinyUnitOfWork:
        made.append(TinyUnitOfWork({}))
        return made[-1]

    def declare(cmd, uow) -> str:
        with uow:
            uow.record(_declared("A"))
            uow.commit()
        return "A"

    bus = MessageBus(factory, {str: declare}, {_TruckDeclared: [partial(publish_waits, clock=None)]})
    assert bus.handle("declare A") == "A"
    assert _kinds_and_references(made[0].trail) == [("_TruckDeclared", "A")]


def test_declaring_and_the_agencies_call_no_other_service_to_make_things_follow():
    """What a declaration sets off is in the table: declaring imports neither fees nor the queue nor the agencies,
    and the agencies do not import declaring."""
    import ast
    from pathlib import Path

    import bordergate.services

    def imported(module: str) -> set[str]:
        tree = ast.parse((Path(bordergate.services.__path__[0]) / f"{module}.py").read_text())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "bordergate.services":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bordergate.services."):
                found.add(node.module.rsplit(".", 1)[-1])
        return found

    assert imported("declaring") & {"fees", "queueing", "agency_checks", "agencies", "alerting", "notifying"} == set()
    assert "declaring" not in imported("agencies")
