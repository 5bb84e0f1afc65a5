"""The screens' templates keep to the Content-Security-Policy and the CSRF defence: checked on their source, so a
new template with an inline script or a form without its token fails the build before any browser opens it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bordergate" / "entrypoints" / "web" / "templates"
SOURCES = sorted(TEMPLATES.glob("*.html"))
TOKEN = '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'


@pytest.mark.parametrize("template", SOURCES, ids=lambda path: path.name)
def test_every_form_that_changes_something_carries_the_csrf_token(template):
    source = template.read_text()
    forms = re.findall(r"<form\b[^>]*>(?:\s*<input[^>]*>)?", source)
    posting = [form for form in forms if 'method="get"' not in form.lower()]
    assert [form for form in posting if TOKEN not in form] == []


@pytest.mark.parametrize("template", SOURCES, ids=lambda path: path.name)
def test_no_template_has_inline_script_style_or_event_handlers(template):
    source = template.read_text()
    # Only scripts from /static run (named by static(), fingerprinted), and JSON data blocks (never executed) carry
    # values to them.
    scripts = re.findall(r"<script\b[^>]*>", source)
    assert [s for s in scripts if 'src="{{ static(' not in s and 'type="application/json"' not in s] == []
    assert re.findall(r"<style\b", source) == []
    assert re.findall(r"\sstyle=", source) == []
    assert re.findall(r"\son[a-z]+=", source) == []
    assert "javascript:" not in source


@pytest.mark.parametrize("template", SOURCES, ids=lambda path: path.name)
def test_every_static_file_is_named_through_static_so_its_url_carries_its_fingerprint(template):
    # A bare /static/ URL would be cached by no phone (no-cache), or be stale after a release if it were.
    assert re.findall(r"""["']/static/""", template.read_text()) == []
