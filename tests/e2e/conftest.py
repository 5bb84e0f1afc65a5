"""HTTP fixtures: the API over the test's gate (SQLite; both databases where a file asks), a world of accounts, and
signing in."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from bordergate.entrypoints.api.app import create_app
from tests.builders import PASSWORD, World, a_world
from tests.conftest import sqlite_copy

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def database_url(tmp_path, sqlite_template) -> str:
    """Over HTTP on SQLite: what the SQL under a route does is proved on both databases by tests/integration (every
    repository's contract, migrations, races, evidence). A file whose HTTP behaviour depends on the engine (NUL
    characters, Idempotency-Key's row, the security log's bound, a real socket, the citizen service's journeys)
    runs on both by importing the suite's fixture: ``from tests.conftest import database_url``."""
    return sqlite_copy(tmp_path, sqlite_template)


@pytest.fixture
def client(gate) -> Iterator[TestClient]:
    """The REST API as a browser or a declarant's software sees it, over the test's gate."""
    with TestClient(create_app(gate)) as http:
        yield http


@pytest.fixture
def world(gate) -> World:
    """Two enterprises (farm: lan, fruit: minh), an agency authorised by fruit, customs and an admin."""
    return a_world(gate)


@pytest.fixture
def sign_in(client) -> Callable[..., dict[str, str]]:
    """Sign in as a person of the world and get the headers to send with each request."""

    def signed_in(username: str, password: str = PASSWORD) -> dict[str, str]:
        answer = client.post("/api/v1/auth/token", data={"username": username, "password": password})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    return signed_in
