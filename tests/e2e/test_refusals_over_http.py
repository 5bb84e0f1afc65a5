"""Strangers cannot write into the audit trail: forged requests are counted and kept in a bounded security log."""
from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bordergate.adapters.metrics import REGISTRY
from bordergate.adapters.signing import SIGNATURE, TIMESTAMP, sign
from bordergate.adapters.sql.tables import audit_log, security_log
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.routes.fees import receive_callback
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.authentication import SignatureRequired
from tests.conftest import CHEAP_PASSWORDS, database_url  # noqa: F401 (both databases)

ROWS, PER_SOURCE = 50, 20
CUSTOMS_SECRET = "customs-shared-secret-0001"


@pytest.fixture
def gate(database_url, clock) -> Iterator[Gate]:
    """A gate whose security log keeps 50 rows, 20 a minute from one address; the customs system connected."""
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", db_pool_size=5, security_log_rows=ROWS,
                        security_log_per_source_per_minute=PER_SOURCE, agency_systems=f"customs={CUSTOMS_SECRET}",
                        sandbox_payments=True)
    wired = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()


def count(gate: Gate, table) -> int:
    with gate.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def refused(kind: str) -> float:
    return REGISTRY.get_sample_value("bordergate_refused_unauthenticated_total", {"kind": kind}) or 0


def forged(gate: Gate, n: int) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"order_id": f"SBX-{n}", "transaction_id": f"T{n}", "amount_vnd": 1,
                       "status": "paid"}).encode()
    at = int(gate.clock.now().timestamp())
    return body, {TIMESTAMP: str(at), SIGNATURE: sign("a-guessed-secret-0000", at, body),
                  "content-type": "application/json"}


def test_a_thousand_forged_callbacks_add_no_audit_row_a_bounded_log_and_a_count_of_a_thousand(client, gate):
    trail, before = count(gate, audit_log), refused("payment_callback:sandbox")
    for n in range(1000):
        body, headers = forged(gate, n)
        answer = client.post("/api/v1/payment-providers/sandbox/callback", content=body, headers=headers)
        assert answer.status_code == 401
    assert count(gate, audit_log) == trail
    # One address: PER_SOURCE rows in its minute, then only counted.
    assert count(gate, security_log) == PER_SOURCE
    assert refused("payment_callback:sandbox") - before == 1000


def test_forged_agency_messages_go_to_the_security_log_too(client, gate):
    trail, before = count(gate, audit_log), refused("agency_message:customs")
    for n in range(100):
        body = json.dumps({"message_id": f"m{n}", "type": "released", "reference": "BG-NONE"}).encode()
        at = int(gate.clock.now().timestamp())
        answer = client.post("/api/v1/agency-systems/customs/messages", content=body,
                             headers={TIMESTAMP: str(at), SIGNATURE: sign("guessed-secret-000000", at, body)})
        assert answer.status_code == 401
    assert count(gate, audit_log) == trail
    assert count(gate, security_log) == PER_SOURCE
    assert refused("agency_message:customs") - before == 100


def test_the_security_log_keeps_its_newest_rows_whatever_the_number_of_addresses(gate):
    for n in range(200):
        body, headers = forged(gate, n)
        with pytest.raises(SignatureRequired):
            receive_callback(gate, "sandbox", body, headers, source=f"10.0.{n // 250}.{n % 250}")
    with gate.reader() as uow:
        kept = uow.security.latest(1000)
    assert len(kept) == ROWS
    assert kept[0]["source"] == "10.0.0.199" and kept[-1]["source"] == f"10.0.0.{200 - ROWS}"


def test_administrators_read_the_counters_at_metrics_in_prometheus_text(client, gate, world, sign_in):
    body, headers = forged(gate, 1)
    client.post("/api/v1/payment-providers/sandbox/callback", content=body, headers=headers)
    answer = client.get("/metrics", headers=sign_in("admin"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    assert 'bordergate_refused_unauthenticated_total{kind="payment_callback:sandbox"}' in answer.text
    assert client.get("/metrics", headers=sign_in("lan")).status_code == 403
    assert client.get("/metrics").status_code == 401
