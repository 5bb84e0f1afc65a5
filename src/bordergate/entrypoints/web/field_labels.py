"""The trip's fields as a person names them: the correction form lists each field and what it says now in the
reader's language, never a field path (driver.phone) or a stored code (HUU_NGHI, reefer, True)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bordergate.domain.crossing_points import CrossingPoint
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import ContainerSize, Flow, VehicleClass
from bordergate.entrypoints.web.i18n import LOCALES
from bordergate.entrypoints.web.pages import local_time

# Each path's words are the declaration form's own labels (their vi and zh are in portal.po and messages.po), so a
# field is called the same when it is declared and when it is corrected.
_GROUPS = {"vehicle": "Vehicle", "driver": "Driver"}
_FIELDS = {
    "crossing_point": "Crossing point", "flow": "Flow", "planned_arrival": "Planned arrival",
    "customs_declaration_number": "Customs declaration number", "containers": "Container numbers",
    "wharf_transfer_only": "Only transfers goods at the border wharf (does not go inland)",
    "vehicle.tractor_plate": "Tractor plate", "vehicle.trailer_plate": "Trailer plate",
    "vehicle.vehicle_class": "Vehicle class", "vehicle.gross_weight_kg": "Gross weight (kg)",
    "vehicle.axles": "Axles", "vehicle.container_size": "Container size",
    "driver.full_name": "Full name", "driver.document_number": "ID card or passport number",
    "driver.nationality": "Nationality", "driver.phone": "Driver's phone",
    "goods.hs_code": "HS code", "goods.description": "Goods description", "goods.packages": "Packages",
    "goods.gross_weight_kg": "Goods weight (kg)", "goods.value": "Value", "goods.currency": "Currency",
    "goods.origin_country": "Country of origin", "goods.perishable": "Perishable",
    "goods.shelf_life_hours": "Shelf life (hours)", "goods.quarantine_required": "Needs quarantine",
}
_CHOICES: dict[str, type[Labelled]] = {"flow": Flow, "vehicle.vehicle_class": VehicleClass,
                                       "vehicle.container_size": ContainerSize}
_GOODS = re.compile(r"^goods\[(\d+)\]\.(\w+)$")


def field_label(path: str, _: Callable[..., str]) -> str:
    """``goods[0].hs_code`` as "Goods line 1 · HS code", ``driver.phone`` as "Driver's phone", translated by ``_``;
    a path the table does not know is shown as it is rather than hidden."""
    if found := _GOODS.match(path):
        line, leaf = int(found.group(1)) + 1, found.group(2)
        return f"{_('Goods line %(n)s', n=line)} · {_(_FIELDS.get('goods.' + leaf, leaf))}"
    if path not in _FIELDS:
        return path
    group = path.split(".", 1)[0]
    words = _(_FIELDS[path])
    return f"{_(_GROUPS[group])} · {words}" if group in _GROUPS and path != "driver.phone" else words


def shown_value(path: str, value: Any, locale: str, _: Callable[..., str], point_names: Mapping[str, str]) -> str:
    """What a field says now, in the reader's words: choices by their label, a crossing point by its name, yes/no,
    an empty field as a dash, the arrival on the gate's clock."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    leaf = "goods." + found.group(2) if (found := _GOODS.match(path)) else path
    if leaf in _CHOICES:
        try:
            return _CHOICES[leaf](value).label(locale)
        except ValueError:
            return str(value)
    if leaf == "crossing_point":
        return point_names.get(value, value)
    if leaf == "planned_arrival":
        return local_time(value)
    return str(value)


def correction_fields(fields: list[tuple[str, Any]], locale: str, _: Callable[..., str],
                      point_names: Mapping[str, str]) -> list[dict[str, str]]:
    """The correction form's choices: each field's path (what the form sends), its label and what it says now."""
    return [{"path": path, "label": field_label(path, _), "value": shown_value(path, value, locale, _, point_names)}
            for path, value in fields]


def typed_choice(path: str, text: str, points: Iterable[CrossingPoint]) -> str | None:
    """The code of a choice typed by its label in any of the screens' languages ("Xe lạnh", "冷藏车" for reefer;
    "友谊关" or "Hữu Nghị" for HUU_NGHI), so the form shows words and takes words; None when it is no label."""
    typed = text.strip().casefold()
    leaf = "goods." + found.group(2) if (found := _GOODS.match(path)) else path
    if leaf in _CHOICES:
        named = {label.casefold(): member.value for member in _CHOICES[leaf] for label in member.labels.values()}
        return named.get(typed)
    if leaf == "crossing_point":
        return next((p.code for p in points if typed in {p.name_in(locale).casefold() for locale in LOCALES}), None)
    return None
