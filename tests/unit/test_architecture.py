"""Dependencies point one way: entrypoints -> bootstrap -> services -> domain; the domain needs only the stdlib."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bordergate"


def imports_of(layer: str) -> dict[str, set[str]]:
    found = {}
    for path in (PACKAGE / layer).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(PACKAGE))] = names
    return found


def test_the_domain_uses_nothing_but_the_standard_library_and_itself():
    outside = {module: sorted(n for n in names if n.split(".")[0] not in sys.stdlib_module_names
                              and not n.startswith("bordergate.domain") and n != "__future__")
               for module, names in imports_of("domain").items()}
    assert {module: names for module, names in outside.items() if names} == {}


@pytest.mark.parametrize("layer, forbidden", [
    ("domain", ("bordergate.services", "bordergate.adapters", "bordergate.entrypoints", "bordergate.bootstrap")),
    ("services", ("bordergate.adapters", "bordergate.entrypoints", "bordergate.bootstrap")),
    ("adapters", ("bordergate.entrypoints", "bordergate.bootstrap")),
])
def test_no_layer_reaches_up_into_the_layers_that_use_it(layer, forbidden):
    reaching = {module: sorted(n for n in names if n.startswith(forbidden))
                for module, names in imports_of(layer).items()}
    assert {module: names for module, names in reaching.items() if names} == {}
