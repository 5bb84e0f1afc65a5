"""Downloads' names: whatever a name holds, the Content-Disposition header is one well-formed value."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bordergate.entrypoints.api.downloads import disposition

WELL_FORMED = re.compile(r"""(inline|attachment); filename="[A-Za-z0-9._-]+"(; filename\*=UTF-8''[A-Za-z0-9%._~-]+)?""")
SOURCE = Path(__file__).resolve().parents[2] / "src" / "bordergate"


@given(st.text(max_size=300), st.booleans())
def test_any_name_gives_one_safe_ascii_filename_and_no_other_parameter(name, inline):
    value = disposition(name, inline=inline)["content-disposition"]
    assert WELL_FORMED.fullmatch(value), value
    assert value.isascii() and value.count("filename=") == 1


def test_a_quote_in_a_name_cannot_add_a_second_filename():
    value = disposition('reconciliation-2026-11-27-x"; filename="evil.exe.csv')["content-disposition"]
    assert value == 'attachment; filename="reconciliation-2026-11-27-x_filename_evil.exe.csv"'


def test_a_vietnamese_name_keeps_its_letters_in_filename_star_beside_an_ascii_filename():
    value = disposition("Biên lai Hữu Nghị.pdf", inline=True)["content-disposition"]
    assert value == ("inline; filename=\"Bien_lai_Huu_Nghi.pdf\"; "
                     "filename*=UTF-8''Bi%C3%AAn%20lai%20H%E1%BB%AFu%20Ngh%E1%BB%8B.pdf")


def test_every_content_disposition_is_built_by_the_one_helper():
    writers = sorted(str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")
                     if "content-disposition" in path.read_text(encoding="utf-8").lower())
    assert writers == ["entrypoints/api/downloads.py"]
