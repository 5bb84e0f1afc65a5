"""Static files under fingerprinted URLs: cached for a year by the phone, fetched again only when they change."""
from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"
# A URL that names its content's hash never changes meaning, so a phone may keep it for a year without asking again
# (a driver on 3G at the roadside pays for the scripts once, not on every page).
FOREVER = "public, max-age=31536000, immutable"
# Without the right fingerprint (an old page, a hand-typed URL) the phone must ask again before reusing it.
ASK_AGAIN = "no-cache"


@cache
def fingerprint(name: str) -> str:
    """The first 12 hex digits of the file's SHA-256: a new release's changed file gets a new URL."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """What a template writes for a static file: ``/static/live.js?v=3f2a9c0d1e4b``."""
    return f"/static/{name}?v={fingerprint(name)}"


class FingerprintedFiles(StaticFiles):
    """The package's static files, cached forever when asked for under their current fingerprint."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC)

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        name = Path(full_path).resolve().relative_to(STATIC.resolve()).as_posix()
        response.headers["cache-control"] = FOREVER if asked == fingerprint(name) else ASK_AGAIN
        return response
