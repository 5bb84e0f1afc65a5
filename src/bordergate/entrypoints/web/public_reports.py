"""The public side of citizen reports: the list (/reports) and the statistics per unit (/reports/stats), each
rendered once per period for every viewer (the screen's fragment and the API's JSON alike)."""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bordergate.domain.errors import Invalid
from bordergate.domain.working_days import Calendars
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.i18n import gettext_for
from bordergate.entrypoints.web.report_charts import stats_charts
from bordergate.services import public_reports, report_stats
from bordergate.services.civic_data import PublishedCalendars

router = APIRouter(include_in_schema=False)
# Ninety days of figures move slowly: five minutes old is fresh enough, and reading 300,000 reports costs seconds.
STATS_EVERY_SECONDS = 300.0
# Keys are what viewers ask (filters, cursors): a bounded number is kept, so nobody can fill the memory.
MOST_KEPT = 512


class BoundedShared(pages.Shared):
    """pages.Shared for pages that take a while to read (seconds at 300,000 reports): a rendering past its period
    is still served while one thread renders the next, so only the very first viewer of a key ever waits, and a
    slow key never holds up another (one lock a key). At most ``most`` keys are kept, so viewers' filters and
    cursors cannot fill the memory."""

    def __init__(self, every: float, most: int = MOST_KEPT) -> None:
        super().__init__(every)
        self.most = most
        self.keys: dict[str, threading.Lock] = {}
        self.renewing: set[str] = set()
        # How a stale rendering is renewed: a thread of its own (tests may renew in place).
        self.renew: Callable[[Callable[[], None]], None] = lambda work: threading.Thread(
            target=work, daemon=True).start()

    def get(self, key: str, render_: Callable[[], str]) -> str:
        with self.lock:
            at, kept = self.kept.get(key, (float("-inf"), None))
            fresh = kept is not None and self.clock() - at < self.every
            start = kept is not None and not fresh and key not in self.renewing
            if start:
                self.renewing.add(key)
            one = self.keys.setdefault(key, threading.Lock())
        if kept is not None:
            if start:
                self.renew(lambda: self._render(key, render_))
            return kept
        with one:  # the first viewers of a key wait for one rendering, not one each
            with self.lock:
                found = self.kept.get(key)
            return found[1] if found is not None else self._render(key, render_)

    def _render(self, key: str, render_: Callable[[], str]) -> str:
        try:
            html = render_()
        finally:
            with self.lock:
                self.renewing.discard(key)
        with self.lock:
            if len(self.kept) >= self.most and key not in self.kept:
                now = self.clock()
                self.kept = {k: v for k, v in self.kept.items() if now - v[0] < self.every}
                if len(self.kept) >= self.most:
                    self.kept.clear()
                self.keys = {k: v for k, v in self.keys.items() if k in self.kept}
            self.kept[key] = (self.clock(), html)
        return html


def shared(request: Request, name: str, every: float) -> pages.Shared:
    """The app's one cache of ``name``: the screen and its JSON twin use the same."""
    return request.app.state.__dict__.setdefault(name, BoundedShared(every))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def border_moment(moment: str) -> str:
    """An ISO moment on the border's clock: 08/12/2026 09:30."""
    return datetime.fromisoformat(moment).astimezone(pages.BORDER_TIME).strftime("%d/%m/%Y %H:%M")


def list_url(narrowed: dict[str, str | None], locale: str, after: str | None = None) -> str:
    query = [(k, v) for k, v in narrowed.items() if v] + ([("after", after)] if after else []) + [("lang", locale)]
    return "/reports?" + urlencode(query)


# --- the list ----------------------------------------------------------------------------------------------------

