"""Benchmark: reading plates off generated camera pictures with the offline rapidocr reader (adapters/anpr).

Pictures come from tests/support/plate_images.py, seeded: Vietnamese one-row plates (12C-123.45), two-row truck
plates (12C over 123.45), Chinese plates (桂F·12345 in blue, a third in large trucks' yellow); Vietnamese plates
60% yellow (commercial), else white. Each is either a tight plate crop, as an ANPR box posts it (crop mode:
recognition only), or a 1280x720 frame with the truck in it and often lettering on its cab (frame mode: detection,
then recognition), all saved as JPEG.

Two sets of conditions. "ordinary", what a gate camera meets: 0.30-0.65 px/mm in a frame (a one-row plate 33-72 px
high, a two-row one 50-107 px), 0.36-1.0 px/mm in a crop; 60% tilted up to 5 degrees, 40% in perspective, half
blurred (radius 0.3-1.6 px), half grainy (noise sigma 3-14), JPEG quality 90. "hard", past what a camera should be
installed for: 0.22-0.40 px/mm in a frame, 0.25-0.50 in a crop; all tilted 4-10 degrees, in perspective, blurred
(1.0-2.5 px) and grainy (sigma 10-25), JPEG quality 40-70.

Verdicts: exact (the best reading is the plate, compact form); no plate (nothing that fits a plate grammar);
wrong (a plate, but not this one: plate matching must catch it, so wrong reads are also counted at confidence
>= 0.80, the matcher's bar for acting alone). Times are wall-clock per picture on this machine, models loaded;
on a shared machine the mean and the tail move with other load, the median much less.
Prints a table and writes benchmarks/results/plate_images.json.

    python benchmarks/plate_images.py                  # 100 ordinary + 50 hard pictures per kind and mode: 900
    python benchmarks/plate_images.py --per-group 20   # a quick look
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the picture generator lives with the tests

from bordergate.adapters.anpr.rapidocr_reader import DETECTION_SIDES, RapidOcrPlateReader  # noqa: E402
from tests.support.plate_images import (  # noqa: E402
    PlateKind,
    a_plate,
    hard_conditions,
    picture,
    random_conditions,
)

RESULTS = ROOT / "benchmarks" / "results"
MODES = ("crop", "frame")
CONDITIONS = {"ordinary": random_conditions, "hard": hard_conditions}
CONFIDENT = 0.80


def describe(conditions) -> str:
    """A short name for what made a picture hard, for the list of misses."""
    parts = [f"{conditions.px_per_mm:.2f}px/mm"]
    if conditions.rotation:
        parts.append(f"rot{conditions.rotation:+.1f}")
    if conditions.perspective:
        parts.append(f"persp{conditions.perspective:.2f}")
    if conditions.blur:
        parts.append(f"blur{conditions.blur:.1f}")
    if conditions.noise:
        parts.append(f"noise{conditions.noise:.0f}")
    if conditions.jpeg_quality != 90:
        parts.append(f"q{conditions.jpeg_quality}")
    return " ".join(parts)


def verdict_of(expected: str, readings: list) -> str:
    if not readings:
        return "no plate"
    return "exact" if readings[0].plate == expected else "wrong"


def run(reader: RapidOcrPlateReader, sizes: dict[str, int], seed: int, keep: Path | None) -> tuple[dict, list]:
    """Read every generated picture; return tallies per (conditions, kind, mode) and the misses."""
    tallies: dict[tuple[str, str, str], dict] = defaultdict(lambda: defaultdict(list))
    misses = []
    rng = random.Random(seed)
    for tier, draw in CONDITIONS.items():
        for mode in MODES:
            for kind in PlateKind:
                for n in range(sizes[tier]):
                    design = a_plate(kind, rng)
                    conditions = draw(rng, frame=mode == "frame")
                    image = picture(design, conditions, seed=rng.randrange(2**31))
                    started = time.perf_counter()
                    readings = reader.read(image, crop=mode == "crop")
                    elapsed = (time.perf_counter() - started) * 1000
                    verdict = verdict_of(design.compact, readings)
                    tally = tallies[(tier, kind.value, mode)]
                    tally["ms"].append(elapsed)
                    tally[verdict].append(readings[0].confidence if readings else 0.0)
                    if verdict == "exact":
                        continue
                    name = f"{tier}-{mode}-{kind.value}-{n}"
                    if keep:
                        (keep / f"{name}.jpg").write_bytes(image)
                    misses.append({"picture": name, "expected": design.compact, "read": [r.plate for r in readings],
                                   "text": [r.text for r in readings],
                                   "confidence": readings[0].confidence if readings else None,
                                   "conditions": describe(conditions)})
    return tallies, misses


def summarise(tally: dict) -> dict:
    images = len(tally["ms"])
    ms = sorted(tally["ms"])
    return {
        "images": images,
        "exact": round(len(tally["exact"]) / images, 4),
        "no_plate": round(len(tally["no plate"]) / images, 4),
        "wrong": round(len(tally["wrong"]) / images, 4),
        "wrong_confident": round(sum(c >= CONFIDENT for c in tally["wrong"]) / images, 4),
        "ms_mean": round(statistics.fmean(ms), 1),
        "ms_p50": round(ms[len(ms) // 2], 1),
        "ms_p95": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1),
        "ms_max": round(ms[-1], 1),
    }


def summary_of(tallies: dict) -> dict[str, dict]:
    """One row per conditions, kind and mode, and one per conditions and mode over all kinds."""
    summary = {}
    for tier in CONDITIONS:
        for mode in MODES:
            merged = defaultdict(list)
            for kind in PlateKind:
                tally = tallies[(tier, kind.value, mode)]
                summary[f"{tier}/{kind.value}/{mode}"] = summarise(tally)
                for key, values in tally.items():
                    merged[key] += values
            summary[f"{tier}/all/{mode}"] = summarise(merged)
    return summary


def print_table(summary: dict[str, dict]) -> None:
    header = (f"{'conditions':<11}{'kind':<12}{'mode':<7}{'images':>7}{'exact':>8}{'no plate':>10}{'wrong':>8}"
              f"{'wrong>=.8':>11}{'ms mean':>9}{'p50':>7}{'p95':>7}")
    print(header)
    print("-" * len(header))
    for name, row in summary.items():
        tier, kind, mode = name.split("/")
        print(f"{tier:<11}{kind:<12}{mode:<7}{row['images']:>7}{row['exact']:>8.1%}{row['no_plate']:>10.1%}"
              f"{row['wrong']:>8.1%}{row['wrong_confident']:>11.1%}{row['ms_mean']:>9.0f}{row['ms_p50']:>7.0f}"
              f"{row['ms_p95']:>7.0f}")
        if kind == "all":
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-group", type=int, default=100, help="ordinary pictures per kind and mode (100)")
    parser.add_argument("--hard-per-group", type=int, default=None, help="hard ones (default: half as many)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: every core)")
    parser.add_argument("--detection-sides", type=int, nargs="+", default=list(DETECTION_SIDES),
                        help="longest side text detection sees, tried in order until a plate is found")
    parser.add_argument("--keep-misses", type=Path, default=None, help="a folder to save the pictures misread in")
    args = parser.parse_args()
    if args.keep_misses:
        args.keep_misses.mkdir(parents=True, exist_ok=True)
    sizes = {"ordinary": args.per_group,
             "hard": args.hard_per_group if args.hard_per_group is not None else args.per_group // 2}

    reader = RapidOcrPlateReader(threads=args.threads, detection_sides=args.detection_sides)
    started = time.perf_counter()
    reader.warm_up()
    warm_up_s = time.perf_counter() - started
    tallies, misses = run(reader, sizes, args.seed, args.keep_misses)
    summary = summary_of(tallies)
    print_table(summary)
    total = sum(row["images"] for name, row in summary.items() if "/all/" in name)
    print(f"models loaded in {warm_up_s:.1f} s; {total} pictures; {len(misses)} misses, listed in the JSON")

    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "python": platform.python_version(), "rapidocr": version("rapidocr"),
            "onnxruntime": version("onnxruntime"), "seed": args.seed, "pictures_per_group": sizes,
            "threads": args.threads, "detection_sides": reader.detection_sides, "warm_up_s": round(warm_up_s, 2)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "plate_images.json").write_text(json.dumps({"meta": meta, "results": summary, "misses": misses},
                                                          indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
