"""Benchmark: matching noisy camera plate reads against the trucks expected at a gate (domain/plate_matching.py).

Everything comes from seeded random.Random, so a run is reproducible. The expected set is a busy day at Huu Nghi
and then some (~1,000 declarations, ~1,900 tractor and trailer plates): Vietnamese plates from Lang Son (12) and
the provinces that send trucks north (29, 30, 51, 98, 14, ...), R/RM trailers, ~25% Chinese plates (桂F, 桂A, 粤B,
...), and deliberate near-duplicates: one declaration in eight is tried for a shadow declaration whose plate is
one camera confusion (most often), one digit, one character or one province away.

Reads come ~90% from expected trucks and ~10% from trucks nobody declared, a third of those lookalikes of an
expected plate (one confusion, digit, character or province away). Noise: camera confusions (0/O/D/Q, 1/I/L, 2/Z,
5/S, 6/G, 8/B), a dropped or inserted character, two-row plates split by a newline, separators, lower case, a
Chinese province character lost or misread, and camera confidences drawn independently of the noise (15% under
0.80), which is harsher than a real camera.

Verdicts: matched right; sent to review (low confidence, ambiguous, or an expected truck reported as no match);
no match, right (an undeclared truck reported as no match); WRONG OPEN (matched to another truck although the
read was at least as near the truck's own plate: the matcher's fault, must be 0); misread->other (matched to
another expected plate that the camera's text was nearer than the truck's own, at the extreme exactly that
plate: no reader of the text alone could tell, so it is counted apart, but counted).
Prints a table and writes benchmarks/results/plate_matching.json.

    python benchmarks/plate_matching.py
    python benchmarks/plate_matching.py --days 50          # fifty seeded days, 1,000,000 reads
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bordergate.domain.plate_matching import Candidate, MatchOutcome, PlateIndex, PlateRole
from bordergate.domain.plates import is_plate

RESULTS = Path(__file__).resolve().parent / "results"

VN_PROVINCES = ["12"] * 8 + ["29", "30", "51", "98", "14", "15", "34", "36", "37", "43", "20", "88"]
VN_SERIES = ["C"] * 6 + ["H"] * 3 + ["LD", "D", "B", "G", "S", "Z", "L", "K", "E", "F", "KT"]
CN_PREFIXES = ["桂F"] * 8 + ["桂A"] * 3 + ["桂B", "桂K", "粤B", "粤A", "云A", "湘A", "川A", "闽D", "浙B", "鲁B"]
CN_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CONFUSION_GROUPS = ["0ODQ", "1IL", "2Z", "5S", "6G", "8B"]
CONFUSABLE = {char: group.replace(char, "") for group in CONFUSION_GROUPS for char in group}
# Characters a camera reads as a Chinese province that are not one: lookalikes and plate-frame clutter.
NOT_PROVINCES = "柱佳挂圭住"
ALL_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LOOKALIKES = ("confusion", "digit", "shorter", "longer", "province")


def vn_tractor(rng: random.Random) -> str:
    """A Vietnamese truck plate; a tenth are the older four-digit kind."""
    digits = 4 if rng.random() < 0.1 else 5
    return rng.choice(VN_PROVINCES) + rng.choice(VN_SERIES) + "".join(rng.choices("0123456789", k=digits))


def vn_trailer(rng: random.Random) -> str:
    """A Vietnamese trailer (R) or semi-trailer (RM) plate."""
    return rng.choice(VN_PROVINCES) + rng.choice(["R"] * 4 + ["RM"]) + "".join(rng.choices("0123456789", k=5))


def cn_body(rng: random.Random, length: int) -> str:
    """Chinese plate characters: mostly digits, some letters (never I or O)."""
    return "".join(rng.choice(CN_LETTERS) if rng.random() < 0.2 else rng.choice("0123456789") for _ in range(length))


def cn_tractor(rng: random.Random) -> str:
    """A Chinese truck plate; one in twenty a new-energy one (five digits then D or F)."""
    if rng.random() < 0.05:
        return rng.choice(CN_PREFIXES) + "".join(rng.choices("0123456789", k=5)) + rng.choice("DF")
    return rng.choice(CN_PREFIXES) + cn_body(rng, 5)


def cn_trailer(rng: random.Random) -> str:
    """A Chinese trailer plate: four characters and 挂."""
    return rng.choice(CN_PREFIXES) + cn_body(rng, 4) + "挂"


def a_vehicle(rng: random.Random) -> tuple[str, str | None]:
    """A tractor plate and (nine times in ten) its trailer's, a quarter of them Chinese."""
    if rng.random() < 0.25:
        return cn_tractor(rng), cn_trailer(rng) if rng.random() < 0.9 else None
    return vn_tractor(rng), vn_trailer(rng) if rng.random() < 0.9 else None


