"""The one place that builds the adapters and wires them to the message bus."""
from __future__ import annotations

import hmac
import inspect
import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property, partial
from typing import Any

import structlog

from bordergate.adapters.payments import HttpPaymentProvider, SandboxPayments
from bordergate.adapters.photos import FilesystemPhotoStore, PhotoLimits, PhotoPreparer
from bordergate.adapters.security import Argon2Passwords, HashingPool, SessionTokens, TrackingKeys
from bordergate.adapters.sms import HttpSmsGateway, SandboxSms
from bordergate.adapters.sql.database import make_engine
from bordergate.adapters.sql.unit_of_work import SqlUnitOfWork
from bordergate.config import Settings
from bordergate.domain.alerts import ControlLimits
from bordergate.domain.booking import QueueRules
from bordergate.domain.citizens import SignInCodeRules
from bordergate.domain.inspection import Agency, RuleTable, SelectivityRules
from bordergate.domain.plate_text import PlateRecogniser
from bordergate.domain.personal_data import Retention
from bordergate.domain.reports import ReportRules
from bordergate.domain.open311 import Open311Settings
from bordergate.domain.report_limits import FilingLimits
from bordergate.domain.sessions import SessionLifetimes, ThrottleRules
from bordergate.domain.working_days import Calendars
from bordergate.services.agencies import AgencySetup
from bordergate.services.identity import IdentityProvider
from bordergate.services.civic_data import PublishedCalendars
from bordergate.services.filing_repositories import PhotoStore
from bordergate.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS, IN_TRANSACTION
from bordergate.services.messagebus import MessageBus
from bordergate.services.sessions import Sessions
from bordergate.services.published_waits import YesterdayErrors
from bordergate.services.ports import Clock, Identifiers, PasswordHasher, PaymentProvider, SmsGateway, SystemClock
from bordergate.services.refusals import SecurityLogLimits
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.adapters.one_stop import HttpOneStop, SandboxOneStop
from bordergate.adapters.one_stop import http_transport as one_stop_transport
from bordergate.services.one_stop import OneStopSystem

log = structlog.get_logger(__name__)


