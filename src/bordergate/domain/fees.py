"""The border-gate infrastructure fee: tariffs as versioned data, and pure assessment of a trip with its rule lines.

Money is whole VND in integers: percentages are integer per cents of integer amounts, never floats.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bordergate.domain.identifiers import hs_chapter
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import ContainerSize, Flow, GoodsLine, TripDetails


class GoodsClass(Labelled):
    """The goods classes the tariff distinguishes; a trip's class comes from its goods lines' HS chapters."""

    FRESH_PRODUCE = ("fresh_produce", "Rau, củ, quả tươi", "Fresh fruit and vegetables", "新鲜果蔬", "green")
    AGRICULTURAL = ("agricultural", "Nông sản", "Agricultural products", "农产品", "olive")
    ORE = ("ore", "Quặng, khoáng sản", "Ore and minerals", "矿石", "grey")
    GENERAL = ("general", "Hàng hóa khác", "Other goods", "其他货物", "blue")


class Journey(Labelled):
    """How the vehicle uses the gate's infrastructure, which scales the fee."""

    THROUGH = ("through", "Qua cửa khẩu", "Crosses the gate", "经口岸通行", "blue")
    INLAND = ("inland", "Nhập khẩu vào nội địa", "Imported goods going inland", "进口货物运往内地", "amber")
    WHARF_TRANSFER = ("wharf_transfer", "Chỉ chuyển tải tại bến bãi", "Transfers at the wharf only", "仅在场站换装",
                      "teal")


# Goods imported to be delivered inland (unless the vehicle only transfers at the wharf); goods imported for
# re-export, and the outbound leg of a temporary export, do not go inland.
INLAND_FLOWS = frozenset({Flow.IMPORT})


def journey_of(trip: TripDetails) -> Journey:
    if trip.wharf_transfer_only:
        return Journey.WHARF_TRANSFER
    return Journey.INLAND if trip.flow in INLAND_FLOWS else Journey.THROUGH


@dataclass(frozen=True)
class TariffLine:
    """One line of the schedule: the amount for a vehicle of a load or container size carrying a goods class.
    ``goods`` None is the basic level for any goods; ``flows`` None any flow. Loads are the goods' gross weight.
    An ``empty`` line prices a vehicle crossing with no goods (its goods and loads are not read), and only that."""

    key: str
    description: str
    amount_vnd: int
    goods: frozenset[GoodsClass] | None = None
    containers: frozenset[ContainerSize] | None = None
    below_load_kg: int | None = None
    from_load_kg: int | None = None
    flows: frozenset[Flow] | None = None
    empty: bool = False

    def fits_empty(self, trip: TripDetails) -> bool:
        if not self.empty:
            return False
        if self.flows is not None and trip.flow not in self.flows:
            return False
        return self.containers is None or trip.vehicle.container_size in self.containers

    def fits(self, trip: TripDetails, goods: GoodsClass, *, basic: bool) -> bool:
        if self.empty:
            return False
        if (self.goods is None) != basic or (self.goods is not None and goods not in self.goods):
            return False
        if self.flows is not None and trip.flow not in self.flows:
            return False
        if self.containers is not None and trip.vehicle.container_size not in self.containers:
            return False
        load = trip.goods_weight_kg
        if self.below_load_kg is not None and load >= self.below_load_kg:
            return False
        return self.from_load_kg is None or load >= self.from_load_kg


