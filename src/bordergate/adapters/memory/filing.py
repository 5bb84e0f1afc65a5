"""Filing's records in memory: the twins of adapters/sql/filing.py."""
from __future__ import annotations

from datetime import datetime

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.report_limits import Counter, Standing
from bordergate.services.filing_repositories import StoredPhoto


class InMemoryFilingRecords:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def take(self, counter: Counter) -> bool:
        start, count = self.t.rate_counters.get((counter.key, counter.span), (counter.start, 0))
        if start != counter.start:
            start, count = counter.start, 0
        if count >= counter.limit:
            return False
        self.t.rate_counters[(counter.key, counter.span)] = (start, count + 1)
        return True

    def standing(self, key: str) -> Standing | None:
        return self.t.standings.get(key)

    def save_standing(self, standing: Standing) -> None:
        self.t.standings[standing.key] = standing

    def remember(self, tracking_code: str, reporter_key: str, text_digest: str, filed_at: datetime) -> None:
        self.t.filings[tracking_code] = (reporter_key, text_digest, filed_at)

    def same_filing(self, reporter_key: str, text_digest: str, since: datetime) -> str | None:
        found = sorted((at, code) for code, (key, digest, at) in self.t.filings.items()
                       if key == reporter_key and digest == text_digest and at >= since)
        return found[0][1] if found else None

    def reporter_of(self, tracking_code: str) -> str | None:
        filing = self.t.filings.get(tracking_code)
        return filing[0] if filing else None


class InMemoryReportPhotos:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def add(self, photo: StoredPhoto) -> None:
        self.t.report_photos = [*self.t.report_photos, photo]

    def of(self, tracking_code: str) -> list[StoredPhoto]:
        return sorted((ph for ph in self.t.report_photos if ph.tracking_code == tracking_code), key=lambda ph: ph.seq)
