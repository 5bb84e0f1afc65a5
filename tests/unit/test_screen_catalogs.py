"""The screens' catalogs: every text a template shows has its Vietnamese and Chinese translation."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bordergate.entrypoints.web.i18n import CATALOGS, gettext_for

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bordergate" / "entrypoints" / "web" / "templates"


def template_texts() -> set[str]:
    found = extract_from_dir(str(TEMPLATES), method_map=[("**.html", "jinja2")], keywords={"_": None})
    return {message for _, _, message, _, _ in found}


@pytest.mark.parametrize("locale", ["vi", "zh"])
def test_every_text_of_the_screens_is_translated(locale):
    translated = set()
    for path in (CATALOGS / locale / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as source:
            translated |= {m.id for m in read_po(source, locale=locale) if m.id and m.string}
    texts = template_texts()
    assert len(texts) > 20
    assert texts - translated == set(), f"untranslated in {locale}: add them to its messages.po"


def test_a_text_is_translated_and_its_numbers_filled_in_after():
    assert gettext_for("vi")("%(minutes)s min", minutes=12) == "12 phút"
    assert gettext_for("zh")("Trip status") == "车辆行程状态"
    assert gettext_for("en")("Trip status") == "Trip status"
    assert gettext_for("xx")("Trip status") == "Trạng thái chuyến xe"  # unknown: the gate's own language
