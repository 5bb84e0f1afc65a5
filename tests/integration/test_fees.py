"""Use case: the border-gate fee through the bus on both databases: assessed on declaring and on each correction,
tariff versions, online and cash payments with numbered receipts, the last barrier, refunds and reconciliation."""
from __future__ import annotations

import random
from datetime import date

import pytest

from bordergate.adapters.payments import read_callback
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services import fee_views
from bordergate.services.ports import ProviderRefused
from tests.builders import a_trip
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.control_helpers import ControlRoom, a_control_room, decision, reasons

TODAY = date(2026, 11, 27)  # the gate's local day at the fixed clock (08:00 in Lang Son)
REEXPORT = "temporary_import_reexport"
REEXPORT_LINE = ("40-ft container of agricultural goods, temporary import for re-export "
                 "(line agri-40ft-reexport)")
FRUIT_40FT = "fresh_produce/agri-40ft-reexport/through"
VEGETABLES = "12C-678.90"


@pytest.fixture
def room(gate) -> ControlRoom:
    return a_control_room(gate)


def declare(room: ControlRoom, flow: str = REEXPORT, **trip) -> str:
    """Lan's farm declares fresh durian in a 40-ft container; re-exported by default (4,000,000 VND)."""
    return room.declare(flow=flow, **trip)


def declare_vegetables(room: ControlRoom, plate: str = VEGETABLES, kg: str = "1500", **trip) -> str:
    """An export truck with no container and under 2 t of fresh produce: 100,000 VND."""
    raw = a_trip(room.gate, plate=plate, containers=[], **trip)
    raw["vehicle"] = {**raw["vehicle"], "container_size": "none", "vehicle_class": "rigid_truck",
                      "gross_weight_kg": 9000, "axles": 2, "trailer_plate": None}
    raw["goods"][0]["gross_weight_kg"] = kg
    return room.gate.bus.handle(commands.SubmitDeclaration(room.world.lan, room.world.farm, raw))


def fee(room: ControlRoom, reference: str) -> dict:
    return fee_views.fee(room.gate.reader(), room.world.lan, reference, "en")


def start(room: ControlRoom, reference: str) -> dict:
    return room.gate.bus.handle(commands.StartPayment(room.world.lan, reference))


def callback(room: ControlRoom, order_id: str, **sent) -> dict:
    """The sandbox provider's callback for the order, as the API hands it to the bus once its signature is good."""
    body, _ = room.gate.payments.callback(order_id, room.gate.clock.now(), **sent)
    return room.gate.bus.handle(read_callback("sandbox", body))


def pay_online(room: ControlRoom, reference: str) -> dict:
    return callback(room, start(room, reference)["order_id"])


def cash(room: ControlRoom, reference: str, amount: int, who=None) -> dict:
    return room.gate.bus.handle(commands.RecordCashPayment(who or room.world.operator, reference, amount))


def actions(room: ControlRoom, reference: str) -> list[str]:
    return [row["action"] for row in room.history("declaration", reference)]


def test_a_reexport_of_fruit_in_a_40_ft_container_is_assessed_4_000_000_with_the_line_behind_it(room):
    reference = declare(room)
    view = fee(room, reference)
    assert (view["assessed"], view["total_vnd"], view["due_vnd"], view["missing"]) == (True, 4_000_000, 4_000_000,
                                                                                        None)
    assert (view["tariff_version"], view["fee_class"]) == ("LS-09/2025", FRUIT_40FT)
    assert view["lines"] == [{"rule": REEXPORT_LINE, "amount_vnd": 4_000_000}]
    assert [(r["revision"], r["total_vnd"], r["difference_vnd"], r["why"]) for r in view["revisions"]] == [
        (1, 4_000_000, 4_000_000, "declared")]


