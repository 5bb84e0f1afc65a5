"""Reading a declared trip from plain data: every bad field named with why, and the way back to plain data."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from bordergate.domain.dates import moment_in_range
from bordergate.domain.errors import FieldProblem, Invalid, InvalidValue
from bordergate.domain.identifiers import parse_container_number, parse_hs_code, parse_phone
from bordergate.domain.labels import parse_choice
from bordergate.domain.plates import parse_plate
from bordergate.domain.trip import ContainerSize, Driver, Flow, GoodsLine, TripDetails, Vehicle, VehicleClass

# A truck's legal gross weight in Vietnam tops out at 48 t; anything past 100 t is a typo, not a truck.
MAX_VEHICLE_KG = 100_000
# Bounds of the database columns (NUMERIC(14,3) and NUMERIC(18,2)): refused as a field, never as a crash.
MAX_GOODS_KG = Decimal(10) ** 11
MAX_GOODS_VALUE = Decimal(10) ** 16
# GoSwift books up to 90 days ahead; a declaration further out is almost always a wrong year.
MAX_DAYS_AHEAD = 90
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DOCUMENT = re.compile(r"^[A-Z0-9]{6,20}$")
# VNACCS numbers are 12 digits; China customs (single window) declaration numbers are 18.
_CUSTOMS_NUMBER = re.compile(r"^(\d{12}|\d{18})$")


class _Reader:
    """Collects problems while reading so one response names every bad field, not just the first."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def take(self, raw: Mapping[str, Any], key: str, path: str, parse: Callable[[Any], Any],
             required: bool = True) -> Any:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(FieldProblem(path, "is required"))
            return None
        try:
            return parse(value)
        except (InvalidValue, ValueError, TypeError, InvalidOperation) as exc:
            self.problems.append(FieldProblem(path, str(exc) or "is not valid"))
            return None

    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, message))


