"""A gate wired to the in-memory unit of work, for the use-case tests that need no database."""
from __future__ import annotations

import random

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.seeding import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.conftest import CHEAP_PASSWORDS, NOW


def an_in_memory_gate(tables: Tables) -> Gate:
    """A wired gate whose units of work share ``tables``, with Lang Son's crossing points."""
    settings = Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", sandbox_payments=True, sweep_seconds=0)
    wired = bootstrap(settings, clock=FixedClock(NOW), rng=random.Random(2026), passwords=CHEAP_PASSWORDS,
                      units=lambda read_only=False: InMemoryUnitOfWork(tables, read_only=read_only))
    seed_crossing_points(wired)
    return wired
