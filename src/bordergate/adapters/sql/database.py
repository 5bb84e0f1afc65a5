"""Engines and schema upgrades: SQLite by default, PostgreSQL in production, both migrated by Alembic."""
from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
READ_ONLY = "bordergate_read_only"


def normalise_url(url: str) -> str:
    """Plain postgresql:// URLs use psycopg 3, the driver bordergate ships with."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, pool_size: int = 20) -> Engine:
    """An engine tuned for the database behind ``url``."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip on every checkout (three per request). A connection that died with a
    # restarted server fails its one request, SQLAlchemy then discards the whole pool, and the API answers 503.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size)


_writer_locks: dict[object, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def sqlite_writer_lock(engine: Engine) -> threading.Lock | None:
    """One lock per SQLite file in this process: writers wait their turn here, woken the moment it is free.

    SQLite's own busy handler sleeps and retries with growing back-off, so under load some writers waited
    seconds while others went first. PostgreSQL needs none of this (None).
    """
    if engine.dialect.name != "sqlite":
        return None
    with _writer_locks_guard:
        # Keyed by the URL object itself: rendering it to a string on every unit of work showed in profiles.
        return _writer_locks.setdefault(engine.url, threading.Lock())


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Writers take the write lock at BEGIN so two of them queue up instead of failing on lock upgrade;
    # readers begin deferred and read their WAL snapshot beside the writer.
    connection.exec_driver_sql("BEGIN" if connection.info.get(READ_ONLY) else "BEGIN IMMEDIATE")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema at ``url`` up to ``revision`` (creating a SQLite file if needed)."""
    command.upgrade(alembic_config(url), revision)
