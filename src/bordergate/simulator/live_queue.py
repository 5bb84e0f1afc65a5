"""bordergate's own policy on the simulated clock: the live queue called forward by the real call-forward rules.

Each minute a call may go out, the trucks waiting are handed to call_forward.calls_due with the QueueRules
defaults, as the real loop does: priority trucks first, then perishable cargo close to spoiling, then the live
queue by check-in. To keep a year fast, calls_due is handed a shortlist instead of the whole waiting area: the
first ``paced`` trucks of each of its three classes, kept in heaps. calls_due calls the ``paced`` most urgent
trucks, and those are always among the first ``paced`` of their class, so the calls are the same (tested against
the whole waiting area).
"""
from __future__ import annotations

from datetime import timedelta
from heapq import heappop, heappush

from bordergate.domain.booking import BookingKind, BookingStatus, Priority, QueueRules
from bordergate.domain.call_forward import Place, calls_due
from bordergate.simulator.gate import ManualEntry
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import NEVER, LaneHours, sudden_changes
from bordergate.simulator.scenario import Scenario
from bordergate.simulator.shippers import Outlook
from bordergate.simulator.traffic import Truck

RULES = QueueRules()
URGENT_MINUTES = int(RULES.perishable_urgent / timedelta(minutes=1))
# The system forgets a live-queue truck that never came an hour and a half after it was due (no_show_grace after
# its hour), so shippers stop counting it ahead of them.
FORGET_AFTER = 60 + int(RULES.no_show_grace / timedelta(minutes=1))
DECLARE, ARRIVE, CHECK_IN, FORGET = range(4)
LEARN = -1  # a sudden capacity change becomes known: before anything else that minute


def bordergate(scenario: Scenario, hours: LaneHours, trucks: list[Truck], outcome: Outcome,
               whole_queue: bool = False) -> None:
    """Run the lane under bordergate; ``whole_queue`` hands calls_due every waiting truck (slow, for tests)."""
    LiveQueue(scenario, hours, trucks, outcome, whole_queue).run()


