"""Benchmark: how many officer actions per truck bordergate asks for, against a process where every agency confirms
every truck, and how long a truck waits from arrival to its last release, on a simulated day.

The real platform's failure this measures (domain.md): its confirmations duplicated customs' own legal
confirmations; every agency confirmed every truck. bordergate asks an officer only where the officer's judgement is
the record: a green channel is released by selectivity, and a status from an agency's own system is authoritative.

A day at Hữu Nghị's export lanes at mid-2025 volume (domain.md: ~262 export trucks a day), arrivals over the local
day as in queue_waits.py, driven through the real system in-process on a simulated clock (FixedClock, SQLite). The
SAME arrivals, goods, enterprises and service times (drawn from --seed) go through three processes, each on a fresh
database:

  1. confirm-all: the real platform's process. A rule table built here ("platform-2022") asks customs, the border
     guard and health quarantine to confirm every trip, and plant or animal quarantine the trips whose goods the
     law puts under quarantine (HS 06-14/44, and 01-05/16/41/43). Health is in force because the platform's eight
     official steps include a medical check for every truck (domain.md). Quarantine is NOT put on every trip by
     default: manufactured goods need no phytosanitary certificate, and counting a confirmation the law never asked
     for would flatter bordergate; --quarantine-all puts plant quarantine on every trip that has no animal
     quarantine (the reading where step 6 is a stop for every truck). Selectivity never releases: every trip is
     yellow (random_yellow_rate=1.0) or red (random_red_rate 0.02, as in 2), so a customs officer acts on each.
  2. bordergate: LANG_SON_2025 and the default selectivity (a new enterprise, < 10 trips crossed in twelve months,
     goes yellow; 5 % yellow and 2 % red at random), health checks not in force, no agency system connected.
     Green channels are released by selectivity; officers act where a check needs them: customs on yellow
     (a documents release) and red (inspect, then release), the border guard on every trip, quarantine where the
     goods need it.
  3. bordergate + agency systems: customs and border-guard systems connected (Settings.agency_systems). Sandbox
     twins speak the real signed wire, delivered in-process through the API's receive(): the customs twin assigns
     each trip's channel right after it is declared (with the same risk rules and compliance history as 2, so the
     channel mix is the same) and releases yellow and red trips after its own officers' work; the border-guard twin
     releases after its officers' passport check. Customs and border-guard officers are still busy (in their own
     systems), so the times are comparable; only quarantine officers act in bordergate.

Before the day, 17 of 20 enterprises get a compliance history: 10-14 earlier trips each, declared, released and
crossed (waiting area, yard and border-out camera reads) over the previous three weeks, with the clock moved back
and then forward. Three enterprises are new (no history). The day's trips are declared the afternoon before.

Goods mix: an assumption, not a sourced figure (domain.md gives no split by goods; the export congestion it reports
is fresh fruit: jackfruit, mango, dragon fruit, watermelon, durian): 45 % fresh fruit (HS 08, plant quarantine),
10 % frozen seafood or meat (HS 03/02, animal quarantine), 45 % manufactured goods (HS 84/85). Nine fruit, two
seafood and nine manufacturing enterprises; two fruit and one manufacturing enterprise are new.

Officers are servers (assumptions, in SERVICE_MINUTES and OFFICERS): customs documents check 6 min, physical
inspection 35 min more (after the documents), border guard 3 min, plant or animal quarantine 12 min (one pool of
quarantine officers acts for both, as the Role does), health 3 min; each time is the mean of a gamma draw (CV 0.5),
drawn once per truck so all three processes see the same work. On duty all day: 4 customs, 3 border guard,
4 quarantine, 2 health officers (quarantine 2 would run above 90 % load on average, so its queue, the same in all
three processes, would drown the differences). A truck's checks can be worked once it arrives (its waiting-area and
yard-entry camera reads, a second apart); agencies work on it in parallel, each agency first come first served.
When the last check is released the border-out camera reads it and the barrier must open (the trip crosses). A
heapq event loop moves the clock.

Officer actions are counted from the audit trail (AgencyActed rows whose source is "officer", for the day's trips)
and checked against the model's own count. Per process the table gives trucks, officer actions per truck (mean),
actions by agency, the share of trucks with no officer action, median and p90 minutes from arrival to last release
(the latest decided_at of the trip's checks, as stored), system messages applied and selectivity releases; then the
ratio of officer actions bordergate / confirm-all, and the agencies' dwell view (agency_views.dwell) for process 2.
An officer records a one-step release when the work is done, so in the dwell view "waiting" includes the work and
"acting" is 0 except for red channels (inspect, then release); customs' green releases by selectivity happened the
day before (at declaration) and are not in the day's dwell.

    python benchmarks/agency_actions.py                 # one day, seed 2026
    python benchmarks/agency_actions.py --seed 7 --trucks 400 --quarantine-all
"""
from __future__ import annotations

