"""Security headers on every response: a Content-Security-Policy without inline script, no framing, no sniffing."""
from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The screens load scripts and styles only from /static (no inline <script>, no style="" or <style>): an injected
# tag or attribute runs nothing even if an escaping bug ever lets one through. Chart.js styles its canvas through
# the CSSOM, which style-src does not govern; the QR codes and charts' images are data: URLs.
# form-action is also checked on the redirects after a form is sent, so it names the public URL's origin (the sandbox
# payment page and the way back from it) and the payment provider's (the "Pay online" button's redirect).
SCREENS = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
           "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action {forms}; object-src 'none'")
# FastAPI's /docs (Swagger UI) and /redoc are for developers: they load their bundles from cdn.jsdelivr.net, start
# them with an inline script and style themselves inline, so they get their own looser policy. They show only the
# OpenAPI document and hold no session (the API reads only a Bearer token), so inline script there risks no account.
DOCS = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
        "font-src 'self' https://fonts.gstatic.com; "
        "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
        "object-src 'none'")
# A year, the figure HSTS preload lists ask for; subdomains are the province's business, not bordergate's.
HSTS = "max-age=31536000"


class SecurityHeaders:
    """Adds the headers to every response of the app (screens, API, static files, refusals); a response that set
    one of them itself keeps its own."""

    def __init__(self, app: ASGIApp, public_url: str, docs_paths: Iterable[str] = (),
                 form_targets: Iterable[str] = ()) -> None:
        self.app = app
        self.docs_paths = frozenset(path for path in docs_paths if path)
        common = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                  (b"referrer-policy", b"strict-origin-when-cross-origin")]
        # Only when people reach the gate over https: HSTS over plain http would be ignored, and telling a browser to
        # insist on https for a host that has none (a demo on 127.0.0.1) would lock it out.
        if public_url.startswith("https://"):
            common.append((b"strict-transport-security", HSTS.encode()))
        forms = " ".join(["'self'", *sorted(set(form_targets))])
        self.screens = [(b"content-security-policy", SCREENS.format(forms=forms).encode()), *common]
        self.docs = [(b"content-security-policy", DOCS.encode()), *common]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self.docs if scope["path"] in self.docs_paths else self.screens

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, with_headers)
