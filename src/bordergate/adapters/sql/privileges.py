"""Least privilege on PostgreSQL: the server's role may add evidence and read it, never rewrite or erase it."""
from __future__ import annotations

import re

from sqlalchemy import Engine, text

# Evidence: the application adds rows and reads them; only the owner (who runs the migrations) could do more,
# and the triggers refuse even the owner until they are dropped, which leaves a trace in the chains.
EVIDENCE = ("audit_log", "plate_reads")
# Bookkeeping the server only reads: its schema version.
READ_ONLY = ("alembic_version",)
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str, tables: list[str]) -> list[str]:
    """What the owner runs so that ``role`` can serve: the usual rights everywhere, INSERT and SELECT only on
    the evidence tables, SELECT only on the schema version. Idempotent; run again after each upgrade."""
    if not _ROLE.match(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (lower-case letters, digits, _)")
    ordinary = [t for t in tables if t not in EVIDENCE + READ_ONLY]
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}",
                  f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"]
    if ordinary:
        statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(ordinary)} TO {role}")
    present = [t for t in EVIDENCE if t in tables]
    if present:
        statements.append(f"GRANT SELECT, INSERT ON {', '.join(present)} TO {role}")
    read_only = [t for t in READ_ONLY if t in tables]
    if read_only:
        statements.append(f"GRANT SELECT ON {', '.join(read_only)} TO {role}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return statements


def grant_app_role(engine: Engine, role: str) -> list[str]:
    """Grant ``role`` what the server needs and no more (run as the owner, after ``bordergate db upgrade``)."""
    if engine.dialect.name != "postgresql":
        raise ValueError("roles and grants are PostgreSQL's; a SQLite file is protected by its file permissions")
    with engine.begin() as connection:
        owner = connection.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'")).scalar()
        if owner == role:
            raise ValueError(f"{role} owns the tables: the server must run as another role, or it could drop "
                             "the triggers and rewrite the evidence")
        tables = list(connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars())
        statements = grant_statements(role, tables)
        for statement in statements:
            connection.execute(text(statement))
    return statements