@dataclass(frozen=True)
class ParkingRate:
    """Yard parking by duration: free for a while, then an amount per started hour, at most so much a day."""

    free_minutes: int
    per_started_hour_vnd: int
    per_day_cap_vnd: int | None = None

    def charge(self, minutes: int) -> int:
        if minutes <= self.free_minutes:
            return 0
        days, rest = divmod(minutes, 24 * 60)
        day_cap = self.per_day_cap_vnd
        full_days = days * (day_cap if day_cap is not None else 24 * self.per_started_hour_vnd)
        rest_hours = -(-rest // 60)
        rest_amount = rest_hours * self.per_started_hour_vnd
        return full_days + (min(rest_amount, day_cap) if day_cap is not None else rest_amount)


@dataclass(frozen=True)
class Tariff:
    """A version of a jurisdiction's schedule, in force from a date; a new resolution is a new version."""

    version: str
    jurisdiction: str
    title: str
    in_force_from: date
    lines: tuple[TariffLine, ...]
    goods_chapters: dict[GoodsClass, frozenset[int]]
    # Per cent of the basic level by goods class (ore x5 is 500), and per cent by journey.
    goods_percent: dict[GoodsClass, int] = field(default_factory=dict)
    journey_percent: dict[Journey, int] = field(default_factory=dict)
    ceiling_vnd: int | None = None
    parking: ParkingRate | None = None

    def goods_class(self, line: GoodsLine) -> GoodsClass:
        chapter = hs_chapter(line.hs_code)
        if chapter in self.goods_chapters.get(GoodsClass.FRESH_PRODUCE, ()) and line.perishable:
            return GoodsClass.FRESH_PRODUCE
        for goods in (GoodsClass.ORE, GoodsClass.AGRICULTURAL):
            if chapter in self.goods_chapters.get(goods, ()):
                return goods
        if chapter in self.goods_chapters.get(GoodsClass.FRESH_PRODUCE, ()):
            return GoodsClass.AGRICULTURAL  # fruit and vegetables that are not fresh (dried, frozen)
        return GoodsClass.GENERAL


@dataclass(frozen=True)
class FeeLine:
    """One step of an assessment, as the declarant reads it: what rule, and the amount after it."""

    rule: str
    amount_vnd: int


class NotAssessed(Labelled):
    """Why a trip's fee is not assessed (nothing is guessed, and nothing is asked of the truck)."""

    NO_FEE_LINE = ("no_fee_line", "Biểu phí không có dòng áp dụng cho chuyến này",
                   "No line of the tariff applies to this trip", "收费标准中没有适用于此行程的条目", "grey")
    EMPTY_VEHICLE_NOT_PUBLISHED = (
        "empty_vehicle_not_published", "Mức phí cho xe không hàng chưa được công bố trong biểu phí",
        "The tariff has no published line for an empty vehicle", "收费标准尚未公布空车收费条目", "grey")


# Empty vehicles' fee classes start with this, so a stored assessment says which reason left it unassessed.
EMPTY_CLASS = "empty"


@dataclass(frozen=True)
class Assessment:
    """The fee for a trip under a tariff version, with the lines that produced it; ``missing`` when the schedule
    has no line for the trip (the management center must add one: nothing is guessed)."""

    tariff_version: str
    fee_class: str
    total_vnd: int
    lines: tuple[FeeLine, ...]
    missing: str | None = None

    @property
    def assessed(self) -> bool:
        return self.missing is None

    @property
    def not_assessed(self) -> NotAssessed | None:
        return not_assessed_reason(self.fee_class, self.missing)


def not_assessed_reason(fee_class: str, missing: str | None) -> NotAssessed | None:
    """The reason code of an unassessed fee, from what an assessment keeps (its class and its sentence)."""
    if missing is None:
        return None
    if fee_class.split("/")[0] == EMPTY_CLASS:
        return NotAssessed.EMPTY_VEHICLE_NOT_PUBLISHED
    return NotAssessed.NO_FEE_LINE


def tariff_in_force(tariffs: Iterable[Tariff], jurisdiction: str, on: date) -> Tariff | None:
    eligible = [t for t in tariffs if t.jurisdiction == jurisdiction and t.in_force_from <= on]
    return max(eligible, key=lambda t: t.in_force_from) if eligible else None


def assess(trip: TripDetails, tariff: Tariff) -> Assessment:
    """The fee for one trip: each goods class priced by its line (or the basic level times its per cent), the
    highest of a mixed cargo, scaled by the journey, capped by the ceiling if the schedule has one. An empty
    vehicle pays its tariff's empty line, if the tariff has one."""
    if trip.empty:
        return _assess_empty(trip, tariff)
    priced: list[tuple[int, GoodsClass, list[FeeLine], str]] = []
    unpriced: list[GoodsClass] = []
    for goods in sorted({tariff.goods_class(line) for line in trip.goods}, key=list(GoodsClass).index):
        found = _price(trip, tariff, goods)
        (priced.append(found) if found else unpriced.append(goods))
    journey = journey_of(trip)
    size = _size(trip)
    if unpriced:
        # Mixed cargo pays the highest rate, so an unpriced class could be the one that decides: refuse to guess.
        names = ", ".join(g.label("en").lower() for g in unpriced)
        # The class reports group by what would decide the rate: goods class and container, not the exact load.
        fee_class = f"{unpriced[0].value}/no line/{trip.vehicle.container_size.value}"
        return Assessment(tariff.version, fee_class, 0, (), missing=(
            f"tariff {tariff.version} has no line for {names} on {size} ({trip.flow.label('en').lower()}); "
            "the management center adds it, then the trip is assessed again"))
    amount, goods, lines, line_key = max(priced, key=lambda p: p[0])
    if len(priced) > 1:
        lines = lines + [FeeLine(f"mixed cargo: the highest applicable rate ({goods.label('en').lower()})", amount)]
    percent = tariff.journey_percent.get(journey, 100)
    if percent != 100:
        amount = amount * percent // 100
        lines.append(FeeLine(f"{journey.label('en').lower()}: {percent}% of the rate", amount))
    if tariff.ceiling_vnd is not None and amount > tariff.ceiling_vnd:
        amount = tariff.ceiling_vnd
        lines.append(FeeLine(f"ceiling of the schedule: {tariff.ceiling_vnd:,} VND a trip", amount))
    # A fee class is the tariff line that priced the trip and the journey: the rows of the reconciliation.
    return Assessment(tariff.version, f"{goods.value}/{line_key}/{journey.value}", amount, tuple(lines))


def _assess_empty(trip: TripDetails, tariff: Tariff) -> Assessment:
    line = next((line for line in tariff.lines if line.fits_empty(trip)), None)
    containers = trip.vehicle.container_size.value
    if line is None:
        return Assessment(tariff.version, f"{EMPTY_CLASS}/no line/{containers}", 0, (), missing=(
            f"tariff {tariff.version} has no line for an empty vehicle ({trip.flow.label('en').lower()}); the fee is "
            "not assessed and nothing is due. Resolution 09/2025's amounts for empty vehicles are not published "
            "with the tariff: the management center adds the line, then the trip is assessed again"))
    # No goods, so no journey coefficient (it scales goods going inland) and nothing to cap.
    return Assessment(tariff.version, f"{EMPTY_CLASS}/{line.key}/{containers}", line.amount_vnd,
                      (FeeLine(f"{line.description} (line {line.key})", line.amount_vnd),))


def _price(trip: TripDetails, tariff: Tariff,
           goods: GoodsClass) -> tuple[int, GoodsClass, list[FeeLine], str] | None:
    for line in tariff.lines:
        if line.fits(trip, goods, basic=False):
            return (line.amount_vnd, goods, [FeeLine(f"{line.description} (line {line.key})", line.amount_vnd)],
                    line.key)
    # No line of its own: the basic level for the vehicle, times the class's per cent (ore x5) if it has one.
    percent = tariff.goods_percent.get(goods)
    for line in tariff.lines:
        if line.fits(trip, goods, basic=True):
            steps = [FeeLine(f"{line.description} (line {line.key}, basic level)", line.amount_vnd)]
            amount = line.amount_vnd
            if percent is not None:
                amount = amount * percent // 100
                steps.append(FeeLine(f"{goods.label('en').lower()}: {percent}% of the basic level", amount))
            return amount, goods, steps, line.key
    return None


def _size(trip: TripDetails) -> str:
    if trip.vehicle.container_size is not ContainerSize.NONE:
        return f"{trip.vehicle.container_size.value} container"
    return f"a truck with {int(trip.goods_weight_kg):,} kg of goods"


# Lang Son, Resolution 09/2025/NQ-HDND, in force 8 May 2025. Only the lines and rules published in the press are
# here (domain.md): the Border Gate Management Center enters the rest of the schedule from the resolution's text
# as a new version (PUT /api/v1/tariffs/{version}); a trip with no line is left unassessed, never guessed.
LANG_SON_09_2025 = Tariff(
    version="LS-09/2025", jurisdiction="lang_son", in_force_from=date(2025, 5, 8),
    title="Nghị quyết 09/2025/NQ-HĐND tỉnh Lạng Sơn: phí sử dụng công trình, kết cấu hạ tầng khu vực cửa khẩu",
    lines=(
        TariffLine("fresh-under-2t", "fresh fruit and vegetables, load under 2 t", 100_000,
                   goods=frozenset({GoodsClass.FRESH_PRODUCE}), containers=frozenset({ContainerSize.NONE}),
                   below_load_kg=2_000),
        TariffLine("agri-40ft-reexport", "40-ft container of agricultural goods, temporary import for re-export",
                   4_000_000, goods=frozenset({GoodsClass.AGRICULTURAL, GoodsClass.FRESH_PRODUCE}),
                   containers=frozenset({ContainerSize.FT40, ContainerSize.FT45}),
                   flows=frozenset({Flow.TEMPORARY_IMPORT_FOR_REEXPORT})),
    ),
    goods_chapters={GoodsClass.FRESH_PRODUCE: frozenset({7, 8}),
                    GoodsClass.AGRICULTURAL: frozenset(range(1, 25)) - {7, 8},
                    GoodsClass.ORE: frozenset({26})},
    goods_percent={GoodsClass.ORE: 500},
    journey_percent={Journey.INLAND: 130, Journey.WHARF_TRANSFER: 30},
    # "Up to 5,000,000 VND a trip" (domain.md): no coefficient takes a trip above the schedule's highest fee.
    ceiling_vnd=5_000_000,
)