def test_correcting_the_flow_to_export_leaves_the_trip_not_assessed_and_the_revisions_show_the_difference(room):
    reference = declare(room)
    room.gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"flow": "export"}))
    view = fee(room, reference)
    assert (view["assessed"], view["total_vnd"], view["due_vnd"], view["lines"]) == (False, 0, None, [])
    assert "has no line" in view["missing"] and "export" in view["missing"]
    assert [(r["revision"], r["total_vnd"], r["difference_vnd"], r["why"]) for r in view["revisions"]] == [
        (1, 4_000_000, 4_000_000, "declared"), (2, 0, -4_000_000, "corrected")]
    with pytest.raises(Conflict, match="not assessed"):
        start(room, reference)
    # A correction that leaves the fee as it was adds no revision.
    room.gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"driver.phone": "0987654321"}))
    assert len(fee(room, reference)["revisions"]) == 2


def test_a_new_tariff_version_reassesses_open_trips_dated_from_then_on_and_earlier_trips_keep_their_rate(room):
    today = declare(room, plate="29H-987.61")
    later = declare(room, plate="15C-333.44", hours_ahead=48)
    cancelled = declare(room, plate="14C-555.66", hours_ahead=48)
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, cancelled))
    document = tariff_to_plain(LANG_SON_09_2025)
    document.update(version="LS-2026/1", in_force_from="2026-11-28")
    document["lines"][1]["amount_vnd"] = 4_500_000
    with pytest.raises(Forbidden):
        room.gate.bus.handle(commands.PublishTariff(room.world.lan, document))
    assert fee(room, later)["tariff_version"] == "LS-09/2025"
    room.gate.bus.handle(commands.PublishTariff(room.world.operator, document))
    assert [t["version"] for t in fee_views.tariffs(room.gate.reader())] == ["LS-09/2025", "LS-2026/1"]
    now = fee(room, later)
    assert (now["tariff_version"], now["total_vnd"], now["due_vnd"]) == ("LS-2026/1", 4_500_000, 4_500_000)
    assert [(r["tariff_version"], r["difference_vnd"], r["why"]) for r in now["revisions"]] == [
        ("LS-09/2025", 4_000_000, "declared"), ("LS-2026/1", 500_000, "tariff LS-2026/1 published")]
    for kept in (today, cancelled):
        assert [(r["tariff_version"], r["total_vnd"]) for r in fee(room, kept)["revisions"]] == [
            ("LS-09/2025", 4_000_000)]
    with pytest.raises(Conflict, match="already published"):
        room.gate.bus.handle(commands.PublishTariff(room.world.operator, document))


def test_an_online_payment_confirmed_by_the_providers_callback_is_paid_with_sequential_receipts(room):
    first, second = declare(room, plate="29H-987.61"), declare(room, plate="15C-333.44")
    started = start(room, first)
    assert (started["amount_vnd"], started["provider"], started["status"]) == (4_000_000, "sandbox", "pending")
    assert started["order_id"] in started["qr_text"] and started["redirect_url"].endswith(started["order_id"])
    assert fee(room, first)["payments"][0]["status"]["code"] == "pending"
    paid = callback(room, started["order_id"])
    assert (paid["status"], paid["receipt_number"], paid["replayed"]) == ("paid", "BL2026-000001", False)
    view = fee(room, first)
    [payment] = view["payments"]
    assert (payment["status"]["code"], payment["method"]["code"], payment["receipt_number"]) == (
        "paid", "online", "BL2026-000001")
    assert view["due_vnd"] == 0
    assert pay_online(room, second)["receipt_number"] == "BL2026-000002"
    receipt = fee_views.receipt(room.gate.reader(), "BL2026-000002")
    assert (receipt["reference"], receipt["amount_vnd"], receipt["payer"]) == (second, 4_000_000,
                                                                               "Nông sản Xứ Lạng")


def test_the_last_barrier_holds_an_unpaid_truck_naming_the_amount_and_opens_once_it_is_paid(room):
    reference = declare_vegetables(room)
    assert fee(room, reference)["total_vnd"] == 100_000
    room.drive_up_to_the_border(VEGETABLES)
    room.clear(reference)
    held = room.read("border_out", VEGETABLES)
    assert (decision(held), reasons(held)) == ("hold", ["fee_unpaid"])
    assert "100,000 VND" in held.read.barrier.reasons[0].detail
    assert room.status(reference) == "submitted"
    pay_online(room, reference)
    room.gate.clock.advance(minutes=1)
    opened = room.read("border_out", VEGETABLES)
    assert (decision(opened), reasons(opened)) == ("open", [])
    assert room.status(reference) == "crossed"


