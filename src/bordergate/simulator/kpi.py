"""What a policy achieved: waits, queues on the highway and in waiting areas, spoiled cargo, throughput, fairness,
and the hindsight bound every policy is measured against."""
from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from bordergate.domain.booking import Priority
from bordergate.simulator.gate import serve_in_order
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import NEVER, LaneHours
from bordergate.simulator.traffic import Truck

# The hindsight bound. Every policy lets trucks through the same gate: in hour h, by its minute k, at most
# A_h(k) trucks (call_forward.paced_allowance, one call turn a minute), each truck taking one place whatever it
# carries ("identical service"). A policy is work-conserving if it never leaves a place unused while a truck that
# has arrived is waiting. Claim: with the same arrivals, (1) every work-conserving policy lets through the same
# number of trucks by every minute, whatever order it picks, so the same multiset of crossing times and the same
# total (and mean) wait; (2) no policy, work-conserving or not, can do better.
# Proof. Let Q(t) be the trucks arrived and waiting at minute t, and D(t) those let through by t. (1) A
# work-conserving policy lets through min(Q(t), A_h(k) - [taken earlier in hour h]) at t: a function of counts,
# never of which trucks, so D(t) is the same for every order. (2) Let W be work-conserving and P any policy; by
# induction on t, D_W(t) >= D_P(t). If W let through every truck present at t, D_W(t) = arrivals by t >= D_P(t).
# Otherwise W filled the hour's allowance: D_W(t) = D_W(t0 - 1) + A_h(k) >= D_P(t0 - 1) + A_h(k) >= D_P(t), with t0
# the hour's first minute, by induction and because P too takes at most A_h(k) in hour h by minute k. So the n-th
# crossing under W is no later than the n-th under P, for every n; the total wait is the sum of crossing times
# less the (fixed) sum of arrival times, so W's is the least. First come, first served without idle places is one
# work-conserving policy: it is the bound. Waits are cut off at the end of the simulated hours (a truck not let
# through counts up to then), which keeps the argument: min(d, end) is increasing in d.
# Hold-back fits the argument by counting the hours held as wait: a held truck still crosses after its arrival.


def hindsight_bound(hours_by_lane: Sequence[LaneHours], trucks: list[Truck]) -> array:
    """The crossing minute of each truck (by id) under first come, first served with no place left unused."""
    crossed = array("q", [NEVER]) * len(trucks)
    by_lane: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for truck in trucks:
        if truck.arrival is not None:
            by_lane[truck.lane].append((truck.arrival, truck.id))
    for lane, arrivals in by_lane.items():
        arrivals.sort()
        serve_in_order(hours_by_lane[lane], arrivals, crossed)
    return crossed


def overtaken(trucks: list[Truck], outcome: Outcome) -> set[int]:
    """Trucks let through after a truck of their lane that arrived later with no priority and no perishable cargo
    (a later arrival crossing first for a reason the rules give is no unfairness)."""
    found: set[int] = set()
    by_lane: dict[int, list[Truck]] = defaultdict(list)
    for truck in trucks:
        if outcome.arrived[truck.id] < NEVER:
            by_lane[truck.lane].append(truck)
    arrived, crossed = outcome.arrived, outcome.crossed
    for lane_trucks in by_lane.values():
        lane_trucks.sort(key=lambda t: arrived[t.id], reverse=True)
        first_of_later, i = NEVER, 0
        while i < len(lane_trucks):
            j, at = i, arrived[lane_trucks[i].id]
            while j < len(lane_trucks) and arrived[lane_trucks[j].id] == at:
                if crossed[lane_trucks[j].id] > first_of_later:
                    found.add(lane_trucks[j].id)
                j += 1
            for truck in lane_trucks[i:j]:
                if truck.priority is Priority.NONE and not truck.perishable:
                    first_of_later = min(first_of_later, crossed[truck.id])
            i = j
    return found


