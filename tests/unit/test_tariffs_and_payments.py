"""Tariff documents as the management center publishes them, yard parking by the hour, and paying the fee."""
from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.dates import EARLIEST, LATEST
from bordergate.domain.errors import Invalid
from bordergate.domain.fees import LANG_SON_09_2025, GoodsClass, Journey, ParkingRate, Tariff, TariffLine
from bordergate.domain.payments import (Payment, PaymentMethod, PaymentStatus, outstanding, paid, receipt_number,
                                        refund_due)
from bordergate.domain.tariff_form import read_tariff, tariff_to_plain
from bordergate.domain.trip import ContainerSize, Flow

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
WHOLE_VND = "must be a whole number of VND from 0 to 1,000,000,000 (no decimals: VND has no cents)"
WHOLE_PERCENT = "must be a whole per cent from 1 to 10000 (ore x5 is 500)"


def a_document(**changes: Any) -> dict[str, Any]:
    """The published Lang Son schedule as the plain document a center would PUT, with top-level changes."""
    document = copy.deepcopy(tariff_to_plain(LANG_SON_09_2025))
    document.update(changes)
    return document


def with_line(index: int = 0, **changes: Any) -> dict[str, Any]:
    document = a_document()
    document["lines"][index].update(changes)
    return document


def problems(document: Any) -> dict[str, str]:
    """Each bad field of ``document`` and why, as read_tariff names them."""
    with pytest.raises(Invalid) as refused:
        read_tariff(document)
    return {p.field: p.message for p in refused.value.problems}


# Reading a tariff document


def test_the_published_schedule_reads_back_as_itself():
    assert read_tariff(a_document()) == LANG_SON_09_2025


@pytest.mark.parametrize("amount", ["100000", 100000.5, 100000.0, True, -1, 1_000_000_001, None],
                         ids=["text", "decimal", "float", "bool", "negative", "three-zeros-too-many", "missing"])
def test_an_amount_that_is_not_a_whole_number_of_vnd_is_refused_by_its_line(amount):
    assert problems(with_line(0, amount_vnd=amount)) == {"lines[0].amount_vnd": WHOLE_VND}


def test_a_float_amount_is_refused_even_when_the_cents_are_small():
    assert problems(with_line(1, amount_vnd=4_000_000.5)) == {"lines[1].amount_vnd": WHOLE_VND}


def test_an_unknown_goods_class_is_refused_with_the_classes_allowed():
    assert problems(with_line(1, goods=["agricultural", "vegetables"])) == {
        "lines[1].goods": "'vegetables' is not one of: fresh_produce, agricultural, ore, general"}


def test_an_unknown_container_size_is_refused_with_the_sizes_allowed():
    assert problems(with_line(0, containers=["53ft"])) == {
        "lines[0].containers": "'53ft' is not one of: none, 20ft, 40ft, 45ft"}


def test_an_empty_list_of_goods_is_refused_since_null_means_any():
    assert problems(with_line(0, goods=[])) == {"lines[0].goods": "must be a non-empty list, or null for any"}


def test_two_lines_with_the_same_key_are_refused():
    assert problems(with_line(1, key="fresh-under-2t")) == {"lines": "each line needs its own key"}


@pytest.mark.parametrize("lines", [[], None], ids=["empty", "null"])
def test_a_schedule_without_lines_is_refused(lines):
    assert problems(a_document(lines=lines)) == {"lines": "give at least one line of the schedule"}


def test_a_schedule_without_a_lines_field_is_refused():
    document = a_document()
    del document["lines"]
    assert problems(document) == {"lines": "give at least one line of the schedule"}


@pytest.mark.parametrize("day", ["8/5/2025", "2025-02-30", "", None, "yesterday"])
def test_a_bad_in_force_date_is_refused(day):
    assert problems(a_document(in_force_from=day)) == {"in_force_from": "must be a date like 2025-05-08"}


