"""Every operation of the OpenAPI fuzzed as each role and as nobody: no server error, every refusal RFC 9457.

test_api_fuzz.py fuzzes deeply as a declarant; this file goes wide and shallow: a few generated requests per
operation and role (the fuzzing phase only, a handful of examples), against one gate per worker that holds one of
everything (tests/support/everything.py), restored before every example. Path parameters are drawn from the real
ids or kept as generated, so requests get past "not found" into the handlers each role may reach.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain.accounts import Role
from bordergate.entrypoints.api.app import create_app
from tests.conftest import CHEAP_PASSWORDS
from tests.e2e.test_api_fuzz import refusals_are_problem_json
from tests.support.everything import SETTINGS, Everything, a_gate_with_one_of_everything
from tests.support.snapshots import restorable

# Generated requests per operation and role: one each, wide and shallow (test_api_fuzz.py goes deep), 14 callers x
# ~90 operations.
MAX_EXAMPLES = 1
CONFIG = schemathesis.Config.from_dict({
    "seed": 2026,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_asgi("/openapi.json", config=CONFIG, app=create_app(
    bootstrap(Settings(database_url="sqlite://", **SETTINGS), passwords=CHEAP_PASSWORDS)))
CALLERS = [None, *Role]
CHECKS = [not_a_server_error, refusals_are_problem_json]

_ids: dict[str, str] = {}  # the real ids of the gate of the test now running (one test at a time per worker)
_sent = {"requests": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def everything(sqlite_template, tmp_path_factory) -> Iterator[tuple[Everything, Any]]:
    seeded = a_gate_with_one_of_everything(sqlite_template, tmp_path_factory.mktemp("fuzz-by-role"))
    _ids.update(seeded.ids)
    with restorable(seeded.gate) as reset:
        yield seeded, reset
    print(f"\nfuzzed by role: {_sent['requests']} requests, {_sent['server_errors']} server errors")
    _ids.clear()
    seeded.gate.engine.dispose()


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict[str, Any]):
    """A real id (first: Hypothesis starts there) or the generated value, for each path parameter."""
    if not _ids or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    return st.fixed_dictionaries({name: st.sampled_from([_ids[name], value]) if name in _ids else st.just(value)
                                  for name, value in path_parameters.items()})


@pytest.mark.parametrize("caller", CALLERS, ids=lambda role: role.value if role else "nobody")
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
def test_every_operation_answers_every_role_without_a_server_error(case, caller, everything):
    seeded, reset = everything
    reset()
    headers = {"Authorization": f"Bearer {seeded.tokens[caller]}"} if caller else {}
    response = case.call(headers=headers, app=seeded.app)
    _sent["requests"] += 1
    _sent["server_errors"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS)
