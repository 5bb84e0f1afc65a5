"""A page's place on this site: paths safe to send a person to, and language links that keep the page's place."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import Request

from bordergate.entrypoints.web.i18n import LOCALES

# Query values that name where to go next: kept on a language link only when they stay on this site.
_ONWARD = ("next",)


def same_site_path(text: str | None) -> str | None:
    """``text`` if it is a path of this site (``/portal?x=1``), else None: a link must never bounce a person to
    somebody else's page. Browsers read ``\\`` as ``/`` and drop tabs and newlines, so ``/\\evil.example`` and
    ``/\\t/evil.example`` would leave the site as ``//evil.example`` does."""
    if not text or not text.startswith("/") or any(c == "\\" or ord(c) < 0x20 or c == "\x7f" for c in text):
        return None
    if text.startswith("//"):
        return None
    parts = urlsplit(text)
    return text if not parts.scheme and not parts.netloc else None


def language_links(request: Request) -> list[tuple[str, str]]:
    """For each language, the link to this same page in it: the path and query kept (the board's crossing point,
    sign-in's next page), only ``lang`` changed; a ``next`` leading off the site is dropped, not carried on."""
    path = same_site_path(request.url.path) or "/"
    kept = [(key, value) for key, value in request.query_params.multi_items()
            if key != "lang" and (key not in _ONWARD or same_site_path(value))]
    return [(locale, f"{path}?{urlencode(kept + [('lang', locale)])}") for locale in LOCALES]