class LiveQueue:
    """One lane's waiting area, its call-forward turns, and the shippers who watch it.

    Calls follow the lane's hours as they happen; shippers see them as they can be known (``known``): a sudden
    change reaches them when it begins, and then every heeding shipper of perishable cargo still on the way is
    warned again: one not yet loaded holds back further, one already on the road whose cargo would now spoil
    before its call diverts the truck (it never comes; the load is sold elsewhere, not spoilt at the border).
    """

    def __init__(self, scenario: Scenario, hours: LaneHours, trucks: list[Truck], outcome: Outcome,
                 whole_queue: bool) -> None:
        self.scenario, self.hours, self.outcome, self.whole_queue = scenario, hours, outcome, whole_queue
        self.trucks = {t.id: t for t in trucks}
        self.events = sorted((t.declared, DECLARE, t.id) for t in trucks)
        self.desk = ManualEntry(scenario.manual_entry_minutes)
        self.lane = scenario.lanes[trucks[0].lane] if trucks else None
        learn = sudden_changes(self.lane) if self.lane else []
        self.known = LaneHours(scenario, self.lane, known_at=0) if learn else hours
        self.events += [(minute, LEARN, -1) for minute in learn]
        self.events.sort()
        self.outlook = Outlook(self.known, URGENT_MINUTES)
        self.due: dict[int, int] = {}  # when each truck on its way is due (its arrival, or when it is forgotten)
        self.waiting: dict[int, Place] = {}
        self.spoils: dict[int, int] = {}  # when each truck's cargo spoils, after any hold-back
        self.classes: tuple[list, list, list] = ([], [], [])  # priority by check-in; perishable by spoiling; all
        self.hour, self.called = -1, 0

    def run(self) -> None:
        events, minute = self.events, 0
        while events or self.waiting:
            next_event = events[0][0] if events else NEVER
            next_call = self.hours.next_call(max(minute, 0), self._called_in(max(minute, 0))) if self.waiting \
                else NEVER
            if next_event == NEVER and next_call == NEVER:
                return
            if next_event <= next_call:
                minute, kind, truck = heappop(events)
                if kind == LEARN:
                    self._learn(minute)
                elif kind not in (ARRIVE, FORGET) or self.due.get(truck) == minute:
                    self._handle(kind, self.trucks[truck], minute)  # (a truck held or diverted: event stale)
            else:
                minute = next_call
                self._call(minute)
                minute += 1

    def _called_in(self, minute: int) -> int:
        return self.called if minute // 60 == self.hour else 0

    def _handle(self, kind: int, truck: Truck, minute: int) -> None:
        i = truck.id
        if kind == DECLARE:
            self._declare(truck, minute)
        elif kind == ARRIVE:
            del self.due[i]
            self.outcome.arrived[i] = minute
            heappush(self.events, (self.desk.check_in(minute, truck.misread), CHECK_IN, i))
        elif kind == CHECK_IN:
            self._check_in(truck, minute)
        else:
            del self.due[i]
            self.outlook.gone(self.spoils.get(i), truck.priority is not Priority.NONE, waiting=False)
            self.outlook.expected.remove(truck.planned + self.outcome.held[i])

    def _declare(self, truck: Truck, minute: int) -> None:
        """The shipper declares; told the expected wait, one with perishable cargo may hold back dispatch."""
        i, held, spoils = truck.id, 0, truck.spoils_at
        if spoils is not None and truck.heeds_warning and self.scenario.max_hold_hours:
            held = self.outlook.hold(minute, self._called_in(minute), truck.planned, spoils,
                                     self.scenario.max_hold_hours * 60)
        self.outcome.held[i] = held
        if spoils is not None:
            self.spoils[i] = spoils + held
        priority = truck.priority is not Priority.NONE
        self.outlook.add(truck.planned + held, self.spoils.get(i), priority)
        self._schedule(truck)

    def _schedule(self, truck: Truck) -> None:
        i, held = truck.id, self.outcome.held[truck.id]
        if truck.arrival is not None:
            self.due[i] = truck.arrival + held
            heappush(self.events, (truck.arrival + held, ARRIVE, i))
        else:
            self.due[i] = truck.planned + held + FORGET_AFTER
            heappush(self.events, (truck.planned + held + FORGET_AFTER, FORGET, i))

    def _learn(self, minute: int) -> None:
        """A sudden change is known: the shippers' outlook sees it, and those on the way are warned again."""
        self.known = LaneHours(self.scenario, self.lane, known_at=minute)
        self.outlook.hours = self.known
        called = self._called_in(minute)
        for i in sorted(self.due):
            truck, spoils = self.trucks[i], self.spoils.get(i)
            if spoils is None or not truck.heeds_warning or truck.priority is not Priority.NONE:
                continue
            held = self.outcome.held[i]
            planned = truck.planned + held
            self.outlook.gone(spoils, False, waiting=False)  # asked without itself counted ahead of it
            self.outlook.expected.remove(planned)
            if self.outlook.expected_call(minute, called, planned, spoils) > spoils:
                if minute < truck.departure + held:  # not loaded yet: hold back further, as at declaration
                    more = self.outlook.hold(minute, called, planned, spoils,
                                             max(0, self.scenario.max_hold_hours * 60 - held))
                    if more:  # (none left to hold: it is sent as planned)
                        self.outcome.held[i] += more
                        self.spoils[i] = spoils = spoils + more
                        planned += more
                        self._schedule(truck)
                else:  # on the road with cargo that would spoil in the queue: sent elsewhere
                    self.outcome.diverted[i] = minute
                    del self.due[i]
                    continue
            self.outlook.add(planned, spoils, False)

    def _check_in(self, truck: Truck, minute: int) -> None:
        i, moment = truck.id, self.hours.moment
        self.outcome.checked_in[i] = minute
        self.outlook.came(truck.planned + self.outcome.held[i])
        spoils = self.spoils.get(i)
        place = Place(f"{i:09d}", BookingKind.LIVE, BookingStatus.WAITING, truck.priority, moment(minute), None,
                      moment(spoils) if spoils is not None else None)
        self.waiting[i] = place
        priority, perishable, everyone = self.classes
        if truck.priority is not Priority.NONE:
            heappush(priority, (minute, place.booking_id, i))
        else:
            if spoils is not None:
                heappush(perishable, (spoils, place.booking_id, i))
            heappush(everyone, (minute, place.booking_id, i))

    def _call(self, minute: int) -> None:
        hour = minute // 60
        if hour != self.hour:
            self.hour, self.called = hour, 0
        paced = self.hours.tables[hour][minute % 60] - self.called
        candidates = list(self.waiting.values()) if self.whole_queue else self._shortlist(minute, paced)
        due = calls_due(self.hours.moment(minute), candidates, self.hours.capacity[hour], self.called, 0,
                        RULES.perishable_urgent)
        for place in due:
            i = int(place.booking_id)
            del self.waiting[i]
            self.outcome.crossed[i] = minute
            self.outlook.gone(self.spoils.get(i), place.priority is not Priority.NONE, waiting=True)
        self.called += len(due)

    def _shortlist(self, minute: int, paced: int) -> list[Place]:
        """The first ``paced`` waiting trucks of each class of call_forward.urgency at ``minute``.

        A load whose cargo is within ``urgent`` of spoiling is in the perishable class. The everyone heap passes
        it over but keeps it: once spoilt it is back among everyone (urgency does not call spoilt cargo ahead), and
        it leaves the perishable heap for good.
        """
        chosen: list[Place] = []
        priority, perishable, everyone = self.classes
        for heap in self.classes:
            taken, passed_over = [], []
            while heap and len(taken) < paced:
                entry = heappop(heap)
                truck = entry[2]
                if truck not in self.waiting:
                    continue  # called already: heaps forget lazily
                spoils = self.spoils.get(truck)
                urgent = spoils is not None and minute < spoils <= minute + URGENT_MINUTES
                if heap is perishable and spoils <= minute:
                    continue  # spoilt: it is called from the everyone heap in its turn
                if heap is perishable and not urgent:
                    heappush(heap, entry)  # the rest spoil later still: none is urgent
                    break
                if heap is everyone and urgent:
                    passed_over.append(entry)  # called from the perishable heap while urgent
                    continue
                taken.append(entry)
            for entry in taken + passed_over:
                heappush(heap, entry)
            chosen += [self.waiting[entry[2]] for entry in taken]
        return chosen
