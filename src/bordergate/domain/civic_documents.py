"""Civic data as published documents: categories, routing, a year's calendar and the communes, read and checked."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from bordergate.domain.communes import KINDS, Commune
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.report_rules import ANY, DATATYPES, Attribute, Category, Rule, RoutingTable
from bordergate.domain.working_days import Holiday, WorkingCalendar

FIRST_VERSION = 1  # the data shipped with the code; the first publication is version 2
UNIT_TEMPLATE = "UBND_{commune}"


class CivicKind(StrEnum):
    """What a civic document holds; each kind has its own run of versions."""

    CATEGORIES = "categories"
    ROUTING = "routing"
    CALENDAR = "calendar"  # one year a document; the latest version of a year counts
    COMMUNES = "communes"


@dataclass(frozen=True)
class CivicDocument:
    """One published version of a kind of civic data, kept as the JSON document the admin gave."""

    kind: str
    version: int
    in_force_from: date
    document: dict[str, Any]
    published_at: datetime
    published_by: str

    @property
    def digest(self) -> str:
        return digest(self.document)


def digest(document: dict[str, Any]) -> str:
    """SHA-256 of the document in a canonical form: what the events name, so a copy can be checked."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _field(doc: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
           problems: list[FieldProblem], default: Any = ...) -> Any:
    value = doc.get(key, default)
    if value is ... or not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        problems.append(FieldProblem(f"{where}{key}", "is missing" if value is ... else "has the wrong type"))
        return None
    return value


def _items(doc: dict[str, Any], key: str, problems: list[FieldProblem]) -> list[dict[str, Any]]:
    items = doc.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        problems.append(FieldProblem(key, "must be a non-empty list of objects"))
        return []
    return items


def _day(text: Any, where: str, problems: list[FieldProblem]) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        problems.append(FieldProblem(where, "must be a date as YYYY-MM-DD"))
        return None


def _done(problems: list[FieldProblem]) -> None:
    if problems:
        raise Invalid(problems)


# --- categories ---------------------------------------------------------------------------------------------------

def read_categories(doc: dict[str, Any]) -> dict[str, Category]:
    """The categories a document lists, each checked (unique codes, names in three languages, Open311 types)."""
    problems: list[FieldProblem] = []
    found: dict[str, Category] = {}
    for n, item in enumerate(_items(doc, "categories", problems)):
        at = f"categories[{n}]."
        code = _field(item, "code", str, at, problems)
        texts = [_field(item, k, str, at, problems) for k in ("group", "name_vi", "name_en", "name_zh")]
        if code in found:
            problems.append(FieldProblem(f"{at}code", f"{code} is listed twice"))
        attributes = []
        for m, raw in enumerate(item.get("attributes", [])):
            where = f"{at}attributes[{m}]."
            _field(raw, "code", str, where, problems)
            datatype = _field(raw, "datatype", str, where, problems)
            if datatype is not None and datatype not in DATATYPES:
                problems.append(FieldProblem(f"{where}datatype", f"is one of {', '.join(DATATYPES)}"))
            values = tuple(raw.get("values", ()))
            if datatype in ("singlevaluelist", "multivaluelist") and not values:
                problems.append(FieldProblem(f"{where}values", "a list question needs its values"))
            attributes.append(Attribute(raw.get("code", ""), datatype or "", raw.get("description", ""),
                                        bool(raw.get("required", False)), values))
        if code is None or None in texts:
            continue
        group, name_vi, name_en, name_zh = texts
        found[code] = Category(
            code, group, name_vi, name_en, name_zh, urgent=bool(item.get("urgent", False)),
            never_public=bool(item.get("never_public", False)),
            answer_working_days=item.get("answer_working_days"), attributes=tuple(attributes),
            duplicate_radius_m=item.get("duplicate_radius_m"), duplicate_window_days=item.get("duplicate_window_days"))
    _done(problems)
    return found


def categories_document(categories: Iterable[Category]) -> dict[str, Any]:
    return {"categories": [{**asdict(c), "attributes": [{**asdict(a), "values": list(a.values)}
                                                        for a in c.attributes]} for c in categories]}


# --- routing ------------------------------------------------------------------------------------------------------