@pytest.mark.parametrize(("field", "key"), [("journey_percent", "inland"), ("goods_percent", "ore")])
@pytest.mark.parametrize("percent", [0, -30, 130.5, 10_001])
def test_a_per_cent_outside_1_to_10000_is_refused(field, key, percent):
    document = a_document()
    document[field][key] = percent
    assert problems(document) == {f"{field}.{key}": WHOLE_PERCENT}


def test_an_unknown_journey_or_goods_class_in_the_per_cents_is_named():
    found = problems(a_document(journey_percent={"by_air": 50}, goods_percent={"gold": 200}))
    assert set(found) == {"journey_percent.by_air", "goods_percent.gold"}


def test_every_bad_field_is_named_at_once():
    document = with_line(0, amount_vnd=100000.5, containers=["53ft"])
    document.update(in_force_from="soon", journey_percent={"inland": 0})
    assert set(problems(document)) == {"lines[0].amount_vnd", "lines[0].containers", "in_force_from",
                                       "journey_percent.inland"}


def test_a_document_that_is_not_an_object_is_refused_as_a_whole():
    assert problems(["not", "a", "tariff"]) == {"tariff": "must be a JSON object"}


# Writing it back: the document reads back to the same tariff


def test_a_tariff_with_every_field_set_survives_json_and_back():
    full = Tariff("LS-2026", "lang_son", "A later schedule", NOW.date(), LANG_SON_09_2025.lines + (
        TariffLine("basic-10-20t", "truck, load 10-20 t", 500_000, from_load_kg=10_000, below_load_kg=20_000,
                   flows=frozenset({Flow.EXPORT, Flow.IMPORT})),),
        LANG_SON_09_2025.goods_chapters, {GoodsClass.ORE: 500}, {Journey.INLAND: 130},
        ceiling_vnd=5_000_000, parking=ParkingRate(120, 20_000, 200_000))
    assert read_tariff(json.loads(json.dumps(tariff_to_plain(full)))) == full


def optional_set(kind: type) -> st.SearchStrategy:
    return st.none() | st.frozensets(st.sampled_from(list(kind)), min_size=1)


WORDS = st.text("abcdefghijklmnopqrstuvwxyzđăâêôơư0123456789-/", min_size=1, max_size=12)
LOADS = st.none() | st.integers(1, 100_000)
LINES = st.builds(TariffLine, key=WORDS, description=st.lists(WORDS, min_size=1, max_size=5).map(" ".join),
                  amount_vnd=st.integers(0, 1_000_000_000), goods=optional_set(GoodsClass),
                  containers=optional_set(ContainerSize), below_load_kg=LOADS, from_load_kg=LOADS,
                  flows=optional_set(Flow))
TARIFFS = st.builds(
    Tariff, version=WORDS, jurisdiction=WORDS, title=st.lists(WORDS, min_size=1, max_size=8).map(" ".join),
    in_force_from=st.dates(EARLIEST, LATEST),  # the days bordergate deals in (domain/dates.py)
    lines=st.lists(LINES, min_size=1, max_size=4, unique_by=lambda line: line.key).map(tuple),
    goods_chapters=st.dictionaries(st.sampled_from(list(GoodsClass)), st.frozensets(st.integers(1, 99))),
    goods_percent=st.dictionaries(st.sampled_from(list(GoodsClass)), st.integers(1, 10_000)),
    journey_percent=st.dictionaries(st.sampled_from(list(Journey)), st.integers(1, 10_000)),
    ceiling_vnd=st.none() | st.integers(0, 1_000_000_000),
    parking=st.none() | st.builds(ParkingRate, st.integers(0, 10_000), st.integers(0, 1_000_000),
                                  st.none() | st.integers(0, 10_000_000)))


@given(TARIFFS)
def test_any_tariff_reads_back_from_its_plain_document(tariff):
    assert read_tariff(json.loads(json.dumps(tariff_to_plain(tariff)))) == tariff


# Yard parking

RATE = ParkingRate(free_minutes=60, per_started_hour_vnd=20_000, per_day_cap_vnd=200_000)
DAY = 24 * 60


