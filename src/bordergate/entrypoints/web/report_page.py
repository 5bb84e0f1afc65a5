"""The report page everybody follows (/r/{code}): public, reporter or follower views, the secret link, live steps."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bordergate.bootstrap import report_rules
from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import Conflict, DomainError, Invalid, NotFound
from bordergate.entrypoints.api.deps import GateDep, address_of
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.acting import detail_of, status_for
from bordergate.entrypoints.web.i18n import gettext_for
from bordergate.entrypoints.web.session import ScreenPrincipal, SignInRequired, screen_principal
from bordergate.services import questionnaires, report_tracking
from bordergate.services.refusals import refuse_stranger

router = APIRouter(include_in_schema=False)
REPORT_COOKIE = "bordergate_report_key"
# The reporter may come back to an anonymous report months later, from the same phone.
REPORT_COOKIE_DAYS = 400
WEEKDAYS = {"vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
            "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日")}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A refusal on the page in the reader's words: a bad field by its name, a step the report's state refuses by the
# step; anything else in the service's own sentence (translated where the catalog has it).
FIELD_REFUSALS = {
    "text": "Write what you add (up to 4,000 characters).",
    "reason": "Say what is still wrong, in at least 10 characters.",
    "stars": "Choose 1 to 5 stars.",
    "comment": "A comment is at most 500 characters.",
    "fixed": "Choose yes, no or not sure.",
}
STEP_REFUSALS = {
    "information": "This report is closed; file a new report if the problem is back.",
    "rated": "You rated this answer already.",
    "reopened": "This report can no longer be reopened; file a new report if the problem is back.",
    "withdrawn": "Only a report not yet answered can be withdrawn.",
    "followed": "This report cannot be followed: you filed it, or it is closed.",
}


async def _form(request: Request) -> dict[str, str]:
    return {key: value for key, value in (await request.form()).items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def in_words(moment: str, locale: str) -> str:
    """A deadline as people say it, on the border's clock: Thứ Tư 09/12/2026 17:00, Wed 9 Dec 2026 17:00."""
    at = datetime.fromisoformat(moment).astimezone(pages.BORDER_TIME)
    day, time = WEEKDAYS.get(locale, WEEKDAYS["vi"])[at.weekday()], at.strftime("%H:%M")
    if locale == "en":
        return f"{day} {at.day} {MONTHS[at.month - 1]} {at.year} {time}"
    if locale == "zh":
        return f"{at.year}年{at.month}月{at.day}日（{day}）{time}"
    return f"{day} {at.strftime('%d/%m/%Y')} {time}"


def viewer_of(request: Request) -> Principal | None:
    """Who is signed in on this browser, if anyone: the page is public, so nobody is sent to sign in."""
    try:
        return screen_principal(request)
    except SignInRequired:
        return None


def secret_of(request: Request) -> str | None:
    return request.cookies.get(REPORT_COOKIE) or None


@router.get("/r/{tracking_code}", response_class=HTMLResponse)
def report(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale,
           k: str | None = None) -> Any:
    """A report's page; ``?k=`` (the secret link) is swapped for a cookie kept for this report's pages alone, and
    the address bar loses it. A wrong key is told nothing (the security log keeps it)."""
    if k is not None:
        return _opened_by_link(request, gate, tracking_code, k)
    return report_screen(request, gate, tracking_code, locale)


def _opened_by_link(request: Request, gate, code: str, secret: str) -> Response:
    bare = RedirectResponse(f"/r/{code}", status_code=303)
    if report_tracking.holds_report(gate.reader(), code, None, secret):
        bare.set_cookie(REPORT_COOKIE, secret, max_age=REPORT_COOKIE_DAYS * 24 * 3600, path=f"/r/{code}",
                        httponly=True, samesite="strict", secure=gate.settings.public_url.startswith("https://"))
    else:
        refused_key(gate, request, code)
    return bare


def refused_key(gate, request: Request, code: str) -> None:
    """Somebody tried a report's secret that is not its own: nothing is said to them, the security log keeps it
    (bounded per address), never the audit trail (a stranger proves nothing)."""
    refuse_stranger(gate.uow(), gate.security_limits, kind="report_secret", source=address_of(request),
                    why=f"wrong secret link for report {code[:24]}", now=gate.clock.now())


