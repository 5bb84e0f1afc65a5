"""Which agencies act on a trip, and customs selectivity: the rule table is data, the draw is seeded."""
from __future__ import annotations

import copy
import random
from collections import Counter
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from bordergate.domain.inspection import (LANG_SON_2025, Agency, AgencyRule, Channel, History, RuleTable,
                                          SelectivityRules, assign_channel, table_in_force)
from bordergate.domain.trip import Flow, TripDetails
from bordergate.domain.trip_form import read_trip
from bordergate.services.ports import FixedClock
from tests import builders

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
SEASONED = History(trips_cleared=500, violations=0)
NO_RANDOM = SelectivityRules(random_yellow=0.0, random_red=0.0)


def a_trip(*hs_codes: str, flow: str = "export", origin: str = "VN", quarantine: bool = False) -> TripDetails:
    """A trip whose goods lines have these HS codes (phones by default)."""
    lines = []
    for code in hs_codes or ("8517.13",):
        line = copy.deepcopy(builders.GOODS["phones"])
        line.update(hs_code=code, origin_country=origin, quarantine_required=quarantine)
        lines.append(line)
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(NOW)), flow=flow)
    raw["goods"] = lines
    return read_trip(raw, now=NOW, crossing_points={"HUU_NGHI"})


def agencies(trip: TripDetails, table: RuleTable = LANG_SON_2025) -> list[Agency]:
    return [agency for agency, _ in table.agencies_for(trip)]


def test_customs_and_the_border_guard_act_on_every_trip():
    assert agencies(a_trip()) == [Agency.CUSTOMS, Agency.BORDER_GUARD]


@pytest.mark.parametrize("code", ["0810.60", "0709.99", "1006.30", "4403.11"])
def test_plant_products_bring_in_plant_quarantine(code):
    assert Agency.PLANT_QUARANTINE in agencies(a_trip(code))
    assert Agency.ANIMAL_QUARANTINE not in agencies(a_trip(code))


@pytest.mark.parametrize("code", ["0102.29", "0303.89", "0407.21", "1602.49"])
def test_live_animals_and_animal_products_bring_in_animal_quarantine(code):
    assert Agency.ANIMAL_QUARANTINE in agencies(a_trip(code))


def test_mixed_cargo_brings_in_every_agency_any_line_needs_each_once():
    found = LANG_SON_2025.agencies_for(a_trip("0810.60", "0303.89", "8517.13"))
    assert [agency for agency, _ in found] == [Agency.CUSTOMS, Agency.BORDER_GUARD, Agency.PLANT_QUARANTINE,
                                               Agency.ANIMAL_QUARANTINE]
    assert dict(found)[Agency.PLANT_QUARANTINE] == "plant products (HS chapters 06-14, 44)"


def test_goods_the_declarant_marks_for_quarantine_are_quarantined_whatever_their_chapter():
    assert Agency.PLANT_QUARANTINE in agencies(a_trip("8517.13", quarantine=True))


def test_health_checks_act_only_while_in_force():
    trip = a_trip()
    assert Agency.HEALTH not in agencies(trip)
    in_force = RuleTable("epidemic", date(2026, 1, 1), LANG_SON_2025.rules, health_checks_in_force=True)
    assert Agency.HEALTH in agencies(trip, in_force)


def test_a_rule_can_be_limited_to_flows():
    transit_only = RuleTable("t", date(2026, 1, 1), (
        AgencyRule(Agency.BORDER_GUARD, "transit escort", flows=frozenset({Flow.TRANSIT})),))
    assert agencies(a_trip(flow="transit"), transit_only) == [Agency.BORDER_GUARD]
    assert agencies(a_trip(flow="export"), transit_only) == []


def test_the_version_in_force_on_a_day_is_the_latest_started_by_then():
    newer = RuleTable("lang-son-2027", date(2027, 1, 1), ())
    assert table_in_force([LANG_SON_2025, newer], date(2026, 12, 31)) is LANG_SON_2025
    assert table_in_force([LANG_SON_2025, newer], date(2027, 1, 1)) is newer
    with pytest.raises(LookupError, match="2025-05-07"):
        table_in_force([LANG_SON_2025], date(2025, 5, 7))


def test_a_seasoned_enterprise_with_ordinary_goods_goes_green():
    channel, reasons = assign_channel(a_trip(), SEASONED, NO_RANDOM, random.Random(1))
    assert (channel, reasons) == (Channel.GREEN, ["no risk rule applies"])


def test_live_animals_always_go_red():
    channel, reasons = assign_channel(a_trip("0102.29"), SEASONED, NO_RANDOM, random.Random(1))
    assert channel is Channel.RED and "always inspected" in reasons[0]


def test_a_new_enterprise_has_its_documents_checked():
    channel, reasons = assign_channel(a_trip(), History(3, 0), NO_RANDOM, random.Random(1))
    assert channel is Channel.YELLOW and "new enterprise (3 trips cleared)" in reasons[0]


def test_repeated_violations_send_an_enterprise_to_red():
    assert assign_channel(a_trip(), History(500, 2), NO_RANDOM, random.Random(1))[0] is Channel.RED


def test_an_origin_under_watch_is_checked_and_the_highest_channel_wins_with_every_reason_kept():
    rules = SelectivityRules(yellow_origins=frozenset({"CN"}), random_yellow=0.0, random_red=0.0)
    channel, reasons = assign_channel(a_trip("0102.29", origin="CN"), SEASONED, rules, random.Random(1))
    assert channel is Channel.RED and len(reasons) == 2


def test_random_selection_reaches_at_least_its_minimum_rates():
    rng, rules = random.Random(2026), SelectivityRules(random_yellow=0.05, random_red=0.02)
    trip = a_trip()
    counts = Counter(assign_channel(trip, SEASONED, rules, rng)[0] for _ in range(20_000))
    assert counts[Channel.RED] / 20_000 == pytest.approx(0.02, abs=0.004)
    assert counts[Channel.YELLOW] / 20_000 == pytest.approx(0.05, abs=0.006)


def test_the_same_seed_draws_the_same_channels():
    trip, rules = a_trip(), SelectivityRules(random_yellow=0.3, random_red=0.2)
    first = [assign_channel(trip, SEASONED, rules, random.Random(7))[0] for _ in range(3)]
    assert first == [assign_channel(trip, SEASONED, rules, random.Random(7))[0] for _ in range(3)]


def test_channels_carry_their_labels_in_three_languages():
    assert {c: (c.label("vi"), c.label("en"), c.label("zh")) for c in Channel}[Channel.RED] == \
        ("Luồng đỏ", "Red: physical inspection", "红色通道")
