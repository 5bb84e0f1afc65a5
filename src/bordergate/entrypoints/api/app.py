"""The FastAPI application factory: routes, problem details, OpenAPI at /docs."""
from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator

import anyio.to_thread
import structlog
from fastapi import Depends, FastAPI
from starlette.middleware.gzip import GZipMiddleware

from bordergate import __version__
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain.commands import DeliverNotices, ErasePersonalData, RunCallForward, SweepGate
from bordergate.domain.report_commands import SweepReportDeadlines
from bordergate.domain.report_commands import SendQuestionnaires
from bordergate.entrypoints import access
from bordergate.entrypoints.api import problems
from bordergate.entrypoints.api.routes import accounts, agencies, cameras, control, declarations, fees, public, queue
from bordergate.entrypoints.api.routes import metrics
from bordergate.entrypoints import open311 as open311_routes
from bordergate.entrypoints.api.routes import citizen_sign_in
from bordergate.entrypoints.api.routes import public_services as api_public_services
from bordergate.entrypoints.web import public_services as web_public_services
from bordergate.entrypoints.api.routes import citizen_reports
from bordergate.entrypoints.api.routes import public_reports
from bordergate.entrypoints.evidence import HeadExports
from bordergate.entrypoints.web import accounts as web_accounts
from bordergate.entrypoints.web import admin as web_admin
from bordergate.entrypoints.web import agency_console as web_agency_console
from bordergate.entrypoints.web import board as web_board
from bordergate.entrypoints.web import portal as web_portal
from bordergate.entrypoints.web import routes as web_routes
from bordergate.entrypoints.web import sandbox_pay as web_sandbox_pay
from bordergate.entrypoints.web import unit_api as web_unit_api, unit_inbox as web_unit_inbox
from bordergate.entrypoints.web import citizen_sign_in as web_citizen_sign_in
from bordergate.entrypoints.web import sandbox_sms as web_sandbox_sms
from bordergate.entrypoints.web import vneid as web_vneid
from bordergate.entrypoints.web import report_page as web_report_page
from bordergate.entrypoints.web import citizen as web_citizen, citizen_filing as web_citizen_filing
from bordergate.entrypoints.web import public_reports as web_public_reports
from bordergate.entrypoints.web.closing import Closing
from bordergate.entrypoints.web.csrf import CrossSiteGuard, FormTokens, origin_of
from bordergate.entrypoints.web.pages import refused_screen
from bordergate.entrypoints.web.security_headers import SecurityHeaders
from bordergate.entrypoints.web.static_files import FingerprintedFiles
from bordergate.entrypoints.web.session import SignInRequired, to_sign_in
from bordergate.entrypoints.logs import configure_logging
from bordergate.services.authentication import SYSTEM

log = structlog.get_logger(__name__)


