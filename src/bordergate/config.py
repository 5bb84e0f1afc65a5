"""Settings: one typed object read from BORDERGATE_* environment variables, documented field by field."""
from __future__ import annotations

import ipaddress
import os

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; docs/configuration.md lists each field (a test keeps them in step)."""

    model_config = SettingsConfigDict(env_prefix="BORDERGATE_", extra="ignore")

    database_url: str = Field(
        "sqlite:///bordergate.db",
        description="Where data lives: a SQLite file by default, postgresql://user:pass@host/db in production.")
    secret_key: str | None = Field(
        None, min_length=32,
        description="Signs sign-in tokens and QR links. Unset: a random key per process (tokens die on restart).")
    session_absolute_minutes: int = Field(
        480, ge=1, description="How long a sign-in lasts at most, however busy (a working shift).")
    session_idle_minutes: int = Field(
        60, ge=1, description="A sign-in not used for this long ends (exact to a minute).")
    sign_in_account_failures: int = Field(
        5, ge=1, description="Failed sign-ins to one username within the window that lock it for a while.")
    sign_in_address_failures: int = Field(
        20, ge=1, description="Failed sign-ins from one client address (an IPv6 /64) within the window that lock "
                              "it for a while.")
    sign_in_window_minutes: int = Field(15, ge=1, description="The window failed sign-ins are counted over.")
    sign_in_first_lock_seconds: int = Field(
        60, ge=1, description="The first lock of a username or address; each lock after it is twice as long.")
    sign_in_longest_lock_minutes: int = Field(60, ge=1, description="The longest a lock grows to.")
    trusted_proxies: str = Field(
        "", description="Addresses or networks of reverse proxies (comma-separated, e.g. `127.0.0.1,10.0.0.0/8`) "
                        "whose X-Forwarded-For names the client; from anyone else it is ignored.")
    password_hashing_slots: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1,
        description="Password hashes computed at once per server process (default: the CPU count).")
    password_hashing_wait_seconds: float = Field(
        1.0, ge=0, le=30, description="How long a sign-in waits for a free hashing slot before it is answered "
                                      "503 with Retry-After.")
    public_url: str = Field(
        "http://127.0.0.1:8000", description="The address people reach bordergate at; QR codes link here.")
    host: str = Field("127.0.0.1", description="Interface `bordergate serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `bordergate serve` listens on.")
    workers: int = Field(1, ge=1, description="Server processes for `bordergate serve` (PostgreSQL only).")
    db_pool_size: int = Field(20, ge=1, description="Connections each server process keeps to PostgreSQL.")
    argon2_time_cost: int = Field(3, ge=1, description="Argon2 passes per password hash (pwdlib's default 3).")
    argon2_memory_kib: int = Field(65536, ge=8, description="Argon2 memory per password hash, in KiB.")
    argon2_parallelism: int = Field(4, ge=1, description="Argon2 lanes per password hash (pwdlib's default 4).")
    log_level: str = Field("info", description="Log level: debug, info, warning or error.")
    plate_min_confidence: float = Field(
        0.80, ge=0.0, le=1.0, description="Below this camera confidence a plate read never opens a barrier alone.")
    yard_dwell_limit_minutes: int = Field(
        480, ge=1, description="A truck in the yard longer than this without leaving raises an alert.")
    camera_silence_seconds: int = Field(
        300, ge=10, description="A camera with no read and no heartbeat for this long raises an alert.")
    clone_window_minutes: int = Field(
        30, ge=1, description="One plate seen at two crossing points within this time raises a cloned-plate alert.")
    booking_days_ahead: int = Field(30, ge=1, le=365, description="How far ahead a fixed hour may be booked.")
    call_deadline_minutes: int = Field(
        20, ge=1, description="Minutes a called truck has to reach the checkpoint before it loses the call.")
    late_cancel_minutes: int = Field(
        120, ge=0, description="Cancelling a fixed hour later than this before it starts counts against the firm.")
    no_show_grace_minutes: int = Field(
        30, ge=0, description="A fixed-hour truck not in the waiting area this long after its hour is a no-show.")
    strikes_to_block: int = Field(
        3, ge=1, description="Late cancellations, no-shows and lost calls that block an enterprise's new bookings.")
    strike_window_days: int = Field(30, ge=1, description="The days over which strikes are counted.")
    block_days: int = Field(7, ge=0, description="How long an enterprise with too many strikes cannot book.")
    bookings_per_minute: int = Field(10, ge=1, description="Booking attempts one account may make in a minute.")
    perishable_urgent_hours: int = Field(
        24, ge=0, description="Perishable cargo with less shelf life left than this goes ahead of the queue.")
    notice_eta_change_minutes: int = Field(
        30, ge=1, description="A driver is told again when the expected call time moves by at least this much.")
    sms_url: str | None = Field(
        None, description="The SMS provider's HTTP endpoint; unset, messages go to the sandbox (kept, not sent).")
    sms_token: str | None = Field(None, description="Bearer token for the SMS provider.")
    sweep_seconds: int = Field(
        30, ge=0, description="How often the server calls trucks forward, sends notices, and looks for silent "
                              "cameras and overstays (0: only on demand).")
    health_checks_in_force: bool = Field(
        False, description="Health quarantine checks every trip (in an epidemic, by order of the health ministry).")
    random_yellow_rate: float = Field(
        0.05, ge=0, le=1, description="Least share of trips customs selectivity sends to a documents check at random.")
    random_red_rate: float = Field(
        0.02, ge=0, le=1, description="Least share of trips customs selectivity sends to inspection at random.")
    selectivity_key: str | None = Field(
        None, description="Key of selectivity's random draws: with it an auditor can reproduce every channel; "
                          "without it nobody can predict one. Unset, BORDERGATE_SECRET_KEY is used.")
    agency_systems: str = Field(
        "", description="Agencies whose own systems send authoritative statuses, with the shared secret each signs "
                        "with: `customs=SECRET,border_guard=SECRET`. Their statuses are never asked of an officer.")
    fee_jurisdiction: str = Field(
        "lang_son", description="Whose fee tariff applies here (a tariff's `jurisdiction`); another province's "
                                "tariff is another table.")
    payment_url: str | None = Field(
        None, description="The payment provider's HTTP endpoint. Unset (and no sandbox), fees are paid in cash at the "
                          "management center's desk and paying online is refused, saying so.")
    payment_token: str | None = Field(None, description="Bearer token for the payment provider.")
    payment_provider: str = Field("sandbox", description="The payment provider's name in callback URLs.")
    payment_secret: str | None = Field(
        None, description="Shared secret the payment provider signs its callbacks with (16+ characters). Unset, "
                          "one is derived from BORDERGATE_SECRET_KEY (good for the sandbox only).")
    security_log_rows: int = Field(
        10_000, ge=1, description="Rows the security log keeps of requests refused before anyone was authenticated "
                                  "(forged or stale signatures); the oldest go first.")
    security_log_per_source_per_minute: int = Field(
        60, ge=1, description="Security-log rows one address may cause in a minute; past that its refusals are "
                              "only counted (metric bordergate_refused_unauthenticated_total).")
    audit_head_folder: str | None = Field(
        None, description="Folder the server appends the heads of the evidence chains to (audit-heads.jsonl), "
                          "for `bordergate audit verify --head`; put it where the server cannot rewrite it "
                          "(an append-only mount, another host). Unset: no export.")
    audit_head_minutes: int = Field(
        60, ge=1, description="How often the server exports the heads of the evidence chains, in minutes.")
    retention_days: int = Field(
        0, ge=0, description="Days after a trip crossed or was cancelled before its driver's name, document "
                             "number and phone are pseudonymised (also on the audit trail, keeping its chain); "
                             "0: kept for good.")
    idempotency_key_hours: int = Field(
        24, ge=1, le=720, description="How long an Idempotency-Key is remembered: a retry with the same key within "
                                      "this time gets the first answer; after it, the key is new again.")
    idempotency_running_seconds: int = Field(
        60, ge=5, le=3600, description="How long a request holds its Idempotency-Key while it runs; a retry meanwhile "
                                       "is answered 409. A server that died holding a key frees it after this.")
    sandbox_payments: bool = Field(
        False, description="Take online payments through the sandbox provider: anyone may mark a fee paid at "
                           "/sandbox-pay (no money moves). For the demo and tests only; `bordergate serve` warns "
                           "loudly when it is on. Not together with BORDERGATE_PAYMENT_URL.")
    live_seconds: float = Field(
        5, gt=0, le=300, description="How often a live screen (public status, driver's page) looks for changes "
                                     "to push to the browser.")
    request_threads: int = Field(
        8, ge=1, le=200, description="Requests each server process works on at once (its thread pool for request "
                                     "handlers); more wait their turn. A few beat many on a few cores: many fight "
                                     "over Python's lock while one holds the audit chain's head.")
    # Citizens' reports (issue 17): the clocks a unit works to, in working days of the published calendar.
    report_accept_working_days: int = Field(
        1, ge=1, le=5, description="Working days a unit has to accept (or send on) a report given to it.")
    report_answer_working_days: int = Field(
        3, ge=1, le=30, description="Working days a unit has to answer a report, unless its category says otherwise.")
    report_reply_working_days: int = Field(
        5, ge=1, le=15, description="Working days a reporter has to answer a unit's question; after them the unit "
                                    "may answer without the reply.")
    report_urgent_accept_minutes: int = Field(
        60, ge=10, le=240, description="Minutes the disaster-command unit has to accept an urgent report.")
    report_urgent_answer_hours: int = Field(
        24, ge=1, le=72, description="Hours the disaster-command unit has to answer an urgent report.")
    report_reopen_days: int = Field(
        7, ge=1, le=30, description="Calendar days after an answer during which its reporter may reopen it.")
    report_max_reopens: int = Field(
        2, ge=0, le=5, description="Times a report may be reopened; after that a new report is filed.")
    report_max_transfers: int = Field(
        3, ge=1, le=10, description="Times units may send a report on; after that only the coordinating unit's "
                                    "supervisor does.")
    report_near_deadline_percent: int = Field(
        75, ge=50, le=95, description="Share of a stage's time gone when a unit's report is flagged near its deadline.")
    vneid_issuer: str | None = Field(
        None, description="VNeID's OpenID Connect issuer URL (its discovery document is read from "
                          "{issuer}/.well-known/openid-configuration). Unset: signing in by VNeID is off.")
    vneid_client_id: str | None = Field(None, description="The client id VNeID registered bordergate under.")
    vneid_client_secret: str | None = Field(
        None, description="The client secret VNeID issued with that client id (client_secret_basic).")
    vneid_timeout_seconds: float = Field(
        10, gt=0, le=60, description="How long a call to VNeID (discovery, keys, token) may take before the "
                                     "sign-in is answered 503, try again.")
    # Open311 GeoReport v2 under /open311/v2/ (issue 17).
    open311_jurisdiction_id: str = Field(
        "langson.gov.vn", min_length=1, max_length=100,
        description="The one jurisdiction_id Open311 clients may name (the spec suggests the site's root domain); "
                    "a request naming another is answered 404. Clients may leave it out.")
    open311_max_requests: int = Field(
        1000, ge=1, le=1000, description="The most reports one Open311 GET requests answers (newest first).")
    open311_default_days: int = Field(
        90, ge=1, le=90, description="Days back a GET requests reads when it names no dates (the spec's 90 days "
                                     "or its 1,000 newest, whichever is smaller).")
    open311_per_device_per_day: int = Field(
        20, ge=1, le=1000, description="Requests one device_id may post through one Open311 client in a day "
                                       "(each client also has its own per minute and per day limits).")
    open311_contact: str = Field(
        "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", max_length=300,
        description="Who to contact about the Open311 service, as Open311 discovery tells clients.")
    # Citizens sign in by phone (issue 17): one-time codes by SMS, and how many are sent.
    otp_key: str | None = Field(
        None, min_length=32,
        description="Key of the HMAC-SHA256 that keeps sign-in codes (only the digest of phone|code is stored). "
                    "Required by `bordergate serve` when BORDERGATE_PUBLIC_URL is https; unset elsewhere (demo, "
                    "tests), one is derived from BORDERGATE_SECRET_KEY.")
    otp_ttl_seconds: int = Field(300, ge=60, le=900, description="How long a sign-in code sent by SMS works.")
    otp_max_attempts: int = Field(
        5, ge=3, le=10, description="Wrong tries a sign-in code takes before it stops working (ask for a new one).")
    otp_per_phone_per_hour: int = Field(
        3, ge=1, le=10, description="Sign-in codes sent to one phone in an hour; a new code voids the older.")
    otp_per_address_per_hour: int = Field(
        20, ge=5, le=200, description="Sign-in codes asked for from one client address (an IPv6 /64) in an hour.")
    otp_global_per_minute: int = Field(
        120, ge=1, le=10_000, description="Sign-in codes sent to anyone in a minute: the ceiling against SMS "
                                          "pumping (strangers making the gate pay for SMS to numbers they own).")
    one_stop_url: str | None = Field(
        None, description="The province's one-stop system (application status by receipt code), asked over the "
                          "signed wire of docs/one-stop.md. Unset: the in-process sandbox answers (demo, tests).")
    one_stop_key: str | None = Field(
        None, min_length=16, description="Shared secret bordergate and the one-stop system sign their messages with "
                                         "(16+ characters); required with BORDERGATE_ONE_STOP_URL.")
    report_questionnaire_days: int = Field(
        28, ge=7, le=90, description="Days after a report's answer when its reporter is asked once, by SMS, whether "
                                     "the problem was really fixed.")
    # Filing reports from the phone (issue 17): photos and the abuse controls.
    report_photos_max: int = Field(4, ge=0, le=4, description="Photos a citizen may send with one report.")
    report_photo_max_bytes: int = Field(
        8_000_000, ge=500_000, le=20_000_000, description="Largest photo file accepted, refused before decoding.")
    report_photo_max_pixels: int = Field(
        40_000_000, ge=1_000_000, le=100_000_000, description="Largest photo in pixels (decompression-bomb guard).")
    report_photo_long_side: int = Field(
        2048, ge=640, le=4096, description="Photos are kept scaled down to this many pixels on their long side.")
    photo_dir: str = Field("photos", description="Folder where reports' photos are kept (created when needed).")
    reports_per_account_per_hour: int = Field(5, ge=1, le=100, description="Reports one account may file an hour.")
    reports_per_account_per_day: int = Field(20, ge=1, le=500, description="Reports one account may file a day.")
    reports_per_address_per_hour: int = Field(
        30, ge=1, le=1000, description="Reports one network address may file an hour, signed in or not.")
    reports_anonymous_per_address_per_day: int = Field(
        5, ge=1, le=100, description="Reports one network address may file a day without signing in.")
    report_spam_penalty_days: int = Field(
        30, ge=1, le=365, description="Days a spam mark halves its reporter's daily cap; three marks suspend filing.")
    stats_period_days: int = Field(
        90, ge=7, le=366, description="Days back the public statistics of citizen reports count (reports filed in "
                                      "them), per unit at /reports/stats.")

    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False)
                     for entry in self.trusted_proxies.split(",") if entry.strip())

    @model_validator(mode="after")
    def _trusted_proxies_are_addresses(self) -> Settings:
        try:
            self.trusted_proxy_networks()
        except ValueError as exc:
            raise ValueError(f"BORDERGATE_TRUSTED_PROXIES: {exc}; list addresses or networks like "
                             "127.0.0.1,10.0.0.0/8") from None
        return self

    @model_validator(mode="after")
    def _one_payment_provider(self) -> Settings:
        if self.sandbox_payments and self.payment_url:
            raise ValueError("BORDERGATE_SANDBOX_PAYMENTS and BORDERGATE_PAYMENT_URL are both set: a gate takes "
                             "payments through one provider; unset the sandbox")
        return self

    @model_validator(mode="after")
    def _vneid_is_configured_whole(self) -> Settings:
        if self.vneid_issuer and not (self.vneid_client_id and self.vneid_client_secret):
            raise ValueError("BORDERGATE_VNEID_ISSUER is set without BORDERGATE_VNEID_CLIENT_ID and "
                             "BORDERGATE_VNEID_CLIENT_SECRET: set all three, or unset the issuer")
        if self.vneid_issuer and not self.vneid_issuer.startswith("https://"):
            raise ValueError("BORDERGATE_VNEID_ISSUER must be an https:// URL: the id_token's keys are read from it")
        return self

    @model_validator(mode="after")
    def _one_stop_has_its_key(self) -> Settings:
        if self.one_stop_url and not self.one_stop_key:
            raise ValueError("BORDERGATE_ONE_STOP_URL is set without BORDERGATE_ONE_STOP_KEY: the one-stop system's "
                             "answers are believed only when signed; set the shared secret too")
        return self

    @model_validator(mode="after")
    def _argon2_has_enough_memory(self) -> Settings:
        # Argon2 needs 8 KiB per lane; below that every sign-in would fail at run time, not at start-up.
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise ValueError(f"BORDERGATE_ARGON2_MEMORY_KIB must be at least 8 x BORDERGATE_ARGON2_PARALLELISM "
                             f"= {8 * self.argon2_parallelism}, not {self.argon2_memory_kib}")
        return self
