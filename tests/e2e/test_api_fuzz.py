"""Property-based fuzzing of every operation in the OpenAPI schema with schemathesis, signed in as a declarant.

Each operation gets a gate on its own SQLite file (fixed clock, seeded ids, the builders' world, three declarations),
restored before every example, and schemathesis' examples, coverage and fuzzing phases send it valid and invalid
requests in-process. No answer may be a server error; every answer must match its documented content type, schema
and headers; every 4xx must be RFC 9457 problem+json with its status, title and detail.

Generation is deterministic (fixed seed, derandomised, no example database): the same command sends the same
requests. (Hypothesis also draws constants from the project's loaded modules, so running this file alone and within
the whole suite may differ in a few examples.)
Requests that once crashed the server are replayed one by one in FORMER_CRASHES.
"""
from __future__ import annotations

import copy
import functools
import random
import shutil
from collections.abc import Callable, Iterator

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance)

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.builders import GOODS, PASSWORD, World, a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.support.snapshots import restorable

PROBLEM_JSON = "application/problem+json"
SEED = 2026
# Requests per operation in the fuzzing phase; the examples and coverage phases add their own fixed sets. 10 since
# the citizen service doubled the operations: the suite keeps within its 8 minutes on 2 cores.
MAX_EXAMPLES = 10
FUZZ_SETTINGS = {"secret_key": "test-secret-of-at-least-32-characters", "public_url": "http://gate.test",
                 "sandbox_payments": True}

CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
})
# The schema comes from an app over a gate that is never asked anything (building one opens no database, and
# FastAPI derives /openapi.json from the routes alone); each test sends its requests to its own gate's app.
schema = schemathesis.openapi.from_asgi("/openapi.json", config=CONFIG, app=create_app(
    bootstrap(Settings(database_url="sqlite://", **FUZZ_SETTINGS), passwords=CHEAP_PASSWORDS)))


# --- The gate each operation is fuzzed against -------------------------------------------------------------------

@dataclass
class Known:
    """What exists in the fuzzed gate, mixed into generated requests so they get past 'not found'."""

    references: list[str]  # lan's open declaration, lan's cancelled one, minh's (another enterprise's)
    enterprises: list[str]  # lan's farm, minh's fruit
    agencies: list[str]  # the customs agency, and an enterprise that is not one
    tracking_key: Callable[[str], str]


_known: Known | None = None  # the gate of the test now running; each xdist worker runs one test at a time


@dataclass
class Fuzzed:
    app: Any
    headers: dict[str, str]
    reset: Callable[[], None]  # back to the database as the fixture left it


