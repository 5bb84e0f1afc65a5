"""The scenario's trucks driven through the real system on a simulated clock, as drivers, cameras and officers would.

Each truck is declared and booked into the live queue by its enterprise when the scenario says; a shipper of
perishable cargo told by the system that the wait is longer than its shelf life gives the place up and asks again
each hour (at most ``max_hold_hours``) before dispatching. The truck reaches the waiting area, whose camera reads
its plate and checks it in (a misread plate is typed in by the operator at the desk, one after another). The
real call-forward loop calls it; it drives to the yard gate, whose camera lets it in; an operator takes the fee in
cash, every agency still to act releases it after the scenario's service time, and the last barrier's camera
lets it out. What the system did (when each truck was called) becomes an Outcome measured with the same KPIs as
the pure model, and the pure model's bordergate policy on the same trucks is shown beside it.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from heapq import heappop, heappush

from bordergate.simulator.clients import GateClient, Patient
from bordergate.domain.errors import Invalid
from bordergate.simulator.gate import ManualEntry
from bordergate.simulator.http import ServerRefused
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import MINUTE, NEVER, start_of
from bordergate.simulator.placement import fill_waiting_area
from bordergate.simulator.run import Results, measure, run_policy
from bordergate.simulator.scenario import Lane, Scenario
from bordergate.simulator.traffic import Truck, generate

SYSTEM = "bordergate_system"
DRIVE_TO_YARD = 5  # minutes from the waiting area to the yard gate, well inside the 20-minute call deadline
HS_CODES = {"durian": "0810.60", "jackfruit": "0810.90", "dragon_fruit": "0810.90", "mango": "0804.50",
            "watermelon": "0807.11", "fresh_fruit_and_vegetables": "0709.99",
            "machinery_and_electronics": "8517.13", "other_goods": "6907.21"}
_PROVINCES = ("12", "29", "51", "14", "15", "34", "98", "99", "20", "30")
DECLARE, ASK_AGAIN, ARRIVE, ENTER_BY_HAND, AT_YARD, CLEARED = range(6)
LEARN = -1  # a sudden capacity change: the operator enters it at the minute it begins
# Where a truck of each direction meets a camera: where it checks in (exports at the waiting area; imports wait on
# the far side of the line, where the operator checks them in from the list), on its way in once called, and out.
CHECK_IN_CAMERA = {"outbound": "waiting_area_entry", "inbound": None}
CALLED_TO = {"outbound": ("yard_entry",), "inbound": ("border_in", "yard_entry")}
LAST_BARRIER = {"outbound": "border_out", "inbound": "gate_exit"}


def plate_of(truck_id: int) -> str:
    """A Vietnamese truck plate of its own for each truck of a scenario (a million before they repeat)."""
    province, number = divmod(truck_id, 100_000)
    return f"{_PROVINCES[province % len(_PROVINCES)]}C-{number // 100:03d}.{number % 100:02d}"


def shelf_life_hours(truck: Truck) -> int:
    """The shelf life a declaration states: whole hours from the declaration to when the cargo spoils."""
    return math.ceil((truck.spoils_at - truck.declared) / 60)


def trip_of(truck: Truck, lane: Lane, planned: datetime, empty_as_goods: bool = False) -> dict:
    """The declaration the truck's enterprise sends. The shelf life counts from the declaration, as the system
    counts it, to the moment the scenario's cargo spoils. An empty truck declares no goods, or, for a system that
    refuses that (``empty_as_goods``), one line of other goods."""
    perishable = truck.perishable
    life = shelf_life_hours(truck) if perishable else None
    goods = {"hs_code": HS_CODES.get(truck.goods, "6907.21"), "description": truck.goods.replace("_", " "),
             "packages": 800, "gross_weight_kg": "20000", "value": "15000", "currency": "USD",
             "origin_country": "VN" if lane.direction.value == "outbound" else "CN", "perishable": perishable,
             "shelf_life_hours": life, "quarantine_required": perishable}
    return {"crossing_point": lane.crossing_point, "flow": "export" if lane.direction.value == "outbound" else "import",
            "planned_arrival": planned.isoformat(),
            "vehicle": {"tractor_plate": plate_of(truck.id), "vehicle_class": "reefer" if perishable
                        else "tractor_trailer", "gross_weight_kg": 30000, "axles": 5, "container_size": "none"},
            "driver": {"full_name": "Tài xế mô phỏng", "document_number": f"{truck.id:012d}", "nationality": "VN",
                       "phone": f"09{truck.id % 10 ** 8:08d}"},
            # A truck going back empty declares no goods (issue 15's empty crossing, on the API side).
            "goods": [] if truck.empty and not empty_as_goods else [goods]}


@dataclass
class LaneGates:
    """One lane's checkpoints as the simulated trucks meet them, with each camera's key."""

    waiting_area: str | None
    keys: dict[str, str]


def lay_out(client: GateClient, scenario: Scenario, lanes: Iterable[int]) -> dict[int, LaneGates]:
    """The management center sets each lane up: checkpoints with a camera, the capacity plan, its announced
    changes and the other side's day limits (the crossing points themselves must exist)."""
    start, gates = start_of(scenario), {}
    for index in lanes:
        lane = scenario.lanes[index]
        point, way = lane.crossing_point, lane.direction.value
        keys, waiting_area = {}, None
        for kind in filter(None, (CHECK_IN_CAMERA[way], *CALLED_TO[way], LAST_BARRIER[way])):
            checkpoint = client.checkpoint(point, kind, way, f"Simulated {kind.replace('_', ' ')} ({way})")
            keys[kind] = client.camera(checkpoint, f"sim {point} {way} {kind}")
            waiting_area = checkpoint if kind == CHECK_IN_CAMERA[way] else waiting_area
        gates[index] = LaneGates(waiting_area, keys)
        client.capacity_plan(point, way, lane.capacity_per_hour)
        for change in lane.capacity_changes:
            if not change.announced:
                continue  # entered when it happens (Drive._learn)
            begins, ends = change.stretch.minutes()
            client.capacity_change(point, way, start + begins * MINUTE, start + ends * MINUTE, change.per_hour,
                                   change.reason)
        for limit in lane.day_limits:
            for day in range(limit.from_day, limit.to_day):
                client.day_limit(point, way, scenario.start + timedelta(days=day), limit.trucks)
    return gates