@dataclass
class Gate:
    """A wired bordergate: the bus for changes, a unit-of-work factory for reads, and the adapters."""

    settings: Settings
    bus: MessageBus
    clock: Clock
    ids: Identifiers
    passwords: PasswordHasher
    tokens: SessionTokens
    tracking: TrackingKeys
    engine: Any
    recogniser: PlateRecogniser | None = None
    sms: SmsGateway | None = None
    rules: QueueRules = field(default_factory=QueueRules)
    agencies: AgencySetup = field(default_factory=AgencySetup)
    payments: PaymentProvider | None = None
    payment_secret: str = ""
    sessions: Sessions | None = None
    security_limits: SecurityLogLimits = field(default_factory=SecurityLogLimits)
    _recogniser_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    units: Callable[..., UnitOfWork] | None = None  # called with read_only=True for readers; None: SQL's
    # Citizens (issue 17): VNeID when configured; the demo's sandboxes (VNeID's app mounted at /sandbox/vneid, the
    # page of kept SMS at /sandbox/sms) only where the demo or a test sets them, never by a setting.
    identity: IdentityProvider | None = None
    sandbox_vneid: Any = None
    sandbox_sms_page: bool = False
    photo_store: PhotoStore | None = None  # reports' photos (issue 17)
    photos: PhotoPreparer | None = None  # makes what a phone sent into a clean photo, a few at a time

    def uow(self) -> UnitOfWork:
        """A unit of work that may change things (commands get theirs from the bus)."""
        return self.bus.uow()

    def reader(self) -> UnitOfWork:
        """A read-only unit of work for views: on SQLite it never waits for the write lock."""
        if self.units is not None:
            return self.units(read_only=True)
        return SqlUnitOfWork(self.engine, read_only=True)

    def plate_reader(self) -> PlateRecogniser:
        """The plate recogniser for cameras that post pictures; the offline rapidocr reader unless one was given."""
        with self._recogniser_lock:
            if self.recogniser is None:
                # Imported on first use: loading the OCR models takes a second that text-only gates never pay.
                from bordergate.adapters.anpr.rapidocr_reader import RapidOcrPlateReader
                self.recogniser = _Serialised(RapidOcrPlateReader())
        return self.recogniser

    @property
    def sandbox_payments(self) -> bool:
        """Whether online payments go through the sandbox, which anyone may tell an order is paid."""
        return isinstance(self.payments, SandboxPayments)

    def tracking_url(self, reference: str) -> str:
        return tracking_url(self.settings.public_url, self.tracking, reference)

    @cached_property
    def yesterday_errors(self) -> YesterdayErrors:
        """Yesterday's error of the published waits, per lane and day, kept a minute: every status render asks."""
        return YesterdayErrors()

    @cached_property
    def one_stop(self) -> OneStopSystem:
        """The province's one-stop system (application status): BORDERGATE_ONE_STOP_URL's, else the sandbox."""
        return one_stop_system(self.settings, self.clock)

    def receipt_url(self, number: str) -> str:
        """What a receipt's QR code opens: the receipt as issued, to check it is genuine."""
        key = self.tracking.key_for(f"receipt:{number}")
        return f"{self.settings.public_url.rstrip('/')}/api/v1/public/receipts/{number}/{key}"


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None, rng: random.Random | None = None,
              passwords: PasswordHasher | None = None, recogniser: PlateRecogniser | None = None,
              sms: SmsGateway | None = None, rule_tables: tuple[RuleTable, ...] | None = None,
              payments: PaymentProvider | None = None, units: Callable[..., UnitOfWork] | None = None,
              identity: IdentityProvider | None = None, photo_store: PhotoStore | None = None) -> Gate:
    """Build a Gate; tests pass a fixed clock, a seeded random source and cheap password hashing.

    ``recogniser`` plugs in a site's own plate recognition engine for cameras that post pictures; ``sms`` an SMS
    provider (the sandbox unless BORDERGATE_SMS_URL is set); ``rule_tables`` another province's agency rule tables
    (Lang Son's unless given); ``payments`` a payment provider (else BORDERGATE_PAYMENT_URL's, the sandbox with
    BORDERGATE_SANDBOX_PAYMENTS, or none: fees are paid in cash at the desk). ``units`` makes the units of work
    (``units()`` for a command, ``units(read_only=True)`` for a reader) instead of SQL's on the settings' database:
    tests pass the in-memory one (adapters/memory/). ``identity`` signs citizens in by VNeID (else
    BORDERGATE_VNEID_ISSUER's provider, or none). ``photo_store`` keeps reports' photos (else files under
    BORDERGATE_PHOTO_DIR).
    """
    settings = settings or Settings()
    clock = clock or SystemClock()
    photo_store = photo_store or FilesystemPhotoStore(settings.photo_dir)
    ids = Identifiers(rng or random.SystemRandom())
    passwords = HashingPool(passwords or Argon2Passwords(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism),
        settings.password_hashing_slots, settings.password_hashing_wait_seconds)
    secret = settings.secret_key
    if not secret:
        secret = secrets.token_urlsafe(32)
        log.warning("BORDERGATE_SECRET_KEY is not set; using a random key, so sign-ins end when this process does")
    engine = make_engine(settings.database_url, settings.db_pool_size)
    sms = sms or (HttpSmsGateway(settings.sms_url, settings.sms_token or "") if settings.sms_url else SandboxSms())
    rules = queue_rules(settings)
    agencies = agency_setup(settings, secret)
    if rule_tables:
        agencies = replace(agencies, tables=rule_tables)
    payment_secret = settings.payment_secret or hmac.new(secret.encode(), b"payments", "sha256").hexdigest()
    payments = payments or payment_provider(settings, payment_secret)
    tracking = TrackingKeys(secret)
    lifetimes, throttle_rules = session_lifetimes(settings), sign_in_throttle(settings)
    make_unit = units or partial(SqlUnitOfWork, engine)
    deps = {"clock": clock, "ids": ids, "hasher": passwords, "limits": control_limits(settings), "rules": rules,
            "lifetimes": lifetimes, "throttle_rules": throttle_rules, "sms": sms, "agencies": agencies,
            "jurisdiction": settings.fee_jurisdiction, "payments": payments,
            "links": partial(tracking_url, settings.public_url, tracking),
            "retention": Retention(settings.retention_days),
            # Citizens' reports (issue 17): the published calendars and the clocks' rules.
            # The calendars are the published ones (civic_documents), read through a reader, shipped ones first.
            "calendars": Calendars(PublishedCalendars(partial(make_unit, read_only=True))),
            "report_rules": report_rules(settings),
            # Open311 GeoReport v2 (issue 17).
            "open311": open311_settings(settings),
            # Citizens signing in by a code sent to their phone.
            "code_rules": sign_in_code_rules(settings, secret),
            # The report page's address, for the links SMS carry (questionnaires).
            "public_url": settings.public_url,
            # Filing from the phone: the abuse controls' limits and where photos are kept.
            "filing_limits": filing_limits(settings, secret), "photo_store": photo_store}
    followers = {kind: [_inject(f, deps) for f in fs] for kind, fs in IN_TRANSACTION.items()}
    bus = MessageBus(
        uow=partial(_unit_of_work, make_unit, followers),
        command_handlers={kind: _inject(handler, deps) for kind, handler in COMMAND_HANDLERS.items()},
        event_handlers={kind: [_inject(h, deps) for h in hs] for kind, hs in EVENT_HANDLERS.items()},
    )
    sessions = Sessions(bus.uow, partial(make_unit, read_only=True), passwords, clock, ids, lifetimes,
                        throttle_rules)
    return Gate(settings, bus, clock, ids, passwords, SessionTokens(secret), tracking, engine,
                _Serialised(recogniser) if recogniser else None, sms, rules, agencies, payments, payment_secret,
                sessions, SecurityLogLimits(settings.security_log_rows, settings.security_log_per_source_per_minute),
                units=units, identity=identity or identity_provider(settings, clock, ids), photo_store=photo_store,
                photos=PhotoPreparer(photo_limits(settings)))


