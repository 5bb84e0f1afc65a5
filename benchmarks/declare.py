"""Benchmark: submit and amend declarations over HTTP against `bordergate serve`, on SQLite and PostgreSQL.

Closed loop: N clients each send their next request as soon as the last is answered (throughput, and latency
under that load). Open loop: requests at a fixed offered rate (e.g. 200/s), whatever the answers, which is how
trucks' declarations actually arrive. Prints a table and writes benchmarks/results/declare.json.

    python benchmarks/declare.py                      # both databases, 1 and 32 clients, 200/s open loop
    python benchmarks/declare.py --databases sqlite --seconds 5
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
PASSWORD = "benchmark-password"


def trip(n: int) -> dict:
    """A valid declaration whose plate differs per request, as a real stream of trucks would."""
    arrival = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
    return {
        "crossing_point": "HUU_NGHI", "flow": "export", "planned_arrival": arrival,
        "vehicle": {"tractor_plate": f"12C-{n // 100 % 1000:03d}.{n % 100:02d}", "trailer_plate": "12R-012.34",
                    "vehicle_class": "reefer", "gross_weight_kg": 42000, "axles": 5, "container_size": "40ft"},
        "driver": {"full_name": "Trần Văn Bình", "document_number": f"0010880{n % 100000:05d}",
                   "nationality": "VN", "phone": "0912345678"},
        "goods": [{"hs_code": "0810.60", "description": "Fresh durian", "packages": 1200,
                   "gross_weight_kg": "24000", "value": "36000", "currency": "USD", "origin_country": "VN",
                   "perishable": True, "shelf_life_hours": 240, "quarantine_required": True}],
        "containers": ["MSKU9070323"],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database(kind: str):
    folder = tempfile.mkdtemp(prefix="bordergate-bench-")
    if kind == "sqlite":
        yield f"sqlite:///{folder}/bench.db"
        shutil.rmtree(folder, ignore_errors=True)
        return
    import pgserver

    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        server.psql("ALTER SYSTEM SET max_connections = 200;")
        server.psql("CREATE DATABASE bench;")
        yield server.get_uri().replace("/postgres?", "/bench?")
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def cli(env: dict, *args: str) -> str:
    done = subprocess.run(["bordergate", *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode:
        sys.exit(f"bordergate {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


@contextmanager
def server(url: str, workers: int):
    port = free_port()
    env = {**os.environ, "BORDERGATE_DATABASE_URL": url,
           "BORDERGATE_SECRET_KEY": "benchmark-secret-of-at-least-32-characters",
           "BORDERGATE_ARGON2_TIME_COST": "1", "BORDERGATE_ARGON2_MEMORY_KIB": "1024",
           "BORDERGATE_LOG_LEVEL": "warning", "BORDERGATE_DB_POOL_SIZE": "20"}
    cli(env, "db", "upgrade")
    org = cli(env, "organisations", "add", "--name", "Benchmark Farm", "--kind", "enterprise",
              "--tax-code", "4900100254")
    cli(env, "users", "create", "--username", "bench", "--full-name", "Bench", "--role", "declarant",
        "--organisation", org, "--password", PASSWORD)
    process = subprocess.Popen(["bordergate", "serve", "--port", str(port), "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            sys.exit("server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Load:
    """Sends submits (then amends of what was submitted) and keeps each request's latency."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.headers = base, {"Authorization": f"Bearer {token}"}
        self.counter = 0
        self.references: list[str] = []
        self.errors = 0

    async def submit(self, client: httpx.AsyncClient) -> float:
        self.counter += 1
        start = time.perf_counter()
        answer = await client.post(f"{self.base}/api/v1/declarations", json=trip(self.counter), headers=self.headers)
        elapsed = time.perf_counter() - start
        if answer.status_code == 201:
            self.references.append(answer.json()["reference"])
        else:
            self.errors += 1
        return elapsed

    async def amend(self, client: httpx.AsyncClient) -> float:
        self.counter += 1
        reference = self.references[self.counter % len(self.references)]
        start = time.perf_counter()
        answer = await client.patch(f"{self.base}/api/v1/declarations/{reference}", headers=self.headers,
                                    json={"changes": {"driver.phone": f"09{self.counter % 10**8:08d}"}})
        elapsed = time.perf_counter() - start
        # 409 is a correct answer when two clients amend the same declaration at once; count it apart.
        if answer.status_code != 200:
            self.errors += 1
        return elapsed


async def closed_loop(load: Load, action: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors_before = load.errors
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < stop:
                latencies.append(await getattr(load, action)(client))

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - began
    return summary(action, f"closed, {clients} clients", latencies, wall, load.errors - errors_before)


async def open_loop(load: Load, action: str, rate: float, seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    errors_before = load.errors
    limits = httpx.Limits(max_connections=clients * 4, max_keepalive_connections=clients * 4)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        tasks = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(getattr(load, action)(client)))
        latencies = await asyncio.gather(*tasks)
        wall = time.perf_counter() - began
    return summary(action, f"open, {rate:.0f}/s offered", list(latencies), wall, load.errors - errors_before)


def summary(action: str, mode: str, latencies: list[float], wall: float, errors: int) -> dict:
    return {"action": action, "mode": mode, "requests": len(latencies), "errors": errors,
            "per_second": round(len(latencies) / wall, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1)}


async def run_database(base: str, seconds: float, rate: float) -> list[dict]:
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD})
        answer.raise_for_status()
    load = Load(base, answer.json()["access_token"])
    rows = [await closed_loop(load, "submit", 1, seconds), await closed_loop(load, "submit", 32, seconds),
            await open_loop(load, "submit", rate, seconds, 32),
            await closed_loop(load, "amend", 1, seconds), await closed_loop(load, "amend", 32, seconds),
            await open_loop(load, "amend", rate, seconds, 32)]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=200, help="offered rate of the open-loop runs")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    results = []
    for kind in args.databases:
        with database(kind) as url, server(url, args.workers) as base:
            for row in asyncio.run(run_database(base, args.seconds, args.rate)):
                results.append({"database": kind, **row})
    header = f"{'database':<11}{'action':<8}{'mode':<22}{'requests':>9}{'errors':>7}{'per s':>8}" \
             f"{'p50 ms':>8}{'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['database']:<11}{r['action']:<8}{r['mode']:<22}{r['requests']:>9}{r['errors']:>7}"
              f"{r['per_second']:>8}{r['p50_ms']:>8}{r['p99_ms']:>8}")
    RESULTS.mkdir(exist_ok=True)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "workers": args.workers,
            "seconds": args.seconds}
    (RESULTS / "declare.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()
