"""One request straight to an ASGI app, hanging up as soon as the answer starts (live pages stream for ever)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def call(app, method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Answer:
    """``method url`` to ``app``; the client disconnects once the status is sent, so a live page ends at once."""
    parts = urlsplit(url)
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": "gate.test", **(headers or {})}.items()]
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": parts.path, "raw_path": parts.path.encode(),
             "query_string": parts.query.encode(), "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 50000), "server": ("gate.test", 80)}
    started: dict = {}
    chunks: list[bytes] = []
    sent_body = False

    async def receive() -> dict:
        nonlocal sent_body
        if not sent_body and (body or method not in ("GET", "HEAD")):
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    async def run() -> None:
        await app(scope, receive, send)

    outside_any_loop(anyio.run, run)
    return Answer(started["status"], {k.decode().lower(): v.decode() for k, v in started.get("headers", [])},
                  b"".join(chunks))


def outside_any_loop(function, *args):
    """``function(*args)`` in a thread of its own: Playwright's sync API keeps an event loop running in this thread
    once a browser test ran in this worker, and asyncio.run / anyio.run refuse to start inside a running loop."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(function, *args).result()