import argparse
import heapq
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from builders import a_gateway, a_world  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bordergate.adapters.agency_systems import AgencySystemLink, SandboxBorderGuard, SandboxCustoms  # noqa: E402
from bordergate.adapters.security import Argon2Passwords  # noqa: E402
from bordergate.adapters.sql.database import upgrade  # noqa: E402
from bordergate.adapters.sql.tables import agency_checks, agency_messages, audit_log, declarations  # noqa: E402
from bordergate.bootstrap import bootstrap  # noqa: E402
from bordergate.config import Settings  # noqa: E402
from bordergate.domain import commands  # noqa: E402
from bordergate.domain.capacity import GATE_TIME  # noqa: E402
from bordergate.domain.inspection import (ANIMAL_CHAPTERS, LANG_SON_2025, PLANT_CHAPTERS, Agency,  # noqa: E402
                                          AgencyRule, History, RuleTable, assign_channel)
from bordergate.entrypoints.api.routes.agencies import in_process  # noqa: E402
from bordergate.entrypoints.cli import seed_crossing_points  # noqa: E402
from bordergate.services import agency_views  # noqa: E402
from bordergate.services.agency_checks import HISTORY  # noqa: E402
from bordergate.services.authentication import SYSTEM, principal_for  # noqa: E402
from bordergate.services.ports import FixedClock  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "agency_actions.json"
POINT = "HUU_NGHI"
# Arrivals per local hour (weights), as in queue_waits.py: trucks leave the orchards at night, reach the border by day.
ARRIVAL_WEIGHTS = [0, 0, 0, 0, 1, 3, 6, 9, 10, 9, 8, 7, 6, 6, 5, 5, 4, 3, 2, 1, 0, 0, 0, 0]

# (assumption) Mean minutes of one officer's work; each truck draws its own from a gamma of CV 0.5.
SERVICE_MINUTES = {"documents": 6.0, "inspection": 35.0, "border_guard": 3.0, "quarantine": 12.0, "health": 3.0}
# (assumption) Officers on duty all day, per pool (named by the officers' role); plant and animal quarantine share
# one pool, as Role.QUARANTINE acts for both.
OFFICERS = {"customs": 4, "border_guard": 3, "quarantine": 4, "health": 2}
POOL = {Agency.CUSTOMS: "customs", Agency.BORDER_GUARD: "border_guard", Agency.PLANT_QUARANTINE: "quarantine",
        Agency.ANIMAL_QUARANTINE: "quarantine", Agency.HEALTH: "health"}
# The work each agency's check takes (customs: see Day._stages).
WORK = {Agency.BORDER_GUARD: "border_guard", Agency.PLANT_QUARANTINE: "quarantine",
        Agency.ANIMAL_QUARANTINE: "quarantine", Agency.HEALTH: "health"}

# (assumption, see the docstring) The goods mix and the enterprises: class -> (share of trucks, enterprises, new).
MIX = {"fruit": (0.45, 9, 2), "frozen": (0.10, 2, 0), "manufactured": (0.45, 9, 1)}
GOODS = {
    "fruit": [("0810.60", "Fresh durian"), ("0810.90", "Fresh dragon fruit"), ("0810.90", "Fresh jackfruit"),
              ("0804.50", "Fresh mango"), ("0807.11", "Fresh watermelon")],
    "frozen": [("0306.17", "Frozen shrimp"), ("0303.89", "Frozen fish"), ("0203.29", "Frozen pork")],
    "manufactured": [("8517.13", "Mobile phones"), ("8471.30", "Laptops"), ("8504.40", "Power adapters"),
                     ("8544.42", "Cable harnesses")],
}
HISTORY_TRIPS = (10, 14)
SECRETS = {"customs": "benchmark-customs-shared-secret", "border_guard": "benchmark-border-guard-secret"}
PROCESSES = ("confirm-all", "bordergate", "bordergate + agency systems")


