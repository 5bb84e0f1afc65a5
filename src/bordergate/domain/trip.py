"""What a declaration describes: the flow, the vehicle, its driver, the goods and containers on board."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bordergate.domain.labels import Labelled
from bordergate.domain.plates import Plate


class Flow(Labelled):
    """The customs flow of a trip across the border."""

    EXPORT = ("export", "Xuất khẩu", "Export", "出口", "green")
    IMPORT = ("import", "Nhập khẩu", "Import", "进口", "blue")
    TEMPORARY_IMPORT_FOR_REEXPORT = (
        "temporary_import_reexport", "Tạm nhập tái xuất", "Temporary import for re-export", "暂时进口复出口", "teal")
    TEMPORARY_EXPORT_FOR_REIMPORT = (
        "temporary_export_reimport", "Tạm xuất tái nhập", "Temporary export for re-import", "暂时出口复进口", "olive")
    TRANSSHIPMENT = ("transshipment", "Chuyển khẩu", "Transshipment", "转口", "purple")
    TRANSIT = ("transit", "Quá cảnh", "Transit", "过境", "orange")


class VehicleClass(Labelled):
    """The body of the truck, which decides lanes, yard space and (later) the fee class."""

    RIGID_TRUCK = ("rigid_truck", "Xe tải thùng", "Rigid truck", "厢式货车")
    TRACTOR_TRAILER = ("tractor_trailer", "Xe đầu kéo sơ mi rơ moóc", "Tractor with semi-trailer", "半挂牵引车")
    REEFER = ("reefer", "Xe lạnh", "Refrigerated truck", "冷藏车")
    TANKER = ("tanker", "Xe bồn", "Tanker", "罐车")
    VAN = ("van", "Xe tải nhỏ", "Light van", "轻型货车")


class ContainerSize(Labelled):
    """Container carried, if any; a 40-ft box is a fee class of its own."""

    NONE = ("none", "Không container", "No container", "无集装箱")
    FT20 = ("20ft", "Container 20 feet", "20-ft container", "20英尺集装箱")
    FT40 = ("40ft", "Container 40 feet", "40-ft container", "40英尺集装箱")
    FT45 = ("45ft", "Container 45 feet", "45-ft container", "45英尺集装箱")


@dataclass(frozen=True)
class Vehicle:
    """The truck as declared: tractor plate, optional trailer, class, weight, axles, container size."""

    tractor_plate: Plate
    trailer_plate: Plate | None
    vehicle_class: VehicleClass
    gross_weight_kg: int
    axles: int
    container_size: ContainerSize


@dataclass(frozen=True)
class Driver:
    """The person at the wheel: identity document, nationality and a phone to reach them at the roadside."""

    full_name: str
    document_number: str
    nationality: str
    phone: str


@dataclass(frozen=True)
class GoodsLine:
    """One line of the cargo manifest: what it is (HS code), how much, what it is worth, and how it keeps."""

    hs_code: str
    description: str
    packages: int
    gross_weight_kg: Decimal
    value: Decimal
    currency: str
    origin_country: str
    perishable: bool
    shelf_life_hours: int | None
    quarantine_required: bool


@dataclass(frozen=True)
class TripDetails:
    """Everything a declarant states about one trip; amendments replace it with a corrected copy."""

    crossing_point: str
    flow: Flow
    planned_arrival: datetime
    vehicle: Vehicle
    driver: Driver
    goods: tuple[GoodsLine, ...]
    containers: tuple[str, ...]
    customs_declaration_number: str | None
    # The vehicle only transfers its goods at the border wharf and does not go inland (a fee of its own).
    wharf_transfer_only: bool = False
    # The truck crosses with no goods (an exporter's truck coming back, a Chinese truck leaving after delivery):
    # said explicitly, so a forgotten goods list is never taken for an empty truck.
    empty: bool = False

    @property
    def perishable(self) -> bool:
        """True when any goods line spoils; the queue will put such trucks first."""
        return any(line.perishable for line in self.goods)

    @property
    def goods_weight_kg(self) -> Decimal:
        """Total declared gross weight of the cargo."""
        return sum((line.gross_weight_kg for line in self.goods), Decimal(0))
