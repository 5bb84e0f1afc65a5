"""The fee over HTTP: the public tariffs, a declarant paying online through the sandbox provider's signed callback,
the receipt as a PDF and its public verification, the reconciliation's files, and publishing a tariff."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bordergate.adapters.signing import SIGNATURE, TIMESTAMP, sign
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.services.fee_views import DETAIL_COLUMNS, SUMMARY_COLUMNS
from tests.builders import PASSWORD, a_trip
from tests.e2e.test_agencies_over_http import security_rows, trail
from tests.e2e.test_problems_over_http import fields, problem
from tests.support.forms import post_form

CALLBACK = "/api/v1/payment-providers/sandbox/callback"
DAY = "2026-11-27"  # the gate's local day at the fixed clock


@pytest.fixture
def lan(world, sign_in) -> dict[str, str]:
    return sign_in("lan")


@pytest.fixture
def reference(client, gate, lan) -> str:
    """Lan's farm declares fresh durian in a 40-ft container for re-export: 4,000,000 VND."""
    answer = client.post("/api/v1/declarations", json=a_trip(gate, flow="temporary_import_reexport"), headers=lan)
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def fee(client, headers, reference: str) -> dict:
    answer = client.get(f"/api/v1/declarations/{reference}/fee", params={"lang": "en"}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def order(client, headers, reference: str) -> dict:
    answer = client.post(f"/api/v1/declarations/{reference}/payments", json={}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def post_callback(client, body: bytes, headers: dict[str, str]):
    return client.post(CALLBACK, content=body, headers={"content-type": "application/json", **headers})


def signed(gate, data: dict) -> tuple[bytes, dict[str, str]]:
    """Any body, signed as the sandbox provider signs with the gate's payment secret."""
    body, now = json.dumps(data).encode(), int(gate.clock.now().timestamp())
    return body, {TIMESTAMP: str(now), SIGNATURE: sign(gate.payment_secret, now, body)}


@pytest.fixture
def receipt_number(client, gate, lan, reference) -> str:
    """The trip is paid online; the number of its receipt."""
    body, headers = gate.payments.callback(order(client, lan, reference)["order_id"], gate.clock.now())
    answer = post_callback(client, body, headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["receipt_number"]


def test_the_tariffs_are_public_and_list_lang_sons_resolution_09_2025(client):
    answer = client.get("/api/v1/tariffs")
    assert answer.status_code == 200, answer.text
    [tariff] = answer.json()
    assert (tariff["version"], tariff["jurisdiction"], tariff["in_force_from"]) == ("LS-09/2025", "lang_son",
                                                                                   "2025-05-08")
    assert [(line["key"], line["amount_vnd"]) for line in tariff["lines"]] == [
        ("fresh-under-2t", 100_000), ("agri-40ft-reexport", 4_000_000)]


def test_a_declarant_reads_the_fee_and_opens_an_online_payment_with_a_page_and_a_qr_code(client, lan, reference):
    view = fee(client, lan, reference)
    assert (view["assessed"], view["total_vnd"], view["due_vnd"], view["tariff_version"]) == (
        True, 4_000_000, 4_000_000, "LS-09/2025")
    assert [line["amount_vnd"] for line in view["lines"]] == [4_000_000]
    started = order(client, lan, reference)
    assert started["redirect_url"].startswith("http://gate.test/") and started["order_id"] in started["redirect_url"]
    assert started["qr_text"] == f"SANDBOXQR|{started['order_id']}|4000000|VND"
    assert (started["amount_vnd"], started["status"]) == (4_000_000, "pending")
    [payment] = fee(client, lan, reference)["payments"]
    assert (payment["order_id"], payment["status"]["code"]) == (started["order_id"], "pending")


def test_the_providers_signed_callback_pays_the_trip_once_and_the_same_callback_again_is_a_replay(
        client, gate, lan, reference):
    body, headers = gate.payments.callback(order(client, lan, reference)["order_id"], gate.clock.now())
    paid = post_callback(client, body, headers)
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["receipt_number"], paid.json()["replayed"]) == (
        "paid", "BL2026-000001", False)
    again = post_callback(client, body, headers)
    assert (again.status_code, again.json()) == (200, {**paid.json(), "replayed": True})
    view = fee(client, lan, reference)
    assert ([p["receipt_number"] for p in view["payments"]], view["due_vnd"]) == (["BL2026-000001"], 0)


def test_a_forged_signature_is_refused_with_401_and_a_challenge_and_nothing_is_paid(client, gate, lan, reference):
    body, headers = gate.payments.callback(order(client, lan, reference)["order_id"], gate.clock.now())
    forged = {**headers, SIGNATURE: sign("a-guessed-secret-0000", int(headers[TIMESTAMP]), body)}
    refused = problem(post_callback(client, body, forged), 401)
    assert "HMAC-SHA256" in post_callback(client, body, forged).headers["WWW-Authenticate"]
    assert "signature" in refused["detail"]
    # Nobody proved who sent it: it goes to the bounded security log, not onto the audit trail.
    assert trail(gate, "PaymentRefused") == []
    assert [(row["kind"], row["detail"]) for row in security_rows(gate)] == [
        ("payment_callback:sandbox", refused["detail"])] * 2
    view = fee(client, lan, reference)
    assert ([p["status"]["code"] for p in view["payments"]], view["due_vnd"]) == (["pending"], 4_000_000)
    # The genuine callback still pays the order afterwards.
    assert post_callback(client, body, headers).json()["status"] == "paid"


@pytest.mark.parametrize("bad, field", [
    ({"amount_vnd": 4000000.5}, "amount_vnd"), ({"amount_vnd": None}, "amount_vnd"),
    ({"status": "maybe"}, "status"), ({"paid_at": "2026-11-27T08:15:00"}, "paid_at"), ({"order_id": ""}, "order_id"),
], ids=["decimal amount", "no amount", "unknown status", "time without a zone", "empty order id"])
def test_a_signed_callback_with_a_bad_field_is_refused_with_422_naming_it_and_pays_nothing(
        client, gate, lan, reference, bad, field):
    started = order(client, lan, reference)
    good = {"order_id": started["order_id"], "transaction_id": "TX-1", "amount_vnd": 4_000_000, "status": "paid",
            "paid_at": gate.clock.now().isoformat()}
    assert fields(problem(post_callback(client, *signed(gate, {**good, **bad})), 422)) == [field]
    assert len(trail(gate, "PaymentRefused")) == 1
    assert fee(client, lan, reference)["due_vnd"] == 4_000_000



def test_a_signed_callback_for_an_unknown_order_or_provider_is_404_and_the_order_is_kept_on_the_trail(
        client, gate, lan, reference):
    body, headers = signed(gate, {"order_id": "SBX-NOSUCH", "transaction_id": "TX-9", "amount_vnd": 4_000_000,
                                  "status": "paid", "paid_at": gate.clock.now().isoformat()})
    assert "SBX-NOSUCH" in problem(post_callback(client, body, headers), 404)["detail"]
    [refused] = trail(gate, "PaymentRefused")
    assert (refused["payload"]["order_id"], refused["actor"]) == ("SBX-NOSUCH", "provider:sandbox")
    problem(client.post("/api/v1/payment-providers/examplepay/callback", content=body, headers=headers), 404)


def test_the_receipt_downloads_as_a_pdf_with_its_number_and_amount(client, lan, receipt_number):
    answer = client.get(f"/api/v1/receipts/{receipt_number}.pdf", headers=lan)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert receipt_number in text and "4,000,000" in text
    # As the payer knows them: the crossing point's name and the plate as painted, not stored codes.
    assert "Hữu Nghị" in text and "12C-123.45" in text
    assert "HUU_NGHI" not in text and "12C12345" not in text


def test_the_receipts_verification_url_answers_without_sign_in_and_a_wrong_key_finds_nothing(
        client, gate, reference, receipt_number):
    url = urlsplit(gate.receipt_url(receipt_number)).path
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"issued_at": None, "paid_at": None, "payment": None} == {
        "number": receipt_number, "reference": reference, "amount_vnd": 4_000_000, "issued_at": None,
        "paid_at": None, "payer": "Nông sản Xứ Lạng", "payment_status": "paid", "payment": None,
        "plate": "12C-123.45", "crossing_point": "HUU_NGHI", "crossing_point_name": "Hữu Nghị", "genuine": True}
    wrong = url.rsplit("/", 1)[0] + "/" + "x" * len(url.rsplit("/", 1)[1])
    problem(client.get(wrong), 404)
    problem(client.get(url.replace(receipt_number, "BL2026-000002")), 404)


def test_another_enterprises_declarant_cannot_download_the_receipt(client, sign_in, receipt_number):
    problem(client.get(f"/api/v1/receipts/{receipt_number}.pdf", headers=sign_in("minh")), 404)


def test_a_receipt_one_may_not_see_answers_as_an_unknown_number_does_naming_no_trip(client, sign_in, reference,
                                                                                     receipt_number):
    minh = sign_in("minh")
    strangers = problem(client.get(f"/api/v1/receipts/{receipt_number}.pdf", headers=minh), 404)
    unknown = problem(client.get("/api/v1/receipts/BL2026-999999.pdf", headers=minh), 404)
    assert strangers["detail"] == unknown["detail"] == "no receipt with that number that you can see; check the " \
                                                       "number printed on the receipt"
    assert reference not in str(strangers)
    signed_in = post_form(client, "/signin", "/signin", {"username": "minh", "password": PASSWORD},
                          follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    on_screen = client.get(f"/portal/receipts/{receipt_number}.pdf")
    assert on_screen.status_code == 404 and reference not in on_screen.text


def test_the_operator_downloads_the_reconciliation_as_csv_and_excel_and_a_declarant_may_not(
        client, sign_in, lan, reference, receipt_number):
    operator = sign_in("operator")
    as_csv = client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": "csv"}, headers=operator)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == SUMMARY_COLUMNS and rows[3] == DETAIL_COLUMNS
    summary, detail = dict(zip(rows[0], rows[1], strict=True)), dict(zip(rows[3], rows[4], strict=True))
    assert (summary["crossing_point"], summary["trips"], summary["paid_online_vnd"]) == ("HUU_NGHI", "1", "4000000")
    assert (detail["reference"], detail["standing"]) == (reference, "paid")
    as_xlsx = client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": "xlsx"}, headers=operator)
    assert as_xlsx.status_code == 200, as_xlsx.text
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["Summary", "Detail"]
    assert [c.value for c in book["Detail"][1]] == DETAIL_COLUMNS
    assert book["Detail"].cell(2, DETAIL_COLUMNS.index("reference") + 1).value == reference
    problem(client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": "csv"}, headers=lan), 403)


def a_tariff(**changes) -> dict:
    return {**tariff_to_plain(LANG_SON_09_2025), "version": "LS-2026-1", "in_force_from": "2026-12-01", **changes}


@pytest.mark.parametrize("bad, named", [
    ({"lines": [{**tariff_to_plain(LANG_SON_09_2025)["lines"][0], "amount_vnd": 100_000.5}]}, ["lines[0].amount_vnd"]),
    ({"lines": [{"key": "x", "description": "", "amount_vnd": -1}]}, ["lines[0].description", "lines[0].amount_vnd"]),
    ({"in_force_from": "08/05/2025", "lines": []}, ["in_force_from", "lines"]),
], ids=["decimal amount", "blank description and negative amount", "bad date and no lines"])
def test_a_bad_tariff_document_is_refused_naming_its_fields_and_nothing_is_published(
        client, world, sign_in, bad, named):
    answer = client.put("/api/v1/tariffs/LS-2026-1", json=a_tariff(**bad), headers=sign_in("operator"))
    assert fields(problem(answer, 422)) == named
    assert [t["version"] for t in client.get("/api/v1/tariffs").json()] == ["LS-09/2025"]


def test_a_tariff_whose_version_differs_from_the_url_is_refused_and_a_good_one_is_published(
        client, world, sign_in):
    operator = sign_in("operator")
    mismatch = client.put("/api/v1/tariffs/LS-2026-1", json=a_tariff(version="LS-2026-2"), headers=operator)
    assert fields(problem(mismatch, 422)) == ["version"]
    problem(client.put("/api/v1/tariffs/LS-2026-1", json=a_tariff(), headers=sign_in("lan")), 403)
    published = client.put("/api/v1/tariffs/LS-2026-1", json=a_tariff(), headers=operator)
    assert published.status_code == 200, published.text
    assert published.json()["version"] == "LS-2026-1"
    assert [t["version"] for t in client.get("/api/v1/tariffs").json()] == ["LS-09/2025", "LS-2026-1"]


@pytest.mark.parametrize("code", ["\x16", 'x"; filename="evil.exe', "HUU NGHI\r\nSet-Cookie: a=b"],
                         ids=["control character", "a second filename", "a header split"])
def test_a_reconciliation_for_a_crossing_point_code_that_is_no_code_is_refused_naming_it(client, world, sign_in,
                                                                                       code):
    for format in ("json", "csv", "xlsx"):
        answer = client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": format,
                                                                      "crossing_point": code},
                            headers=sign_in("operator"))
        assert fields(problem(answer, 422)) == ["crossing_point"]
        assert "content-disposition" not in answer.headers


def test_a_reconciliation_names_its_file_after_the_crossing_point_and_an_unknown_one_is_not_found(client, world,
                                                                                                  sign_in):
    operator = sign_in("operator")
    answer = client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": "csv",
                                                                  "crossing_point": "huu_nghi"}, headers=operator)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == 'attachment; filename="reconciliation-2026-11-27-HUU_NGHI.csv"'
    unknown = client.get("/api/v1/reports/reconciliation", params={"day": DAY, "format": "csv",
                                                                   "crossing_point": "NOWHERE"}, headers=operator)
    assert "GET /api/v1/crossing-points" in problem(unknown, 404)["detail"]


def test_the_reconciliation_of_7_december_counts_a_payment_made_at_22_18_for_a_trip_arriving_on_the_8th(
        client, gate, world, sign_in):
    gate.clock.at = datetime(2026, 12, 7, 22, 18, tzinfo=GATE_TIME)
    lan, operator = sign_in("lan"), sign_in("operator")
    declared = client.post("/api/v1/declarations", json=a_trip(gate, flow="temporary_import_reexport",
                                                               hours_ahead=10), headers=lan)
    reference = declared.json()["reference"]
    body, headers = gate.payments.callback(order(client, lan, reference)["order_id"], gate.clock.now())
    assert post_callback(client, body, headers).status_code == 200

    def day(d: str) -> dict:
        answer = client.get("/api/v1/reports/reconciliation", params={"day": d}, headers=operator)
        assert answer.status_code == 200, answer.text
        return answer.json()

    [paid] = day("2026-12-07")["detail"]
    assert (paid["reference"], paid["planned_day"], paid["paid_online_vnd"]) == (reference, "2026-12-08", 4_000_000)
    [arriving] = day("2026-12-08")["detail"]
    assert (arriving["paid_online_vnd"], arriving["standing"]) == (0, "paid")
