"""QR codes for declarations (segno): the driver shows it at the gate or scans it to open their status."""
from __future__ import annotations

import io

import segno


def qr_svg(text: str) -> bytes:
    """An SVG QR code for ``text``, with error correction high enough for a cracked phone screen."""
    buffer = io.BytesIO()
    segno.make(text, error="q").save(buffer, kind="svg", scale=6, border=2)
    return buffer.getvalue()


def qr_png(text: str) -> bytes:
    """A PNG QR code for ``text``, for printing on a trip sheet."""
    buffer = io.BytesIO()
    segno.make(text, error="q").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
