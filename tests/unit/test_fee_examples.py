"""The published examples of Lang Son Resolution 09/2025/NQ-HDND, reproduced as a table: expected, and ours.

Run ``python tests/unit/test_fee_examples.py`` to print the table as markdown for the docs.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

if not __package__:  # run as a script: make the `tests` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest  # noqa: E402

from bordergate.domain.fees import (LANG_SON_09_2025, Assessment, GoodsClass, Tariff, TariffLine,  # noqa: E402
                                    assess, tariff_in_force)
from bordergate.domain.trip import ContainerSize, TripDetails  # noqa: E402
from bordergate.domain.trip_form import read_trip  # noqa: E402
from bordergate.services.ports import FixedClock  # noqa: E402
from tests import builders  # noqa: E402

DAY = date(2026, 11, 27)
REEXPORT = "temporary_import_reexport"
LS = LANG_SON_09_2025

GOODS = {
    "vegetables": {"hs_code": "0709.99", "description": "Fresh vegetables", "packages": 150,
                   "gross_weight_kg": "1500", "value": "900", "currency": "USD", "origin_country": "VN",
                   "perishable": True, "shelf_life_hours": 72, "quarantine_required": True},
    "fruit": builders.GOODS["durian"],  # HS 08, perishable, 24 t
    "rice": {"hs_code": "1006.30", "description": "Milled rice", "packages": 480, "gross_weight_kg": "24000",
             "value": "14000", "currency": "USD", "origin_country": "VN", "perishable": False,
             "quarantine_required": True},
    "ore": {"hs_code": "2603.00", "description": "Copper ore", "packages": 1, "gross_weight_kg": "15000",
            "value": "30000", "currency": "USD", "origin_country": "VN", "perishable": False,
            "quarantine_required": False},
    "phones": builders.GOODS["phones"],  # HS 85, 6 t
}


def a_trip(goods: tuple[str, ...] = ("vegetables",), *, container: str = "none", flow: str = "export",
           kg: int | None = None, wharf: bool = False, on: date = DAY) -> TripDetails:
    """A trip arriving on ``on`` with one line of each of ``goods`` (``kg`` each if given) in ``container``."""
    now = datetime.combine(on, time(1, 0), tzinfo=UTC)
    raw = builders.a_trip(SimpleNamespace(clock=FixedClock(now)), flow=flow, wharf_transfer_only=wharf)
    raw["goods"] = [dict(GOODS[g], **({"gross_weight_kg": str(kg)} if kg else {})) for g in goods]
    raw["vehicle"].update(container_size=container, gross_weight_kg=48_000)
    if container == "none":
        raw["containers"] = []
        raw["vehicle"].update(vehicle_class="rigid_truck", trailer_plate=None)
    return read_trip(raw, now=now, crossing_points={"HUU_NGHI"})


# The published schedule gives no basic level for a truck with 10-20 t: this one is made up, to show the rule.
ILLUSTRATIVE = replace(LS, version="ILLUSTRATIVE", lines=LS.lines + (
    TariffLine("basic-10-20t", "truck without container, load 10-20 t (illustrative basic level)", 500_000,
               containers=frozenset({ContainerSize.NONE}), from_load_kg=10_000, below_load_kg=20_000),))

# A version the management center might publish, where a 40-ft box prices agricultural and other goods apart.
CENTER = replace(LS, version="CENTER-EXAMPLE", lines=(
    TariffLine("general-40ft", "40-ft container of other goods", 2_500_000,
               goods=frozenset({GoodsClass.GENERAL}), containers=frozenset({ContainerSize.FT40})),
    TariffLine("agri-40ft", "40-ft container of agricultural goods", 3_000_000,
               goods=frozenset({GoodsClass.AGRICULTURAL}), containers=frozenset({ContainerSize.FT40})),
))

NOT_ASSESSED = None  # the schedule has no line: nothing is guessed, nothing is owed yet

CASES: list[tuple[str, dict[str, Any], Tariff, int | None]] = [
    ("truck with under 2 t of fresh vegetables (HS 07), export, no container",
     {"goods": ("vegetables",)}, LS, 100_000),
    ("40-ft container of fresh fruit (HS 08), temporary import for re-export",
     {"goods": ("fruit",), "container": "40ft", "flow": REEXPORT}, LS, 4_000_000),
    ("40-ft container of rice (HS 10), temporary import for re-export",
     {"goods": ("rice",), "container": "40ft", "flow": REEXPORT}, LS, 4_000_000),
    ("the same 40-ft re-export truck, only transferring at the wharf: 30%",
     {"goods": ("fruit",), "container": "40ft", "flow": REEXPORT, "wharf": True}, LS, 1_200_000),
    ("under 2 t of fresh vegetables, imported and going inland: 130%",
     {"goods": ("vegetables",), "flow": "import"}, LS, 130_000),
    ("45-ft container of fresh fruit, re-export: the 40-ft line",
     {"goods": ("fruit",), "container": "45ft", "flow": REEXPORT}, LS, 4_000_000),
    ("mixed 40-ft re-export of fresh fruit and rice: the highest rate",
     {"goods": ("fruit", "rice"), "container": "40ft", "flow": REEXPORT, "kg": 10_000}, LS, 4_000_000),
    ("mixed 40-ft export of phones and rice (center's tariff): the highest rate",
     {"goods": ("phones", "rice"), "container": "40ft", "kg": 10_000}, CENTER, 3_000_000),
    ("truck with 15 t of other goods, export (illustrative basic level)",
     {"goods": ("phones",), "kg": 15_000}, ILLUSTRATIVE, 500_000),
    ("truck with 15 t of ore (HS 26), export: x5 (illustrative basic level)",
     {"goods": ("ore",)}, ILLUSTRATIVE, 2_500_000),
    ("truck with 15 t of ore, imported inland: x5 x130% (illustrative basic level)",
     {"goods": ("ore",), "flow": "import"}, ILLUSTRATIVE, 3_250_000),
    ("40-ft container of phones, export: no line in the published schedule",
     {"goods": ("phones",), "container": "40ft"}, LS, NOT_ASSESSED),
]
IDS = [case for case, *_ in CASES]


def shown(amount: int | None) -> str:
    return "not assessed (0)" if amount is NOT_ASSESSED else f"{amount:,}"


def ours(assessment: Assessment) -> int | None:
    return assessment.total_vnd if assessment.assessed else NOT_ASSESSED


def markdown_table() -> str:
    """The examples as a markdown table, the "ours" column computed by assess() on each case."""
    rows = ["| case | expected (VND) | ours (VND) |", "|---|---:|---:|"]
    for case, kwargs, tariff, expected in CASES:
        rows.append(f"| {case} | {shown(expected)} | {shown(ours(assess(a_trip(**kwargs), tariff)))} |")
    return "\n".join(rows)


@pytest.mark.parametrize(("case", "kwargs", "tariff", "expected"), CASES, ids=IDS)
def test_each_published_example_is_reproduced_exactly(case, kwargs, tariff, expected):
    assessment = assess(a_trip(**kwargs), tariff)
    assert ours(assessment) == expected
    assert assessment.tariff_version == tariff.version
    if expected is NOT_ASSESSED:
        assert assessment.total_vnd == 0 and assessment.lines == ()


def test_the_markdown_table_shows_ours_equal_to_expected_on_every_row():
    header, rule, *rows = markdown_table().splitlines()
    assert header == "| case | expected (VND) | ours (VND) |" and rule == "|---|---:|---:|"
    assert len(rows) == len(CASES)
    for row, (case, *_, expected) in zip(rows, CASES, strict=True):
        name, want, got = (cell.strip() for cell in row.strip("|").split("|"))
        assert (name, want) == (case, shown(expected))
        assert got == want, f"{case}: expected {want}, ours {got}"


def test_the_table_prints_when_the_file_runs_as_a_script(tmp_path):
    run = subprocess.run([sys.executable, __file__], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == markdown_table()


@pytest.mark.parametrize(("case", "kwargs", "tariff", "expected"), CASES, ids=IDS)
def test_amounts_are_whole_vnd_integers_never_floats(case, kwargs, tariff, expected):
    assessment = assess(a_trip(**kwargs), tariff)
    assert type(assessment.total_vnd) is int
    assert all(type(line.amount_vnd) is int for line in assessment.lines)


def test_a_trip_with_no_line_says_which_class_and_size_is_missing():
    assessment = assess(a_trip(("phones",), container="40ft"), LS)
    assert not assessment.assessed and assessment.total_vnd == 0
    assert "no line for other goods on 40ft container (export)" in assessment.missing
    assert assessment.fee_class == "general/no line/40ft"


def test_one_unpriced_class_in_a_mixed_cargo_leaves_the_whole_trip_unassessed():
    assessment = assess(a_trip(("fruit", "phones"), container="40ft", flow=REEXPORT, kg=10_000), LS)
    assert not assessment.assessed and assessment.total_vnd == 0 and "other goods" in assessment.missing


def rules(trip: TripDetails, tariff: Tariff) -> list[tuple[str, int]]:
    return [(line.rule, line.amount_vnd) for line in assess(trip, tariff).lines]


def test_each_line_names_the_schedule_line_that_set_the_rate():
    assert rules(a_trip(), LS) == [("fresh fruit and vegetables, load under 2 t (line fresh-under-2t)", 100_000)]


def test_the_inland_and_wharf_steps_name_their_per_cent():
    assert rules(a_trip(flow="import"), LS)[1:] == [("imported goods going inland: 130% of the rate", 130_000)]
    wharf = a_trip(("fruit",), container="40ft", flow=REEXPORT, wharf=True)
    assert rules(wharf, LS) == [
        ("40-ft container of agricultural goods, temporary import for re-export (line agri-40ft-reexport)",
         4_000_000),
        ("transfers at the wharf only: 30% of the rate", 1_200_000)]


def test_ore_names_the_basic_level_then_its_five_times():
    assert rules(a_trip(("ore",), flow="import"), ILLUSTRATIVE) == [
        ("truck without container, load 10-20 t (illustrative basic level) (line basic-10-20t, basic level)",
         500_000),
        ("ore and minerals: 500% of the basic level", 2_500_000),
        ("imported goods going inland: 130% of the rate", 3_250_000)]


def test_a_mixed_cargo_says_which_class_decided_the_rate():
    mixed = a_trip(("phones", "rice"), container="40ft", kg=10_000)
    assert rules(mixed, CENTER) == [("40-ft container of agricultural goods (line agri-40ft)", 3_000_000),
                                    ("mixed cargo: the highest applicable rate (agricultural products)", 3_000_000)]
    assert assess(mixed, CENTER).fee_class == "agricultural/agri-40ft/through"


def test_two_tonnes_of_vegetables_is_no_longer_under_two_tonnes():
    assert not assess(a_trip(kg=2_000), LS).assessed
    assert assess(a_trip(kg=1_999), LS).total_vnd == 100_000


def test_the_re_export_line_prices_neither_the_same_box_exported_nor_a_20_ft_box():
    assert not assess(a_trip(("rice",), container="40ft", flow="export"), LS).assessed
    assert not assess(a_trip(("rice",), container="20ft", flow=REEXPORT), LS).assessed


# Versions in force


def version(name: str, from_day: date, amount: int) -> Tariff:
    line = replace(LS.lines[0], amount_vnd=amount)
    return replace(LS, version=name, in_force_from=from_day, lines=(line, *LS.lines[1:]))


V1 = version("v1", date(2025, 5, 8), 100_000)
V2 = version("v2", date(2026, 1, 1), 120_000)
OTHER_PROVINCE = replace(version("cb", date(2025, 12, 1), 90_000), jurisdiction="cao_bang")


def test_the_tariff_in_force_is_the_latest_version_on_or_before_the_day():
    tariffs = [V2, OTHER_PROVINCE, V1]
    assert tariff_in_force(tariffs, "lang_son", date(2025, 5, 8)) is V1
    assert tariff_in_force(tariffs, "lang_son", date(2025, 12, 31)) is V1
    assert tariff_in_force(tariffs, "lang_son", date(2026, 1, 1)) is V2
    assert tariff_in_force(tariffs, "lang_son", date(2030, 1, 1)) is V2


def test_no_tariff_is_in_force_before_the_first_version():
    assert tariff_in_force([V1, V2], "lang_son", date(2025, 5, 7)) is None
    assert tariff_in_force([V1, V2], "cao_bang", date(2026, 5, 7)) is None


def test_a_new_version_changes_the_fee_only_for_trips_dated_on_or_after_it():
    def fee_on(day: date) -> int:
        trip = a_trip(on=day)
        return assess(trip, tariff_in_force([V1, V2], "lang_son", trip.planned_arrival.date())).total_vnd
    assert [fee_on(date(2025, 12, 30)), fee_on(date(2025, 12, 31)), fee_on(date(2026, 1, 1))] == [
        100_000, 100_000, 120_000]


def test_no_trip_pays_more_than_the_published_five_million_a_trip():
    high = replace(ILLUSTRATIVE, lines=(replace(ILLUSTRATIVE.lines[-1], amount_vnd=1_000_000),))
    assert assess(a_trip(("ore",), flow="import"), high).total_vnd == 5_000_000


if __name__ == "__main__":
    print(markdown_table())
