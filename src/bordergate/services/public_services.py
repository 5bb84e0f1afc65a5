"""Public services: publish the procedures catalogue and the allowance rule, search, record and read allowance uses."""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any

from bordergate.domain import service_commands as commands
from bordergate.domain.access import ADMINISTER, RECORD_ALLOWANCE_USES, SEE_OWN_ALLOWANCE, require
from bordergate.domain.accounts import Principal
from bordergate.domain.allowance import SOURCES, AllowanceLeft, AllowanceRule, AllowanceUse, allowance_left, \
    in_force, read_rule
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound
from bordergate.domain.procedures import Procedure, read_catalogue, read_query, rank
from bordergate.domain.service_events import AllowanceRulePublished, AllowanceUseRecorded, ProceduresPublished
from bordergate.domain.working_days import VIETNAM
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

RESULTS = 20  # a phone screen's worth; a search that needs more needs more words


def publish_procedures(cmd: commands.PublishProcedures, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """An administrator publishes a catalogue version: searched from this commit on, the last one kept on record."""
    require(cmd.actor, ADMINISTER)
    catalogue = read_catalogue(cmd.document)
    now = clock.now()
    with uow:
        uow.procedures.publish(catalogue, cmd.actor.user_id, now)
        uow.record(ProceduresPublished(actor=cmd.actor.user_id, at=now, version=catalogue.version,
                                       procedures=len(catalogue.procedures)))
        uow.commit()
    return {"version": catalogue.version, "procedures": len(catalogue.procedures)}


def publish_allowance_rule(cmd: commands.PublishAllowanceRule, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """An administrator publishes an allowance version (``confirmed`` once checked against the law in force)."""
    require(cmd.actor, ADMINISTER)
    rule = read_rule(cmd.document)
    now = clock.now()
    with uow:
        uow.allowance.publish_rule(rule, cmd.actor.user_id, now)
        uow.record(AllowanceRulePublished(actor=cmd.actor.user_id, at=now, version=rule.version,
                                          in_force_from=rule.in_force_from.isoformat(),
                                          value_vnd_per_day=rule.value_vnd_per_day,
                                          times_per_month=rule.times_per_month, confirmed=rule.confirmed))
        uow.commit()
    return {"version": rule.version, "confirmed": rule.confirmed}


def record_allowance_use(cmd: commands.RecordAllowanceUse, uow: UnitOfWork, clock: Clock,
                         ids: Identifiers) -> dict[str, Any]:
    """An officer at the resident lane records today's goods; refused in words beyond what is left (the rest is
    declared and taxed as an import, not recorded here)."""
    require(cmd.actor, RECORD_ALLOWANCE_USES)
    problems = []
    if cmd.source not in SOURCES:
        problems.append(FieldProblem("source", f"must be one of: {', '.join(SOURCES)}"))
    if isinstance(cmd.value_vnd, bool) or not isinstance(cmd.value_vnd, int) or cmd.value_vnd <= 0:
        problems.append(FieldProblem("value_vnd", "must be a whole number of dong above 0"))
    if problems:
        raise Invalid(problems)
    now = clock.now()
    day = now.astimezone(VIETNAM).date()
    with uow:
        resident = uow.accounts.user_by_username(cmd.resident.strip())
        # A resident is whoever the policy gives an allowance of their own (for now: a citizen account).
        if resident is None or not SEE_OWN_ALLOWANCE.allows(resident.role):
            raise NotFound(f"no resident has the account {cmd.resident}; ask for the phone number they signed in with")
        if uow.crossing_points.get(cmd.crossing_point) is None:
            raise Invalid([FieldProblem("crossing_point", f"{cmd.crossing_point} is not a crossing point here")])
        rule = _rule(uow, day)
        left = allowance_left(rule, _month_uses(uow, resident.id, day), day)
        if cmd.value_vnd > left.left_today_vnd:
            raise Conflict(f"over the allowance: {left.left_today_vnd:,} VND left today, "
                           f"{left.times_left_this_month} of {rule.times_per_month} times left this month; "
                           "declare the goods beyond it for duty")
        use = AllowanceUse(ids.new_id(), resident.id, cmd.crossing_point, day, cmd.value_vnd, cmd.source,
                           cmd.actor.user_id, now)
        uow.allowance.record(use)
        uow.record(AllowanceUseRecorded(actor=cmd.actor.user_id, at=now, use_id=use.id, resident=resident.id,
                                        crossing_point=use.crossing_point, day=day.isoformat(),
                                        value_vnd=use.value_vnd, source=use.source))
        uow.commit()
    return {"id": use.id, "left_today_vnd": left.left_today_vnd - cmd.value_vnd,
            "times_left_this_month": left.times_left_this_month - 1}


# --- Reads -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchResult:
    """A search's answer: the procedures in rank order, and which catalogue version answered."""

    query: str
    procedures: list[Procedure]
    version: str | None
    note: str


def search_procedures(uow: UnitOfWork, typed: str, limit: int = RESULTS) -> SearchResult:
    """The catalogue in force searched: the database finds candidates, domain/procedures.rank orders them."""
    with uow:
        current = uow.procedures.current()
        if current is None:
            return SearchResult(typed, [], None, "")
        query = read_query(typed, current.synonyms, current.ignored_words)
        found = rank(uow.procedures.candidates(query.words), query, limit) if not query.empty else []
    return SearchResult(typed, found, current.version, current.note)


def procedure(uow: UnitOfWork, code: str) -> Procedure:
    with uow:
        found = uow.procedures.get(code)
    if found is None:
        raise NotFound(f"no procedure has the code {code} in the catalogue in force; search for it by name")
    return found


@dataclass(frozen=True)
class ResidentAllowance:
    """A resident's page: the rule in force, what is left, and this month's uses."""

    rule: AllowanceRule
    left: AllowanceLeft
    uses: list[AllowanceUse]


def resident_allowance(uow: UnitOfWork, resident: Principal, clock: Clock) -> ResidentAllowance:
    day = clock.now().astimezone(VIETNAM).date()
    with uow:
        rule = _rule(uow, day)
        uses = _month_uses(uow, resident.user_id, day)
    return ResidentAllowance(rule, allowance_left(rule, uses, day), uses)


def _rule(uow: UnitOfWork, day: date) -> AllowanceRule:
    rule = in_force(uow.allowance.rules(), day)
    if rule is None:
        raise NotFound("no border-resident allowance is published for today; ask the customs office at the gate")
    return rule


def _month_uses(uow: UnitOfWork, resident_key: str, day: date) -> list[AllowanceUse]:
    first, last = day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return uow.allowance.uses(resident_key, first, last)
