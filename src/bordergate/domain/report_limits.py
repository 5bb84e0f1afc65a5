"""How often a person may file reports: counters per account and per address, and a spammer's lowered standing."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bordergate.domain.errors import Conflict
from bordergate.domain.events import Event
from bordergate.domain.sessions import address_key as throttled_address
from bordergate.domain.working_days import VIETNAM

HOUR, DAY = "hour", "day"
SUSPENDING_MARKS = 3  # design §7: three spam marks within the penalty time suspend filing
SAME_FILING_WINDOW = timedelta(minutes=10)  # identical text, category and reporter: the first report answers


@dataclass(frozen=True)
class FilingLimits:
    """BORDERGATE_REPORTS_PER_* and BORDERGATE_REPORT_SPAM_PENALTY_DAYS."""

    per_account_per_hour: int = 5
    per_account_per_day: int = 20
    per_address_per_hour: int = 30
    anonymous_per_address_per_day: int = 5
    spam_penalty_days: int = 30
    photos_max: int = 4
    # Keys the addresses' digests (from the server's secret): a plain SHA-256 of an IPv4 address is undone by
    # trying all 2^32 of them.
    address_salt: str = field(default="", repr=False)


@dataclass(frozen=True)
class Counter:
    """One count a filing takes: ``key`` in the span that started at ``start`` (until ``end``), up to ``limit``."""

    key: str
    span: str
    start: datetime
    end: datetime
    limit: int


@dataclass(frozen=True)
class Standing:
    """A reporter's standing after spam marks: their daily cap is ``cap_percent`` of the usual until ``until``."""

    key: str
    spam_marks: int
    cap_percent: int
    until: datetime

    def in_force(self, at: datetime) -> bool:
        return at < self.until

    def suspended(self, at: datetime) -> bool:
        return self.in_force(at) and self.spam_marks >= SUSPENDING_MARKS

    def cap(self, usual: int, at: datetime) -> int:
        """The daily cap while the standing lasts (halved per mark, never below one report)."""
        return max(1, usual * self.cap_percent // 100) if self.in_force(at) else usual


def after_spam(standing: Standing | None, key: str, at: datetime, penalty_days: int) -> Standing:
    """The standing after one more spam mark: the cap halved for ``penalty_days`` from now; marks older than
    the penalty time are forgiven (a lapsed standing starts again from one mark)."""
    if standing is None or not standing.in_force(at):
        standing = Standing(key, 0, 100, at)
    return replace(standing, spam_marks=standing.spam_marks + 1, cap_percent=max(1, standing.cap_percent // 2),
                   until=at + timedelta(days=penalty_days))


def account_key(user_id: str) -> str:
    return f"account:{user_id}"


def address_key(address: str, salt: str = "") -> str:
    """An address as counters and standings keep it: a keyed digest, so the tables hold no one's IP address. An
    IPv6 client is counted by its /64, which one host holds whole (as sign-in's throttles count it)."""
    counted = throttled_address(address)
    return "address:" + hmac.new(salt.encode(), counted.encode(), hashlib.sha256).hexdigest()[:32]


def text_digest(category: str, description: str) -> str:
    """What makes two filings "the same": the category and the text, spaces and case aside."""
    folded = " ".join(description.split()).casefold()
    return hashlib.sha256(f"{category}\n{folded}".encode()).hexdigest()


def spans(at: datetime) -> dict[str, tuple[datetime, datetime]]:
    """The clock hour and the Vietnamese calendar day ``at`` falls in (a day's cap resets at local midnight)."""
    local = at.astimezone(VIETNAM)
    hour = local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return {HOUR: (hour, hour + timedelta(hours=1)), DAY: (day, day + timedelta(days=1))}


def counters(limits: FilingLimits, at: datetime, user_id: str | None, address: str | None,
             standing: Standing | None) -> list[Counter]:
    """The counts one filing takes: a signed-in citizen's per hour and per (standing-lowered) day, the address's
    per hour, and an anonymous filer's address per (standing-lowered) day."""
    span = spans(at)
    taken: list[Counter] = []

    def count(key: str, name: str, limit: int) -> None:
        taken.append(Counter(key, name, span[name][0], span[name][1], limit))

    if user_id is not None:
        key = account_key(user_id)
        count(key, HOUR, limits.per_account_per_hour)
        count(key, DAY, standing.cap(limits.per_account_per_day, at) if standing else limits.per_account_per_day)
    if address is not None:
        key = address_key(address, limits.address_salt)
        count(key, HOUR, limits.per_address_per_hour)
        if user_id is None:
            usual = limits.anonymous_per_address_per_day
            count("anonymous:" + key, DAY, standing.cap(usual, at) if standing else usual)
    return taken


def reporter_key(user_id: str | None, address: str | None, salt: str = "") -> str | None:
    """Whose standing a filing is judged by (and a spam mark lowers): the account, else the address."""
    if user_id is not None:
        return account_key(user_id)
    return address_key(address, salt) if address is not None else None


class SameFiling(Conflict):
    """The reporter filed this very text in this category minutes ago: the first report is the answer (409
    with its tracking code), even without an Idempotency-Key."""

    def __init__(self, tracking_code: str) -> None:
        super().__init__(f"you filed the same report a few minutes ago: it is {tracking_code}; add to it there "
                         "instead of filing it again")
        self.tracking_code = tracking_code


@dataclass(frozen=True)
class ReporterStandingLowered(Event):
    """A report was marked as spam: its reporter's daily cap is now ``cap_percent`` % of the usual until ``until``
    (``spam_marks`` of 3 suspend filing). ``reporter`` is an account id or an address's digest, never an address."""

    reporter: str
    code: str
    spam_marks: int
    cap_percent: int
    until: datetime

    @property
    def subject(self) -> tuple[str, str]:
        return ("reporter", self.reporter)
