from __future__ import annotations

import random
import shutil

import pytest
from hypothesis import HealthCheck, settings
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance)

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.builders import PASSWORD, a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS, NOW

import os
MAX = int(os.environ.get("MAXEX", "20"))
SETTINGS = dict(secret_key="test-secret-of-at-least-32-characters", public_url="http://gate.test")
CONFIG = schemathesis.Config.from_dict({
    "seed": 2026,
    "generation": {"max-examples": MAX, "deterministic": True, "database": "none", "mode": "all"},
})
_schema_app = create_app(bootstrap(Settings(database_url="sqlite://", **SETTINGS), passwords=CHEAP_PASSWORDS))
schema = schemathesis.openapi.from_asgi("/openapi.json", _schema_app, config=CONFIG)


def problem_json(ctx, response, case):
    if 400 <= response.status_code < 500:
        ct = response.headers.get("content-type", [""])
        ct = ct[0] if isinstance(ct, list) else ct
        assert ct.split(";")[0].strip() == "application/problem+json", f"{response.status_code} with {ct}"
        body = response.json()
        for k in ("status", "title", "detail"):
            assert body.get(k), f"missing {k}: {body}"
        assert body["status"] == response.status_code


@pytest.fixture
def fuzz(sqlite_template, tmp_path):
    path = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, path)
    gate = bootstrap(Settings(database_url=f"sqlite:///{path}", db_pool_size=5, **SETTINGS), clock=FixedClock(NOW),
                     rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    world = a_world(gate)
    ref = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate), None, None))
    app = create_app(gate)
    token = gate.tokens.issue(world.lan.user_id, NOW)
    yield app, {"Authorization": f"Bearer {token}"}
    gate.engine.dispose()


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, fuzz):
    app, headers = fuzz
    case.call_and_validate(headers=headers, app=app, checks=[not_a_server_error, content_type_conformance,
                                                             response_schema_conformance, problem_json])
