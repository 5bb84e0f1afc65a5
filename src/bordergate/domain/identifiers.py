"""Identifiers other than plates: container numbers, HS codes, Vietnamese tax codes and phone numbers."""
from __future__ import annotations

import re
import string

from bordergate.domain.errors import InvalidValue

# ISO 6346 letter values start at A=10 and skip 11, 22 and 33: multiples of 11 would make the
# mod-11 check blind to some single-character errors.
_ISO6346_LETTER_VALUES = {
    letter: value
    for letter, value in zip(string.ascii_uppercase, (v for v in range(10, 39) if v % 11), strict=True)
}
_CONTAINER_SHAPE = re.compile(r"[A-Z]{4}[0-9]{7}")
_CONTAINER_FIRST10 = re.compile(r"[A-Z]{4}[0-9]{6}")
# The fourth letter is the equipment category: U freight container, J detachable freight container
# equipment, Z trailer or chassis.
_CONTAINER_CATEGORIES = {"U": "freight container", "J": "detachable equipment", "Z": "trailer or chassis"}
_CONTAINER_EXPECTED = "an ISO 6346 container number (4 letters, 6 digits, 1 check digit, like MSKU9070323)"

_HS_LENGTHS = {6: "WCO", 8: "Vietnam", 10: "China"}
_HS_EXPECTED = "6 digits (WCO), 8 (Vietnam) or 10 (China), like 0810.60 or 0810.60.00"
# Chapter 77 is reserved by the WCO for future use; 98 and 99 are left to national use, not HS proper.
_HS_CHAPTERS = frozenset(range(1, 98)) - {77}

_TAX_CODE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")
_TAX_EXPECTED = "10 digits, or 10 digits, a dash and 3 for a branch, like 0101234567 or 0101234567-001"

_PHONE_SEPARATORS = str.maketrans("", "", " \t\n-.()/")
_PHONE_EXPECTED = (
    "an international number starting with + and the country code (like +84 912 345 678 or +86 138 0013 8000),"
    " or a Vietnamese number starting with 0 (like 0912 345 678)"
)


def _strip(text: str, separators: str) -> str:
    return "".join(text.split()).translate(str.maketrans("", "", separators))


def iso6346_check_digit(first10: str) -> int:
    """The ISO 6346 check digit of an owner code, category letter and 6-digit serial number."""
    first10 = first10.upper()
    if not _CONTAINER_FIRST10.fullmatch(first10):
        raise InvalidValue(f"{first10!r} is not the first 10 characters of {_CONTAINER_EXPECTED}")
    total: int = sum(
        (_ISO6346_LETTER_VALUES[c] if c.isalpha() else int(c)) * 2**position
        for position, c in enumerate(first10)
    )
    return total % 11 % 10


def parse_container_number(text: str) -> str:
    """Read a container number and return its compact 11-character form, like MSKU9070323."""
    number = _strip(text.upper(), "-")
    if not number:
        raise InvalidValue(f"a container number is required: {_CONTAINER_EXPECTED}")
    if _CONTAINER_FIRST10.fullmatch(number):
        raise InvalidValue(
            f"{text!r} is missing its check digit (it should be {iso6346_check_digit(number)}):"
            f" {_CONTAINER_EXPECTED}"
        )
    if not _CONTAINER_SHAPE.fullmatch(number):
        raise InvalidValue(f"{text!r} is not {_CONTAINER_EXPECTED}")
    category = number[3]
    if category not in _CONTAINER_CATEGORIES:
        kinds = ", ".join(f"{letter} ({kind})" for letter, kind in _CONTAINER_CATEGORIES.items())
        raise InvalidValue(
            f"{text!r} is not a container number: its fourth letter is the equipment category,"
            f" which must be {kinds}, not {category}"
        )
    expected, given = iso6346_check_digit(number[:10]), int(number[10])
    if given != expected:
        raise InvalidValue(f"check digit of {number[:10]} should be {expected}, not {given}")
    return number


def parse_hs_code(text: str) -> str:
    """Read an HS commodity code (6, 8 or 10 digits, dots and spaces allowed) and return its digits."""
    code = _strip(text, ".")
    if not code:
        raise InvalidValue(f"an HS code is required: {_HS_EXPECTED}")
    if not (code.isascii() and code.isdigit()):
        raise InvalidValue(f"{text!r} is not an HS code: use digits only, {_HS_EXPECTED}")
    if len(code) not in _HS_LENGTHS:
        raise InvalidValue(f"{text!r} is not an HS code: it has {len(code)} digits; use {_HS_EXPECTED}")
    if int(code[:2]) not in _HS_CHAPTERS:
        raise InvalidValue(
            f"{text!r} is not an HS code: chapter {code[:2]} does not exist (chapters run 01 to 97, 77 is reserved)"
        )
    return code


def hs_chapter(code: str) -> int:
    """The chapter (first two digits, 1..97) of an HS code."""
    return int(parse_hs_code(code)[:2])


def parse_tax_code(text: str) -> str:
    """Read a Vietnamese enterprise tax code (MST) and return it as 0101234567 or 0101234567-001."""
    # Branch codes are written with a dash but often typed without one; dots and spaces appear in print.
    code = _strip(text, ".")
    if not code:
        raise InvalidValue(f"a tax code (MST) is required: {_TAX_EXPECTED}")
    match = _TAX_CODE.fullmatch(code)
    if match is None:
        raise InvalidValue(f"{text!r} is not a Vietnamese tax code (MST): use {_TAX_EXPECTED}")
    head, branch = match.groups()
    if branch is None:
        return head
    if branch == "000":
        raise InvalidValue(f"{text!r} is not a Vietnamese tax code (MST): branch numbers run from 001 to 999")
    return f"{head}-{branch}"


def parse_phone(text: str) -> str:
    """Read a phone number and return it in E.164 form, like +84912345678; a leading 0 means Vietnam."""
    number = text.translate(_PHONE_SEPARATORS)
    number = "".join(number.split())
    if not number:
        raise InvalidValue(f"a phone number is required: {_PHONE_EXPECTED}")
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+84" + number[1:]
    elif number.startswith("+840"):
        # "+84 (0)912..." keeps the national trunk 0, which never follows the country code in E.164.
        number = "+84" + number[4:]
    digits = number[1:]
    if not number.startswith("+") or not (digits.isascii() and digits.isdigit()):
        raise InvalidValue(f"{text!r} is not a phone number: use {_PHONE_EXPECTED}")
    if not 8 <= len(digits) <= 15:
        raise InvalidValue(
            f"{text!r} is not a phone number: it has {len(digits)} digits after the +, expected 8 to 15"
        )
    return number
