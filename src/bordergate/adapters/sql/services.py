"""The procedures catalogue and the border-resident allowance in SQL; the catalogue searched by each engine's FTS."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.schema import Document
from bordergate.adapters.sql.service_tables import allowance_rules, allowance_uses, procedure_catalogues, procedures
from bordergate.domain.allowance import AllowanceRule, AllowanceUse, read_rule
from bordergate.domain.errors import Conflict
from bordergate.domain.procedures import Catalogue, Procedure, read_catalogue


def _procedure(document: dict[str, Any]) -> Procedure:
    # Read back as written: the document was checked field by field when its catalogue was published.
    return Procedure(**{**document, "documents": tuple(document["documents"]),
                        "keywords": tuple(document["keywords"])})


class SqlProcedures:
    """Catalogues by version; the one in force a row a procedure, its folded text in the engine's full-text index."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"

    def publish(self, catalogue: Catalogue, by: str, at: datetime) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(procedure_catalogues).values(
                    version=catalogue.version, note=catalogue.note, document=catalogue.as_document(),
                    published_at=at, published_by=by))
        except IntegrityError:
            raise Conflict(f"catalogue version {catalogue.version} is published already; give a new version") from None
        self.connection.execute(delete(procedures))
        rows = [{"code": p.code, "catalogue_version": catalogue.version, "name": p.name, "agency": p.agency,
                 "document": p.as_document(), "search_text": p.search_text, "updated_at": at}
                for p in catalogue.procedures]
        self.connection.execute(insert(procedures), rows)
        if self.sqlite:  # FTS5 keeps its own copy: refilled in the same transaction as the rows it indexes
            self.connection.execute(text("DELETE FROM procedures_fts"))
            self.connection.execute(text("INSERT INTO procedures_fts (code, search_text) "
                                         "SELECT code, search_text FROM procedures"))

    def current(self) -> Catalogue | None:
        row = self.connection.execute(select(procedure_catalogues.c.document)
                                      .order_by(procedure_catalogues.c.published_at.desc(),
                                                procedure_catalogues.c.version.desc()).limit(1)).first()
        if row is None:
            return None
        document = dict(row.document)
        catalogue = read_catalogue(document)
        return Catalogue(catalogue.version, catalogue.note, (), catalogue.synonyms, catalogue.ignored_words)

    def get(self, code: str) -> Procedure | None:
        row = self.connection.execute(select(procedures.c.document).where(procedures.c.code == code)).first()
        return _procedure(dict(row.document)) if row else None

    def candidates(self, words: tuple[str, ...]) -> list[Procedure]:
        # Folded words are [a-z0-9]+ only (domain/text_folding.py), so neither query language can be injected.
        asked = [w for w in words if w.isascii() and w.isalnum()]
        if not asked:
            return []
        if self.sqlite:
            query = text("SELECT p.document FROM procedures_fts f JOIN procedures p ON p.code = f.code "
                         "WHERE procedures_fts MATCH :q").bindparams(q=" OR ".join(f'"{w}"' for w in asked))
        else:
            query = text("SELECT document FROM procedures WHERE to_tsvector('simple', search_text) "
                         "@@ to_tsquery('simple', :q)").bindparams(q=" | ".join(asked))
        typed = query.columns(document=Document)  # decoded as the table's JSON column is
        return [_procedure(dict(row.document)) for row in self.connection.execute(typed)]


class SqlAllowance:
    """Allowance rules by version; uses by resident and day (index ix_allowance_uses_resident_day)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def publish_rule(self, rule: AllowanceRule, by: str, at: datetime) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(allowance_rules).values(
                    version=rule.version, in_force_from=rule.in_force_from, document=rule.as_document(),
                    published_at=at, published_by=by))
        except IntegrityError:
            raise Conflict(f"allowance rule version {rule.version} is published already; give a new version") from None

    def rules(self) -> list[AllowanceRule]:
        rows = self.connection.execute(select(allowance_rules.c.document).order_by(allowance_rules.c.in_force_from))
        return [read_rule(dict(row.document)) for row in rows]

    def record(self, use: AllowanceUse) -> None:
        self.connection.execute(insert(allowance_uses).values(
            id=use.id, resident_key=use.resident_key, crossing_point=use.crossing_point, day=use.day,
            value_vnd=use.value_vnd, source=use.source, recorded_by=use.recorded_by, recorded_at=use.recorded_at))

    def uses(self, resident_key: str, since: date, until: date) -> list[AllowanceUse]:
        u = allowance_uses.c
        rows = self.connection.execute(select(allowance_uses).where(
            u.resident_key == resident_key, u.day >= since, u.day <= until).order_by(u.day, u.recorded_at, u.id))
        return [AllowanceUse(r.id, r.resident_key, r.crossing_point, r.day, r.value_vnd, r.source, r.recorded_by,
                             r.recorded_at) for r in rows]