def test_a_replayed_callback_answers_replayed_and_issues_no_second_receipt(room):
    reference = declare(room)
    order = start(room, reference)["order_id"]
    first = callback(room, order)
    room.gate.clock.advance(minutes=2)
    again = callback(room, order)
    assert again == {**first, "replayed": True}
    assert [p["receipt_number"] for p in fee(room, reference)["payments"]] == ["BL2026-000001"]
    assert actions(room, reference).count("PaymentReceived") == 1
    with pytest.raises(NotFound):
        fee_views.receipt(room.gate.reader(), "BL2026-000002")


def test_a_callback_for_another_amount_is_refused_pays_nothing_and_is_kept_on_the_audit_trail(room):
    reference = declare(room)
    order = start(room, reference)["order_id"]
    with pytest.raises(Conflict, match="3,999,000 VND"):
        callback(room, order, amount_vnd=3_999_000)
    view = fee(room, reference)
    assert ([p["status"]["code"] for p in view["payments"]], view["due_vnd"]) == (["pending"], 4_000_000)
    assert "PaymentReceived" not in actions(room, reference)
    [refused] = room.history("payment_provider", "sandbox")
    assert (refused["action"], refused["actor"], refused["payload"]["order_id"]) == (
        "PaymentRefused", "provider:sandbox", order)
    assert "3999000" in refused["payload"]["why"]
    # The exact amount still pays the order afterwards.
    assert callback(room, order)["status"] == "paid"



def test_a_payment_reported_after_a_failed_attempt_on_the_same_order_is_not_swallowed_as_a_replay(room):
    reference = declare(room)
    order = start(room, reference)["order_id"]
    assert callback(room, order, status="failed", transaction_id="TX-1")["status"] == "failed"
    try:
        answer = callback(room, order, transaction_id="TX-2")
    except Conflict:
        answer = None
    kept = {row["action"] for row in room.history("payment_provider", "sandbox")} | set(actions(room, reference))
    assert answer is None or answer["replayed"] is False
    assert kept & {"PaymentReceived", "PaymentRefused"}

def test_cash_for_exactly_what_is_due_is_taken_at_the_counter_with_a_receipt(room):
    reference = declare(room)
    taken = cash(room, reference, 4_000_000)
    assert (taken["status"], taken["receipt_number"], taken["amount_vnd"]) == ("paid", "BL2026-000001", 4_000_000)
    [payment] = fee(room, reference)["payments"]
    assert (payment["method"]["code"], payment["status"]["code"], payment["order_id"]) == ("cash", "paid", None)
    [received] = [row for row in room.history("declaration", reference) if row["action"] == "PaymentReceived"]
    assert (received["actor"], received["payload"]["method"]) == (room.world.operator.user_id, "cash")


@pytest.mark.parametrize("amount", [3_999_999, 4_000_001, 400_000])
def test_cash_for_any_other_amount_is_refused_naming_the_amount(room, amount):
    reference = declare(room)
    with pytest.raises(Invalid) as refused:
        cash(room, reference, amount)
    assert [p.field for p in refused.value.problems] == ["amount_vnd"]
    assert "4,000,000 VND" in refused.value.problems[0].message
    assert fee(room, reference)["payments"] == []


def test_a_declarant_may_not_record_cash(room):
    reference = declare(room)
    with pytest.raises(Forbidden):
        cash(room, reference, 4_000_000, who=room.world.lan)
    assert fee(room, reference)["payments"] == []


@pytest.mark.parametrize("paid_by", ["online", "cash"])
def test_a_paid_trip_cannot_be_paid_again(room, paid_by):
    reference = declare(room)
    pay_online(room, reference) if paid_by == "online" else cash(room, reference, 4_000_000)
    with pytest.raises(Conflict, match="paid"):
        start(room, reference)
    with pytest.raises(Conflict, match="paid"):
        cash(room, reference, 4_000_000)
    assert len(fee(room, reference)["payments"]) == 1


