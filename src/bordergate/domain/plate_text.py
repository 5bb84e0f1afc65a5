"""Plates in a picture's OCR text: keep the text that fits a plate grammar, join plates the engine read in two pieces.

An OCR engine returns lines of text with a confidence and a box. A truck's picture holds more than its plate
(lettering on the cab, a phone number, the trailer's plate), and a plate may come back in two pieces: the two rows
of a Vietnamese truck plate ("12C" over "123.45") or a Chinese plate cut at its province character ("桂" beside
"F·12345"). This module decides which lines, alone or as a pair, are plates; which engine made them is not its
business (see PlateRecogniser).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Protocol

from bordergate.domain.errors import InvalidValue
from bordergate.domain.plates import PlateCountry, compact, parse_plate

# Two pieces of one plate are printed in one typeface size: boxes whose heights differ more than this are not.
_MAX_HEIGHT_RATIO = 1.6
# A plate's second row starts under the first: centre to centre, between a third of a row and two rows further
# down (detectors pad their boxes, so the boxes of two rows overlap).
_ROW_STEP = (0.3, 2.0)
# Rows of one plate are centred on each other: they share at least this much of the narrower row's width.
_MIN_ROW_OVERLAP = 0.5
# Pieces of one row touch or nearly: no wider a gap than this many character heights, and on one baseline.
_MAX_PIECE_GAP = 1.2
_MIN_LINE_OVERLAP = 0.6
# Digits either side of a dot (or the comma an engine may read it as), whole runs only; what follows a dash between
# two plate characters, up to a line break or space; and how many plate characters may follow one.
_DOTTED_NUMBER = re.compile(r"(?<![0-9])([0-9]+)[.,]([0-9]+)(?![0-9])")
_DASHED = re.compile(r"(?<=[0-9A-Z])-([0-9A-Z][0-9A-Z.,]*)")
_AFTER_A_DASH = frozenset({1, 2, 4, 5})
# domain.md, ANPR confusions 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B: where the grammar allows a digit only, a letter
# can only be its group's digit; after a Chinese city letter, I and O (never issued) can only be 1 and 0. A digit
# where a series letter belongs is left alone: engines read K, C, H as 1 or 5 as often as the group's letter.
_AS_DIGIT = str.maketrans("ODQILZSGB", "000112568")
_AS_CN_BODY = str.maketrans("IO", "10")
# Vietnamese plates by length: D a digit, L a series letter, ? either (12C-123.45 and 29LD-1234 are both 8 long);
# in the open place only a letter Vietnam never issues (O, Q, I) is taken for the digit it looks like.
_VN_SLOTS = {7: "DDLDDDD", 8: "DDL?DDDD", 9: "DDLLDDDDD"}
_VN_SLOT_FITS = {"D": _AS_DIGIT, "L": {}, "?": str.maketrans("OQI", "001")}
# More misreads than this and the read is too far gone to call it a plate.
_MAX_CORRECTIONS = 2
# Lines looked at in one picture: a gate camera's frame holds a handful.
_MAX_LINES = 48
# A lone row "123.45" or a plate missing its province character still shows this many digits.
_FRAGMENT_DIGITS = 2


@dataclass(frozen=True)
class TextBox:
    """One line of text an OCR engine found: what it read, how sure it was (0-1), and where it is, in pixels."""

    text: str
    confidence: float
    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def from_corners(cls, text: str, confidence: float, corners: Sequence[Sequence[float]]) -> TextBox:
        """A box from its corner points (any number, any order), as detectors return a tilted quadrilateral."""
        xs, ys = [float(point[0]) for point in corners], [float(point[1]) for point in corners]
        return cls(text, float(confidence), min(xs), min(ys), max(xs), max(ys))

    @classmethod
    def from_xywh(cls, text: str, confidence: float, x: float, y: float, width: float, height: float) -> TextBox:
        """A box from its top-left corner and size."""
        return cls(text, float(confidence), x, y, x + width, y + height)

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class PlateReading:
    """A plate read off a picture: the plate's compact key, the engine's confidence, and the text it read.

    ``plate`` fits the plate grammar (plates.parse_plate); ``text`` is what the engine read, its rows joined by a
    line break, to hand to plate matching, which weighs the usual misreads itself. ``rows`` is 2 for a two-row
    plate; ``corrections`` counts the usual misreads undone to fit the grammar (an O where only a digit can be).
    """

    plate: str
    country: PlateCountry
    confidence: float
    text: str
    rows: int = 1
    corrections: int = 0


class PlateRecogniser(Protocol):
    """Reads the plates in a camera's picture; bordergate ships an offline rapidocr reader, a site may plug in its own.

    ``crop`` says the picture is already a plate cut out by the camera's ANPR box, not a whole scene.
    Readings come best first; an empty list means no plate was found.
    """

    def read(self, image: bytes, *, crop: bool = False) -> list[PlateReading]: ...


def plate_readings(boxes: Iterable[TextBox]) -> list[PlateReading]:
    """The plates among an OCR result's lines, best first: lines that are plates, and pairs that make one.

    Each line is used by one reading at most, the most confident one that wants it. A picture full of text (a
    document held up to the camera) is cut to its most confident lines, since every pair is tried.
    """
    lines = sorted((box for box in boxes if _plate_characters(box.text)), key=lambda box: -box.confidence)
    lines = lines[:_MAX_LINES]
    found: list[tuple[PlateReading, tuple[int, ...]]] = [
        (reading, (index,)) for index, box in enumerate(lines) if (reading := _single(box))]
    for (i, first), (j, second) in permutations(enumerate(lines), 2):
        reading = _pair(first, second)
        if reading:
            found.append((reading, (i, j)))
    return _best_disjoint(found)


def plate_fragment(text: str) -> bool:
    """True when a line that is no plate may be a piece of one: it holds at least two digits, as plate numbers do."""
    return sum(char.isdigit() for char in _plate_characters(text)) >= _FRAGMENT_DIGITS


def _single(box: TextBox) -> PlateReading | None:
    return _reading(box.text, box.confidence, rows=1)


def _pair(first: TextBox, second: TextBox) -> PlateReading | None:
    """The plate two lines make, if they sit like the rows of one plate or like two pieces of one row."""
    if stacked(first, second):
        rows = 2
    elif side_by_side(first, second):
        rows = 1
    else:
        return None
    separator = "\n" if rows == 2 else " "
    return _reading(first.text + separator + second.text, _joint_confidence(first, second), rows=rows)


def _reading(text: str, confidence: float, *, rows: int) -> PlateReading | None:
    read = _plate_characters(text)
    fitted = fitted_to_grammar(read)
    corrections = sum(a != b for a, b in zip(read, fitted, strict=True))
    if corrections > _MAX_CORRECTIONS:
        return None
    try:
        plate = parse_plate(fitted)
    except InvalidValue:
        return None
    if plate.country is PlateCountry.VN and not punctuated_as_printed(_rewritten(text, fitted)):
        return None
    return PlateReading(plate.compact, plate.country, round(confidence, 4), text, rows, corrections)


def fitted_to_grammar(characters: str) -> str:
    """Plate characters with the usual misreads undone where the grammar leaves one choice: 12C-I23.45 is 12C12345.

    Only where one answer is possible: a Vietnamese plate's province and last four characters are digits, and a
    character that may be a letter or a digit is a digit if it reads as a letter Vietnam never issues; a Chinese
    plate never carries I or O after its city letter. Anything else, series letters included, is left as read.
    """
    if not characters or not characters[0].isascii():
        return characters[:2] + characters[2:].translate(_AS_CN_BODY)
    slots = _VN_SLOTS.get(len(characters))
    if slots is None:
        return characters
    return "".join(char.translate(_VN_SLOT_FITS[slot]) for char, slot in zip(characters, slots, strict=True))


def punctuated_as_printed(text: str) -> bool:
    """False when a dot or dash read inside a Vietnamese plate is not where the plate prints it.

    A five-digit number carries its dot before the last two digits (123.45, never 12.345 or 73.94) and a four-digit
    one none; a dash comes before the number (12C-123.45) or, on a two-row plate, before a two-letter series (29-LD),
    so 3 characters after it (30LD-740) are never right. Punctuation out of place means the engine lost or invented
    a character, even when what is left happens to fit the grammar.
    """
    dots = all((len(before), len(after)) == (3, 2) for before, after in _DOTTED_NUMBER.findall(text))
    dashes = all(len(_plate_characters(after)) in _AFTER_A_DASH for after in _DASHED.findall(text))
    return dots and dashes


def _best_disjoint(found: list[tuple[PlateReading, tuple[int, ...]]]) -> list[PlateReading]:
    """Most confident first; a reading loses to a better one that used any of its lines or read the same plate."""
    found.sort(key=lambda item: (-item[0].confidence, -len(item[1])))
    used: set[int] = set()
    plates: set[str] = set()
    best = []
    for reading, lines in found:
        if used.isdisjoint(lines) and reading.plate not in plates:
            best.append(reading)
            used.update(lines)
            plates.add(reading.plate)
    return best


def stacked(upper: TextBox, lower: TextBox) -> bool:
    """True when ``lower`` sits under ``upper`` like the second row of a two-row plate."""
    if not _similar_height(upper, lower):
        return False
    step = (lower.middle_y - upper.middle_y) / ((upper.height + lower.height) / 2)
    overlap = min(upper.right, lower.right) - max(upper.left, lower.left)
    return _ROW_STEP[0] <= step <= _ROW_STEP[1] and overlap >= _MIN_ROW_OVERLAP * min(upper.width, lower.width)


def side_by_side(left: TextBox, right: TextBox) -> bool:
    """True when ``right`` continues ``left`` on the same line, as when an engine cuts a plate at a gap."""
    if not _similar_height(left, right) or right.left <= left.left:
        return False
    height = max(left.height, right.height)
    gap = right.left - left.right
    shared = min(left.bottom, right.bottom) - max(left.top, right.top)
    return gap <= _MAX_PIECE_GAP * height and shared >= _MIN_LINE_OVERLAP * min(left.height, right.height)


def _similar_height(a: TextBox, b: TextBox) -> bool:
    low, high = sorted((a.height, b.height))
    return low > 0 and high / low <= _MAX_HEIGHT_RATIO


def _joint_confidence(a: TextBox, b: TextBox) -> float:
    """Engines score a line by its characters' mean confidence; two lines together, the same per character."""
    a_chars, b_chars = len(_plate_characters(a.text)), len(_plate_characters(b.text))
    return (a.confidence * a_chars + b.confidence * b_chars) / (a_chars + b_chars)


def _rewritten(text: str, characters: str) -> str:
    """The text as read, its separators kept, with its plate characters replaced one for one by ``characters``."""
    replacements = iter(characters)
    return "".join(next(replacements, char) if char.isalnum() else char
                   for char in unicodedata.normalize("NFKC", text).upper())


def _plate_characters(text: str) -> str:
    """The text's letters, digits and Chinese characters: an engine reads a plate's frame and bolts as | [ : ' ."""
    return "".join(char for char in compact(text) if char.isalnum())
