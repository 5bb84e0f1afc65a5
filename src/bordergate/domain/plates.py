"""Vietnamese and Chinese licence plates: reading what a person or camera typed into one canonical key."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bordergate.domain.errors import InvalidValue


class PlateCountry(StrEnum):
    """The country that issued a plate."""

    VN = "VN"
    CN = "CN"


@dataclass(frozen=True)
class Plate:
    """A parsed licence plate; build it with parse_plate, compare and store it by its compact key."""

    country: PlateCountry
    compact: str
    is_trailer: bool

    @property
    def display(self) -> str:
        """The plate as it is printed: 12C-123.45, 29LD-123.45, 12C-1234 or 桂F·12345."""
        if self.country is PlateCountry.CN:
            return f"{self.compact[:2]}·{self.compact[2:]}"
        match = _VN_SHAPE.fullmatch(self.compact)
        if match is None:
            return self.compact
        province, series, number = match.groups()
        if len(number) == 5:
            number = f"{number[:3]}.{number[3:]}"
        return f"{province}{series}-{number}"

    def __str__(self) -> str:
        return self.display


# Separators seen on two-row truck plates, Chinese plates (the middle dot) and in hand-typed input.
_SEPARATORS = str.maketrans("", "", "-.·•・")

# Vietnam: 2-digit province, a 1- or 2-letter series, 4 or 5 digits. Matched loosely first so that
# a near miss (bad province, forbidden letter) gets a precise message instead of a generic one.
_VN_SHAPE = re.compile(r"([0-9]{2})([A-Z]{1,2})([0-9]{4,5})")
_VN_PROVINCES = range(11, 100)
# Vietnam never issues I, J, O, Q or W in a series: they are too easily confused with 1, 0 and each other.
_VN_UNUSED_LETTERS = frozenset("IJOQW")
# R (ro-mooc) is the trailer and semi-trailer series; RM is its two-letter form.
_VN_TRAILER_SERIES = frozenset({"R", "RM"})

# The 31 mainland provincial abbreviations. Hong Kong, Macau and Taiwan plates are not Chinese mainland
# plates and cross under their own regimes.
_CN_PROVINCES = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
# China leaves out I and O everywhere on a plate so they cannot be read as 1 and 0.
_CN_UNUSED_LETTERS = frozenset("IO")
_CN_ALNUM = "[0-9A-HJ-NP-Z]"
_CN_ORDINARY = re.compile(f"{_CN_ALNUM}{{5}}")
# New-energy plates (GA 36-2018): D = battery electric, F = other; small vehicles put it first,
# large vehicles (trucks, buses) put it last.
_CN_NEW_ENERGY = re.compile(f"[DF]{_CN_ALNUM}[0-9]{{4}}|[0-9]{{5}}[DF]")
_CN_TRAILER = re.compile(f"{_CN_ALNUM}{{4}}挂")

_EXPECTED = "a Vietnamese plate (like 12C-123.45) or a Chinese plate (like 桂F·12345)"


def compact(text: str) -> str:
    """The canonical key of a typed plate: upper-case, with separators, spaces and line breaks removed."""
    # NFKC turns full-width letters and digits from Chinese input methods into plain ASCII.
    text = unicodedata.normalize("NFKC", text).upper()
    return "".join(text.split()).translate(_SEPARATORS)


def parse_plate(text: str) -> Plate:
    """Read a Vietnamese or Chinese plate, or raise InvalidValue saying what is wrong with it."""
    key = compact(text)
    if not key:
        raise InvalidValue(f"a licence plate is required: {_EXPECTED}")
    if key[0].isascii():
        return _parse_vietnamese(text, key)
    return _parse_chinese(text, key)


def _parse_vietnamese(text: str, key: str) -> Plate:
    match = _VN_SHAPE.fullmatch(key)
    if match is None:
        raise InvalidValue(f"{text!r} is not {_EXPECTED}")
    province, series, _ = match.groups()
    if int(province) not in _VN_PROVINCES:
        raise InvalidValue(
            f"{text!r} is not a Vietnamese plate: province codes run from 11 to 99, not {province}"
        )
    unused = sorted(set(series) & _VN_UNUSED_LETTERS)
    if unused:
        raise InvalidValue(
            f"{text!r} is not a Vietnamese plate: series letters never include I, J, O, Q or W"
            f" (found {', '.join(unused)}; check for a misread digit)"
        )
    return Plate(PlateCountry.VN, key, is_trailer=series in _VN_TRAILER_SERIES)


def _parse_chinese(text: str, key: str) -> Plate:
    province, rest = key[0], key[1:]
    if province not in _CN_PROVINCES:
        raise InvalidValue(
            f"{text!r} is not {_EXPECTED}: {province!r} is not one of the 31 mainland province abbreviations"
        )
    unused = sorted(set(rest) & _CN_UNUSED_LETTERS)
    if unused:
        raise InvalidValue(
            f"{text!r} is not a Chinese plate: Chinese plates never use the letters I or O"
            f" (found {', '.join(unused)}; check for a misread 1 or 0)"
        )
    city, body = rest[:1], rest[1:]
    if not ("A" <= city <= "Z"):
        raise InvalidValue(
            f"{text!r} is not a Chinese plate: after {province} comes a city letter A-Z, like 桂F·12345"
        )
    if _CN_ORDINARY.fullmatch(body) or _CN_NEW_ENERGY.fullmatch(body):
        return Plate(PlateCountry.CN, key, is_trailer=False)
    if _CN_TRAILER.fullmatch(body):
        return Plate(PlateCountry.CN, key, is_trailer=True)
    raise InvalidValue(
        f"{text!r} is not a Chinese plate: after {province}{city} expect 5 characters (like 桂F·12345),"
        f" 6 for a new-energy vehicle (桂F·D12345 or 桂F·12345D) or 4 and 挂 for a trailer (桂F·1234挂)"
    )


def is_plate(text: str) -> bool:
    """True when ``text`` fits the Vietnamese or Chinese plate grammar."""
    try:
        parse_plate(text)
    except ValueError:
        return False
    return True
