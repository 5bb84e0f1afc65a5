"""No two of bordergate's services or entrypoints import each other, even through other modules or inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SOURCE / "bordergate"
WATCHED = ("bordergate.services.", "bordergate.entrypoints.")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_names(tree: ast.AST, importer: str, is_package: bool) -> set[str]:
    """Every dotted name imported anywhere in the tree (functions included) but under `if TYPE_CHECKING:`."""
    names: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and is_type_checking(node.test):
            pending.extend(node.orelse)  # only the typing-only branch never runs
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = importer.split(".")[: len(importer.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` imports the module; `from module import name` the module itself
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
        pending.extend(ast.iter_child_nodes(node))
    return names


def import_graph() -> dict[str, set[str]]:
    """Each bordergate module -> the bordergate modules it imports (a package stands for its __init__)."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}
    graph = {}
    for module, path in paths.items():
        names = imported_names(ast.parse(path.read_text()), module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in paths and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return [a_cycle_in(component, graph) for component in components]


def a_cycle_in(component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The shortest way from the component's first module back to itself, to name in the failure."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & component):
                if child == start:
                    return paths[node] + [start]
                if child not in paths:
                    paths[child] = paths[node] + [child]
                    following.append(child)
        frontier = following
    return sorted(component)


def tangled_with(cycle: list[str], graph: dict[str, set[str]]) -> str:
    """The other modules caught in the same knot, which must all be untied before the test passes."""
    reach = set(cycle)
    for module in graph:  # in the knot when it reaches the cycle and the cycle reaches it
        if module not in reach and cycle[0] in reachable(module, graph) and module in reachable(cycle[0], graph):
            reach.add(module)
    others = sorted(reach - set(cycle))
    return f" (with {', '.join(others)})" if others else ""


def reachable(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen, pending = set(), [start]
    while pending:
        for child in graph[pending.pop()] - seen:
            seen.add(child)
            pending.append(child)
    return seen


def test_services_and_entrypoints_import_each_other_in_no_cycle():
    graph = import_graph()
    named = [" -> ".join(cycle) + tangled_with(cycle, graph) for cycle in cycles(graph)
             if any(module.startswith(WATCHED) for module in cycle)]
    assert named == [], "import cycles; move what both sides need into a module both import:\n" + "\n".join(named)


def test_the_cycle_finder_names_a_cycle_through_a_function_level_import():
    tree = ast.parse("import a.b\ndef later():\n    from c import d\n")
    assert imported_names(tree, "x", False) == {"a.b", "c", "c.d"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_cycle_finder_ignores_imports_made_only_for_type_checkers():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nelse:\n    import b\n")
    assert imported_names(tree, "x", False) == {"typing", "typing.TYPE_CHECKING", "b"}
