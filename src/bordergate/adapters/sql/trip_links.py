"""Repository of empty trips: an outbound declaration and the empty return linked to it, and which trips are empty."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, exists, insert, or_, select

from bordergate.adapters.sql.tables import declarations, goods_lines
from bordergate.adapters.sql.trip_link_tables import trip_links

_t = trip_links.c


class SqlTripLinks:
    """Links between declarations, written once with both declarations."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def link(self, outbound_reference: str, return_reference: str, at: datetime) -> None:
        self.connection.execute(insert(trip_links).values(
            outbound_reference=outbound_reference, return_reference=return_reference, linked_at=at))

    def of(self, reference: str) -> dict[str, str | None]:
        """The trip's linked trips: ``return_trip`` (when it is the outbound) and ``outbound_trip`` (the return)."""
        row = self.connection.execute(select(trip_links).where(
            or_(_t.outbound_reference == reference, _t.return_reference == reference))).mappings().first()
        if row is None:
            return {"outbound_trip": None, "return_trip": None}
        if row["outbound_reference"] == reference:
            return {"outbound_trip": None, "return_trip": row["return_reference"]}
        return {"outbound_trip": row["outbound_reference"], "return_trip": None}

    def empty(self, references: list[str]) -> set[str]:
        """Which of these trips cross empty: a declaration with no goods line is one (one indexed query for a
        whole lane of the queue)."""
        if not references:
            return set()
        d = declarations.c
        return set(self.connection.execute(select(d.reference).where(
            d.reference.in_(references),
            ~exists().where(goods_lines.c.reference == d.reference))).scalars())
