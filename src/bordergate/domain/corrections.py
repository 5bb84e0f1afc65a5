"""Field paths like ``goods[0].hs_code``: how one field of a declared trip is named, read and replaced."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from bordergate.domain.errors import InvalidValue

_STEP = re.compile(r"([a-z_]+)|\[(\d+)\]")


@dataclass(frozen=True)
class FieldChange:
    """One corrected field: where, what it was, what it is now (both as plain data)."""

    field: str
    old: Any
    new: Any


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    position = 0
    for match in _STEP.finditer(path):
        if match.start() != position and path[position:match.start()] != ".":
            break
        steps.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    if not steps or position != len(path):
        raise InvalidValue(f"'{path}' is not a field path; write it like vehicle.tractor_plate or goods[0].hs_code")
    return steps


def read_field(plain: dict[str, Any], path: str) -> Any:
    """The value at ``path`` in plain trip data; InvalidValue if there is no such field."""
    node: Any = plain
    for step in _steps(path):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise InvalidValue(f"'{path}' names an item that does not exist")
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                raise InvalidValue(f"'{path}' is not a field of a declaration")
            node = node[step]
    return node


def with_field(plain: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of plain trip data with the field at ``path`` replaced; the original is untouched."""
    read_field(plain, path)
    result = copy.deepcopy(plain)
    *parents, last = _steps(path)
    node: Any = result
    for step in parents:
        node = node[step]
    node[last] = copy.deepcopy(value)
    return result
