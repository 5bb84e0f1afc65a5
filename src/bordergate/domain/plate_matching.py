"""Matching a camera's plate read against the plates of the trucks expected at the gate, never the wrong truck.

A confident read is MATCHED only when exactly one expected plate is within a usual misread of it (camera
confusions 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B; a character lost or added; a Chinese province character lost or
misread) and that plate is either the read exactly, or the one well-formed plate nearest the read once its
confusions are undone. Everything else goes to the operator review queue, with the likely plates and the reasons.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache

from bordergate.domain.labels import Labelled
from bordergate.domain.plates import compact


class PlateRole(Labelled):
    """Which of a declared vehicle's plates a candidate is: a camera may see the tractor's or the trailer's."""

    TRACTOR = ("tractor", "Đầu kéo", "Tractor", "牵引车")
    TRAILER = ("trailer", "Rơ moóc", "Trailer", "挂车")


class MatchOutcome(Labelled):
    """What a plate read comes to; everything but MATCHED goes to an operator for review."""

    MATCHED = ("matched", "Khớp", "Matched", "已匹配", "green")
    LOW_CONFIDENCE = ("low_confidence", "Chưa chắc chắn", "Not sure enough", "置信度不足", "amber")
    AMBIGUOUS = ("ambiguous", "Nhiều xe khớp", "Fits several trucks", "匹配多辆车", "amber")
    NO_MATCH = ("no_match", "Không có xe khớp", "No expected truck", "无匹配车辆", "red")


@dataclass(frozen=True)
class Candidate:
    """An expected plate: its compact form, the opaque key of what it belongs to (a declaration) and its role."""

    key: str
    plate: str
    role: PlateRole | str = PlateRole.TRACTOR