def _unit_of_work(make_unit: Callable[..., UnitOfWork], followers: dict[type, list[Any]]) -> UnitOfWork:
    """A unit of work that may change things, running the in-transaction followers when it commits."""
    uow = make_unit()
    uow.followers = followers
    return uow


class _Serialised:
    """One picture at a time through the engine: its options persist between calls, so calls must not interleave."""

    def __init__(self, recogniser: PlateRecogniser) -> None:
        self.recogniser = recogniser
        self.lock = threading.Lock()

    def read(self, image: bytes, *, crop: bool = False):
        with self.lock:
            return self.recogniser.read(image, crop=crop)


def payment_provider(settings: Settings, payment_secret: str) -> PaymentProvider | None:
    """The provider online payments go through: the configured one, the sandbox when asked for, else none (cash at
    the desk only: a sandbox by default would let anyone mark a fee paid)."""
    if settings.payment_url:
        return HttpPaymentProvider(settings.payment_provider, settings.payment_url, settings.payment_token or "")
    if settings.sandbox_payments:
        return SandboxPayments(payment_secret, settings.public_url)
    return None


def one_stop_system(settings: Settings, clock: Clock) -> OneStopSystem:
    """The one-stop system over the signed wire, or its in-process sandbox twin speaking the same wire."""
    if settings.one_stop_url:
        return HttpOneStop(settings.one_stop_key or "", one_stop_transport(settings.one_stop_url), clock.now)
    log.warning("BORDERGATE_ONE_STOP_URL is not set: application statuses come from the SANDBOX (made up)")
    return SandboxOneStop(settings.one_stop_key or "sandbox-one-stop-shared-key", clock.now).client()


def filing_limits(settings: Settings, secret: str) -> FilingLimits:
    """How often reports may be filed, from the settings (design §7)."""
    return FilingLimits(
        per_account_per_hour=settings.reports_per_account_per_hour,
        per_account_per_day=settings.reports_per_account_per_day,
        per_address_per_hour=settings.reports_per_address_per_hour,
        anonymous_per_address_per_day=settings.reports_anonymous_per_address_per_day,
        spam_penalty_days=settings.report_spam_penalty_days, photos_max=settings.report_photos_max,
        address_salt=hmac.new(secret.encode(), b"report-addresses", "sha256").hexdigest())


def photo_limits(settings: Settings) -> PhotoLimits:
    return PhotoLimits(settings.report_photo_max_bytes, settings.report_photo_max_pixels,
                       settings.report_photo_long_side)


def report_rules(settings: Settings) -> ReportRules:
    """The citizen reports' clocks from the settings."""
    return ReportRules(
        accept_working_days=settings.report_accept_working_days,
        answer_working_days=settings.report_answer_working_days,
        reply_working_days=settings.report_reply_working_days,
        urgent_accept_minutes=settings.report_urgent_accept_minutes,
        urgent_answer_hours=settings.report_urgent_answer_hours,
        reopen_days=settings.report_reopen_days, max_reopens=settings.report_max_reopens,
        max_transfers=settings.report_max_transfers, near_deadline_percent=settings.report_near_deadline_percent,
        questionnaire_days=settings.report_questionnaire_days)


def open311_settings(settings: Settings) -> Open311Settings:
    """Open311's jurisdiction and limits from the settings."""
    return Open311Settings(jurisdiction_id=settings.open311_jurisdiction_id,
                           max_requests=settings.open311_max_requests, default_days=settings.open311_default_days,
                           per_device_per_day=settings.open311_per_device_per_day, contact=settings.open311_contact)


