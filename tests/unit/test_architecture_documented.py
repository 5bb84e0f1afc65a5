"""Every module of bordergate is named in docs/architecture.md's tree, with a line saying what lives there."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "bordergate"
# Alembic revisions are one per schema change, numbered; the tree names their folder, not each of them.
REVISIONS = "adapters/migrations/versions/"
ENTRY = re.compile(r"^    (?P<indent>(?:  )*)(?P<name>[\w.]+/?)(?:\s+(?P<what>\S.*))?$")


def _tree() -> dict[str, str]:
    """Each path the tree names (relative to src/bordergate/), with what the page says lives there."""
    lines = DOC.read_text().splitlines()
    start = lines.index("    src/bordergate/") + 1
    named, folders = {}, []
    for line in lines[start:]:
        entry = ENTRY.match(line)
        if entry is None:
            break
        depth = len(entry["indent"]) // 2 - 1
        folders = folders[:depth]
        path = "".join(folders) + entry["name"]
        named[path] = entry["what"] or ""
        if entry["name"].endswith("/"):
            folders.append(entry["name"])
    return named


def _modules() -> set[str]:
    found = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if path.name != "__init__.py"}
    return {module for module in found if not module.startswith(REVISIONS)}


def test_every_module_is_named_in_the_architecture_tree():
    assert sorted(_modules() - set(_tree())) == []


def test_the_architecture_tree_names_no_module_or_folder_that_no_longer_exists():
    stale = [path for path in _tree() if not (PACKAGE / path).exists()]
    assert stale == []


def test_every_module_in_the_tree_says_what_lives_there():
    assert [path for path, what in _tree().items() if path.endswith(".py") and not what] == []


def test_the_architecture_page_has_no_stale_words_from_before_its_issues_landed():
    page = DOC.read_text()
    assert [words for words in ("groundwork", "until their issues land") if words in page] == []