def create_app(gate: Gate | None = None) -> FastAPI:
    """A bordergate API over ``gate`` (built from the environment when not given)."""
    settings = gate.settings if gate else Settings()
    configure_logging(settings.log_level)
    gate = gate or bootstrap(settings)
    app = FastAPI(
        lifespan=_sweeping(gate),
        title="bordergate",
        version=__version__,
        summary="Digital border gate for road freight: declare once, correct a field, follow the truck.",
        description="Errors are RFC 9457 problem+json; `errors` names each bad field by its path.",
        responses=problems.PROBLEM_RESPONSES,
        # Who may call each route is one table (entrypoints/access.py), checked before every handler.
        dependencies=[Depends(access.guard)],
    )
    app.state.gate = gate
    app.state.closing = Closing()
    problems.install(app)
    app.include_router(accounts.router)
    app.include_router(declarations.router)
    app.include_router(cameras.router)
    app.include_router(control.router)
    app.include_router(queue.router)
    app.include_router(agencies.router)
    app.include_router(fees.router)
    app.include_router(public.router)
    app.include_router(metrics.router)
    app.include_router(web_routes.router)
    app.include_router(web_accounts.router)
    for screen in (web_portal, web_board, web_agency_console, web_admin):
        app.include_router(screen.router)
    app.include_router(open311_routes.router)  # Open311 GeoReport v2 (issue 17)
    app.include_router(web_unit_inbox.router)
    app.include_router(web_unit_api.router)
    app.include_router(api_public_services.router)
    app.include_router(web_public_services.router)
    app.include_router(citizen_reports.router)
    app.include_router(web_report_page.router)
    # The citizen's phone (issue 17): its filing API and its pages.
    app.include_router(web_citizen_filing.router)
    app.include_router(web_citizen.router)
    app.include_router(public_reports.router)  # citizens' reports, the public side (issue 17)
    app.include_router(web_public_reports.router)
    if gate.sandbox_payments:
        # Anyone may mark an order paid there: only where the sandbox was asked for (demo, tests), never by default.
        log.warning("online payments go through the SANDBOX: anyone may mark a fee paid at /sandbox-pay")
        app.include_router(web_sandbox_pay.router)
    # Citizens sign in by a code sent to their phone, or by VNeID where it is set up (issue 17).
    app.include_router(citizen_sign_in.router)
    app.include_router(web_citizen_sign_in.router)
    app.include_router(web_vneid.router)
    if gate.sandbox_sms_page:
        # Anyone may read every SMS there, sign-in codes too: only where the demo (or a test) asked for it.
        log.warning("the SANDBOX SMS page is on: anyone may read the SMS kept at /sandbox/sms")
        app.include_router(web_sandbox_sms.router)
    if gate.sandbox_vneid is not None:
        app.mount("/sandbox/vneid", gate.sandbox_vneid, name="sandbox-vneid")
    app.add_exception_handler(SignInRequired, to_sign_in)
    app.add_exception_handler(access.ScreenRefused, refused_screen)
    app.mount("/static", FingerprintedFiles(), name="static")
    access.install(app)
    # Pages, fragments and scripts compress to a fifth over a phone's 3G; Starlette leaves text/event-stream alone,
    # so a live push is never held back in a compressor's buffer. Level 6: most of 9's gain for far less CPU.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    _defend(app, gate.settings)
    return app


def _defend(app: FastAPI, settings: Settings) -> None:
    """Forms only from the site's own pages, and the security headers on every response (added last: outermost,
    so a refused form carries them too)."""
    # Without a configured key the process makes its own, as sign-in tokens do (they die with the process anyway).
    app.state.forms = FormTokens(settings.secret_key or secrets.token_urlsafe(32),
                                 secure=settings.public_url.startswith("https://"))
    app.state.form_targets = {origin_of(url) for url in (settings.public_url, settings.payment_url) if url}
    app.add_middleware(CrossSiteGuard, tokens=app.state.forms, public_url=settings.public_url)
    app.add_middleware(SecurityHeaders, public_url=settings.public_url, form_targets=app.state.form_targets,
                       docs_paths=(app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url))


def _sweeping(gate: Gate):
    """While the server runs, every BORDERGATE_SWEEP_SECONDS: call trucks forward, send notices, look for silent
    cameras and overstays, pseudonymise what retention says is due; and export the evidence chains' heads
    every BORDERGATE_AUDIT_HEAD_MINUTES."""
    heads = HeadExports(gate)

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(gate.settings.sweep_seconds)
            turn = [RunCallForward(SYSTEM), DeliverNotices(SYSTEM), SweepGate(SYSTEM), SweepReportDeadlines(SYSTEM)]
            turn.append(SendQuestionnaires(SYSTEM))  # its SMS leave with the next turn's delivery
            if gate.settings.retention_days:
                turn.append(ErasePersonalData(SYSTEM))
            for command in turn:
                try:
                    await asyncio.to_thread(gate.bus.handle, command)
                except Exception:
                    # A database blip must not stop the timer; the next turn tries again.
                    log.exception("timer task failed", task=type(command).__name__)
            if heads.due():
                try:
                    await asyncio.to_thread(heads.export)
                except Exception:
                    log.exception("timer task failed", task="export chain heads")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(sweep_forever()) if gate.settings.sweep_seconds else None
        # Handlers run in this pool. With anyio's 40 threads, 32 declarants on 2 cores cost ~10 % more CPU a
        # submit and twice the p99: every thread waits for the GIL after each database answer, the one holding
        # the audit chain's head too, and the others queue on that lock (docs/benchmarks.md).
        anyio.to_thread.current_default_thread_limiter().total_tokens = gate.settings.request_threads
        # Live streams end on SIGTERM/SIGINT, else uvicorn waits for them for ever before it gets here.
        with app.state.closing.on_signals():
            yield
        if task:
            task.cancel()

    return lifespan