@dataclass(frozen=True)
class PlateMatch:
    """The verdict on one read; ``candidate`` is set only when MATCHED, a suggestion sits in ``alternatives``."""

    outcome: MatchOutcome
    candidate: Candidate | None
    read_as: str
    distance: float
    alternatives: tuple[Candidate, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """True unless the read may act on its own (open a barrier); a person must confirm it."""
        return self.outcome is not MatchOutcome.MATCHED


class _Fit(IntEnum):
    """How a candidate was reached from a read, cheapest first; the cheapest way wins."""

    EXACT = 0
    CONFUSION = 1
    PROVINCE = 2
    EDIT = 3


# domain.md, ANPR confusions: every character of a group reads as the group's digit.
_CONFUSIONS = ("0ODQ", "1IL", "2Z", "5S", "6G", "8B")
_FOLD = str.maketrans({char: group[0] for group in _CONFUSIONS for char in group[1:]})
_GROUP = {char: frozenset(group) for group in _CONFUSIONS for char in group}
_CONFUSION_COST = 0.25

# The plate grammar of plates.py as slots, one per character, to count the plates a read could be. It is a little
# looser (any Vietnamese province number): a looser grammar sees more plates a read could be, so it errs to review.
_DIGITS = "0123456789"
_CN_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ALLOWED = {
    "D": frozenset(_DIGITS),
    "L": frozenset("ABCDEFGHKLMNPRSTUVXYZ"),  # Vietnamese series: never I, J, O, Q, W
    "C": frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ"),  # Chinese city letter: never I or O
    "A": frozenset(_DIGITS + "ABCDEFGHJKLMNPQRSTUVWXYZ"),
    "E": frozenset("DF"),  # new-energy mark
    "G": frozenset("挂"),
    "P": frozenset(_CN_PROVINCES),
}
_SHAPES = ("DDLDDDD", "DDLDDDDD", "DDLLDDDD", "DDLLDDDDD",  # Vietnam: 1-2 series letters, 4-5 digits
           "PCAAAAA", "PCEADDDD", "PCDDDDDE", "PCAAAAG")  # China: ordinary, new-energy small and large, trailer


def fold(text: str) -> str:
    """The read with every confusable letter replaced by the digit cameras confuse it with."""
    return text.translate(_FOLD)


def normalise(text: str) -> str:
    """The read as plate characters only: compact form, then anything that is not a letter or digit dropped."""
    return "".join(char for char in compact(text) if char.isalnum())


@cache
def _undo(char: str, slot: str) -> tuple[int, int]:
    """Undoing ``char`` in ``slot``: (confusions needed, how many allowed characters need that few; 0 if none)."""
    if char in _ALLOWED[slot]:
        return 0, 1
    return 1, len(_GROUP.get(char, frozenset()) & _ALLOWED[slot])


def _nearest_plates(read: str) -> tuple[float, int]:
    """The fewest confusions that turn the read into a well-formed plate, and how many plates need that few.

    No plate of the read's length at all is infinitely many confusions away."""
    best, count = math.inf, 0
    for shape in _SHAPES:
        if len(shape) != len(read):
            continue
        needed, ways = 0, 1
        for char, slot in zip(read, shape, strict=True):
            confusions, choices = _undo(char, slot)
            needed, ways = needed + confusions, ways * choices
            if not ways or needed > best:
                break
        else:
            if needed < best:
                best, count = needed, 0
            count += ways
    return best, count


def _deletions(text: str) -> set[str]:
    """Every string one character shorter than ``text``."""
    return {text[:i] + text[i + 1:] for i in range(len(text))}


def filing_keys(plate: str) -> set[str]:
    """The keys a stored plate is filed under, so a database finds every plate a read could be by key lookups."""
    key = fold(compact(plate))
    return {key, *_deletions(key)}


def lookup_keys(text: str) -> set[str]:
    """The keys to look up for a read: every plate filed under one of them is a plate ``PlateIndex`` may weigh.

    A PlateIndex built from just those plates judges the read exactly as one built from all plates would
    (test_plate_matching checks it), so the gate matches against thousands of trucks with one indexed query.
    """
    key = fold(normalise(text))
    return {key, *_deletions(key)} if key else set()


def _cost(a: str, b: str) -> float:
    """Cost of reading ``a`` where ``b`` is printed: nothing, a usual confusion, or a real difference."""
    if a == b:
        return 0.0
    return _CONFUSION_COST if b in _GROUP.get(a, ()) else 1.0


def _distance(read: str, plate: str) -> float:
    """Cost of the cheapest explanation tried: a confusion 0.25, any other change 1; inf if lengths differ by 2+."""
    if len(read) == len(plate):
        return sum(_cost(a, b) for a, b in zip(read, plate, strict=True))
    if abs(len(read) - len(plate)) == 1:
        short, long = sorted((read, plate), key=len)
        return 1.0 + min(_distance(short, long[:i] + long[i + 1:]) for i in range(len(long)))
    return math.inf


def _describe(candidate: Candidate) -> str:
    """A candidate the way an operator reads it: plate, role and key."""
    return f"{candidate.plate} ({candidate.role} of {candidate.key})"


def _province_doubt(read: str, plate: str) -> str:
    """Why a read that fits only without its province character is never enough on its own."""
    # Trucks from different provinces carry the same letters and digits; only the character tells them apart.
    if read[0] in _ALLOWED["P"]:
        return f"the read has province {read[0]}, not {plate[0]}: it may be a truck from another province"
    return (f"the province character of {plate} is missing or unreadable in {read}; "
            "a truck from another province may carry the same letters and digits")


class PlateIndex:
    """The expected plates, indexed so that a read is matched with a few dictionary lookups, not a scan."""

    def __init__(self, candidates: Iterable[Candidate], *, min_confidence: float = 0.80) -> None:
        self.min_confidence = min_confidence
        self._plate: dict[Candidate, str] = {}
        self._exact: dict[str, list[Candidate]] = defaultdict(list)
        self._folded: dict[str, list[Candidate]] = defaultdict(list)
        self._shortened: dict[str, list[Candidate]] = defaultdict(list)
        self._bodies: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in dict.fromkeys(candidates):
            self._add(candidate)

    def _add(self, candidate: Candidate) -> None:
        """File one candidate under its exact, folded, one-shorter and (Chinese) province-less keys."""
        plate = self._plate[candidate] = compact(candidate.plate)
        key = fold(plate)
        self._exact[plate].append(candidate)
        self._folded[key].append(candidate)
        for shorter in _deletions(key):
            self._shortened[shorter].append(candidate)
        if plate and not plate[0].isascii():
            self._bodies[key[1:]].append(candidate)

    def match(self, text: str, confidence: float) -> PlateMatch:
        """Match one camera read (raw OCR text and its confidence, 0-1) against the expected plates."""
        read = normalise(text)
        if not read:
            return PlateMatch(MatchOutcome.NO_MATCH, None, read, math.inf, (),
                              ("the camera read no plate characters",))
        fits = self._fits(read)
        if len(fits) == 1:
            (candidate, fit), = fits.items()
            return self._judge(read, candidate, fit, confidence)
        if fits:
            return self._ambiguous(read, list(fits), confidence)
        return self._no_match(read)

    def _fits(self, read: str) -> dict[Candidate, _Fit]:
        """Every candidate within one usual misread of the read, with the cheapest way it was reached."""
        fits: dict[Candidate, _Fit] = {}
        for found, fit in self._lookups(read, fold(read)):
            if found:
                for candidate in found:
                    fits.setdefault(candidate, fit)
        return fits

    def _lookups(self, read: str, key: str) -> list[tuple[list[Candidate] | None, _Fit]]:
        """The index lookups for one read, cheapest fit first."""
        return [
            (self._exact.get(read), _Fit.EXACT),
            (self._folded.get(key), _Fit.CONFUSION),
            # A Chinese plate whose province character was lost (a read in plain ASCII), or misread as anything.
            (self._bodies.get(key) if read[0].isascii() else None, _Fit.PROVINCE),
            (self._bodies.get(key[1:]), _Fit.PROVINCE),
            (self._shortened.get(key), _Fit.EDIT),  # the camera dropped a character
            *((self._folded.get(shorter), _Fit.EDIT) for shorter in _deletions(key)),  # ... or added one
        ]

    def _ranked(self, read: str, candidates: Iterable[Candidate]) -> list[Candidate]:
        """Candidates closest to the read first."""
        return sorted(candidates, key=lambda c: (_distance(read, self._plate[c]), c.plate, c.key))

    def _near(self, read: str) -> list[Candidate]:
        """Candidates one character off the read in a way cameras do not usually misread (or two swapped)."""
        return self._ranked(read, {c for shorter in _deletions(fold(read)) for c in self._shortened.get(shorter, [])})

    def _judge(self, read: str, candidate: Candidate, fit: _Fit, confidence: float) -> PlateMatch:
        """The verdict on a read that fits exactly one candidate."""
        plate = self._plate[candidate]
        cost = 0.0 if fit is _Fit.EXACT else _distance(read, plate)
        doubts = self._doubts(read, plate, fit, confidence)
        if doubts:
            return PlateMatch(MatchOutcome.LOW_CONFIDENCE, None, read, cost, (candidate,),
                              (f"only {_describe(candidate)} fits the read {read}", *doubts))
        how = "exactly" if fit is _Fit.EXACT else "once usual camera confusions are undone"
        return PlateMatch(MatchOutcome.MATCHED, candidate, read, cost, (),
                          (f"the read {read} matches {_describe(candidate)} {how}; no other expected plate fits",))

    def _doubts(self, read: str, plate: str, fit: _Fit, confidence: float) -> list[str]:
        """Why a read that fits one candidate still must not act alone; empty when it may."""
        doubts = []
        if confidence < self.min_confidence:
            doubts.append(f"the camera's confidence {confidence:.2f} is below {self.min_confidence:.2f}")
        if fit is _Fit.CONFUSION:
            doubts += self._confusion_doubts(read, plate)
        elif fit is _Fit.PROVINCE:
            doubts.append(_province_doubt(read, plate))
        elif fit is _Fit.EDIT:
            # Around a read with a character lost or added lie dozens of well-formed plates: in a busy series
            # an undeclared truck's read lands next to a declared plate too often to open on it (see benchmark).
            doubts.append(f"{read} has a character missing or extra compared with {plate}; another truck's plate"
                          " could read the same")
        return doubts

    def _confusion_doubts(self, read: str, plate: str) -> list[str]:
        """Confusions are undone only into the one well-formed plate nearest the read, and it must be this one."""
        # Unexpected trucks are not in the index: a plate as near the read as the declared one may be on one of them.
        needed = sum(a != b for a, b in zip(read, plate, strict=True))
        fewest, plates = _nearest_plates(read)
        if fewest < needed:
            return [f"{read} is nearer another well-formed plate than {plate}: it may be another truck"]
        if plates > 1:
            return [f"{read} is as near {plates - 1} other well-formed plate(s) as {plate}: it may be another truck"]
        return []

    def _ambiguous(self, read: str, fits: list[Candidate], confidence: float) -> PlateMatch:
        """The verdict on a read that fits several candidates: never a guess between trucks."""
        ranked = self._ranked(read, fits)
        reasons = [f"the read {read} fits {len(ranked)} expected plates: " + ", ".join(map(_describe, ranked[:5]))]
        if confidence < self.min_confidence:
            reasons.append(f"the camera's confidence {confidence:.2f} is below {self.min_confidence:.2f}")
        return PlateMatch(MatchOutcome.AMBIGUOUS, None, read, _distance(read, self._plate[ranked[0]]),
                          tuple(ranked), tuple(reasons))

    def _no_match(self, read: str) -> PlateMatch:
        """The verdict on a read no candidate fits, naming the closest plates for the operator."""
        near = self._near(read)[:3]
        reasons = [f"no expected plate is within a usual camera misread of {read}"]
        if near:
            reasons.append("closest: " + ", ".join(map(_describe, near)))
        cost = _distance(read, self._plate[near[0]]) if near else math.inf
        return PlateMatch(MatchOutcome.NO_MATCH, None, read, cost, tuple(near), tuple(reasons))
