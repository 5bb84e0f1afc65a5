"""The province's communes and wards as data, each valid from a day (and until one, when a reorganisation ends it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("xa", "phuong")  # commune (xã) or ward (phường): the two kinds below the province since 1 July 2025
REORGANISED = date(2025, 7, 1)  # districts were abolished and communes merged (Resolution 1672/NQ-UBTVQH15)


@dataclass(frozen=True)
class Commune:
    """A commune or ward: its code (the people's committee's unit is UBND_<code>), name, kind and validity."""

    code: str
    name: str
    kind: str
    valid_from: date
    valid_to: date | None = None  # the last day it existed; None while it does
    lat: float | None = None
    lon: float | None = None

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def in_force(communes: tuple[Commune, ...], day: date) -> tuple[Commune, ...]:
    """The communes that exist on ``day``, by name."""
    return tuple(sorted((c for c in communes if c.in_force(day)), key=lambda c: c.name))


# A SAMPLE, not the official list. Lang Son has 65 communes and wards since 1 July 2025 (Resolution
# 1672/NQ-UBTVQH15); the full list with the Statistics Office's codes was not found in the sources at hand.
# Lộc Bình and Mẫu Sơn are named in the resolution's article 1 (items 33-34, as quoted by thuviennhadat.vn);
# the four wards of the former city and Đồng Đăng (home of the Hữu Nghị gate) are real names to confirm. Codes
# are readable slugs until the official codes are published; an admin publishes the full list with
# `bordergate civic publish communes <file.json>`.
SAMPLE_NOTE = ("Sample of real names, not the official list: publish the province's 65 communes and wards "
               "(Resolution 1672/NQ-UBTVQH15, in force 1 July 2025) to replace it.")
COMMUNES = (
    Commune("TAM_THANH", "Phường Tam Thanh", "phuong", REORGANISED),
    Commune("LUONG_VAN_TRI", "Phường Lương Văn Tri", "phuong", REORGANISED),
    Commune("DONG_KINH", "Phường Đông Kinh", "phuong", REORGANISED),
    Commune("KY_LUA", "Phường Kỳ Lừa", "phuong", REORGANISED),
    Commune("DONG_DANG", "Xã Đồng Đăng", "xa", REORGANISED),
    Commune("LOC_BINH", "Xã Lộc Bình", "xa", REORGANISED),
    Commune("MAU_SON", "Xã Mẫu Sơn", "xa", REORGANISED),
)
