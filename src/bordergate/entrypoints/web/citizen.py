"""The citizen's phone: its home (/citizen/), the new-report page in steps, and what makes it an installable app."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.citizen_filing import citizen_of
from bordergate.entrypoints.web.static_files import STATIC, fingerprint, static_url
from bordergate.services import civic_data, filing_views

router = APIRouter(include_in_schema=False)
HOME, NEW_REPORT = "/citizen/", "/citizen/report"
# Where a citizen signs in (the phone-code sign-in replaces it when it lands: one constant to change).
SIGN_IN = "/citizen/sign-in"
# What the service worker keeps for a phone without signal: the new-report page and what it loads.
SHELL_FILES = ("bordergate.css", "citizen.css", "live.js", "citizen_drafts.js", "citizen_report.js",
               "citizen-192.png", "citizen-512.png")


@router.get(HOME, response_class=HTMLResponse)
def home(request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """Report a problem, my reports (signed in), and the public side: reports and services."""
    citizen = citizen_of(request)
    mine = filing_views.my_reports(gate.reader(), citizen, locale) if citizen else None
    return pages.page(request, "citizen_home.html", locale, citizen=citizen, mine=mine, sign_in=_sign_in(HOME))


@router.get(NEW_REPORT, response_class=HTMLResponse)
def new_report(request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """The new report in steps on one page: what, where, is it one of these, photos and text, send; the
    categories and communes are those the civic data has in force today."""
    signed_in = citizen_of(request) is not None
    now = gate.clock.now()
    communes = [(c["code"], c["name"]) for c in civic_data.commune_choices(gate.reader(), now)]
    return pages.page(request, "citizen_report.html", locale,
                      categories=filing_views.categories(gate.reader(), now, locale),
                      communes=communes, signed_in=signed_in, sign_in=_sign_in(NEW_REPORT))


@router.get("/citizen/manifest.webmanifest")
def manifest(locale: pages.ScreenLocale) -> Response:
    """What makes the phone's pages installable: name, start page, standalone, icons."""
    body = {"name": "Công dân số xứ Lạng", "short_name": "Công dân số", "lang": "vi", "dir": "ltr",
            "start_url": HOME, "scope": HOME, "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#0e5e54",
            "icons": [{"src": static_url(f"citizen-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                       "purpose": "any"} for size in (192, 512)]}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json",
                    headers={"cache-control": "no-cache"})


@router.get("/citizen/sw.js")
def service_worker() -> Response:
    """The service worker, served from /citizen/ so its scope is the phone's pages; it names the shell's
    fingerprinted files, so a release with a changed file is a changed worker, installed afresh."""
    shell = [NEW_REPORT, *(static_url(name) for name in SHELL_FILES)]
    version = "-".join(fingerprint(name)[:6] for name in (*SHELL_FILES, "citizen_sw.js"))
    script = (STATIC / "citizen_sw.js").read_text(encoding="utf-8")
    script = script.replace('"__SHELL__"', json.dumps(shell)).replace("__VERSION__", version)
    return Response(script, media_type="text/javascript", headers={"cache-control": "no-cache"})


def _sign_in(back_to: str) -> str:
    return f"{SIGN_IN}?next={back_to}"