@dataclass
class Tally:
    """What happened at the barriers and desks along the way, beyond the KPIs."""

    declared: int = 0
    warned: int = 0
    asked_again: int = 0
    entered_by_hand: int = 0
    let_out: int = 0
    refused_at: dict[str, int] = field(default_factory=dict)
    paid_vnd: int = 0
    released_by_officers: int = 0
    empty_declared_with_goods: int = 0  # a system without the empty crossing refused no goods

    def refused(self, where: str) -> None:
        self.refused_at[where] = self.refused_at.get(where, 0) + 1


class Drive:
    """The trucks of the chosen lanes through ``client``; ``pace(moment)`` brings the clock to each moment."""

    def __init__(self, scenario: Scenario, trucks: list[Truck], lanes: list[int], client: GateClient,
                 pace: Callable[[datetime], None]) -> None:
        self.scenario, self.client, self.pace = scenario, Patient(client), pace
        self.start = start_of(scenario)
        self.lanes = lanes
        self.trucks = [t for t in trucks if t.lane in set(lanes)]  # the others are not driven
        self.outcome = Outcome.empty(SYSTEM, len(trucks))
        self.tally = Tally()
        self.reference: dict[int, str] = {}
        self.desks = {index: ManualEntry(scenario.manual_entry_minutes) for index in lanes}
        self.waiting: dict[int, set[int]] = {index: set() for index in lanes}  # checked in, not seen called
        self.events: list[tuple[int, int, int]] = []  # (minute, kind, truck)
        self.gates: dict[int, LaneGates] = {}

    def moment(self, minute: int) -> datetime:
        return self.start + minute * MINUTE

    def run(self) -> Outcome:
        if not self.trucks:
            return self.outcome
        first = min(t.declared for t in self.trucks)
        self.pace(self.moment(first - 1))
        self.gates = lay_out(self.client, self.scenario, self.lanes)
        for truck in self.trucks:
            self._at(truck.declared, DECLARE, truck.id)
        self.sudden = [(index, change) for index in self.lanes for change in self.scenario.lanes[index].capacity_changes
                       if not change.announced]
        for n, (_, change) in enumerate(self.sudden):
            self._at(change.stretch.minutes()[0], LEARN, n)
        by_id = {t.id: t for t in self.trucks}
        end = self.scenario.hours * 60
        minute = first
        while minute < end and (self.events or any(self.waiting.values())):
            if not any(self.waiting.values()):
                minute = max(minute, self.events[0][0])  # nothing queued: jump to the next thing that happens
            if minute >= end:
                break
            self.pace(self.moment(minute))
            while self.events and self.events[0][0] <= minute:
                _, kind, i = heappop(self.events)
                if kind == LEARN:
                    self._learn(i, minute)
                else:
                    self._handle(kind, by_id[i], minute)
            if any(self.waiting.values()):
                self.client.call_forward()
                self._see_calls(minute)
            minute += 1
        for index in self.lanes:
            lane_trucks = [t.id for t in self.trucks if t.lane == index]
            fill_waiting_area(lane_trucks, self.outcome, self.scenario.lanes[index].waiting_area)
        return self.outcome

    def _learn(self, n: int, minute: int) -> None:
        """The operator enters a sudden change through the capacity API as it begins; the system learns it then."""
        index, change = self.sudden[n]
        lane = self.scenario.lanes[index]
        ends = change.stretch.minutes()[1]
        self.client.capacity_change(lane.crossing_point, lane.direction.value, self.moment(minute),
                                    self.moment(ends), change.per_hour, change.reason)

    def _at(self, minute: int, kind: int, truck: int) -> None:
        heappush(self.events, (minute, kind, truck))

    def _handle(self, kind: int, truck: Truck, minute: int) -> None:
        (self._declare, self._ask_again, self._arrive, self._enter_by_hand, self._at_yard,
         self._release_and_leave)[kind](truck, minute)

    def _declare(self, truck: Truck, minute: int) -> None:
        lane, planned = self.scenario.lanes[truck.lane], self.moment(truck.planned)
        if truck.empty and not self.tally.empty_declared_with_goods:
            try:
                self.reference[truck.id] = self.client.declare(trip_of(truck, lane, planned))
            except (Invalid, ServerRefused):  # no empty crossing in this system: declared as other goods
                self.tally.empty_declared_with_goods += 1
                self.reference[truck.id] = self.client.declare(trip_of(truck, lane, planned, empty_as_goods=True))
        else:
            self.tally.empty_declared_with_goods += truck.empty
            self.reference[truck.id] = self.client.declare(trip_of(truck, lane, planned,
                                                                  empty_as_goods=truck.empty))
        self.tally.declared += 1
        self._book(truck, minute)

    def _ask_again(self, truck: Truck, minute: int) -> None:
        """Dispatch held another hour: the trip arrives an hour later and its cargo, loaded later, keeps an hour
        longer; one correction says both before the shipper books again."""
        self.tally.asked_again += 1
        held = minute - truck.declared
        self.client.amend(self.reference[truck.id], {
            "planned_arrival": self.moment(truck.planned + held).isoformat(),
            "goods[0].shelf_life_hours": shelf_life_hours(truck) + held // 60},
            "dispatch held back on the shelf-life warning")
        self._book(truck, minute)

    def _arrive(self, truck: Truck, minute: int) -> None:
        i, gates = truck.id, self.gates[truck.lane]
        self.outcome.arrived[i] = minute
        if not truck.misread:
            self._check_in(truck, minute)
            return
        if gates.waiting_area:
            # Too unsure to act on: the barrier stays shut and the read goes to review until typed in.
            self._expect(self.client.camera_read(gates.keys["waiting_area_entry"], plate_of(i), self.moment(minute),
                                                 0.4), "hold", "waiting area (misread)")
        self._at(self.desks[truck.lane].check_in(minute, True), ENTER_BY_HAND, i)

    def _enter_by_hand(self, truck: Truck, minute: int) -> None:
        self.tally.entered_by_hand += 1
        self._check_in(truck, minute, by_hand=True)

    def _at_yard(self, truck: Truck, minute: int) -> None:
        """Called, the truck passes the cameras on its way in; the operator takes the fee if one is due."""
        i, gates, now = truck.id, self.gates[truck.lane], self.moment(minute)
        way = self.scenario.lanes[truck.lane].direction.value
        if not all(self._expect(self.client.camera_read(gates.keys[stop], plate_of(i), now, 0.97), "open", stop)
                   for stop in CALLED_TO[way]):
            return
        due = self.client.fee(self.reference[i]).get("due_vnd") or 0
        if due:
            self.client.pay_cash(self.reference[i], due)
            self.tally.paid_vnd += due
        self._at(minute + max(truck.service, 1), CLEARED, i)

    def _book(self, truck: Truck, minute: int) -> None:
        """Book the live queue; a warned shipper who heeds warnings gives the place up and asks again in an hour."""
        i = truck.id
        answer = self.client.book(self.reference[i])
        held = minute - truck.declared
        if answer.get("warning"):
            self.tally.warned += 1
            if truck.heeds_warning and held + 60 <= self.scenario.max_hold_hours * 60:
                self.client.cancel_booking(self.reference[i], "shipper holds dispatch: the wait is longer than "
                                                              "the cargo's shelf life")
                self._at(minute + 60, ASK_AGAIN, i)
                return
        self.outcome.held[i] = held
        if truck.arrival is not None:
            self._at(truck.arrival + held, ARRIVE, i)

    def _check_in(self, truck: Truck, minute: int, by_hand: bool = False) -> None:
        """At the waiting-area camera (or its desk, for a misread plate), or by the operator from the list."""
        i, gates, now = truck.id, self.gates[truck.lane], self.moment(minute)
        if gates.waiting_area is None:
            self.client.check_in(self.reference[i])
        else:
            answer = (self.client.enter_plate(gates.waiting_area, plate_of(i), now, "plate misread by the camera")
                      if by_hand else self.client.camera_read(gates.keys["waiting_area_entry"], plate_of(i), now, 0.97))
            if not self._expect(answer, "open", "waiting area"):
                return
        self.outcome.checked_in[i] = minute
        self.waiting[truck.lane].add(i)

    def _see_calls(self, minute: int) -> None:
        """Read each lane's board, as a driver watches the phone, for trucks called this turn."""
        for index, waiting in self.waiting.items():
            if not waiting:
                continue
            lane = self.scenario.lanes[index]
            board = self.client.board(lane.crossing_point, lane.direction.value)
            by_reference = {self.reference[i]: i for i in waiting}
            for entry in board["called"]:
                i = by_reference.get(entry["reference"])
                if i is not None:
                    called = datetime.fromisoformat(entry["called_at"])
                    self.outcome.crossed[i] = (called - self.start) // MINUTE  # the minute it falls in
                    waiting.discard(i)
                    self._at(minute + DRIVE_TO_YARD, AT_YARD, i)

    def _release_and_leave(self, truck: Truck, minute: int) -> None:
        """The officers still to act release the truck; the last barrier's camera lets it out."""
        gates, now = self.gates[truck.lane], self.moment(minute)
        reference = self.reference[truck.id]
        for check in self.client.clearance(reference)["checks"]:
            if check["status"]["code"] != "released" and not check["decided_by_system"]:
                self.client.decide(reference, check["agency"]["code"], "release")
                self.tally.released_by_officers += 1
        way = self.scenario.lanes[truck.lane].direction.value
        if self._expect(self.client.camera_read(gates.keys[LAST_BARRIER[way]], plate_of(truck.id), now, 0.97),
                        "open", LAST_BARRIER[way]):
            self.tally.let_out += 1

    def _expect(self, answer: dict, decision: str, where: str) -> bool:
        if answer["decision"]["code"] == decision:
            return True
        self.tally.refused(f"{where}: {answer['decision']['code']}")
        return False


def compare(scenario: Scenario, seed: int, client: GateClient, pace: Callable[[datetime], None],
            lanes: list[int] | None = None) -> tuple[Results, Tally]:
    """Drive the chosen lanes (all by default) through the system; Results holding the system's journeys
    (policy ``bordergate_system``) beside the pure model's ``bordergate`` on the same trucks, and the tally.
    Trucks of other lanes are left out; those driven are numbered anew from 0."""
    chosen = set(range(len(scenario.lanes)) if lanes is None else lanes)
    trucks = [replace(t, id=n) for n, t in enumerate(t for t in generate(scenario, seed) if t.lane in chosen)]
    results = Results.of(scenario, seed, trucks)
    drive = Drive(scenario, trucks, sorted(chosen), client, pace)
    results.outcomes = {"bordergate": run_policy(scenario, results.hours, trucks, "bordergate"), SYSTEM: drive.run()}
    results.kpis = {policy: measure(results, policy) for policy in results.outcomes}
    return results, drive.tally


def agreement(results: Results) -> dict:
    """How closely the system's calls follow the pure model's, truck by truck, where both called the truck."""
    model, system = results.outcomes["bordergate"], results.outcomes[SYSTEM]
    gaps = [abs(system.crossed[t.id] - model.crossed[t.id]) for t in results.trucks
            if system.crossed[t.id] < NEVER and model.crossed[t.id] < NEVER]
    driven = sum(1 for t in results.trucks if system.arrived[t.id] < NEVER)
    return {"arrived": driven, "called_by_both": len(gaps), "same_minute": sum(1 for g in gaps if g == 0),
            "mean_gap_min": round(sum(gaps) / len(gaps), 2) if gaps else 0.0, "max_gap_min": max(gaps, default=0)}