def platform_table(quarantine_all: bool) -> RuleTable:
    """The real platform's process as a rule table: every agency confirms every trip (see the module docstring)."""
    plant = frozenset(range(1, 98)) - ANIMAL_CHAPTERS if quarantine_all else PLANT_CHAPTERS
    return RuleTable(
        version="platform-2022" + ("-quarantine-all" if quarantine_all else ""),
        in_force_from=LANG_SON_2025.in_force_from, health_checks_in_force=True,
        rules=(AgencyRule(Agency.CUSTOMS, "every truck is confirmed by customs"),
               AgencyRule(Agency.BORDER_GUARD, "every truck is confirmed by the border guard"),
               AgencyRule(Agency.ANIMAL_QUARANTINE, "animal products are confirmed by animal quarantine",
                          ANIMAL_CHAPTERS),
               AgencyRule(Agency.PLANT_QUARANTINE, "confirmed by plant quarantine", plant,
                          when_declared_for_quarantine=True),
               AgencyRule(Agency.HEALTH, "every truck's driver is confirmed by health quarantine")))


# -- the scenario: the same for the three processes ------------------------------------------------------------------

@dataclass
class Truck:
    index: int
    plate: str
    kind: str
    enterprise: int
    goods: tuple[str, str]
    arrives_at: datetime
    work: dict[str, float]  # minutes of each kind of work, drawn once


@dataclass
class Enterprise:
    kind: str
    new: bool
    history: int


def plate_of(i: int) -> str:
    return f"12C-{100 + i // 100:03d}.{i % 100:02d}"


def build_scenario(seed: int, count: int, day: datetime) -> tuple[list[Enterprise], list[Truck]]:
    rng = random.Random(seed)
    enterprises = [Enterprise(kind, j < new, 0 if j < new else rng.randint(*HISTORY_TRIPS))
                   for kind, (_, firms, new) in MIX.items() for j in range(firms)]
    by_kind = {kind: [i for i, e in enumerate(enterprises) if e.kind == kind] for kind in MIX}
    trucks = []
    for i in range(count):
        hour = rng.choices(range(24), ARRIVAL_WEIGHTS)[0]
        kind = rng.choices(list(MIX), [share for share, _, _ in MIX.values()])[0]
        work = {name: round(mean * rng.gammavariate(4, 0.25), 2) for name, mean in SERVICE_MINUTES.items()}
        trucks.append(Truck(i, plate_of(i), kind, rng.choice(by_kind[kind]), rng.choice(GOODS[kind]),
                            day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)),
                            work))
    trucks.sort(key=lambda t: (t.arrives_at, t.index))
    return enterprises, trucks


def trip(kind: str, goods: tuple[str, str], plate: str, i: int, arrival: datetime) -> dict:
    hs_code, description = goods
    line = {"hs_code": hs_code, "description": description, "packages": 1000, "gross_weight_kg": "20000",
            "value": "40000", "currency": "USD", "origin_country": "VN", "perishable": kind != "manufactured",
            "quarantine_required": kind == "fruit"}
    if kind != "manufactured":
        line["shelf_life_hours"] = 240 if kind == "fruit" else 2160
    return {"crossing_point": POINT, "flow": "export", "planned_arrival": arrival.isoformat(),
            "vehicle": {"tractor_plate": plate, "vehicle_class": "reefer" if kind != "manufactured" else "rigid_truck",
                        "gross_weight_kg": 32000, "axles": 4, "container_size": "none"},
            "driver": {"full_name": "Tài Xế", "document_number": f"0010880{i:05d}", "nationality": "VN",
                       "phone": f"09{i:08d}"},
            "goods": [line]}


# -- one process -----------------------------------------------------------------------------------------------------

