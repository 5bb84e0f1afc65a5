"""Which agencies must act on a trip, and customs selectivity: rules as versioned data, pure functions over a trip.

Groundwork for the agencies issue (5): nothing calls this yet from the services.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bordergate.domain.identifiers import hs_chapter
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import Flow, TripDetails


class Agency(Labelled):
    """An agency at the gate that may have to act on a trip."""

    CUSTOMS = ("customs", "Hải quan", "Customs", "海关", "blue")
    BORDER_GUARD = ("border_guard", "Biên phòng", "Border guard", "边防", "green")
    PLANT_QUARANTINE = ("plant_quarantine", "Kiểm dịch thực vật", "Plant quarantine", "植物检疫", "olive")
    ANIMAL_QUARANTINE = ("animal_quarantine", "Kiểm dịch động vật", "Animal quarantine", "动物检疫", "amber")
    HEALTH = ("health", "Kiểm dịch y tế", "Health quarantine", "卫生检疫", "teal")


@dataclass(frozen=True)
class AgencyRule:
    """One line of the rule table: the agency acts when the trip has goods of these HS chapters (None: any
    trip), on these flows (None: every flow), for loaded or empty trucks (``empty`` None: both); ``reason`` is what
    the declarant and the officer are shown."""

    agency: Agency
    reason: str
    hs_chapters: frozenset[int] | None = None
    flows: frozenset[Flow] | None = None
    when_declared_for_quarantine: bool = False
    empty: bool | None = None

    def applies(self, trip: TripDetails) -> bool:
        if self.flows is not None and trip.flow not in self.flows:
            return False
        if self.empty is not None and trip.empty is not self.empty:
            return False
        if self.hs_chapters is None:
            return True
        return any(hs_chapter(g.hs_code) in self.hs_chapters
                   or (self.when_declared_for_quarantine and g.quarantine_required) for g in trip.goods)


@dataclass(frozen=True)
class RuleTable:
    """A version of the rule table, in force from a date; a new regulation is a new version, not new code."""

    version: str
    in_force_from: date
    rules: tuple[AgencyRule, ...]
    health_checks_in_force: bool = False

    def agencies_for(self, trip: TripDetails) -> list[tuple[Agency, str]]:
        """Each agency that must act on the trip, once, with the first reason that brought it in."""
        found: dict[Agency, str] = {}
        for rule in self.rules:
            if rule.agency is Agency.HEALTH and not self.health_checks_in_force:
                continue
            if rule.agency not in found and rule.applies(trip):
                found[rule.agency] = rule.reason
        return list(found.items())


def table_in_force(tables: Iterable[RuleTable], on: date) -> RuleTable:
    """The version in force on a day: the latest that started on or before it."""
    eligible = [t for t in tables if t.in_force_from <= on]
    if not eligible:
        raise LookupError(f"no agency rule table is in force on {on.isoformat()}")
    return max(eligible, key=lambda t: t.in_force_from)


# HS chapters (WCO nomenclature): plant products 06-14 and wood 44; live animals and animal products 01-05,
# preparations of meat or fish 16, raw hides and furskins 41 and 43.
PLANT_CHAPTERS = frozenset({6, 7, 8, 9, 10, 11, 12, 13, 14, 44})
ANIMAL_CHAPTERS = frozenset({1, 2, 3, 4, 5, 16, 41, 43})

LANG_SON_2025 = RuleTable(
    version="lang-son-2025-1", in_force_from=date(2025, 5, 8),
    rules=(
        AgencyRule(Agency.CUSTOMS, "every trip crossing with goods is cleared by customs", empty=False),
        # Customs supervises every vehicle entering or leaving (Customs Law 2014, means of transport), loaded or not;
        # with no goods nothing brings quarantine in, since those rows need goods of their chapters.
        AgencyRule(Agency.CUSTOMS, "a vehicle crossing empty is still supervised by customs (the vehicle itself)",
                   empty=True),
        AgencyRule(Agency.BORDER_GUARD, "the vehicle and its driver cross the border line"),
        AgencyRule(Agency.PLANT_QUARANTINE, "plant products (HS chapters 06-14, 44)", PLANT_CHAPTERS),
        AgencyRule(Agency.ANIMAL_QUARANTINE, "live animals or animal products (HS chapters 01-05, 16, 41, 43)",
                   ANIMAL_CHAPTERS),
        AgencyRule(Agency.PLANT_QUARANTINE, "the declarant marked goods as needing quarantine", frozenset(),
                   when_declared_for_quarantine=True),
        AgencyRule(Agency.HEALTH, "health checks are in force at the border"),
    ),
)


class Channel(Labelled):
    """Customs selectivity, as in VNACCS and ASYCUDA: release, check documents, or inspect the goods."""

    GREEN = ("green", "Luồng xanh", "Green: release", "绿色通道", "green")
    YELLOW = ("yellow", "Luồng vàng", "Yellow: documents checked", "黄色通道", "amber")
    RED = ("red", "Luồng đỏ", "Red: physical inspection", "红色通道", "red")

    @property
    def rank(self) -> int:
        return list(Channel).index(self)


@dataclass(frozen=True)
class History:
    """What customs knows of the enterprise: trips cleared and violations found in the last twelve months."""

    trips_cleared: int
    violations: int


@dataclass(frozen=True)
class SelectivityRules:
    """Risk rules and the minimum random selection rates per channel (a share of trips, 0-1)."""

    red_chapters: frozenset[int] = frozenset({1, 93})  # live animals; arms and ammunition
    yellow_origins: frozenset[str] = frozenset()
    new_enterprise_trips: int = 10
    violations_for_red: int = 2
    random_yellow: float = 0.05
    random_red: float = 0.02


def assign_channel(trip: TripDetails, history: History, rules: SelectivityRules,
                   rng: random.Random) -> tuple[Channel, list[str]]:
    """The channel from the risk rules, raised by a random draw at no less than the minimum rates."""
    channel, reasons = Channel.GREEN, []

    def raise_to(to: Channel, why: str) -> None:
        nonlocal channel
        reasons.append(why)
        if to.rank > channel.rank:
            channel = to

    chapters = {hs_chapter(g.hs_code) for g in trip.goods}
    if chapters & rules.red_chapters:
        raise_to(Channel.RED, f"goods of HS chapter(s) {sorted(chapters & rules.red_chapters)} are always inspected")
    if any(g.origin_country in rules.yellow_origins for g in trip.goods):
        raise_to(Channel.YELLOW, "origin under watch: documents are checked")
    if history.violations >= rules.violations_for_red:
        raise_to(Channel.RED, f"{history.violations} violations in twelve months")
    elif history.trips_cleared < rules.new_enterprise_trips:
        raise_to(Channel.YELLOW, f"a new enterprise ({history.trips_cleared} trips cleared): documents are checked")
    # One draw decides both random selections, so the rates are exact shares of all trips.
    draw = rng.random()
    if draw < rules.random_red:
        raise_to(Channel.RED, f"random selection for inspection (at least {rules.random_red:.0%} of trips)")
    elif draw < rules.random_red + rules.random_yellow:
        raise_to(Channel.YELLOW, f"random selection for a documents check (at least {rules.random_yellow:.0%})")
    return channel, reasons or ["no risk rule applies"]