def a_lookalike(rng: random.Random, plate: str, kinds: tuple[str, ...] = LOOKALIKES) -> tuple[str | None, str]:
    """A valid plate close to ``plate`` (None if the kind drawn gives none here), and the kind of closeness."""
    kind = rng.choice(kinds)
    twin = None
    if kind == "confusion":
        spots = [i for i, c in enumerate(plate) if c in CONFUSABLE]
        if spots:
            i = rng.choice(spots)
            twin = plate[:i] + rng.choice(CONFUSABLE[plate[i]]) + plate[i + 1:]
    elif kind == "digit":
        spots = [i for i, c in enumerate(plate) if c.isdigit() and i >= 2]
        if spots:
            i = rng.choice(spots)
            twin = plate[:i] + rng.choice("0123456789".replace(plate[i], "")) + plate[i + 1:]
    elif kind == "shorter":
        twin = plate[:-1]
    elif kind == "longer":
        twin = plate + rng.choice("0123456789")
    elif not plate[0].isascii():
        twin = rng.choice(ALL_PROVINCES.replace(plate[0], "")) + plate[1:]
    return (twin if twin != plate and twin and is_plate(twin) else None), kind


def expected_candidates(rng: random.Random, declarations: int) -> tuple[list[Candidate], Counter]:
    """The day's expected plates, some shadowed by a lookalike declaration, and the lookalike pairs by kind."""
    candidates, taken, shadows = [], set(), Counter()

    def declare(tractor: str, trailer: str | None) -> None:
        key = f"LS-{len(candidates):05d}"
        for plate, role in ((tractor, PlateRole.TRACTOR), (trailer, PlateRole.TRAILER)):
            if plate and plate not in taken:
                assert is_plate(plate), plate
                taken.add(plate)
                candidates.append(Candidate(key, plate, role))

    for _ in range(declarations):
        tractor, trailer = a_vehicle(rng)
        declare(tractor, trailer)
        if rng.random() < 1 / 8:
            # Pairs one confusion apart most of all: they are what the ambiguity rules exist for.
            twin, kind = a_lookalike(rng, rng.choice([p for p in (tractor, trailer) if p]),
                                     ("confusion",) * 3 + LOOKALIKES)
            if twin and twin not in taken:
                declare(twin, None)
                shadows[kind] += 1
    return candidates, shadows


def undeclared_plate(rng: random.Random, expected: list[Candidate], plates: set[str]) -> tuple[str, bool]:
    """A truck nobody declared, and whether it is (a third of the time) a lookalike of an expected plate."""
    while True:
        lookalike = rng.random() < 0.33
        plate = a_lookalike(rng, rng.choice(expected).plate)[0] if lookalike else rng.choice(a_vehicle(rng))
        if plate and plate not in plates:
            return plate, lookalike


def with_noise(rng: random.Random, plate: str) -> tuple[str, list[str]]:
    """What a camera might make of ``plate``, and the kinds of noise applied."""
    chars, noise = list(plate), []
    for i, char in enumerate(chars):
        if char in CONFUSABLE and rng.random() < 0.07:
            chars[i] = rng.choice(CONFUSABLE[char])
            noise.append("confusion")
    chinese = not plate[0].isascii()
    if chinese and rng.random() < 0.12:
        if rng.random() < 0.6:
            del chars[0]
        else:
            chars[0] = rng.choice(NOT_PROVINCES + ALL_PROVINCES.replace(plate[0], "")[:4])
        noise.append("province")
    if rng.random() < 0.07:
        del chars[rng.randrange(len(chars))]
        noise.append("dropped")
    if rng.random() < 0.05:
        chars.insert(rng.randrange(len(chars) + 1), rng.choice("1I0123456789ABCDEFHKLMNPRSTUVXYZ"))
        noise.append("inserted")
    # A two-row Vietnamese plate: province and series above, the number below.
    first_row = 2 + sum(char.isalpha() for char in plate[2:4])
    return layout(rng, "".join(chars), chinese, first_row, noise), noise or ["clean"]


