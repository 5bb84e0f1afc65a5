"""Wire shapes of the REST API: types and examples for OpenAPI; the domain checks the meaning."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from bordergate.domain.trip import ContainerSize, Flow, VehicleClass
from bordergate.entrypoints.api.inputs import AnyMoment, In


class VehicleIn(In):
    """The truck. Every field is required unless ``vehicle_id`` picks a saved vehicle; typed fields then win."""

    tractor_plate: str | None = Field(None, examples=["12C-123.45"],
                                      description="Vietnamese (12C-123.45) or Chinese (桂F·12345)")
    trailer_plate: str | None = Field(None, examples=["12R-012.34"], description="R/RM series, or Chinese 挂")
    vehicle_class: VehicleClass | None = None
    gross_weight_kg: int | None = Field(None, examples=[40000])
    axles: int | None = Field(None, examples=[5])
    container_size: ContainerSize | None = Field(None, description="none when no container is carried")


class DriverIn(In):
    """The driver. Every field is required unless ``driver_id`` picks a saved driver; typed fields then win."""

    full_name: str | None = Field(None, examples=["Trần Văn Bình"])
    document_number: str | None = Field(None, examples=["001088012345"],
                                        description="ID card (CCCD) or passport number")
    nationality: str | None = Field(None, examples=["VN"], description="ISO 3166 two-letter code")
    phone: str | None = Field(None, examples=["+84912345678"])


class GoodsLineIn(In):
    hs_code: str = Field(examples=["0810.60"], description="6 (WCO), 8 (Vietnam) or 10 (China) digits")
    description: str = Field(examples=["Fresh durian"])
    packages: int = Field(examples=[1200])
    gross_weight_kg: Decimal = Field(examples=["24000"])
    value: Decimal = Field(examples=["36000"])
    currency: str = Field(examples=["USD"])
    origin_country: str = Field(examples=["VN"])
    perishable: bool = False
    shelf_life_hours: int | None = Field(None, examples=[240])
    quarantine_required: bool = False


class ReturnEmptyIn(In):
    """The empty trip back: the same truck and driver, the opposite direction, no goods."""

    planned_arrival: AnyMoment = Field(examples=["2026-12-02T14:00:00+07:00"],
                                       description="When the truck comes back to the gate, with its time zone")
    crossing_point: str | None = Field(None, description="Where it comes back; the outbound's when not given")
    flow: Flow | None = Field(None, description="Only for transit and transshipment, which may go either way")


class DeclarationIn(In):
    """A trip to declare. Give ``vehicle`` and ``driver`` in full, or pick saved ones by id."""

    enterprise_id: str | None = Field(None, description="Required for agents; a declarant declares for their own")
    crossing_point: str = Field(examples=["HUU_NGHI"])
    flow: Flow
    planned_arrival: AnyMoment = Field(examples=["2026-12-01T08:00:00+07:00"], description="With its time zone")
    vehicle_id: str | None = None
    vehicle: VehicleIn | None = None
    driver_id: str | None = None
    driver: DriverIn | None = None
    goods: list[GoodsLineIn] = Field(default_factory=list, description="At least one line, unless ``empty``")
    containers: list[str] = Field(default_factory=list, examples=[["MSKU9070323"]])
    customs_declaration_number: str | None = Field(None, examples=["305123456789"])
    wharf_transfer_only: bool = Field(False, description="The vehicle only transfers goods at the border wharf and "
                                                         "does not go inland (30 % of the fee in Lang Son)")
    empty: bool = Field(False, description="The truck crosses with no goods (then list none): the agencies and the "
                                           "fee follow their rules for an empty vehicle")
    return_empty: ReturnEmptyIn | None = Field(None, description="And back empty: declare the truck's empty return "
                                                                 "with this trip, linked to it")


class AmendmentIn(In):
    """Corrections by field path, e.g. {"driver.phone": "+84913000111", "goods[0].hs_code": "0810.90"}."""

    changes: dict[str, Any] = Field(examples=[{"driver.phone": "+84913000111"}])
    reason: str | None = Field(None, max_length=500)


class CancellationIn(In):
    reason: str | None = Field(None, max_length=500)


class OrganisationIn(In):
    name: str
    kind: str = Field(examples=["enterprise"], description="enterprise, customs_agency or authority")
    tax_code: str | None = Field(None, examples=["0100233488"])


class ContactPhoneIn(In):
    phone: str | None = Field(examples=["0912 000 111"], description="the number the enterprise is told on when an "
                              "agency holds one of its trips; null removes it")


class UserIn(In):
    username: str
    password: str
    full_name: str
    role: str = Field(examples=["declarant"])
    organisation_id: str | None = None


class CrossingPointIn(In):
    code: str = Field(examples=["BINH_NGHI"])
    name: str
    province: str = ""
    border_markers: str = ""
    counterpart: str = ""


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the sign-in ends at the latest (it ends sooner when not "
                                        "used for BORDERGATE_SESSION_IDLE_MINUTES, or when signed out or revoked)")


class PasswordChangeIn(In):
    current_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096, description="10 to 256 characters, not the username, not the "
                                                           "current password")


class SessionsEnded(BaseModel):
    sessions_ended: int
