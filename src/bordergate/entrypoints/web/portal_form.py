"""Reading the portal's declaration form: its fields by domain path, goods lines, local times, where each problem
shows."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bordergate.entrypoints.web import pages

VEHICLE_FIELDS = ("tractor_plate", "trailer_plate", "vehicle_class", "gross_weight_kg", "axles", "container_size")
DRIVER_FIELDS = ("full_name", "document_number", "nationality", "phone")
GOODS_FIELDS = ("hs_code", "description", "packages", "gross_weight_kg", "value", "currency", "origin_country",
                "shelf_life_hours")
GOODS_FLAGS = ("perishable", "quarantine_required")
RETURN_FIELDS = ("return_empty", "return_empty.planned_arrival")
GOODS_KEY = re.compile(r"^goods\[(\d+)\]\.")


def place(errors: dict[str, str], lines: int) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each problem next to the input it is about; what no single input shows (a whole section) goes on top."""
    inputs = {"enterprise_id", "crossing_point", "flow", "planned_arrival", "vehicle_id", "driver_id", "containers",
              "customs_declaration_number", "wharf_transfer_only", "empty", *RETURN_FIELDS,
              *(f"vehicle.{n}" for n in VEHICLE_FIELDS),
              *(f"driver.{n}" for n in DRIVER_FIELDS),
              *(f"goods[{i}].{n}" for i in range(lines) for n in (*GOODS_FIELDS, *GOODS_FLAGS))}
    placed: dict[str, str] = {}
    elsewhere = []
    for path, message in errors.items():
        name = "containers" if path.startswith("containers[") else path
        if name in inputs:
            placed[name] = f"{placed[name]}; {message}" if name in placed else message
        else:
            elsewhere.append((path, message))
    return placed, elsewhere


def without_blank_lines(form: dict[str, str]) -> dict[str, str]:
    """Goods lines left empty are dropped and the rest renumbered, so a problem's path names the line shown."""
    lines: dict[int, dict[str, str]] = {}
    values = {}
    for key, value in form.items():
        if match := GOODS_KEY.match(key):
            lines.setdefault(int(match.group(1)), {})[key[match.end():]] = value
        elif key != "add_line":
            values[key] = value
    kept = [line for _, line in sorted(lines.items()) if any(v.strip() for v in line.values())]
    for i, line in enumerate(kept):
        values.update({f"goods[{i}].{name}": value for name, value in line.items()})
    return values


def trip_of(values: dict[str, str]) -> dict[str, Any]:
    """The trip as the domain reads it: blank fields left out, so a picked vehicle or driver fills them."""
    def typed(prefix: str, names: tuple[str, ...]) -> dict[str, str]:
        return {name: values[f"{prefix}{name}"].strip() for name in names if values.get(f"{prefix}{name}", "").strip()}

    count = len({m.group(1) for key in values if (m := GOODS_KEY.match(key))})
    goods = [{**typed(f"goods[{i}].", GOODS_FIELDS), **{flag: bool(values.get(f"goods[{i}].{flag}"))
                                                          for flag in GOODS_FLAGS}} for i in range(count)]
    return {**typed("", ("crossing_point", "flow", "customs_declaration_number")),
            "planned_arrival": local_moment(values.get("planned_arrival", "")),
            "vehicle": typed("vehicle.", VEHICLE_FIELDS), "driver": typed("driver.", DRIVER_FIELDS), "goods": goods,
            "containers": [n for n in re.split(r"[\s,;]+", values.get("containers", "")) if n],
            "wharf_transfer_only": bool(values.get("wharf_transfer_only")), "empty": bool(values.get("empty"))}


def return_of(values: dict[str, str]) -> dict[str, Any] | None:
    """"And back empty" ticked: the return trip's time as the domain reads it; None when not ticked."""
    if not values.get("return_empty"):
        return None
    return {"planned_arrival": local_moment(values.get("return_empty.planned_arrival", ""))}


def local_moment(text: str) -> str | None:
    """A time typed on the gate's clock (the form's date and time): given its zone, UTC+7."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return text.strip() or None
    return (moment if moment.tzinfo else moment.replace(tzinfo=pages.BORDER_TIME)).isoformat()