def layout(rng: random.Random, text: str, chinese: bool, first_row: int, noise: list[str]) -> str:
    """The read as a camera formats it: one or two rows, separators, case."""
    if rng.random() < (0.3 if chinese else 0.5):
        # Vietnamese trucks and the rear plates of large Chinese trucks carry two rows.
        text = f"{text[:2 if chinese else first_row]}\n{text[2 if chinese else first_row:]}"
        noise.append("two-row")
    elif rng.random() < 0.4:
        cut = 2 if chinese else first_row
        text = f"{text[:cut]}{rng.choice(['-', '·', ' ', ' - '])}{text[cut:]}"
    if rng.random() < 0.2:
        text = text.lower()
    return text


def a_confidence(rng: random.Random) -> float:
    """A camera confidence; 15% of reads are unsure, whatever their noise."""
    return round(rng.uniform(0.40, 0.80) if rng.random() < 0.15 else rng.uniform(0.80, 0.99), 3)


def noisy_reads(rng: random.Random, expected: list[Candidate], count: int) -> list[dict]:
    """``count`` reads, ~90% of expected trucks and ~10% of undeclared ones."""
    plates = {c.plate for c in expected}
    reads = []
    for _ in range(count):
        truth = rng.choice(expected) if rng.random() < 0.9 else None
        plate, lookalike = (truth.plate, False) if truth else undeclared_plate(rng, expected, plates)
        text, noise = with_noise(rng, plate)
        source = "expected truck" if truth else "undeclared lookalike" if lookalike else "undeclared, random"
        reads.append({"text": text, "confidence": a_confidence(rng), "truth": truth, "plate": plate,
                      "noise": noise, "source": source})
    return reads


def misreads(read: str, plate: str) -> float:
    """Edit distance where a usual camera confusion costs 0.25 and any other change 1."""
    def cost(a: str, b: str) -> float:
        return 0.0 if a == b else 0.25 if CONFUSABLE.get(a, "").find(b) >= 0 else 1.0
    previous = [float(j) for j in range(len(plate) + 1)]
    for i, a in enumerate(read, 1):
        current = [float(i)]
        for j, b in enumerate(plate, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost(a, b)))
        previous = current
    return previous[-1]


def verdict(read: dict, match) -> str:
    """How a match came out against the truth."""
    if match.outcome is MatchOutcome.MATCHED:
        if match.candidate == read["truth"]:
            return "matched correctly"
        # The camera's text was nearer another expected plate than the truck's own (at the extreme, exactly
        # that plate): counted apart from the matcher's own mistakes, but counted.
        nearer = misreads(match.read_as, match.candidate.plate) < misreads(match.read_as, read["plate"])
        return "misread into another" if nearer else "WRONG AUTO-OPEN"
    if read["truth"] is None and match.outcome is MatchOutcome.NO_MATCH:
        return "correctly no match"
    return "sent to review"


def score(index: PlateIndex, reads: list[dict]) -> tuple[dict, list[dict]]:
    """Counts of verdicts by group of reads, and every opening for the wrong truck in full."""
    counts: dict[str, Counter] = defaultdict(Counter)
    wrong = []
    for read in reads:
        match = index.match(read["text"], read["confidence"])
        result = verdict(read, match)
        groups = ["all reads", read["source"]]
        if read["truth"]:
            groups += [f"  {kind}" for kind in sorted(set(read["noise"]))]
            groups.append("  confident (>= 0.80)" if read["confidence"] >= 0.80 else "  unsure (< 0.80)")
        for group in groups:
            counts[group][result] += 1
            counts[group]["reads"] += 1
            counts[group][f"outcome {match.outcome}"] += 1
        if result in ("WRONG AUTO-OPEN", "misread into another"):
            wrong.append({"verdict": result, "text": read["text"], "plate": read["plate"],
                          "matched": match.candidate.plate, "reasons": list(match.reasons)})
    return counts, wrong