def _context(gate, code: str, viewer: Principal | None, secret: str | None, locale: str) -> dict[str, Any]:
    shown = report_tracking.tracking_page(gate.reader(), code, viewer=viewer, secret=secret, locale=locale,
                                          now=gate.clock.now(), rules=report_rules(gate.settings))
    said = gettext_for(locale)
    return {"report": shown, "due_words": in_words(shown["answer_due"], locale), "when": pages.local_time,
            "reader_said": {"reporter": said("You filed this report."), "follower": said("You follow this report."),
                            "unit": said("Your unit handles this report.")}.get(shown["reader"])}


def report_screen(request: Request, gate, code: str, locale: str, *, status_code: int = 200,
                  refusal: str | None = None, values: dict[str, str] | None = None) -> Any:
    viewer, secret = viewer_of(request), secret_of(request)
    try:
        context = _context(gate, code, viewer, secret, locale)
    except NotFound:
        return pages.page(request, "report_missing.html", locale, status_code=404, code=code, principal=viewer)
    return pages.page(request, "report.html", locale, status_code=status_code, principal=viewer,
                      live_url=f"/r/{code}/live?lang={locale}", now=gate.clock.now().isoformat(timespec="seconds"),
                      done=request.query_params.get("done"), refusal=refusal, values=values or {}, **context)