def test_cancelling_a_paid_trip_that_never_reached_the_gate_refunds_it_through_the_provider(room):
    reference = declare(room)
    paid = pay_online(room, reference)
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, reference, "the buyer withdrew"))
    [refund] = room.gate.payments.refunds
    assert (refund["transaction_id"], refund["amount_vnd"]) == (f"TX-{fee(room, reference)['payments'][0]['order_id']}",
                                                                4_000_000)
    view = fee(room, reference)
    assert [p["status"]["code"] for p in view["payments"]] == ["refunded"]
    assert [(r["id"], r["amount_vnd"], r["status"]) for r in view["refunds"]] == [
        (refund["refund_id"], 4_000_000, "sent")]
    assert "before the truck reached the gate" in view["refunds"][0]["reason"]
    assert fee_views.receipt(room.gate.reader(), paid["receipt_number"])["payment_status"] == "refunded"
    assert "RefundDue" in actions(room, reference)


class ProviderDown:
    """A payment provider that answers nothing, as when its servers are down."""

    name = "sandbox"

    def create_order(self, *args):
        raise ProviderRefused("the payment provider could not be reached: timed out")

    def refund(self, *args):
        raise ProviderRefused("the payment provider could not be reached: timed out")


def test_a_payment_provider_that_is_down_is_said_plainly_and_charges_nothing(room, monkeypatch):
    reference = declare(room)
    monkeypatch.setattr(room.gate.payments, "create_order", ProviderDown().create_order)
    with pytest.raises(Unavailable, match="nothing was charged"):
        start(room, reference)
    assert fee(room, reference)["payments"] == [] and fee(room, reference)["due_vnd"] == 4_000_000


def test_a_refund_the_provider_does_not_take_stays_due_and_the_cancellation_stands(room, monkeypatch):
    reference = declare(room)
    pay_online(room, reference)
    monkeypatch.setattr(room.gate.payments, "refund", ProviderDown().refund)
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, reference, "the buyer withdrew"))
    assert room.status(reference) == "cancelled"
    assert [(r["amount_vnd"], r["status"]) for r in fee(room, reference)["refunds"]] == [(4_000_000, "due")]


def test_cancelling_a_paid_trip_after_its_plate_was_read_at_the_gate_refunds_nothing(room):
    reference = declare_vegetables(room)
    pay_online(room, reference)
    room.read("waiting_area_entry", VEGETABLES)
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, reference))
    view = fee(room, reference)
    assert (room.gate.payments.refunds, view["refunds"]) == ([], [])
    assert [p["status"]["code"] for p in view["payments"]] == ["paid"]
    assert "RefundDue" not in actions(room, reference)


def a_day_at_two_crossing_points(room: ControlRoom) -> dict[str, str]:
    """Trips planned today at Huu Nghi and Tan Thanh, one of each standing, and one planned for another day."""
    trips = {"paid": declare(room, plate="29H-987.61"), "unpaid": declare(room, plate="15C-333.44"),
             "not assessed": declare(room, flow="export", plate="14C-555.66"),
             "refunded": declare(room, plate="29C-111.22", point="TAN_THANH"),
             "cash": declare_vegetables(room, point="TAN_THANH"),
             "tomorrow": declare(room, plate="12C-222.33", hours_ahead=30)}
    pay_online(room, trips["paid"])
    pay_online(room, trips["refunded"])
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, trips["refunded"]))
    cash(room, trips["cash"], 100_000)
    return trips