def identity_provider(settings: Settings, clock: Clock, ids: Identifiers) -> IdentityProvider | None:
    """VNeID by OpenID Connect when BORDERGATE_VNEID_ISSUER is set (the settings refuse it half-configured)."""
    if not settings.vneid_issuer:
        return None
    import httpx  # only where VNeID is configured

    from bordergate.adapters.identity import OidcIdentityProvider
    return OidcIdentityProvider(settings.vneid_issuer, settings.vneid_client_id or "",
                                settings.vneid_client_secret or "",
                                httpx.Client(timeout=settings.vneid_timeout_seconds), clock, ids)


def sign_in_code_rules(settings: Settings, secret: str) -> SignInCodeRules:
    """Citizens' sign-in codes from the settings; without BORDERGATE_OTP_KEY (demo, tests) a key derived from the
    secret key (`bordergate serve` on https refuses to start without one)."""
    key = settings.otp_key or hmac.new(secret.encode(), b"sign-in codes", "sha256").hexdigest()
    return SignInCodeRules(
        key=key.encode(), ttl=timedelta(seconds=settings.otp_ttl_seconds), max_attempts=settings.otp_max_attempts,
        per_phone_per_hour=settings.otp_per_phone_per_hour, per_address_per_hour=settings.otp_per_address_per_hour,
        global_per_minute=settings.otp_global_per_minute)


def queue_rules(settings: Settings) -> QueueRules:
    """The queue's rules from the settings."""
    return QueueRules(
        days_ahead=timedelta(days=settings.booking_days_ahead),
        call_deadline=timedelta(minutes=settings.call_deadline_minutes),
        late_cancel=timedelta(minutes=settings.late_cancel_minutes),
        no_show_grace=timedelta(minutes=settings.no_show_grace_minutes),
        strikes_to_block=settings.strikes_to_block, strike_window=timedelta(days=settings.strike_window_days),
        block=timedelta(days=settings.block_days), bookings_per_minute=settings.bookings_per_minute,
        perishable_urgent=timedelta(hours=settings.perishable_urgent_hours),
        eta_change=timedelta(minutes=settings.notice_eta_change_minutes))


def session_lifetimes(settings: Settings) -> SessionLifetimes:
    """How long a sign-in lasts, from the settings."""
    return SessionLifetimes(idle=timedelta(minutes=settings.session_idle_minutes),
                            absolute=timedelta(minutes=settings.session_absolute_minutes))


def sign_in_throttle(settings: Settings) -> ThrottleRules:
    """How failed sign-ins are counted and locked, from the settings."""
    return ThrottleRules(account_failures=settings.sign_in_account_failures,
                         address_failures=settings.sign_in_address_failures,
                         window=timedelta(minutes=settings.sign_in_window_minutes),
                         first_lock=timedelta(seconds=settings.sign_in_first_lock_seconds),
                         longest_lock=timedelta(minutes=settings.sign_in_longest_lock_minutes))


def tracking_url(public_url: str, tracking: TrackingKeys, reference: str) -> str:
    """The driver's page of a trip: the link in its QR code and in the booking SMS."""
    return f"{public_url.rstrip('/')}/track/{reference}/{tracking.key_for(reference)}"


def agency_setup(settings: Settings, secret: str) -> AgencySetup:
    """How the agencies work here, from the settings; a malformed list of agency systems stops the start-up."""
    systems = {}
    for entry in filter(None, (e.strip() for e in settings.agency_systems.split(","))):
        name, _, shared = entry.partition("=")
        try:
            agency = Agency(name.strip())
        except ValueError:
            raise ValueError(f"BORDERGATE_AGENCY_SYSTEMS names '{name.strip()}', which is not one of: "
                             f"{', '.join(a.value for a in Agency)}") from None
        if len(shared.strip()) < 16:
            raise ValueError(f"BORDERGATE_AGENCY_SYSTEMS: the secret for {agency.value} must be at least 16 "
                             "characters")
        systems[agency] = shared.strip()
    selectivity = SelectivityRules(random_yellow=settings.random_yellow_rate, random_red=settings.random_red_rate)
    return AgencySetup(health_checks=settings.health_checks_in_force, selectivity=selectivity,
                       draw_key=(settings.selectivity_key or secret).encode(), systems=systems)


def control_limits(settings: Settings) -> ControlLimits:
    """Smart control's thresholds from the settings."""
    return ControlLimits(min_confidence=settings.plate_min_confidence,
                         yard_dwell_limit=timedelta(minutes=settings.yard_dwell_limit_minutes),
                         camera_silence=timedelta(seconds=settings.camera_silence_seconds),
                         clone_window=timedelta(minutes=settings.clone_window_minutes))


def _inject(handler, deps: dict[str, Any]):
    wanted = inspect.signature(handler).parameters
    return partial(handler, **{name: dep for name, dep in deps.items() if name in wanted})
