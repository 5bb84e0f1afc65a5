"""Filing's abuse controls and photos on the in-memory twin: how often, the same text twice, spam standing."""
from __future__ import annotations

import random

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.adapters.photos import InMemoryPhotoStore, PhotoLimits, PhotoPreparer
from bordergate.bootstrap import bootstrap, filing_limits as bootstrap_limits
from bordergate.config import Settings
from bordergate.domain import report_commands as rc
from bordergate.domain.errors import Invalid, TooManyRequests
from bordergate.domain.report_limits import SameFiling, address_key
from bordergate.services.ports import FixedClock
from bordergate.services.reporting import Filed
from tests.conftest import CHEAP_PASSWORDS
from tests.support.photos import a_phone_photo
from tests.unit.test_report_handlers import CITIZEN, MONDAY, Desk

PHONE = "203.0.113.7"


class Filer(Desk):
    def __init__(self, tables: Tables, store: InMemoryPhotoStore) -> None:
        chosen = Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                          public_url="http://gate.test", sweep_seconds=0)
        gate = bootstrap(chosen, clock=FixedClock(MONDAY), rng=random.Random(2026), passwords=CHEAP_PASSWORDS,
                         units=lambda read_only=False: InMemoryUnitOfWork(tables, read_only=read_only),
                         photo_store=store)
        super().__init__(gate, tables)
        self.store = store
        self.salt = bootstrap_limits(chosen, chosen.secret_key or "").address_salt

    def send(self, text: str = "A deep pothole mid-road", actor=CITIZEN, address: str = PHONE, **more) -> Filed:
        filed = self.handle(rc.FileReport(actor, category="road_damage", description=text, lat=21.85, lon=106.76,
                                          commune_code="X", address=address, **more))
        assert isinstance(filed, Filed)
        return filed


@pytest.fixture
def filer() -> Filer:
    return Filer(Tables(), InMemoryPhotoStore())


def test_an_account_files_five_reports_an_hour_and_is_told_when_it_may_file_again(filer):
    for n in range(5):
        filer.send(f"Pothole number {n}")
        filer.clock.advance(minutes=1)
    with pytest.raises(TooManyRequests, match="reached 5 reports from your account this hour") as refused:
        filer.send("Pothole number 6")
    assert refused.value.retry_after == 55 * 60  # 09:05 now; the hour turns at 10:00
    filer.clock.advance(minutes=55)
    filer.send("Pothole number 6")


def test_without_signing_in_one_connection_files_five_reports_a_day(filer):
    for n in range(5):
        filer.send(f"Anonymous tip {n}", actor=None)
        filer.clock.advance(hours=1)
    with pytest.raises(TooManyRequests, match="without signing in from this connection today"):
        filer.send("Anonymous tip 6", actor=None)
    filer.send("From another connection", actor=None, address="198.51.100.9")
    filer.send("Signed in from the same one")  # the account's own limits apply, not the anonymous cap


def test_the_same_text_twice_within_ten_minutes_answers_the_first_report(filer):
    first = filer.send("Trucks   queue to Km 9 since dawn")
    filer.clock.advance(minutes=9)
    with pytest.raises(SameFiling) as again:
        filer.send("trucks queue to km 9 since dawn")
    assert again.value.tracking_code == first.tracking_code and len(filer.tables.reports) == 1
    filer.clock.advance(minutes=2)
    assert filer.send("trucks queue to km 9 since dawn").tracking_code != first.tracking_code


def test_each_spam_mark_halves_the_daily_cap_and_the_third_suspends_filing(filer):
    officer = filer.officer("UBND_X")
    for n in range(3):
        code = filer.send(f"Buy cheap phones {n}").tracking_code
        filer.handle(rc.MarkSpam(officer, code, reason="advertising"))
        filer.clock.advance(hours=1)
    assert filer.audited(code)[-1] == "ReportMarkedSpam"
    marks = [e for e in filer.tables.events if type(e).__name__ == "ReporterStandingLowered"]
    assert [(m.spam_marks, m.cap_percent) for m in marks] == [(1, 50), (2, 25), (3, 12)]
    with pytest.raises(TooManyRequests, match="marked as spam 3 times: filing is suspended until 06/01/2027"):
        filer.send("Anything at all")
    standing = next(iter(filer.tables.standings.values()))
    assert not standing.suspended(standing.until) and standing.cap(20, standing.until) == 20  # lifted after 30 days


def test_a_lowered_standing_caps_the_day_at_half_never_below_one(filer):
    officer = filer.officer("UBND_X")
    filer.handle(rc.MarkSpam(officer, filer.send("Cheap phones for sale", actor=None).tracking_code, reason="advertising"))
    filer.clock.advance(hours=1)
    filer.send("A tip about smuggling", actor=None)
    with pytest.raises(TooManyRequests, match="reached 2 reports without signing in"):  # 5 halved, floor
        filer.send("Another tip, later", actor=None)
    assert filer.tables.standings[address_key(PHONE, filer.salt)].spam_marks == 1 and PHONE not in str(filer.tables.standings)


def test_photos_are_kept_with_the_report_for_the_unit_only_and_each_is_audited(filer):
    preparer = PhotoPreparer(PhotoLimits(long_side=640))
    photos = tuple(preparer.prepare(a_phone_photo(900 + n, 600)) for n in range(2))
    code = filer.send(photos=photos).tracking_code
    with InMemoryUnitOfWork(filer.tables) as uow:
        kept = uow.report_photos.of(code)
    assert [(p.seq, p.visibility, p.sha256) for p in kept] == [(1, "unit_only", photos[0].sha256),
                                                                (2, "unit_only", photos[1].sha256)]
    assert filer.store.get(kept[0].storage_key) == photos[0].jpeg and filer.store.get(kept[1].thumb_key)
    assert filer.audited(code).count("ReportPhotoAdded") == 2
    with pytest.raises(Invalid):
        filer.send("Five photos", photos=photos * 2 + photos[:1])


def test_an_address_is_kept_as_a_keyed_digest_and_a_phones_ipv6_network_counts_as_one_address():
    assert address_key("2001:db8:1:2::1", "k") == address_key("2001:db8:1:2:aaaa::9", "k")
    assert address_key("2001:db8:1:3::1", "k") != address_key("2001:db8:1:2::1", "k")
    assert address_key(PHONE, "k") != address_key(PHONE, "other key") and PHONE not in address_key(PHONE, "k")