def test_the_days_reconciliation_matches_each_trip_to_its_payments_per_crossing_point_and_fee_class(room):
    trips = a_day_at_two_crossing_points(room)
    summary, detail = fee_views.reconciliation(room.gate.reader(), room.world.operator, TODAY)
    standing = {row["reference"]: row["standing"] for row in detail}
    assert standing == {trips[s]: s.replace("cash", "paid") for s in trips if s != "tomorrow"}
    assert all(list(row) == fee_views.DETAIL_COLUMNS for row in detail)
    assert all(list(row) == fee_views.SUMMARY_COLUMNS for row in summary)
    rows = {(row["crossing_point"], row["fee_class"]): row for row in summary}
    assert rows[("HUU_NGHI", FRUIT_40FT)] == {
        "day": "2026-11-27", "crossing_point": "HUU_NGHI", "fee_class": FRUIT_40FT, "trips": 2,
        "assessed_vnd": 8_000_000, "paid_online_vnd": 4_000_000, "paid_cash_vnd": 0, "refunded_vnd": 0,
        "unpaid_vnd": 4_000_000, "overpaid_vnd": 0, "not_assessed": 0}
    assert {k: rows[("HUU_NGHI", "fresh_produce/no line/40ft")][k] for k in ("trips", "assessed_vnd",
                                                                              "not_assessed")} == {
        "trips": 1, "assessed_vnd": 0, "not_assessed": 1}
    refunded = rows[("TAN_THANH", FRUIT_40FT)]
    assert (refunded["trips"], refunded["paid_online_vnd"], refunded["refunded_vnd"]) == (1, 4_000_000, 4_000_000)
    [vegetables] = [row for key, row in rows.items() if key[0] == "TAN_THANH" and key[1] != FRUIT_40FT]
    assert (vegetables["trips"], vegetables["assessed_vnd"], vegetables["paid_cash_vnd"],
            vegetables["unpaid_vnd"]) == (1, 100_000, 100_000, 0)
    assert sum(row["trips"] for row in summary) == len(detail) == 5
    only, _ = fee_views.reconciliation(room.gate.reader(), room.world.operator, TODAY, "TAN_THANH")
    assert {row["crossing_point"] for row in only} == {"TAN_THANH"} and sum(row["trips"] for row in only) == 2
    with pytest.raises(Forbidden):
        fee_views.reconciliation(room.gate.reader(), room.world.lan, TODAY)


def test_a_cancelled_trip_whose_fee_was_refunded_owes_nothing_in_the_summary(room):
    trips = a_day_at_two_crossing_points(room)
    summary, detail = fee_views.reconciliation(room.gate.reader(), room.world.operator, TODAY, "TAN_THANH")
    [refunded] = [row for row in summary if row["fee_class"] == FRUIT_40FT]
    assert [row["standing"] for row in detail if row["reference"] == trips["refunded"]] == ["refunded"]
    assert refunded["unpaid_vnd"] == 0


def test_two_trucks_billed_by_the_same_tariff_line_share_one_fee_class(room):
    light = declare_vegetables(room, plate="29H-987.61", kg="1500")
    lighter = declare_vegetables(room, plate="15C-333.44", kg="800")
    assert fee(room, light)["lines"] == fee(room, lighter)["lines"]
    summary, _ = fee_views.reconciliation(room.gate.reader(), room.world.operator, TODAY)
    assert [(row["trips"], row["assessed_vnd"]) for row in summary] == [(2, 200_000)]


def test_the_audit_trail_names_who_assessed_who_started_the_payment_and_who_received_it(room):
    reference = declare(room)
    pay_online(room, reference)
    trail = [row for row in room.history("declaration", reference)
             if row["action"] in ("FeeAssessed", "PaymentStarted", "PaymentReceived")]
    lan = room.world.lan.user_id
    assert [(row["action"], row["actor"]) for row in trail] == [
        ("FeeAssessed", lan), ("PaymentStarted", lan), ("PaymentReceived", "provider:sandbox")]
    assessed, started, received = (row["payload"] for row in trail)
    assert (assessed["total_vnd"], assessed["tariff_version"], assessed["lines"]) == (
        4_000_000, "LS-09/2025", [[REEXPORT_LINE, 4_000_000]])
    assert (started["amount_vnd"], started["provider"]) == (4_000_000, "sandbox")
    assert (received["amount_vnd"], received["receipt_number"], received["transaction_id"]) == (
        4_000_000, "BL2026-000001", f"TX-{started['order_id']}")


def test_with_no_tariff_in_force_a_correction_that_leaves_the_fee_as_it_was_adds_no_revision(database_url, clock):
    gate = bootstrap(Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                              fee_jurisdiction="quang_ninh"), clock=clock, rng=random.Random(1),
                     passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    room = a_control_room(gate)
    reference = declare(room)
    room.gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"driver.phone": "0987654321"}))

    view = fee(room, reference)

    assert view["assessed"] is False and "no quang_ninh tariff is in force" in view["missing"]
    assert [(r["revision"], r["why"]) for r in view["revisions"]] == [(1, "declared")]
    gate.engine.dispose()