@router.get("/r/{tracking_code}/live")
def report_live(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """The page's steps, state and actions, pushed when the report changes (an officer's answer, a reply)."""
    viewer, secret = viewer_of(request), secret_of(request)
    _context(gate, tracking_code, viewer, secret, locale)  # 404 now for whoever may not read it
    token = request.app.state.forms.for_page(request)

    def fragment() -> str:
        try:
            context = _context(gate, tracking_code, viewer, secret, locale)
        except NotFound:  # hidden meanwhile: the public's copy stops changing
            return ""
        return pages.render("report_body.html", locale, csrf_token=lambda: token, values={}, **context)
    # A signed-in reader's stream ends with their session (signed out, revoked): it rendered with their rights.
    return pages.live(request, fragment, gate.settings.live_seconds, signed_in=viewer is not None)


def _act(request: Request, gate, code: str, locale: str, form: dict[str, str], done: str,
         step: Callable[[Principal | None, str | None], object]) -> Any:
    """Do one of the page's steps through the bus; back to the page saying it was done, or with the refusal."""
    try:
        step(viewer_of(request), secret_of(request))
    except NotFound:
        return pages.page(request, "report_missing.html", locale, status_code=404, code=code,
                          principal=viewer_of(request))
    except DomainError as exc:
        return report_screen(request, gate, code, locale, status_code=status_for(exc),
                             refusal=refusal_in_words(exc, done, locale), values=form)
    return RedirectResponse(f"/r/{code}?done={done}", status_code=303)


def refusal_in_words(exc: DomainError, step: str, locale: str) -> str:
    said = gettext_for(locale)
    if isinstance(exc, Invalid):
        return " ".join(said(FIELD_REFUSALS.get(p.field, p.message)) for p in exc.problems)
    if isinstance(exc, Conflict) and step in STEP_REFUSALS:
        return said(STEP_REFUSALS[step])
    return said(detail_of(exc))


def as_reporter(gate, request: Request, code: str, viewer: Principal | None,
                secret: str | None) -> tuple[Principal | None, str | None]:
    """The reporter's credentials for a step: the secret link if it is this report's, else the signed-in account
    that filed it; anyone else is told there is no such report (a wrong secret goes to the security log)."""
    if secret and report_tracking.holds_report(gate.reader(), code, None, secret):
        return None, secret
    if viewer is not None and report_tracking.holds_report(gate.reader(), code, viewer, None):
        return viewer, None
    if secret:
        refused_key(gate, request, code)
    raise NotFound(f"there is no report {code} of yours: open it from its secret link, or sign in with the phone "
                   "that filed it")


def _reporter_step(request: Request, gate, code: str, locale: str, form: dict[str, str], done: str,
                   make: Callable[[Principal | None, str | None], object]) -> Any:
    def step(viewer: Principal | None, secret: str | None) -> object:
        actor, key = as_reporter(gate, request, code, viewer, secret)
        return gate.bus.handle(make(actor, key))
    return _act(request, gate, code, locale, form, done, step)


@router.post("/r/{tracking_code}/information", response_class=HTMLResponse)
def add_information(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale,
                    form: FormData) -> Any:
    return _reporter_step(request, gate, tracking_code, locale, form, "information", lambda actor, key:
                          rc.AddInformation(actor, key, code=tracking_code, text=form.get("text", "")))


@router.post("/r/{tracking_code}/rating", response_class=HTMLResponse)
def rate(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale, form: FormData) -> Any:
    stars = form.get("stars", "")
    return _reporter_step(request, gate, tracking_code, locale, form, "rated", lambda actor, key: rc.RateAnswer(
        actor, key, code=tracking_code, stars=int(stars) if stars.isdigit() else 0, comment=form.get("comment", "")))


@router.post("/r/{tracking_code}/reopen", response_class=HTMLResponse)
def reopen(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale, form: FormData) -> Any:
    return _reporter_step(request, gate, tracking_code, locale, form, "reopened", lambda actor, key:
                          rc.ReopenReport(actor, key, code=tracking_code, reason=form.get("reason", "")))


@router.post("/r/{tracking_code}/withdraw", response_class=HTMLResponse)
def withdraw(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale,
             form: FormData) -> Any:
    return _reporter_step(request, gate, tracking_code, locale, form, "withdrawn", lambda actor, key:
                          rc.WithdrawReport(actor, key, code=tracking_code))


@router.post("/r/{tracking_code}/follow", response_class=HTMLResponse)
def follow(tracking_code: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
           locale: pages.ScreenLocale, form: FormData) -> Any:
    return _act(request, gate, tracking_code, locale, form, "followed", lambda viewer, secret:
                gate.bus.handle(rc.FollowReport(principal, tracking_code)))


@router.post("/r/{tracking_code}/unfollow", response_class=HTMLResponse)
def unfollow(tracking_code: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
             locale: pages.ScreenLocale, form: FormData) -> Any:
    return _act(request, gate, tracking_code, locale, form, "unfollowed", lambda viewer, secret:
                gate.bus.handle(rc.UnfollowReport(principal, tracking_code)))


@router.get("/citizen/reports", response_class=HTMLResponse)
def my_reports(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """A signed-in citizen's reports and the ones they follow, each a link to its page."""
    mine = report_tracking.my_reports(gate.reader(), principal, locale)
    return pages.page(request, "my_reports.html", locale, principal=principal, when=pages.local_time, **mine)


@router.get("/r/{tracking_code}/questionnaire", response_class=HTMLResponse)
def questionnaire(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale,
                  t: str = "") -> Any:
    """The "was it really fixed?" form the SMS links to (its one-time token); a wrong link is told nothing more."""
    try:
        kept = questionnaires.questionnaire_open(gate.reader(), tracking_code, t)
    except NotFound:
        if t:
            refused_key(gate, request, tracking_code)
        return pages.page(request, "report_missing.html", locale, status_code=404, code=tracking_code)
    return pages.page(request, "questionnaire.html", locale, code=tracking_code, token=t,
                      answered=kept.answered_at is not None, problem=None)


@router.post("/r/{tracking_code}/questionnaire", response_class=HTMLResponse)
def answer_questionnaire(tracking_code: str, request: Request, gate: GateDep, locale: pages.ScreenLocale,
                         form: FormData) -> Any:
    token = form.get("t", "")
    try:
        gate.bus.handle(rc.AnswerQuestionnaire(None, token, code=tracking_code, fixed=form.get("fixed", ""),
                                               comment=form.get("comment", "")))
    except NotFound:
        if token:
            refused_key(gate, request, tracking_code)
        return pages.page(request, "report_missing.html", locale, status_code=404, code=tracking_code)
    except DomainError as exc:
        return pages.page(request, "questionnaire.html", locale, status_code=status_for(exc), code=tracking_code,
                          token=token, answered=isinstance(exc, Conflict),
                          problem=refusal_in_words(exc, "questionnaire", locale))
    return pages.page(request, "questionnaire.html", locale, code=tracking_code, token="", answered=True,
                      problem=None, thanked=True)
