"""Benchmark: how long a newcomer waits for `bordergate demo`, from launch to the public page and to the day ready.

Each run launches `bordergate demo --port P --database <temporary file>` (the replayed day at its default 60x) on
the source under test and polls, every 50 ms:
  - first 200: GET / answers 200 (while the day is prepared, the page that says so);
  - day ready: GET /api/v1/public/queues answers 200 (the API answers 503 until the day is ready; on a source
    from before serve-first, the server answers nothing until then, so both figures are the same moment).
  - cpu at first 200: the demo process's CPU seconds (user + system) by then, which a busy machine does not
    change much: what serving first costs, whatever the load.
Idle, and beside --hogs CPU hogs (`python -c 'while 1: pass'`, started here and ended by their own pids), --runs
times each. --compare SRC runs the same against another source tree (e.g. /work/main/src before this change);
--only-compare measures that tree alone; --first-200-only stops each launch at its first 200 (on a busy machine the
day takes minutes to be ready). Prints each launch as it ends, then a table (median and worst of the runs), and
writes benchmarks/results/demo_start.json (--out NAME: benchmarks/results/NAME.json).

    python benchmarks/demo_start.py
    python benchmarks/demo_start.py --runs 3 --hogs 2 --compare /work/main/src
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
OWN_SOURCE = ROOT.parent / "src"
HANG_GUARD = 600  # seconds: a ceiling against a hung demo, not an expectation


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _cpu_seconds(pid: int) -> float:
    """A process's user + system CPU seconds, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_launch(source: Path, first_200_only: bool = False) -> dict[str, float]:
    """Seconds from launch to the first 200 on the public page, and to the day ready."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("BORDERGATE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        demo = subprocess.Popen([sys.executable, "-c", "from bordergate.entrypoints.cli import main; main()", "demo",
                                 "--port", str(port), "--database", str(Path(folder) / "demo.db")],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures: dict[str, float] = {}
        try:
            while time.monotonic() - started < HANG_GUARD and "ready_s" not in figures:
                if first_200_only and "first_200_s" in figures:
                    break
                if demo.poll() is not None:
                    raise RuntimeError(f"the demo stopped early ({demo.returncode})")
                if "first_200_s" not in figures and _answers(f"http://127.0.0.1:{port}/"):
                    figures["first_200_s"] = time.monotonic() - started
                    figures["cpu_at_first_200_s"] = _cpu_seconds(demo.pid)
                if "first_200_s" in figures and _answers(f"http://127.0.0.1:{port}/api/v1/public/queues"):
                    figures["ready_s"] = time.monotonic() - started
                time.sleep(0.05)
        finally:
            demo.terminate()
            try:
                demo.wait(timeout=15)
            except subprocess.TimeoutExpired:
                demo.kill()
                demo.wait()
    print(f"  {source} beside {hogs_now()} hogs: {figures}", file=sys.stderr, flush=True)
    return figures


_HOGS: list[subprocess.Popen] = []


def hogs_now() -> int:
    return len(_HOGS)


def measure(source: Path, runs: int, hogs: int, first_200_only: bool) -> dict:
    """``runs`` launches beside ``hogs`` busy processes."""
    _HOGS[:] = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(hogs)]
    try:
        launches = [one_launch(source, first_200_only) for _ in range(runs)]
    finally:
        for hog in _HOGS:
            hog.kill()
            hog.wait()
        _HOGS.clear()
    row = {"source": str(source), "hogs": hogs, "runs": launches}
    for figure in ("first_200_s", "cpu_at_first_200_s", "ready_s"):
        values = [launch[figure] for launch in launches if figure in launch]
        row[figure] = {"median": round(statistics.median(values), 2), "worst": round(max(values), 2)} if values \
            else None
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=2, help="CPU hogs beside the busy runs")
    parser.add_argument("--compare", type=Path, help="another source tree to measure the same way")
    parser.add_argument("--only-compare", action="store_true", help="measure the --compare tree alone")
    parser.add_argument("--first-200-only", action="store_true", help="stop each launch at its first 200")
    parser.add_argument("--out", default="demo_start", help="results file name, without .json")
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    sources = [*([] if args.only_compare else [OWN_SOURCE]), *([args.compare] if args.compare else [])]
    rows = [measure(source, args.runs, hogs, args.first_200_only) for source in sources for hogs in (0, args.hogs)]
    print(f"{'source':<28} {'load':<10} {'first 200 s':>16} {'cpu by then s':>16} {'day ready s':>16}"
          "   (median / worst)")
    for row in rows:
        cells = [f"{row[f]['median']:.1f} / {row[f]['worst']:.1f}" if row.get(f) else "-"
                 for f in ("first_200_s", "cpu_at_first_200_s", "ready_s")]
        load = "idle" if not row["hogs"] else f"{row['hogs']} hogs"
        print(f"{row['source'][-28:]:<28} {load:<10} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
    RESULTS.mkdir(exist_ok=True)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "load_average_at_start": load_at_start, "load_average_at_end": os.getloadavg()}
    (RESULTS / f"{args.out}.json").write_text(json.dumps(
        {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
