"""docs/glossary.md is one table that renders: every row has the header's columns, and no row falls out of it."""
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


def _cells(line: str) -> list[str]:
    # A pipe inside a cell is written \| and does not end the cell.
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _table() -> list[str]:
    """The lines from the table's header to the page's end: a blank line there would end the table early."""
    lines = DOC.read_text().rstrip("\n").splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("|")):]


def test_the_glossary_is_one_table_with_no_blank_line_or_loose_text_inside():
    assert [line for line in _table() if not line.startswith("|")] == []


def test_every_glossary_row_has_a_term_and_its_meaning():
    header, rule, *rows = _table()
    assert _cells(header) == ["term", "meaning"] and set("".join(_cells(rule))) == {"-"}
    assert [row for row in rows if len(_cells(row)) != 2 or not all(_cells(row))] == []


def test_the_glossary_explains_the_queue_and_camera_words_the_screens_use():
    terms = {_cells(row)[0].lower() for row in _table()[2:]}
    assert {"sighting", "priority class", "perishable (cargo)"} <= terms