def read_routing(doc: dict[str, Any], version: int, categories: Iterable[str] | None,
                 is_unit: Callable[[str], bool], communes: Iterable[str] | None = None) -> RoutingTable:
    """The routing table a document holds, checked against the categories in force and the registered units (a
    commune's committee as UBND_{commune} is checked when a report comes); the last rule is the catch-all.
    ``categories`` None: read again what was checked when published (categories may have changed since);
    ``communes``, when given, the commune codes a rule may name."""
    problems: list[FieldProblem] = []
    known = None if categories is None else set(categories)
    places = None if communes is None else set(communes)
    rules = []
    for n, item in enumerate(_items(doc, "rules", problems)):
        at = f"rules[{n}]."
        category = _field(item, "category", str, at, problems)
        communes = _field(item, "communes", (str, list), at, problems)
        unit = _field(item, "unit", str, at, problems)
        if category is not None and category != ANY and known is not None and category not in known:
            problems.append(FieldProblem(f"{at}category", f"{category} is not a category in force"))
        if isinstance(communes, str) and communes != ANY:
            problems.append(FieldProblem(f"{at}communes", 'is "*" or a list of commune codes'))
        elif isinstance(communes, list) and places is not None and not set(communes) <= places:
            unknown = ", ".join(sorted(str(c) for c in set(communes) - places))
            problems.append(FieldProblem(f"{at}communes", f"{unknown}: not a commune in force; publish the "
                                                          "communes first"))
        if unit is not None and unit != UNIT_TEMPLATE and not is_unit(unit):
            problems.append(FieldProblem(f"{at}unit", f"{unit} is not a registered unit; register it first"))
        if None not in (category, communes, unit):
            rules.append(Rule(category, communes if isinstance(communes, str) else tuple(communes), unit))
    _done(problems)
    return RoutingTable(version, tuple(rules))  # refuses a table whose last rule is not the catch-all


def routing_document(table: RoutingTable) -> dict[str, Any]:
    return {"rules": [{"category": r.category, "communes": r.communes if isinstance(r.communes, str)
                       else list(r.communes), "unit": r.unit} for r in table.rules]}


# --- a year's working calendar ------------------------------------------------------------------------------------

def read_calendar(doc: dict[str, Any]) -> WorkingCalendar:
    """A year's calendar: every holiday named in three languages, the Saturdays worked, the source cited."""
    problems: list[FieldProblem] = []
    year = _field(doc, "year", int, "", problems)
    source = _field(doc, "source", str, "", problems)
    if isinstance(source, str) and not source.strip():
        problems.append(FieldProblem("source", "cite the government's decision (or say which rule was applied)"))
    holidays = []
    for n, item in enumerate(_items(doc, "holidays", problems)):
        day = _day(item.get("day"), f"holidays[{n}].day", problems)
        names = [_field(item, k, str, f"holidays[{n}].", problems) for k in ("vi", "en", "zh")]
        if day is not None and None not in names:
            holidays.append(Holiday(day, *names))
    extra = [_day(d, f"extra_working_days[{n}]", problems) for n, d in enumerate(doc.get("extra_working_days", []))]
    hours = [_time(doc.get(k, default), k, problems) for k, default in (("opens", "07:30"), ("closes", "17:00"))]
    _done(problems)
    try:
        return WorkingCalendar(year, tuple(holidays), frozenset(d for d in extra if d), source,
                               opens=hours[0] or time(7, 30), closes=hours[1] or time(17),
                               confirmed=bool(doc.get("confirmed", False)))
    except ValueError as exc:
        raise Invalid([FieldProblem("holidays", str(exc))]) from None


def _time(text: Any, where: str, problems: list[FieldProblem]) -> time | None:
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError):
        problems.append(FieldProblem(where, "must be a time as HH:MM"))
        return None


def calendar_document(calendar: WorkingCalendar) -> dict[str, Any]:
    return {"year": calendar.year, "confirmed": calendar.confirmed, "source": calendar.source,
            "opens": calendar.opens.strftime("%H:%M"), "closes": calendar.closes.strftime("%H:%M"),
            "holidays": [{"day": h.day.isoformat(), "vi": h.vi, "en": h.en, "zh": h.zh} for h in calendar.holidays],
            "extra_working_days": sorted(d.isoformat() for d in calendar.extra_working_days)}


# --- communes -----------------------------------------------------------------------------------------------------

def read_communes(doc: dict[str, Any]) -> tuple[Commune, ...]:
    """The province's communes and wards, each with the day it began (and ended), codes unique."""
    problems: list[FieldProblem] = []
    found: dict[str, Commune] = {}
    for n, item in enumerate(_items(doc, "communes", problems)):
        at = f"communes[{n}]."
        code, name = _field(item, "code", str, at, problems), _field(item, "name", str, at, problems)
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(FieldProblem(f"{at}kind", f"is one of {', '.join(KINDS)}"))
        start = _day(item.get("valid_from"), f"{at}valid_from", problems)
        end = _day(item["valid_to"], f"{at}valid_to", problems) if item.get("valid_to") else None
        if code in found:
            problems.append(FieldProblem(f"{at}code", f"{code} is listed twice"))
        if code and name and start and kind in KINDS:
            found[code] = Commune(code, name, kind, start, end, item.get("lat"), item.get("lon"))
    _done(problems)
    return tuple(found.values())


def communes_document(communes: Iterable[Commune], note: str = "") -> dict[str, Any]:
    return {"note": note, "communes": [
        {"code": c.code, "name": c.name, "kind": c.kind, "valid_from": c.valid_from.isoformat(),
         "valid_to": c.valid_to.isoformat() if c.valid_to else None, "lat": c.lat, "lon": c.lon} for c in communes]}
