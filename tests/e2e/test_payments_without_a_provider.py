"""A gate with no payment provider configured: no sandbox anyone could pay through, online payment refused with what
to do instead, cash at the desk as always; and the sandbox only where it is asked for, said loudly by `serve`."""
from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints import cli
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.builders import PASSWORD, a_trip
from tests.conftest import CHEAP_PASSWORDS
from tests.e2e.test_problems_over_http import problem
from tests.support.forms import form_token, post_form


@pytest.fixture
def gate(database_url: str, clock: FixedClock) -> Iterator[Gate]:
    """A gate configured as an operator who set no payment provider would have it."""
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", db_pool_size=5)
    wired = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()


@pytest.fixture
def reference(client, gate, world, sign_in) -> str:
    """Lan's farm declares fresh durian in a 40-ft container for re-export: 4,000,000 VND."""
    answer = client.post("/api/v1/declarations", json=a_trip(gate, flow="temporary_import_reexport"),
                         headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def test_without_a_payment_provider_there_is_no_sandbox_page_to_mark_a_fee_paid(client, gate):
    assert gate.payments is None and not gate.sandbox_payments
    assert client.get("/sandbox-pay/SBX-00000000").status_code == 404
    # A form posted as the gate's own page would post it finds no such page either (a bare post stops at CSRF).
    origin = str(client.base_url).rstrip("/")
    client.get("/signin")  # the pre-session cookie the token is bound to
    token = form_token(client.get("/signin").text)
    posted = client.post("/sandbox-pay/SBX-00000000", data={"csrf_token": token}, headers={"Origin": origin})
    assert posted.status_code == 404


def test_without_a_payment_provider_paying_online_says_to_pay_cash_at_the_desk_and_cash_is_taken(
        client, sign_in, reference):
    refused = problem(client.post(f"/api/v1/declarations/{reference}/payments", json={}, headers=sign_in("lan")), 409)
    assert "cash" in refused["detail"] and "desk" in refused["detail"]
    assert "BORDERGATE_PAYMENT_URL" in refused["detail"]
    assert client.post("/api/v1/payment-providers/sandbox/callback", content=b"{}").status_code == 404
    paid = client.post(f"/api/v1/declarations/{reference}/payments/cash", json={"amount_vnd": 4_000_000},
                       headers=sign_in("operator"))
    assert paid.status_code == 201, paid.text
    assert paid.json()["receipt_number"]


def test_without_a_payment_provider_the_portal_shows_the_desk_instead_of_a_pay_button(client, world, reference):
    signed_in = post_form(client, "/signin", "/signin", {"username": "lan", "password": PASSWORD},
                          follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    page = client.get(f"/portal/{reference}?lang=en").text
    assert "data-cash-only" in page and f"/portal/{reference}/pay" not in page


def test_the_sandbox_is_off_unless_asked_for_and_never_beside_a_real_provider():
    assert Settings(database_url="sqlite://").sandbox_payments is False
    assert bootstrap(Settings(database_url="sqlite://"), passwords=CHEAP_PASSWORDS).payments is None
    assert bootstrap(Settings(database_url="sqlite://", sandbox_payments=True),
                     passwords=CHEAP_PASSWORDS).sandbox_payments
    with pytest.raises(ValueError, match="BORDERGATE_SANDBOX_PAYMENTS and BORDERGATE_PAYMENT_URL"):
        Settings(sandbox_payments=True, payment_url="https://pay.example/api")


@pytest.mark.parametrize("sandbox, warned", [("true", True), ("false", False)])
def test_serve_warns_on_stderr_when_the_sandbox_takes_payments(monkeypatch, tmp_path, sandbox, warned):
    started = []
    monkeypatch.setattr(cli, "_at_head", lambda url: True)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", f"sqlite:///{tmp_path / 'gate.db'}")
    monkeypatch.setenv("BORDERGATE_SANDBOX_PAYMENTS", sandbox)
    served = CliRunner().invoke(cli.main, ["serve"])
    assert served.exit_code == 0, served.output
    assert len(started) == 1
    assert ("WARNING" in served.stderr and "ANYONE may mark a fee paid" in served.stderr) is warned
