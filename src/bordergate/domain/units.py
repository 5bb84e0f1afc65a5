"""Handling units as the province names them: kind, names in each language and, for a committee, its commune."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    """What kind of body a unit is: it decides nothing in the code, it tells a reader who answers."""

    GATE = "gate"  # the Border Gate Management Center
    POLICE = "police"
    DEPARTMENT = "department"  # a department of the province (environment...)
    DISASTER = "disaster"  # the disaster-prevention command
    CENTRE = "centre"  # the public-service centre, the coordinating unit
    COMMUNE = "commune"  # a commune's or ward's people's committee


@dataclass(frozen=True)
class UnitProfile:
    """How a unit is named and what it is; ``commune_code`` only for a commune's committee."""

    kind: str
    name_vi: str
    name_en: str
    name_zh: str
    commune_code: str | None = None


def committee_code(commune_code: str) -> str:
    """The unit code of a commune's people's committee, as the routing table's UBND_{commune} makes it."""
    return f"UBND_{commune_code}"


# The province's units for the seed (design §1); names as the bodies call themselves.
PROVINCE_UNITS: dict[str, tuple[UnitProfile, bool]] = {  # code: (profile, coordinating)
    "BQL_CK": (UnitProfile(UnitKind.GATE, "Trung tâm Quản lý cửa khẩu", "Border Gate Management Center",
                           "口岸管理中心"), False),
    "CA_TINH": (UnitProfile(UnitKind.POLICE, "Công an tỉnh Lạng Sơn", "Lang Son Provincial Police",
                            "谅山省公安"), False),
    "STNMT": (UnitProfile(UnitKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường", "Department of Agriculture and "
                          "Environment", "农业与环境厅"), False),
    "BCH_PCTT": (UnitProfile(UnitKind.DISASTER, "Ban Chỉ huy Phòng chống thiên tai", "Disaster Prevention "
                             "Command", "防灾指挥部"), False),
    "TT_PVHCC": (UnitProfile(UnitKind.CENTRE, "Trung tâm Phục vụ hành chính công", "Public Administrative "
                             "Service Centre", "公共行政服务中心"), True),
}