@dataclass
class Job:
    truck: Truck
    agency: Agency
    stages: list[tuple[float, str]]  # (minutes, action at its end)
    by_system: bool
    officer: object = None


@dataclass
class Pool:
    officers: list
    queue: deque = field(default_factory=deque)


class Day:
    """One process on its own database: the gate, its people, the agency-system twins, and the event loop."""

    def __init__(self, process: str, seed: int, day: datetime, quarantine_all: bool) -> None:
        self.process, self.day, self.seed = process, day, seed
        folder = tempfile.mkdtemp(prefix="bordergate-agencies-")
        url = f"sqlite:///{folder}/day.db"
        upgrade(url)
        self.clock = FixedClock(day - timedelta(days=24))
        connected = process == PROCESSES[2]
        settings = Settings(
            database_url=url, secret_key="agency-actions-benchmark-secret-key-0123456789",
            selectivity_key=f"selectivity-{seed}", health_checks_in_force=process == PROCESSES[0],
            random_yellow_rate=1.0 if process == PROCESSES[0] else 0.05, random_red_rate=0.02,
            agency_systems=",".join(f"{a}={s}" for a, s in SECRETS.items()) if connected else "")
        tables = (platform_table(quarantine_all),) if process == PROCESSES[0] else None
        gate = bootstrap(settings, clock=self.clock, rng=random.Random(seed), passwords=Argon2Passwords(1, 8, 1),
                         rule_tables=tables)
        self.gate, self.handle = gate, gate.bus.handle
        seed_crossing_points(gate)
        self.world = a_world(gate)
        self.cameras = a_gateway(gate, self.world.operator)
        self.officers = {pool: [self._officer(pool, n) for n in range(count)] for pool, count in OFFICERS.items()}
        self.twins = {}
        if connected:
            post = in_process(gate)
            self.twins = {Agency.CUSTOMS: SandboxCustoms(AgencySystemLink("customs", SECRETS["customs"], post,
                                                                          self.clock.now)),
                          Agency.BORDER_GUARD: SandboxBorderGuard(AgencySystemLink(
                              "border_guard", SECRETS["border_guard"], post, self.clock.now))}
        self.modelled_actions = 0
        self.reads = 0

    def _officer(self, pool: str, n: int):
        user = self.handle(commands.CreateUser(SYSTEM, f"{pool}-{n + 1}", "a-long-benchmark-password",
                                               f"{pool} officer {n + 1}", pool, self.world.center))
        return principal_for(self.gate.uow(), user)

    # -- before the day ---------------------------------------------------------------------------------------------

    def register(self, enterprises: list[Enterprise]) -> None:
        self.firms = []
        for i, firm in enumerate(enterprises):
            org = self.handle(commands.RegisterOrganisation(SYSTEM, f"{firm.kind.title()} exporter {i + 1}",
                                                            "enterprise", f"49001{i:05d}"))
            self.handle(commands.AuthoriseAgent(SYSTEM, org, self.world.agency))
            self.firms.append(org)
        self.agent = principal_for(self.gate.uow(), self.world.agent.user_id)

    def declare(self, truck_kind: str, goods, plate: str, firm: int, i: int, arrival: datetime) -> str:
        reference = self.handle(commands.SubmitDeclaration(self.agent, self.firms[firm],
                                                           trip(truck_kind, goods, plate, i, arrival)))
        if Agency.CUSTOMS in self.twins:
            self._customs_assigns(reference)
        return reference

    def _customs_assigns(self, reference: str) -> None:
        """The customs twin gives the trip its channel, as VNACCS would on registering the declaration: the same
        risk rules and compliance history bordergate's own selectivity uses, so processes 2 and 3 compare."""
        agencies, now = self.gate.agencies, self.clock.now()
        with self.gate.reader() as uow:
            declaration = uow.declarations.get(reference)
            history = History(*uow.clearances.history(declaration.enterprise_id, now - HISTORY))
        channel, reasons = assign_channel(declaration.trip, history, agencies.selectivity,
                                          agencies.draws_for(reference))
        self.twins[Agency.CUSTOMS].assign(reference, channel.value, "; ".join(reasons)[:500])

    def build_history(self, enterprises: list[Enterprise]) -> int:
        """Each established enterprise's earlier trips: declared, released by each agency, crossed."""
        rng = random.Random(self.seed + 1)
        trips = [(f, k) for f, firm in enumerate(enterprises) for k in range(firm.history)]
        rng.shuffle(trips)
        start = self.day - timedelta(days=21)
        for n, (f, _) in enumerate(trips):
            self.clock.at = start + timedelta(minutes=90 * n)
            kind = enterprises[f].kind
            plate = plate_of(5000 + n)
            reference = self.declare(kind, rng.choice(GOODS[kind]), plate, f, 5000 + n,
                                     self.clock.now() + timedelta(minutes=30))
            self.clock.advance(minutes=30)
            self._read("waiting_area_entry", plate)
            self._read("yard_entry", plate)
            self.clock.advance(minutes=20)
            with self.gate.reader() as uow:
                outstanding = [check.agency for check in uow.clearances.outstanding(reference)]
            for agency in outstanding:
                if agency in self.twins:
                    self.twins[agency].release(reference)
                else:
                    self.handle(commands.RecordAgencyDecision(self.officers[POOL[agency]][0], reference,
                                                              agency.value, "release"))
            self._read("border_out", plate)
        with self.gate.reader() as uow:
            crossed = sum(uow.clearances.history(firm, self.day - HISTORY)[0] for firm in self.firms)
        if crossed != len(trips):
            raise RuntimeError(f"{self.process}: only {crossed} of {len(trips)} history trips crossed")
        return crossed

    def _read(self, checkpoint: str, plate: str):
        self.reads += 1
        return self.handle(commands.RecordCameraRead(self.cameras.keys[checkpoint], captured_at=self.clock.now(),
                                                     plate=plate, confidence=0.97))

    # -- the day ----------------------------------------------------------------------------------------------------

    def run(self, trucks: list[Truck]) -> float:
        self.clock.at = self.day - timedelta(hours=12)
        self.refs = {t.index: self.declare(t.kind, t.goods, t.plate, t.enterprise, t.index, t.arrives_at)
                     for t in trucks}
        started = time.perf_counter()
        pools = {name: Pool(list(people)) for name, people in self.officers.items()}
        self.jobs_left: dict[int, int] = {}
        self.last_release: dict[int, datetime] = {}
        events: list = []
        seq = 0

        def schedule(at: datetime, kind: str, payload) -> None:
            nonlocal seq
            seq += 1
            heapq.heappush(events, (at, seq, kind, payload))

        def dispatch(pool: Pool, now: datetime) -> None:
            while pool.officers and pool.queue:
                job = pool.queue.popleft()
                job.officer = pool.officers.pop(0)
                schedule(now + timedelta(minutes=job.stages[0][0]), "stage", (job, 0))

        for truck in trucks:
            schedule(truck.arrives_at, "arrive", truck)
        while events:
            at, _, kind, payload = heapq.heappop(events)
            self.clock.at = at
            if kind == "arrive":
                for job in self._arrive(payload):
                    pool = pools[POOL[job.agency]]
                    pool.queue.append(job)
                    dispatch(pool, at)
                continue
            job, stage = payload
            self._act(job, job.stages[stage][1])
            if stage + 1 < len(job.stages):
                schedule(at + timedelta(minutes=job.stages[stage + 1][0]), "stage", (job, stage + 1))
                continue
            pool = pools[POOL[job.agency]]
            pool.officers.append(job.officer)
            self.jobs_left[job.truck.index] -= 1
            if self.jobs_left[job.truck.index] == 0:
                self._read("border_out", job.truck.plate)  # the last release: the barrier out must open
            dispatch(pool, at)
        return time.perf_counter() - started

    def _arrive(self, truck: Truck) -> list[Job]:
        """The truck is read into the waiting area and the yard; the checks still open become work."""
        self._read("waiting_area_entry", truck.plate)
        self._read("yard_entry", truck.plate)
        reference = self.refs[truck.index]
        with self.gate.reader() as uow:
            clearance = uow.clearances.get(reference)
            outstanding = [check.agency for check in uow.clearances.outstanding(reference)]
        jobs = [Job(truck, agency, self._stages(truck, agency, clearance.channel), agency in self.twins)
                for agency in outstanding]
        self.jobs_left[truck.index] = len(jobs)
        if not jobs:
            self._read("border_out", truck.plate)
        return jobs

    @staticmethod
    def _stages(truck: Truck, agency: Agency, channel) -> list[tuple[float, str]]:
        w = truck.work
        if agency is Agency.CUSTOMS:
            if channel is not None and channel.value == "red":
                return [(w["documents"], "inspect"), (w["inspection"], "release")]
            return [(w["documents"], "release")]
        return [(w[WORK[agency]], "release")]

    def _act(self, job: Job, action: str) -> None:
        reference = self.refs[job.truck.index]
        if job.by_system:
            if action == "release":  # an inspection is recorded in the agency's own system, not here
                self.twins[job.agency].release(reference)
        else:
            self.handle(commands.RecordAgencyDecision(job.officer, reference, job.agency.value, action))
            self.modelled_actions += 1

    # -- what the system recorded -----------------------------------------------------------------------------------

    def figures(self, trucks: list[Truck]) -> dict:
        refs = {self.refs[t.index]: t for t in trucks}
        with self.gate.engine.connect() as connection:
            audit = [row for row in connection.execute(
                select(audit_log.c.action, audit_log.c.subject_id, audit_log.c.payload)
                .where(audit_log.c.subject_type == "declaration",
                       audit_log.c.action.in_(["AgencyActed", "CustomsChannelAssigned"]))).mappings()
                if row["subject_id"] in refs]
            decided = connection.execute(select(agency_checks.c.reference, agency_checks.c.decided_at)
                                         .where(agency_checks.c.status == "released")).all()
            messages = sum(1 for row in connection.execute(select(agency_messages.c.outcome)).scalars()
                           if row.get("reference") in refs and row.get("applied"))
            crossed = sum(1 for ref, status in connection.execute(
                select(declarations.c.reference, declarations.c.status)) if ref in refs and status == "crossed")
        acted = [r["payload"] for r in audit if r["action"] == "AgencyActed"]
        officer = [p for p in acted if p["source"] == "officer"]
        if len(officer) != self.modelled_actions:
            raise RuntimeError(f"{self.process}: the audit trail has {len(officer)} officer actions, the model "
                               f"made {self.modelled_actions}")
        per_truck = Counter(p["reference"] for p in officer)
        last: dict[str, datetime] = {}
        for ref, at in decided:
            if ref in refs:
                at = at if at.tzinfo else at.replace(tzinfo=UTC)
                last[ref] = max(at, last.get(ref, at))
        waits = sorted((last[ref] - truck.arrives_at) / timedelta(minutes=1) for ref, truck in refs.items())
        channels = Counter(r["payload"]["channel"] for r in audit if r["action"] == "CustomsChannelAssigned")
        n = len(trucks)
        return {
            "trucks": n, "crossed": crossed,
            "officer_actions": len(officer), "officer_actions_per_truck": round(len(officer) / n, 3),
            "by_agency": dict(sorted(Counter(p["agency"] for p in officer).items())),
            "by_action": dict(sorted(Counter(p["decision"] for p in officer).items())),
            "zero_action_share": round(sum(1 for ref in refs if per_truck[ref] == 0) / n, 3),
            "arrival_to_last_release_min": {"median": round(statistics.median(waits), 1),
                                            "p90": round(waits[int(0.9 * (n - 1))], 1),
                                            "mean": round(statistics.fmean(waits), 1)},
            "system_messages_applied": messages,
            "system_releases": sum(1 for p in acted if p["source"] == "system"),
            "selectivity_releases": sum(1 for p in acted if p["source"] == "rules"),
            "channels": dict(sorted(channels.items())),
            "audit_agrees_with_model": True,
        }

    def dwell(self) -> dict:
        local = self.day.astimezone(GATE_TIME).date()
        return agency_views.dwell(self.gate.reader(), self.world.operator, POINT, local, "en")


