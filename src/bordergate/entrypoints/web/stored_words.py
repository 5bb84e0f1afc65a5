"""Sentences the gate keeps in English (fee lines, customs selection reasons) said in the reader's language: fixed
ones through the catalogs, ones carrying a number or a class by their pattern, anything else as it was written."""
from __future__ import annotations

import re
from collections.abc import Callable

from bordergate.domain.fees import GoodsClass, Journey
from bordergate.domain.labels import Labelled
from bordergate.entrypoints.web.i18n import gettext_for

Say = Callable[..., str]


def _named(kind: type[Labelled], words: str, locale: str) -> str:
    # The assessment writes a class by its English label in lower case (domain/fees.py).
    found = {member.label("en").lower(): member for member in kind}.get(words)
    return found.label(locale) if found else words


def _number(text: str, locale: str) -> str:
    digits = text.replace(",", "")
    return f"{int(digits):,}".replace(",", "." if locale == "vi" else ",") if digits.isdigit() else text


def _fee_line(m: re.Match, _: Say, locale: str) -> str:
    line = _("line %(key)s, basic level", key=m["key"]) if m["basic"] else _("line %(key)s", key=m["key"])
    return f"{_(m['description'])} ({line})"


# Each: the sentence as domain/fees.py or domain/inspection.py writes it, and how to say it.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match, Say, str], str]]] = [
    (re.compile(r"^(?P<description>.+) \(line (?P<key>[^,()]+)(?P<basic>, basic level)?\)$"), _fee_line),
    (re.compile(r"^mixed cargo: the highest applicable rate \((?P<goods>.+)\)$"),
     lambda m, _, loc: _("mixed cargo: the highest applicable rate (%(goods)s)",
                         goods=_named(GoodsClass, m["goods"], loc))),
    (re.compile(r"^(?P<journey>.+): (?P<p>\d+)% of the rate$"),
     lambda m, _, loc: _("%(journey)s: %(p)s%% of the rate", journey=_named(Journey, m["journey"], loc), p=m["p"])),
    (re.compile(r"^(?P<goods>.+): (?P<p>\d+)% of the basic level$"),
     lambda m, _, loc: _("%(goods)s: %(p)s%% of the basic level", goods=_named(GoodsClass, m["goods"], loc),
                         p=m["p"])),
    (re.compile(r"^ceiling of the schedule: (?P<amount>[\d,]+) VND a trip$"),
     lambda m, _, loc: _("ceiling of the schedule: %(amount)s VND a trip", amount=_number(m["amount"], loc))),
    (re.compile(r"^tariff (?P<version>\S+) published$"),
     lambda m, _, loc: _("tariff %(version)s published", version=m["version"])),
    (re.compile(r"^goods of HS chapter\(s\) \[(?P<chapters>[\d, ]+)\] are always inspected$"),
     lambda m, _, loc: _("goods of HS chapter(s) %(chapters)s are always inspected", chapters=m["chapters"])),
    (re.compile(r"^(?P<n>\d+) violations in twelve months$"),
     lambda m, _, loc: _("%(n)s violations in twelve months", n=m["n"])),
    (re.compile(r"^a new enterprise \((?P<n>\d+) trips cleared\): documents are checked$"),
     lambda m, _, loc: _("a new enterprise (%(n)s trips cleared): documents are checked", n=m["n"])),
    (re.compile(r"^random selection for inspection \(at least (?P<p>\d+)% of trips\)$"),
     lambda m, _, loc: _("random selection for inspection (at least %(p)s%% of trips)", p=m["p"])),
    (re.compile(r"^random selection for a documents check \(at least (?P<p>\d+)%\)$"),
     lambda m, _, loc: _("random selection for a documents check (at least %(p)s%%)", p=m["p"])),
]


def said_for(locale: str) -> Callable[[str | None], str]:
    """What a template calls to show a stored sentence: ``in_words(line.rule)``, ``in_words(reason)``."""
    _ = gettext_for(locale)

    def said(text: str | None) -> str:
        if not text:
            return ""
        for pattern, say in _PATTERNS:
            if found := pattern.match(text):
                return say(found, _, locale)
        return _(text)
    return said