def _text(max_len: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue("must be text")
        if any(ord(ch) < 32 for ch in value.replace("\n", "").replace("\t", "")):
            raise InvalidValue("contains control characters; type plain text")
        text = " ".join(value.split())
        if len(text) > max_len:
            raise InvalidValue(f"must be at most {max_len} characters")
        return text
    return parse


def _textual(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """Grammar parsers read text; a number or list where a plate or code belongs is refused, not crashed on."""
    def guarded(value: Any) -> Any:
        if not isinstance(value, str):
            raise InvalidValue(f"must be text, not {type(value).__name__}")
        return parse(value)
    return guarded


_plate = _textual(parse_plate)
_hs_code = _textual(parse_hs_code)
_container_number = _textual(parse_container_number)
_phone = _textual(parse_phone)


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
            raise InvalidValue(f"must be a whole number from {low} to {high}")
        number = int(value)
        if not low <= number <= high:
            raise InvalidValue(f"must be from {low} to {high}, not {number}")
        return number
    return parse


def _amount(high: Decimal, places: int) -> Callable[[Any], Decimal]:
    """A positive decimal below ``high`` with at most ``places`` decimals (the column's precision and scale)."""
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InvalidValue("must be a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidValue(f"'{value}' is not a number; write it like 24000 or 24000.5") from None
        if not number.is_finite() or number <= 0:
            raise InvalidValue(f"must be more than zero, not {value}")
        if number >= high:
            raise InvalidValue(f"must be less than {high:,}; check for extra digits")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise InvalidValue(f"has more than {places} decimal places")
        return number
    return parse


def canonical(number: Decimal) -> str:
    """One spelling per amount (24000, not 24000.0 or 2.4E+4), so a restated amount is no correction."""
    return format(number.normalize(), "f")


def _choice(kind: type) -> Callable[[Any], Any]:
    return partial(parse_choice, kind)


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().upper()
        if not regex.match(text):
            raise InvalidValue(f"'{value}' is not {what}")
        return text
    return parse


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("must be true or false")
    return value


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise InvalidValue("needs a time zone, e.g. 2026-12-01T08:00:00+07:00")
    return moment_in_range(moment)


def read_trip(raw: Mapping[str, Any], *, now: datetime, crossing_points: Collection[str],
              check_arrival: bool = True) -> TripDetails:
    """Turn plain data into TripDetails, or raise Invalid naming every bad field and why."""
    r = _Reader()
    point = r.take(raw, "crossing_point", "crossing_point", _text(32))
    if point is not None and point not in crossing_points:
        known = ", ".join(sorted(crossing_points))
        r.fail("crossing_point", f"'{point}' is not a known crossing point; use one of: {known}")
    flow = r.take(raw, "flow", "flow", _choice(Flow))
    arrival = r.take(raw, "planned_arrival", "planned_arrival", _moment)
    if arrival is not None and check_arrival:
        if arrival < now:
            r.fail("planned_arrival", f"{arrival.isoformat()} is in the past; give the time the truck will arrive")
        elif arrival > now + timedelta(days=MAX_DAYS_AHEAD):
            r.fail("planned_arrival", f"is more than {MAX_DAYS_AHEAD} days ahead; check the year")
    vehicle = _read_vehicle(r, raw.get("vehicle"))
    driver = _read_driver(r, raw.get("driver"))
    empty = r.take(raw, "empty", "empty", _flag, required=False) or False
    goods = _read_goods(r, raw.get("goods"), empty=empty)
    containers = _read_containers(r, raw.get("containers"))
    number = r.take(raw, "customs_declaration_number", "customs_declaration_number",
                    _pattern(_CUSTOMS_NUMBER, "a customs declaration number (12 digits VNACCS, 18 digits China)"),
                    required=False)
    if vehicle is not None and goods and sum(g.gross_weight_kg for g in goods) > vehicle.gross_weight_kg:
        r.fail("goods", f"goods weigh more than the vehicle's gross weight of {vehicle.gross_weight_kg} kg")
    if vehicle is not None and containers and vehicle.container_size is ContainerSize.NONE:
        r.fail("vehicle.container_size", "containers are listed, so give the container size")
    wharf = r.take(raw, "wharf_transfer_only", "wharf_transfer_only", _flag, required=False) or False
    if r.problems:
        raise Invalid(r.problems)
    # The readers give None only after noting the problem that was just raised for.
    assert vehicle is not None and driver is not None
    return TripDetails(point, flow, arrival, vehicle, driver, tuple(goods), tuple(containers), number, wharf, empty)


def _section(r: _Reader, raw: Any, path: str) -> Mapping[str, Any] | None:
    if raw is None:
        r.fail(path, "is required")
        return None
    if not isinstance(raw, Mapping):
        r.fail(path, "must be an object")
        return None
    return raw


def _read_vehicle(r: _Reader, raw: Any) -> Vehicle | None:
    raw = _section(r, raw, "vehicle")
    if raw is None:
        return None
    before = len(r.problems)
    vehicle = Vehicle(
        tractor_plate=r.take(raw, "tractor_plate", "vehicle.tractor_plate", _plate),
        trailer_plate=r.take(raw, "trailer_plate", "vehicle.trailer_plate", _plate, required=False),
        vehicle_class=r.take(raw, "vehicle_class", "vehicle.vehicle_class", _choice(VehicleClass)),
        gross_weight_kg=r.take(raw, "gross_weight_kg", "vehicle.gross_weight_kg", _whole(1, MAX_VEHICLE_KG)),
        axles=r.take(raw, "axles", "vehicle.axles", _whole(2, 12)),
        container_size=r.take(raw, "container_size", "vehicle.container_size", _choice(ContainerSize),
                              required=False) or ContainerSize.NONE,
    )
    if vehicle.trailer_plate is not None and not vehicle.trailer_plate.is_trailer:
        r.fail("vehicle.trailer_plate", f"{vehicle.trailer_plate} is not a trailer plate (R/RM series, or 挂)")
    return vehicle if len(r.problems) == before else None


def _read_driver(r: _Reader, raw: Any) -> Driver | None:
    raw = _section(r, raw, "driver")
    if raw is None:
        return None
    before = len(r.problems)
    driver = Driver(
        full_name=r.take(raw, "full_name", "driver.full_name", _text(120)),
        document_number=r.take(raw, "document_number", "driver.document_number",
                               _pattern(_DOCUMENT, "an ID card or passport number (6-20 letters/digits)")),
        nationality=r.take(raw, "nationality", "driver.nationality",
                           _pattern(_COUNTRY, "a two-letter country code like VN or CN")),
        phone=r.take(raw, "phone", "driver.phone", _phone),
    )
    return driver if len(r.problems) == before else None


EMPTY_HOW = 'a truck travelling empty is declared with "empty": true and no goods lines'


def _read_goods(r: _Reader, raw: Any, *, empty: bool) -> list[GoodsLine]:
    if empty:
        if raw not in (None, []):
            r.fail("goods", 'the truck is declared empty ("empty": true), so list no goods; or declare it loaded '
                            'with "empty": false')
        return []
    if not isinstance(raw, list) or not raw:
        r.fail("goods", f"list at least one goods line; {EMPTY_HOW}")
        return []
    lines = []
    for i, item in enumerate(raw):
        path = f"goods[{i}]"
        item = _section(r, item, path)
        if item is None:
            continue
        before = len(r.problems)
        line = GoodsLine(
            hs_code=r.take(item, "hs_code", f"{path}.hs_code", _hs_code),
            description=r.take(item, "description", f"{path}.description", _text(300)),
            packages=r.take(item, "packages", f"{path}.packages", _whole(1, 1_000_000)),
            gross_weight_kg=r.take(item, "gross_weight_kg", f"{path}.gross_weight_kg", _amount(MAX_GOODS_KG, 3)),
            value=r.take(item, "value", f"{path}.value", _amount(MAX_GOODS_VALUE, 2)),
            currency=r.take(item, "currency", f"{path}.currency",
                            _pattern(_CURRENCY, "a currency code like VND, USD or CNY")),
            origin_country=r.take(item, "origin_country", f"{path}.origin_country",
                                  _pattern(_COUNTRY, "a two-letter country code like VN or CN")),
            perishable=r.take(item, "perishable", f"{path}.perishable", _flag, required=False) or False,
            shelf_life_hours=r.take(item, "shelf_life_hours", f"{path}.shelf_life_hours", _whole(1, 24 * 365),
                                    required=False),
            quarantine_required=r.take(item, "quarantine_required", f"{path}.quarantine_required", _flag,
                                       required=False) or False,
        )
        if line.perishable and item.get("shelf_life_hours") is None:
            r.fail(f"{path}.shelf_life_hours", "perishable goods need their shelf life in hours")
        if len(r.problems) == before:
            lines.append(line)
    return lines


def _read_containers(r: _Reader, raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.fail("containers", "must be a list of container numbers")
        return []
    numbers = [r.take({"n": n}, "n", f"containers[{i}]", _container_number) for i, n in enumerate(raw)]
    seen: set[str] = set()
    for i, number in enumerate(numbers):
        if number is None:
            continue
        if number in seen:
            r.fail(f"containers[{i}]", f"{number} is listed twice")
        seen.add(number)
    return [n for n in numbers if n]


def read_vehicle(raw: Any) -> Vehicle:
    """A vehicle alone (for the enterprise's saved fleet), or Invalid naming every bad field."""
    r = _Reader()
    vehicle = _read_vehicle(r, raw)
    if r.problems:
        raise Invalid(r.problems)
    assert vehicle is not None  # None only after noting the problem just raised for
    return vehicle


def read_driver(raw: Any) -> Driver:
    """A driver alone (for the enterprise's saved drivers), or Invalid naming every bad field."""
    r = _Reader()
    driver = _read_driver(r, raw)
    if r.problems:
        raise Invalid(r.problems)
    assert driver is not None  # None only after noting the problem just raised for
    return driver


def vehicle_to_plain(v: Vehicle) -> dict[str, Any]:
    """JSON-ready vehicle data that read_vehicle reads back to the same vehicle."""
    return {
        "tractor_plate": v.tractor_plate.display,
        "trailer_plate": v.trailer_plate.display if v.trailer_plate else None,
        "vehicle_class": v.vehicle_class.value,
        "gross_weight_kg": v.gross_weight_kg,
        "axles": v.axles,
        "container_size": v.container_size.value,
    }


def driver_to_plain(d: Driver) -> dict[str, Any]:
    """JSON-ready driver data that read_driver reads back to the same driver."""
    return {"full_name": d.full_name, "document_number": d.document_number,
            "nationality": d.nationality, "phone": d.phone}


def trip_to_plain(trip: TripDetails) -> dict[str, Any]:
    """The inverse of read_trip: JSON-ready data that reads back to the same trip."""
    return {
        "crossing_point": trip.crossing_point,
        "flow": trip.flow.value,
        "planned_arrival": trip.planned_arrival.isoformat(),
        "vehicle": vehicle_to_plain(trip.vehicle),
        "driver": driver_to_plain(trip.driver),
        "goods": [
            {"hs_code": g.hs_code, "description": g.description, "packages": g.packages,
             "gross_weight_kg": canonical(g.gross_weight_kg), "value": canonical(g.value), "currency": g.currency,
             "origin_country": g.origin_country, "perishable": g.perishable,
             "shelf_life_hours": g.shelf_life_hours, "quarantine_required": g.quarantine_required}
            for g in trip.goods
        ],
        "containers": list(trip.containers),
        "customs_declaration_number": trip.customs_declaration_number,
        "wharf_transfer_only": trip.wharf_transfer_only,
        "empty": trip.empty,
    }


def trip_from_record(plain: dict[str, Any]) -> TripDetails:
    """Rebuild a stored trip: same reader, but a stored arrival may lie in the past by now."""
    return read_trip(plain, now=datetime.fromisoformat(plain["planned_arrival"]),
                     crossing_points=(plain["crossing_point"],), check_arrival=False)