def a_fuzzed_gate(sqlite_template, tmp_path) -> tuple[Gate, World]:
    """A gate on a fresh copy of the SQLite template, with Lang Son's crossing points and the builders' world."""
    path = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, path)
    gate = bootstrap(Settings(database_url=f"sqlite:///{path}", db_pool_size=5, **FUZZ_SETTINGS),
                     clock=FixedClock(NOW), rng=random.Random(SEED), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    return gate, a_world(gate)


@pytest.fixture
def fuzzed(sqlite_template, tmp_path) -> Iterator[Fuzzed]:
    """A gate on a fresh SQLite file with the builders' world and declarations; lan (a declarant) signed in."""
    global _known
    gate, world = a_fuzzed_gate(sqlite_template, tmp_path)
    declare = gate.bus.handle
    own = declare(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate), None, None))
    cancelled = declare(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate="12C-234.56"),
                                                   None, None))
    declare(commands.CancelDeclaration(world.lan, cancelled, "withdrawn"))
    others = declare(commands.SubmitDeclaration(world.minh, world.fruit, a_trip(gate, plate="51C-345.67"),
                                                None, None))
    _known = Known([own, cancelled, others], [world.farm, world.fruit], [world.agency, world.fruit],
                   gate.tracking.key_for)
    app = create_app(gate)
    signed_in = TestClient(app).post("/api/v1/auth/token", data={"username": "lan", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    try:
        with restorable(gate) as reset:
            yield Fuzzed(app, {"Authorization": f"Bearer {signed_in.json()['access_token']}"}, reset)
    finally:
        _known = None
        gate.engine.dispose()


# --- Steering generation towards what exists and what breaks -----------------------------------------------------

@schema.hook
def flatmap_path_parameters(context, path_parameters: dict[str, Any]):
    """Swap in ids of the fuzzed gate (own first: Hypothesis starts from the first choice) or keep the generated one;
    a tracking link gets its real key (or the generated one) too."""
    known = _known
    if known is None or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    pools = {"reference": known.references, "enterprise_id": known.enterprises, "agency_id": known.agencies}
    drawn = st.fixed_dictionaries({name: st.sampled_from([*pools[name], value]) if name in pools else st.just(value)
                                   for name, value in path_parameters.items()})
    if "key" in path_parameters:
        drawn = st.tuples(drawn, st.sampled_from(["real", "upper", "generated"])).map(
            lambda pair: _tracking_link(known, *pair))
    return drawn


def _tracking_link(known: Known, params: dict[str, Any], which: str) -> dict[str, Any]:
    if which != "generated" and isinstance(params.get("reference"), str):
        key = known.tracking_key(params["reference"])
        params = {**params, "key": key.upper() if which == "upper" else key}
    return params


# The edges of integer types: offsets, limits and counts that pass the schema but not a 64-bit column.
_EDGE_INTEGERS = [0, 1, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30]


@schema.hook
def flatmap_query(context, query: dict[str, Any]):
    """Keep the generated query, or put edge integers into its integer parameters."""
    if not isinstance(query, dict):
        return st.just(query)
    integers = [name for name, value in query.items() if isinstance(value, int) and not isinstance(value, bool)]
    if not integers:
        return st.just(query)
    return st.one_of(st.just(query), st.fixed_dictionaries(
        {name: st.sampled_from(_EDGE_INTEGERS) if name in integers else st.just(value)
         for name, value in query.items()}))


@schema.hook
def flatmap_headers(context, headers: dict[str, Any] | None):
    """A phone that scanned the QR code asks for HTML: the tracking link answers both ways."""
    if context.operation is None or context.operation.path != "/track/{reference}/{key}":
        return st.just(headers)
    return st.sampled_from([headers, {**(headers or {}), "Accept": "text/html"}])


# Leaves of a valid trip, vehicle or driver get arbitrary JSON while the rest stays valid, so the domain's readers
# (plates, HS codes, amounts, dates, phone numbers...) are fuzzed, not only FastAPI's request validation.
_TRICKY = ["", " ", "0", "-1", "1.5", "1e3", "1E-7", "NaN", "sNaN", "Infinity", "-0", "9" * 30, "²", "١٢٣",
           "０８１０.６０", "2026-11-27T08:00:00", "2026-11-27T08:00:00+07:00", "2027-01-01T00:00:00Z",
           "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "12C-123.45", "12R-012.34", "桂F·12345",
           "桂F·1234挂", "MSKU9070323", "0810.60", "+84912345678", "VN", "USD", "reefer", "40ft", "none", "export",
           "HUU_NGHI", "\x00", "\u202e"]
_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=24) | st.sampled_from(_TRICKY))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=3), max_leaves=4)


def _valid_trip() -> dict[str, Any]:
    """A trip the fuzzed gate accepts, with two goods lines (a_trip reads only the gate's clock: NOW)."""
    trip = a_trip(SimpleNamespace(clock=FixedClock(NOW)), goods="durian", plate="12C-456.78")
    trip["goods"].append(copy.deepcopy(GOODS["phones"]))
    return trip


