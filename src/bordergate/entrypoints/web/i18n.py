"""The screens' languages: Vietnamese by default, English and Chinese by a switch, from Babel catalogs (.po files
shipped with the package, one per screen, merged and compiled in memory when first used)."""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bordergate.entrypoints.api.deps import LOCALES

# The source strings are English; vi and zh have catalogs.
CATALOGS = Path(__file__).parent / "locales"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog for ``locale`` (English needs none); an unknown locale reads Vietnamese, the gate's own."""
    locale = locale if locale in LOCALES else "vi"
    files = sorted((CATALOGS / locale / "LC_MESSAGES").glob("*.po"))
    if locale == "en" or not files:
        return NullTranslations()
    catalog = None
    for path in files:
        with path.open("rb") as source:
            part = read_po(source, locale=locale)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id:
                catalog[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext_for(locale: str):
    """The ``_`` a template calls for ``locale``: ``_("%(minutes)s min", minutes=12)`` fills in after translating."""
    gettext = translations(locale).gettext

    def _(message: str, **values: object) -> str:
        text = gettext(message)
        return text % values if values else text
    return _
