"""Crossing points: the border gates trucks cross at, seeded with Lang Son's four main ones."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bordergate.domain.errors import InvalidValue

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class CrossingPoint:
    """A gate on the border with its markers and the gate facing it on the other side."""

    code: str
    name: str
    province: str
    border_markers: str
    counterpart: str
    active: bool = True

    def name_in(self, locale: str) -> str:
        """The name a reader knows the crossing by. In Chinese that is the gate facing it (友谊关 for Hữu Nghị,
        浦寨 for Tân Thanh): the pair is called so on the Chinese side, by the drivers and shippers who read zh, and
        it is already kept in ``counterpart`` ("Youyiguan 友谊关"). Vietnamese and English use the Vietnamese name
        with its diacritics; a point whose counterpart has no Chinese name keeps it in every language."""
        if locale == "zh":
            return "".join(c for c in self.counterpart if _HAN.match(c)) or self.name
        return self.name


def names_in(points: Iterable[CrossingPoint], locale: str) -> dict[str, str]:
    """Each crossing point's name in ``locale`` by its code."""
    return {point.code: point.name_in(locale) for point in points}


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
