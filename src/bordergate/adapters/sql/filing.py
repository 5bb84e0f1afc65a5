"""Filing's records in SQL: rate counters taken by one conditional UPDATE, standings, filings, photos' rows."""
from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Connection, case, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.sql.filing_tables import report_filings, report_photos, report_rate_counters, reporter_standing
from bordergate.domain.report_limits import Counter, Standing
from bordergate.services.filing_repositories import StoredPhoto

c, s, f, p = report_rate_counters.c, reporter_standing.c, report_filings.c, report_photos.c


@cache
def _upsert(dialect: str, table, keys: tuple[str, ...], update_columns: tuple[str, ...] = ()):
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    if not update_columns:
        return statement.on_conflict_do_nothing(index_elements=list(keys))
    return statement.on_conflict_do_update(index_elements=list(keys),
                                           set_={name: getattr(statement.excluded, name) for name in update_columns})


class SqlFilingRecords:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def take(self, counter: Counter) -> bool:
        # The row exists first (nothing counted), then one UPDATE counts only while there is room, or starts a
        # new span at one: two filings at once cannot both take the last place (as the queue's slots).
        self.connection.execute(_upsert(self.connection.dialect.name, report_rate_counters, ("key", "span")),
                                {"key": counter.key, "span": counter.span, "span_start": counter.start, "count": 0})
        taken = self.connection.execute(update(report_rate_counters).where(
            c.key == counter.key, c.span == counter.span,
            (c.span_start != counter.start) | (c["count"] < counter.limit)).values(
            count=case((c.span_start == counter.start, c["count"] + 1), else_=1), span_start=counter.start))
        return taken.rowcount == 1

    def standing(self, key: str) -> Standing | None:
        row = self.connection.execute(select(reporter_standing).where(s.key == key)).mappings().first()
        return Standing(row["key"], row["spam_marks"], row["cap_percent"], row["until"]) if row else None

    def save_standing(self, standing: Standing) -> None:
        self.connection.execute(
            _upsert(self.connection.dialect.name, reporter_standing, ("key",), ("spam_marks", "cap_percent", "until")),
            {"key": standing.key, "spam_marks": standing.spam_marks, "cap_percent": standing.cap_percent,
             "until": standing.until})

    def remember(self, tracking_code: str, reporter_key: str, text_digest: str, filed_at: datetime) -> None:
        self.connection.execute(insert(report_filings).values(
            tracking_code=tracking_code, reporter_key=reporter_key, text_digest=text_digest, filed_at=filed_at))

    def same_filing(self, reporter_key: str, text_digest: str, since: datetime) -> str | None:
        return self.connection.execute(
            select(f.tracking_code).where(f.reporter_key == reporter_key, f.text_digest == text_digest,
                                          f.filed_at >= since).order_by(f.filed_at).limit(1)).scalar()

    def reporter_of(self, tracking_code: str) -> str | None:
        return self.connection.execute(
            select(f.reporter_key).where(f.tracking_code == tracking_code)).scalar()


class SqlReportPhotos:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, photo: StoredPhoto) -> None:
        self.connection.execute(insert(report_photos).values(
            tracking_code=photo.tracking_code, seq=photo.seq, sha256=photo.sha256, width=photo.width,
            height=photo.height, bytes=photo.size, storage_key=photo.storage_key, thumb_key=photo.thumb_key,
            visibility=photo.visibility, at=photo.at))

    def of(self, tracking_code: str) -> list[StoredPhoto]:
        rows = self.connection.execute(select(report_photos).where(p.tracking_code == tracking_code)
                                       .order_by(p.seq)).mappings()
        return [StoredPhoto(r["tracking_code"], r["seq"], r["sha256"], r["width"], r["height"], r["bytes"],
                            r["storage_key"], r["thumb_key"], r["visibility"], r["at"]) for r in rows]
