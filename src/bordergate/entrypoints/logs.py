"""Log output: structured lines on standard error, so standard output stays for what commands print."""
from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str = "info") -> None:
    """Send structlog's lines to stderr at ``level``; `id=$(bordergate organisations add ...)` stays clean."""
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
                    structlog.processors.format_exc_info, structlog.dev.ConsoleRenderer(colors=False)],
    )