def summary(trucks: list[Truck], outcome: Outcome, bound: array, days: int, end: int, behind: set[int]) -> dict:
    """The KPIs of ``trucks`` (all, or one lane's) under ``outcome``; waits in minutes, cut off at ``end``."""
    came = [t for t in trucks if outcome.arrived[t.id] < NEVER]
    arrived, crossed, held, entered = outcome.arrived, outcome.crossed, outcome.held, outcome.entered_area
    waits = sorted(min(crossed[t.id], end) - arrived[t.id] for t in came)
    with_hold = [min(crossed[t.id], end) - arrived[t.id] + held[t.id] for t in came]
    best = [min(bound[t.id], end) - t.arrival for t in came if t.arrival is not None]
    lost = sum(1 for t in came if spoilt(t, crossed[t.id], held[t.id], end))
    window = days * 24 * 60
    highway: tuple[list[int], list[int]] = ([], [])  # when each truck came to it, and when it left
    area: tuple[list[int], list[int]] = ([], [])
    for t in came:
        i = t.id
        leaves = min(crossed[i], end)
        highway[0].append(arrived[i])
        highway[1].append(min(entered[i], leaves))
        if entered[i] < NEVER:
            area[0].append(entered[i])
            area[1].append(leaves)
    per_day = [0] * days
    for t in came:
        if crossed[t.id] < window:
            per_day[crossed[t.id] // 1440] += 1
    bound_mean = fmean(best) if best else 0.0
    mean_with_hold = fmean(with_hold) if with_hold else 0.0
    return {
        "trucks": len(trucks), "arrived": len(came), "crossed": sum(1 for t in came if crossed[t.id] < NEVER),
        "mean_wait_min": _round(fmean(waits)) if waits else 0.0,
        "p95_wait_min": waits[int(0.95 * (len(waits) - 1))] if waits else 0,
        "held_back": sum(1 for t in came if held[t.id]), "mean_hold_min": _round(fmean(held[t.id] for t in came))
        if came else 0.0, "mean_wait_with_hold_min": _round(mean_with_hold),
        "bound_mean_wait_min": _round(bound_mean),
        "ratio_to_bound": round(mean_with_hold / bound_mean, 3) if bound_mean else None,
        "highway_mean": _round(_time_average(highway, window)), "highway_peak": most_at_once(highway),
        "waiting_area_mean": _round(_time_average(area, window)), "waiting_area_peak": most_at_once(area),
        "perishable": sum(1 for t in came if t.perishable), "perishable_lost": lost,
        "throughput_per_day": _round(fmean(per_day)) if per_day else 0.0, "crossed_by_day": per_day,
        "overtaken_share": round(sum(1 for t in came if t.id in behind) / len(came), 4) if came else 0.0,
        "not_crossed": sum(1 for t in came if crossed[t.id] >= NEVER),
        "not_crossed_fresh": sum(1 for t in came if crossed[t.id] >= NEVER and t.perishable
                                 and not spoilt(t, crossed[t.id], held[t.id], end)),
        "empty": sum(1 for t in came if t.empty),
        "empty_share": round(sum(1 for t in came if t.empty) / len(came), 4) if came else 0.0,
        "empty_mean_wait_min": _mean_wait([t for t in came if t.empty], outcome, end),
        "loaded_mean_wait_min": _mean_wait([t for t in came if not t.empty], outcome, end),
        "diverted": sum(1 for t in trucks if outcome.diverted[t.id] < NEVER),
        "lost_unwarned": sum(1 for t in came if t.heeds_warning and not held[t.id]
                             and spoilt(t, crossed[t.id], held[t.id], end)),
    }


def spoilt(truck: Truck, crossed: int, held: int, end: int) -> bool:
    """Perishable cargo whose shelf life ran out before it crossed, within the simulated time. A load still
    waiting at the end with shelf life left is not crossed, not spoilt (issue 15: 478 of 485 "spoilt" were)."""
    if not truck.perishable:
        return False
    spoils = truck.spoils_at + held
    return crossed > spoils and spoils < end


def _mean_wait(trucks: list[Truck], outcome: Outcome, end: int) -> float:
    waits = [min(outcome.crossed[t.id], end) - outcome.arrived[t.id] for t in trucks]
    return _round(fmean(waits)) if waits else 0.0


def _round(value: float) -> float:
    return round(value, 1)


def _time_average(stays: tuple[list[int], list[int]], window: int) -> float:
    """Trucks present on average over the scenario's days: the time each spent there, inside them, over their length."""
    if not window:
        return 0.0
    return sum(max(0, min(leaves, window) - max(came, 0)) for came, leaves in zip(*stays, strict=True)) / window


def most_at_once(stays: tuple[list[int], list[int]]) -> int:
    """The most trucks there at once (one leaving and one coming the same minute are not there together)."""
    comes = sorted(came for came, leaves in zip(*stays, strict=True) if leaves > came)
    goes = sorted(leaves for came, leaves in zip(*stays, strict=True) if leaves > came)
    present = peak = gone = 0
    for came in comes:
        while goes[gone] <= came:
            gone += 1
            present -= 1
        present += 1
        peak = max(peak, present)
    return peak