# -- wiring --------------------------------------------------------------------------------------------------------

# -- the run -------------------------------------------------------------------------------------------------------

def simulate(seed: int, count: int, quarantine_all: bool) -> dict:
    day = datetime(2026, 12, 1, tzinfo=GATE_TIME).astimezone(UTC)
    enterprises, trucks = build_scenario(seed, count, day)
    results, dwell, history = {}, None, 0
    for process in PROCESSES:
        started = time.perf_counter()
        sim = Day(process, seed, day, quarantine_all)
        sim.register(enterprises)
        history = sim.build_history(enterprises)
        loop = sim.run(trucks)
        results[process] = sim.figures(trucks) | {"wall_s": round(time.perf_counter() - started, 1),
                                                  "day_wall_s": round(loop, 1)}
        if process == PROCESSES[1]:
            dwell = sim.dwell()
    base, ours, linked = (results[p]["officer_actions"] for p in PROCESSES)
    kinds = Counter(t.kind for t in trucks)
    return {"processes": results, "dwell_bordergate": dwell, "history_trips": history,
            "enterprises": {"total": len(enterprises), "new": sum(1 for e in enterprises if e.new)},
            "goods": dict(kinds), "rule_table_confirm_all": platform_table(quarantine_all).version,
            "ratio_bordergate_to_confirm_all": round(ours / base, 3),
            "ratio_with_systems_to_confirm_all": round(linked / base, 3),
            "ratio_bordergate_to_confirm_all_without_health": round(
                ours / (base - results[PROCESSES[0]]["by_agency"].get("health", 0)), 3),
            "assumptions": {"service_minutes": SERVICE_MINUTES, "officers": OFFICERS,
                            "mix": {k: v[0] for k, v in MIX.items()}}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--trucks", type=int, default=262)
    parser.add_argument("--quarantine-all", action="store_true",
                        help="confirm-all also asks plant quarantine of trips with no quarantinable goods")
    args = parser.parse_args()
    result = simulate(args.seed, args.trucks, args.quarantine_all)
    goods = ", ".join(f"{k} {v}" for k, v in sorted(result["goods"].items()))
    print(f"Simulated day at Hữu Nghị, export: {args.trucks} trucks ({goods}); {result['enterprises']['total']} "
          f"enterprises, {result['enterprises']['new']} new; {result['history_trips']} earlier trips crossed; "
          f"officers {OFFICERS}")
    print("| process | trucks | officer actions / truck | by agency | no officer action | arrival to last release, "
          "median / p90 (min) | system messages | selectivity releases |\n|---|---|---|---|---|---|---|---|")
    for name, row in result["processes"].items():
        agencies = ", ".join(f"{a} {n}" for a, n in row["by_agency"].items())
        wait = row["arrival_to_last_release_min"]
        print(f"| {name} | {row['trucks']} | {row['officer_actions_per_truck']:.2f} | {agencies} | "
              f"{row['zero_action_share']:.0%} | {wait['median']} / {wait['p90']} | {row['system_messages_applied']} | "
              f"{row['selectivity_releases']} |")
    print(f"officer actions, bordergate / confirm-all: {result['ratio_bordergate_to_confirm_all']} "
          f"(without confirm-all's health checks: {result['ratio_bordergate_to_confirm_all_without_health']}); "
          f"with agency systems / confirm-all: {result['ratio_with_systems_to_confirm_all']}")
    print("channels: " + "; ".join(f"{name} {row['channels']}" for name, row in result["processes"].items()))
    print("audit trail agrees with the model's count of officer actions in every process; trucks crossed: "
          + ", ".join(str(row["crossed"]) for row in result["processes"].values()))
    print("\nbordergate (process 2), agency dwell on the day (minutes):")
    print("| agency | decided | by source | waiting median / p90 | acting median / p90 |\n|---|---|---|---|---|")
    for row in result["dwell_bordergate"]["agencies"]:
        sources = ", ".join(f"{s} {n}" for s, n in row["by_source"].items())
        wait, act = row["waiting_minutes"], row["acting_minutes"]
        print(f"| {row['agency']['label']} | {row['decided']} | {sources} | {wait['median']} / {wait['p90']} | "
              f"{act['median']} / {act['p90']} |")
    print("(" + "; ".join(f"{name}: {row['wall_s']} s" for name, row in result["processes"].items()) + ")")
    RESULTS.write_text(json.dumps({"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                            "machine": platform.platform(), "python": platform.python_version(),
                                            "args": vars(args)}, "result": result}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
