"""Crossing points: the border gates trucks cross at, seeded with Lang Son's four main ones."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bordergate.domain.errors import InvalidValue

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")


@dataclass(frozen=True)
class CrossingPoint:
    """A gate on the border with its markers and the gate facing it on the other side."""

    code: str
    name: str
    province: str
    border_markers: str
    counterpart: str
    active: bool = True


def parse_crossing_point_code(text: str) -> str:
    """Codes are upper-case words like HUU_NGHI: stable keys used in URLs, plates and reports."""
    code = text.strip().upper()
    if not _CODE.match(code):
        raise InvalidValue(f"'{text}' is not a crossing point code; use letters, digits and _ like HUU_NGHI")
    return code


# Lang Son's international and main gates (domain.md); counterparts are the Guangxi gates they face.
LANG_SON = (
    CrossingPoint("HUU_NGHI", "Hữu Nghị", "Lạng Sơn", "1119-1120", "Youyiguan 友谊关"),
    CrossingPoint("TAN_THANH", "Tân Thanh", "Lạng Sơn", "1088/2-1089", "Pozhai 浦寨"),
    CrossingPoint("COC_NAM", "Cốc Nam", "Lạng Sơn", "1104-1105", "Nonghuai 弄怀"),
    CrossingPoint("CHI_MA", "Chi Ma", "Lạng Sơn", "", "Aidian 爱店"),
)