def throughput(index: PlateIndex, reads: list[dict], seconds: float = 2.0) -> float:
    """Matches a second, one read after another on one core."""
    pairs = [(r["text"], r["confidence"]) for r in reads]
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text, confidence in pairs:
            index.match(text, confidence)
        done += len(pairs)
    return done / (time.perf_counter() - started)


COLUMNS = {"matched correctly": "matched right", "sent to review": "to review", "correctly no match":
           "no match, right", "WRONG AUTO-OPEN": "WRONG OPEN", "misread into another": "misread->other"}


def print_table(counts: dict) -> None:
    """The result as a table: share of each group's reads per verdict."""
    header = f"{'reads':<24}{'n':>8}" + "".join(f"{label:>17}" for label in COLUMNS.values())
    print(header)
    print("-" * len(header))
    order = ["all reads", "expected truck"] + sorted(g for g in counts if g.startswith("  ")) + [
        "undeclared, random", "undeclared lookalike"]
    for group in order:
        row = counts[group]
        shares = "".join(f"{row[c] / max(row['reads'], 1):>16.1%}{'*' if c.isupper() and row[c] else ' '}"
                         for c in COLUMNS)
        print(f"{group:<24}{row['reads']:>8}{shares}")


def run(seed: int, declarations: int, count: int) -> tuple[list[Candidate], Counter, list[dict], PlateIndex, float]:
    """One seeded day: expected plates, their lookalike pairs, the reads, the index and its build time (ms)."""
    rng = random.Random(seed)
    expected, shadows = expected_candidates(rng, declarations)
    reads = noisy_reads(rng, expected, count)
    started = time.perf_counter()
    index = PlateIndex(expected)
    return expected, shadows, reads, index, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--declarations", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=20000)
    parser.add_argument("--days", type=int, default=1, help="seeded days to score (seed, seed+1, ...)")
    args = parser.parse_args()
    counts: dict[str, Counter] = defaultdict(Counter)
    wrong: list[dict] = []
    for day in range(args.days):
        expected, shadows, reads, index, build_ms = run(args.seed + day, args.declarations, args.reads)
        if day == 0:
            per_second, first = throughput(index, reads), (len(expected), build_ms, index.min_confidence, shadows)
        day_counts, day_wrong = score(index, reads)
        for group, row in day_counts.items():
            counts[group].update(row)
        wrong += [{"seed": args.seed + day, **case} for case in day_wrong]
    candidates, build_ms, min_confidence, shadows = first
    print_table(counts)
    total = counts["all reads"]
    outcomes = ", ".join(f"{k[8:]} {v}" for k, v in sorted(total.items()) if k.startswith("outcome "))
    print(f"\nwrong auto-opens: {total['WRONG AUTO-OPEN']}   opened for another expected plate the camera's text was"
          f" nearer than the truck's own: {total['misread into another']}"
          f"\noutcomes: {outcomes}"
          f"\nmatches/s: {per_second:,.0f}   candidates: {candidates} (lookalike pairs among them, first day:"
          f" {dict(shadows)})   index built in {build_ms:.1f} ms")
    for case in wrong[:10]:
        print("opened for another truck:", case)
    RESULTS.mkdir(exist_ok=True)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "seeds": [args.seed, args.seed + args.days - 1],
            "declarations": args.declarations, "candidates_first_day": candidates,
            "lookalike_pairs_first_day": dict(shadows), "reads": total["reads"],
            "min_confidence": min_confidence}
    results = {"matches_per_second": round(per_second), "index_build_ms": round(build_ms, 2),
               "wrong_auto_opens": total["WRONG AUTO-OPEN"],
               "misread_into_another_expected_plate": total["misread into another"],
               "opened_for_another_truck": wrong,
               "groups": {group.strip(): dict(row) for group, row in counts.items()}}
    (RESULTS / "plate_matching.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2,
                                                            ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
