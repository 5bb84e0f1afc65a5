"""Log output: structured lines on standard error, so standard output stays for what commands print."""
from __future__ import annotations

import logging
import sys

import structlog

# Keys a log line must never carry: a sign-in code (and the text of its SMS) opens a citizen's account.
SECRET_KEYS = frozenset({"code", "sign_in_code", "otp"})


def configure_logging(level: str = "info") -> None:
    """Send structlog's lines to stderr at ``level``; `id=$(bordergate organisations add ...)` stays clean."""
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        processors=[drop_sign_in_codes, structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
                    structlog.processors.format_exc_info, structlog.dev.ConsoleRenderer(colors=False)],
    )


def drop_sign_in_codes(logger: object, method: str, event: dict) -> dict:
    """Drop what could carry a sign-in code before a line is written: ``code``-like keys always, and the ``text``
    of a ``sign_in_code`` notice. Services never log one; this stops a future log line from doing it by mistake."""
    for key in SECRET_KEYS & event.keys():
        event[key] = "(removed)"
    if event.get("kind") == "sign_in_code" and "text" in event:
        event["text"] = "(removed)"
    return event
