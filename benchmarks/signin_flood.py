"""Benchmark: an honest person's sign-in while 32 threads post wrong passwords, at production argon2 costs.

The real app is served by `bordergate serve` in a subprocess on a temporary SQLite file, with the settings'
defaults (argon2 time cost 3, 64 MiB, 4 lanes; hashing slots = the CPU count) and BORDERGATE_TRUSTED_PROXIES
=127.0.0.1, so the flood can come "from" several addresses through X-Forwarded-For as it would through a proxy.
The flood: --threads threads, each posting wrong passwords back to back for a mix of existing and unknown
usernames, from 8 addresses that are not the honest person's. The honest person signs in --tries times in a row
(their own account, their own address), first with no flood, then while the flood runs (after --warm-up s).

--compare SRC runs the same against another source tree (e.g. the main branch before throttling) in the same run.
Prints a table and writes benchmarks/results/signin_flood.json (signin_flood_warm_up_<s>s.json for another
--warm-up).

    python benchmarks/signin_flood.py
    python benchmarks/signin_flood.py --compare /work/main/src --compare-tries 3
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
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
OWN_SOURCE = ROOT.parent / "src"
PASSWORD = "benchmark-password"
SECRET = "benchmark-secret-of-at-least-32-characters"
VICTIMS = [f"victim-{n}" for n in range(4)]
UNKNOWN = [f"nobody-{n}" for n in range(4)]
FLOOD_ADDRESSES = [f"10.20.0.{n}" for n in range(1, 9)]
HONEST_ADDRESS = "198.51.100.20"


def seed(url: str) -> None:
    """Run in a subprocess on the source under test: an enterprise, the honest declarant and the victims."""
    from bordergate.bootstrap import bootstrap
    from bordergate.config import Settings
    from bordergate.domain import commands
    from bordergate.services.authentication import SYSTEM

    gate = bootstrap(Settings(database_url=url, secret_key=SECRET))
    farm = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Nông sản Xứ Lạng", "enterprise", "4900100254"))
    for username in ["honest", *VICTIMS]:
        gate.bus.handle(commands.CreateUser(SYSTEM, username, PASSWORD, username.title(), "declarant", farm))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(source: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    url = f"sqlite:///{folder / 'flood.db'}"
    env = {**os.environ, "PYTHONPATH": str(source), "BORDERGATE_DATABASE_URL": url, "BORDERGATE_SECRET_KEY": SECRET,
           "BORDERGATE_TRUSTED_PROXIES": "127.0.0.1", "BORDERGATE_SWEEP_SECONDS": "0",
           "BORDERGATE_LOG_LEVEL": "warning"}
    cli = [sys.executable, "-c", "from bordergate.entrypoints.cli import main; main()"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, __file__, "--seed", url], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def honest_tries(base: str, tries: int) -> tuple[list[float], Counter]:
    latencies, statuses = [], Counter()
    with httpx.Client(base_url=base, timeout=120, headers={"X-Forwarded-For": HONEST_ADDRESS}) as http:
        for _ in range(tries):
            started = time.perf_counter()
            answer = http.post("/api/v1/auth/token", data={"username": "honest", "password": PASSWORD})
            latencies.append(time.perf_counter() - started)
            statuses[answer.status_code] += 1
    return latencies, statuses


def flood(base: str, threads: int, stop: threading.Event, statuses: Counter) -> list[threading.Thread]:
    lock = threading.Lock()
    names = [*VICTIMS, *UNKNOWN]

    def one(n: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            k = n
            while not stop.is_set():
                k += threads
                try:
                    answer = http.post("/api/v1/auth/token", headers={
                        "X-Forwarded-For": FLOOD_ADDRESSES[k % len(FLOOD_ADDRESSES)]},
                        data={"username": names[k % len(names)], "password": "wrong-password"})
                    code = answer.status_code
                except httpx.HTTPError:
                    code = "error"
                with lock:
                    statuses[code] += 1

    started = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(threads)]
    for thread in started:
        thread.start()
    return started


def measure(label: str, source: Path, args) -> list[dict]:
    tries = args.tries if source == OWN_SOURCE else args.compare_tries
    rows = []
    with tempfile.TemporaryDirectory(prefix="signin-flood-") as folder:
        server, base = serve(source, Path(folder))
        try:
            quiet, quiet_statuses = honest_tries(base, tries)
            rows.append(_row(label, "no flood", quiet, quiet_statuses, None, 0))
            stop, statuses = threading.Event(), Counter()
            threads = flood(base, args.threads, stop, statuses)
            time.sleep(args.warm_up)
            started = time.perf_counter()
            loud, loud_statuses = honest_tries(base, tries)
            seconds = time.perf_counter() - started
            flood_seen = Counter(statuses)
            stop.set()
            for thread in threads:
                thread.join(timeout=150)
            rows.append(_row(label, f"{args.threads}-thread flood", loud, loud_statuses, flood_seen,
                             args.warm_up + seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def _row(source: str, load: str, latencies: list[float], statuses: Counter, flood_statuses: Counter | None,
         seconds: float) -> dict:
    ordered = sorted(latencies)
    return {"source": source, "load": load, "tries": len(latencies),
            "median_s": round(statistics.median(ordered), 3),
            "p95_s": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3),
            "max_s": round(ordered[-1], 3), "honest_answers": dict(sorted(statuses.items(), key=str)),
            "flood_answers": dict(sorted(flood_statuses.items(), key=str)) if flood_statuses else {},
            "flood_per_s": round(sum(flood_statuses.values()) / seconds, 1) if flood_statuses else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--tries", type=int, default=10, help="the honest person's sign-ins per phase")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of flood before the honest tries")
    parser.add_argument("--compare", type=Path, help="another source tree to run the same against")
    parser.add_argument("--compare-tries", type=int, default=3)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed(args.seed)
    rows = measure("this branch", OWN_SOURCE, args)
    if args.compare:
        rows += measure(str(args.compare), args.compare, args)
    print(f"{'source':<16} {'load':<16} {'tries':>5} {'median s':>9} {'p95 s':>7} {'max s':>7}  honest answers"
          f"   flood answers (per s)")
    for r in rows:
        print(f"{r['source'][-16:]:<16} {r['load']:<16} {r['tries']:>5} {r['median_s']:>9.2f} {r['p95_s']:>7.2f} "
              f"{r['max_s']:>7.2f}  {r['honest_answers']}   {r['flood_answers']} ({r['flood_per_s']})")
    RESULTS.mkdir(exist_ok=True)
    name = "signin_flood.json" if args.warm_up == 5.0 else f"signin_flood_warm_up_{args.warm_up:g}s.json"
    (RESULTS / name).write_text(json.dumps({
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
        "cpus": os.cpu_count(), "threads": args.threads, "warm_up_s": args.warm_up, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