def _paths(value: Any, prefix: str = "") -> list[str]:
    """Every field path of plain data, parents first: vehicle, vehicle.axles, goods, goods[0], ..."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += _paths(inner, f"{prefix}[{i}]")
    return found


def _replaced(plain: Any, path: str, value: Any) -> Any:
    result = copy.deepcopy(plain)
    steps = [int(s) if s.isdigit() else s for s in path.replace("[", ".").replace("]", "").split(".")]
    node = result
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value
    return result


def _fuzzed_field(base: Any) -> st.SearchStrategy:
    """The valid base as it is, or with one field replaced by arbitrary JSON."""
    return st.one_of(st.just(base), st.builds(functools.partial(_replaced, base), st.sampled_from(_paths(base)),
                                              _JSON))


_TRIP = _valid_trip()
# Corrections the fuzzed gate accepts on lan's open declaration, mixed with arbitrary ones on any field.
_VALID_CHANGES = {"driver.phone": "+84913000111", "goods[0].packages": 1300, "goods[1].hs_code": "8517.13.00",
                  "vehicle.tractor_plate": "12C-999.99", "containers": [], "customs_declaration_number": None,
                  "planned_arrival": (NOW + timedelta(hours=30)).isoformat()}
_CHANGES = st.dictionaries(st.sampled_from(_paths(_TRIP)), _JSON, min_size=1, max_size=3)
_BODIES: dict[str, st.SearchStrategy] = {
    "POST /api/v1/declarations": _fuzzed_field(_TRIP),
    "POST /api/v1/enterprises/{enterprise_id}/vehicles": _fuzzed_field(_TRIP["vehicle"]),
    "POST /api/v1/enterprises/{enterprise_id}/drivers": _fuzzed_field(_TRIP["driver"]),
    "PATCH /api/v1/declarations/{reference}": st.fixed_dictionaries(
        {"changes": st.sampled_from([{path: value} for path, value in _VALID_CHANGES.items()]) | _CHANGES},
        optional={"reason": st.none() | st.text(max_size=40)}),
}


@schema.hook
def flatmap_body(context, body: Any):
    """A valid body with a field fuzzed (to correct: a valid or fuzzed change), or the generated one."""
    label = context.operation.label if context.operation is not None else None
    if label not in _BODIES:
        return st.just(body)
    return st.one_of(_BODIES[label], st.just(body))


# --- Checks ------------------------------------------------------------------------------------------------------

def refusals_are_problem_json(ctx, response, case) -> None:
    """Every 4xx is RFC 9457 problem+json whose status, title and detail say what is wrong."""
    if case.path.startswith("/open311/"):
        return  # GeoReport v2 answers its own {code, description} errors (access.OPEN311; not in the schema today)
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"{response.status_code} answered with Content-Type {content_type!r}, not {PROBLEM_JSON}")
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} problem details are not JSON: {exc}") from None
    assert isinstance(body, dict), f"problem details must be a JSON object, not {body!r}"
    missing = [name for name in ("status", "title", "detail") if not body.get(name)]
    assert not missing, f"problem details lack {', '.join(missing)}: {body!r}"
    assert body["status"] == response.status_code, f"body says {body['status']}, HTTP says {response.status_code}"
    assert isinstance(body["title"], str) and isinstance(body["detail"], str), body
    return None


CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance, response_headers_conformance,
          refusals_are_problem_json]


# --- Requests that once crashed the server (found by this fuzzing, fixed since) -----------------------------------

FORMER_CRASHES = {
    # hmac.compare_digest refused a non-ASCII key: a mistyped tracking link answered 500, not 404.
    "GET /track/{reference}/{key}": lambda known: {"path_parameters": {"reference": known.references[0],
                                                                       "key": "clé"}},
    # A correction's raw JSON value reached parsers that call str methods: a list where a container goes was a 500.
    "PATCH /api/v1/declarations/{reference}": lambda known: {
        "path_parameters": {"reference": known.references[0]}, "body": {"changes": {"containers[0]": []}},
        "media_type": "application/json"},
    # An unbounded offset reached the database (SQLite OverflowError, bigint out of range on PostgreSQL).
    "GET /api/v1/declarations": lambda known: {"query": {"offset": 2**63}},
}


# --- Tests -------------------------------------------------------------------------------------------------------

@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_survives_fuzzing(case, fuzzed):
    """The database is restored before each example, so every example (and each replay while Hypothesis shrinks a
    failure) meets the same state and failures reproduce."""
    fuzzed.reset()
    case.call_and_validate(headers=fuzzed.headers, app=fuzzed.app, checks=CHECKS)


@pytest.mark.parametrize("operation", sorted(FORMER_CRASHES))
def test_a_request_that_once_crashed_the_server_is_now_refused_clearly(operation, fuzzed):
    method, path = operation.split(" ", 1)
    case = schema[path][method].Case(**FORMER_CRASHES[operation](_known))
    fuzzed.reset()
    response = case.call(headers=fuzzed.headers, app=fuzzed.app)
    assert 400 <= response.status_code < 500, response.text
    case.validate_response(response, checks=CHECKS)


def test_refusals_match_their_documented_422_response(fuzzed):
    case = schema["/api/v1/declarations"]["POST"].Case(body={}, media_type="application/json")
    fuzzed.reset()
    response = case.call(headers=fuzzed.headers, app=fuzzed.app)
    assert response.status_code == 422, response.text
    case.validate_response(response, checks=[content_type_conformance, response_schema_conformance])
