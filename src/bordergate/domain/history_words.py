"""The words a trip's history is told in: who acted, moments, money and codes, in Vietnamese, English and Chinese."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain.accounts import Role
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.errors import InvalidValue
from bordergate.domain.inspection import Agency
from bordergate.domain.labels import Labelled
from bordergate.domain.plates import parse_plate

LOCALES = ("vi", "en", "zh")

# The gate itself acting (sweeps, selectivity rules, notices): people read it as the system, not as a user id.
SYSTEM_NAME = {"vi": "hệ thống", "en": "bordergate", "zh": "bordergate系统"}
_AGENCY_SYSTEM = {"vi": "hệ thống của {agency}", "en": "{agency} (its own system)", "zh": "{agency}自有系统"}
_PROVIDER = {"vi": "cổng thanh toán {name}", "en": "payment provider {name}", "zh": "支付服务商{name}"}
_CAMERA = {"vi": "camera {camera} ({checkpoint})", "en": "camera {camera} ({checkpoint})",
           "zh": "摄像头{camera}（{checkpoint}）"}
_NOT_KNOWN = {"vi": "chưa xác định", "en": "not yet known", "zh": "待定"}


def pick(texts: dict[str, str], locale: str) -> str:
    """The text in ``locale``, Vietnamese when the language is not one of vi, en, zh."""
    return texts.get(locale, texts["vi"])


def system_actor(actor: str, locale: str) -> str | None:
    """The name of an actor that is not a person or a camera (the gate, an agency's system, a payment provider);
    None for anything else."""
    if actor == "system":
        return pick(SYSTEM_NAME, locale)
    kind, _, rest = actor.partition(":")
    if kind == "system" and rest:
        return pick(_AGENCY_SYSTEM, locale).format(agency=agency(rest, locale))
    if kind == "provider" and rest:
        return pick(_PROVIDER, locale).format(name=rest)
    return None


def camera_actor(camera: str, checkpoint: str, locale: str) -> str:
    """A camera as people know it: its name and the checkpoint it watches, never its id."""
    return pick(_CAMERA, locale).format(camera=camera, checkpoint=checkpoint)


def label(kind: type[Labelled], code: Any, locale: str) -> str:
    """A code's label in ``locale``; the code itself when it is not (or no longer) one of ``kind``'s."""
    try:
        return kind(code).label(locale)
    except ValueError:
        return str(code)


def agency(code: Any, locale: str) -> str:
    """An agency by its name; holds record the officer's role, so a role's name is accepted too."""
    try:
        return Agency(code).label(locale)
    except ValueError:
        return label(Role, code, locale)


def agencies(codes: Any, locale: str) -> str:
    separator = "、" if locale == "zh" else ", "
    return separator.join(agency(code, locale) for code in codes or ())


def moment(value: Any, locale: str) -> str:
    """An ISO moment as people at the gate read it: local time, day/month."""
    if not value:
        return pick(_NOT_KNOWN, locale)
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.astimezone(GATE_TIME).strftime("%H:%M %d/%m")


def vnd(amount: Any, locale: str) -> str:
    """Whole VND as the reader writes numbers: 4.000.000 VND in Vietnamese, 4,000,000 VND otherwise."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", "." if locale == "vi" else ",") + " VND"


def plate(compact: Any) -> str:
    """A plate the way it is painted on the truck (the trail keeps the compact form cameras match on)."""
    try:
        return parse_plate(str(compact)).display
    except InvalidValue:  # an old or foreign spelling is still worth showing as it was recorded
        return str(compact or "")


def because(text: Any, locale: str) -> str:
    """A free-text reason appended in brackets; nothing when there is none."""
    if not text:
        return ""
    return f"（{text}）" if locale == "zh" else f" ({text})"


def joined(words: list[str], locale: str) -> str:
    return ("、" if locale == "zh" else ", ").join(words)
