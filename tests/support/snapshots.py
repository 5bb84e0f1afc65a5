"""A SQLite gate put back as it was: an in-memory copy taken once, restored by backup before each request."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager


@contextmanager
def restorable(gate) -> Iterator[Callable[[], None]]:
    """A reset that puts the gate's SQLite database back as it is now (an in-memory copy, restored by backup)."""
    pristine = sqlite3.connect(":memory:")
    with closing(gate.engine.raw_connection()) as live:
        live.driver_connection.backup(pristine)

    def reset() -> None:
        with closing(gate.engine.raw_connection()) as live:
            pristine.backup(live.driver_connection)

    try:
        yield reset
    finally:
        pristine.close()