def list_json(request: Request, gate: Any, commune: str | None, category: str | None, state: str | None,
              after: str | None, locale: str, limit: int = public_reports.PAGE_SIZE) -> str:
    """A page of the list as JSON text, read once per period for everyone asking the same page."""
    narrowed = public_reports.read_filter(commune, category, state)
    if after:
        public_reports.read_cursor(after)  # refused before it becomes a key
    key = f"json|{locale}|{narrowed.commune}|{narrowed.category}|{narrowed.state}|{after}|{limit}"
    return shared(request, "public_reports", gate.settings.live_seconds).get(key, lambda: _json(
        public_reports.public_list(gate.reader(), narrowed, after, locale, limit)))


def _list_fragment(request: Request, gate: Any, commune: str | None, category: str | None, state: str | None,
                   after: str | None, locale: str) -> str:
    narrowed = public_reports.read_filter(commune, category, state)
    if after:
        public_reports.read_cursor(after)
    key = f"html|{locale}|{narrowed.commune}|{narrowed.category}|{narrowed.state}|{after}"

    def render() -> str:
        listed = public_reports.public_list(gate.reader(), narrowed, after, locale)
        return pages.render("public_reports_list.html", locale, listed=listed, when=border_moment,
                            next_url=list_url(listed["filter"], locale, listed["next"]) if listed["next"] else None)
    return shared(request, "public_reports", gate.settings.live_seconds).get(key, render)


def _choices(request: Request, gate: Any, locale: str) -> dict[str, Any]:
    # The communes named change slowly and cost a scan of the table: renewed with the figures, not the list.
    text = shared(request, "public_report_choices", STATS_EVERY_SECONDS).get(
        f"choices|{locale}", lambda: _json(public_reports.filter_choices(gate.reader(), locale)))
    choices: dict[str, Any] = json.loads(text)
    return choices


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, gate: GateDep, locale: pages.ScreenLocale, commune: str | None = None,
                 category: str | None = None, state: str | None = None, after: str | None = None) -> Any:
    """Citizens' reports anyone may read, newest first, by commune, category and state (no sign-in)."""
    chosen = {"commune": commune or "", "category": category or "", "state": state or ""}
    try:
        body, problem = _list_fragment(request, gate, commune, category, state, after, locale), None
    except Invalid as exc:
        body, problem = "", "; ".join(f"{p.field}: {p.message}" for p in exc.problems)
    return pages.page(request, "public_reports.html", locale, status_code=422 if problem else 200, body=body,
                      problem=problem, chosen=chosen, choices=_choices(request, gate, locale))


# --- the statistics ----------------------------------------------------------------------------------------------

def stats_data(gate: Any) -> dict[str, Any]:
    # Working days as the published calendars count them (a year published since counts), read once a period.
    figures = report_stats.period_statistics(gate.reader(), gate.clock.now(), gate.settings.stats_period_days,
                                             Calendars(PublishedCalendars(gate.reader)))
    return {**asdict(figures), "since": figures.since.isoformat(), "until": figures.until.isoformat()}


def stats_json(request: Request, gate: Any) -> str:
    """The period's figures as JSON text, computed once a period for everyone."""
    return shared(request, "report_stats", STATS_EVERY_SECONDS).get("json", lambda: _json(stats_data(gate)))


@router.get("/reports/stats", response_class=HTMLResponse)
def stats_page(request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """Each unit's figures over the period, with their definitions and bar charts drawn by the server."""
    def render() -> str:
        figures = json.loads(stats_json(request, gate))
        return pages.render("report_stats_body.html", locale, figures=figures, when=border_moment,
                            charts=stats_charts(figures, gettext_for(locale)), number=_number(locale))
    # Its own cache: the rendering reads the JSON's (Shared's lock is not re-entrant).
    body = shared(request, "report_stats_pages", STATS_EVERY_SECONDS).get(locale, render)
    return pages.page(request, "report_stats.html", locale, body=body)


def _number(locale: str) -> Callable[[float | None], str]:
    """One decimal as the reader writes it (2,5 in Vietnamese); a dash when there was nothing to count."""
    def written(value: float | None) -> str:
        if value is None:
            return "–"
        text = f"{value:.1f}"
        return text.replace(".", ",") if locale == "vi" else text
    return written