@pytest.mark.parametrize("minutes", [0, 1, 59, 60])
def test_a_stay_within_the_free_minutes_costs_nothing(minutes):
    assert RATE.charge(minutes) == 0


@pytest.mark.parametrize(("minutes", "vnd"), [(61, 40_000), (120, 40_000), (121, 60_000), (9 * 60, 180_000)])
def test_a_longer_stay_pays_each_started_hour_from_arrival(minutes, vnd):
    assert RATE.charge(minutes) == vnd


@pytest.mark.parametrize("minutes", [9 * 60 + 1, 10 * 60, DAY - 1, DAY])
def test_a_day_never_costs_more_than_the_day_cap(minutes):
    assert RATE.charge(minutes) == 200_000


@pytest.mark.parametrize(("minutes", "vnd"), [(DAY + 1, 220_000), (DAY + 3 * 60, 260_000),
                                              (2 * DAY + 30, 420_000), (2 * DAY + 20 * 60, 600_000),
                                              (3 * DAY, 600_000)])
def test_each_full_day_costs_the_cap_and_the_rest_its_started_hours_up_to_the_cap(minutes, vnd):
    assert RATE.charge(minutes) == vnd


def test_without_a_day_cap_every_started_hour_is_paid():
    rate = ParkingRate(free_minutes=0, per_started_hour_vnd=10_000)
    assert [rate.charge(m) for m in (0, 1, 90, DAY, DAY + 1, 3 * DAY)] == [0, 10_000, 20_000, 240_000, 250_000,
                                                                          720_000]


def test_parking_charges_are_whole_vnd_integers():
    assert all(type(RATE.charge(m)) is int for m in (0, 61, DAY + 1, 5 * DAY + 7))


# Paying the fee


def a_payment(amount: int, status: PaymentStatus = PaymentStatus.PAID) -> Payment:
    return Payment(id=f"p-{amount}-{status.value}", reference="BG261127-ABCDEF", amount_vnd=amount,
                   method=PaymentMethod.CASH, status=status, created_at=NOW, created_by="cashier")


def test_only_paid_payments_count_as_paid():
    payments = [a_payment(1_000_000), a_payment(500_000, PaymentStatus.PENDING),
                a_payment(700_000, PaymentStatus.FAILED), a_payment(300_000, PaymentStatus.REFUNDED),
                a_payment(200_000)]
    assert paid(payments) == 1_200_000 and paid([]) == 0


def test_what_is_outstanding_is_the_assessment_less_what_was_paid():
    assert outstanding(4_000_000, []) == 4_000_000
    assert outstanding(4_000_000, [a_payment(1_000_000), a_payment(2_000_000, PaymentStatus.PENDING)]) == 3_000_000
    assert outstanding(4_000_000, [a_payment(4_000_000)]) == 0


def test_an_overpayment_leaves_nothing_outstanding_rather_than_a_negative_amount():
    assert outstanding(1_200_000, [a_payment(4_000_000)]) == 0


@pytest.mark.parametrize(("cancelled", "used", "refund"), [(True, False, 4_000_000), (True, True, 0),
                                                           (False, False, 0), (False, True, 0)],
                         ids=["cancelled-unused", "cancelled-used", "not-cancelled", "crossed"])
def test_only_a_cancelled_trip_that_never_used_the_gate_gets_back_everything_paid(cancelled, used, refund):
    assert refund_due(cancelled=cancelled, used_the_gate=used, paid_vnd=4_000_000) == refund


def test_a_cancelled_unused_trip_that_paid_nothing_gets_nothing_back():
    assert refund_due(cancelled=True, used_the_gate=False, paid_vnd=0) == 0


@pytest.mark.parametrize(("year", "sequence", "number"), [(2026, 42, "BL2026-000042"), (2026, 1, "BL2026-000001"),
                                                          (2027, 999_999, "BL2027-999999")])
def test_receipts_are_numbered_by_year_and_a_six_digit_sequence(year, sequence, number):
    assert receipt_number(year, sequence) == number
    assert re.fullmatch(r"BL\d{4}-\d{6}", receipt_number(year, sequence))
