"""Benchmark: citizens filing reports with photos over HTTP against `bordergate serve`, on SQLite and PostgreSQL.

Bursts of --burst reports (default 200) are sent at once through POST /citizen/api/reports, anonymous, each from
its own address (X-Forwarded-For from a trusted proxy, so the per-address limits of one phone do not apply), each
with 1 to 4 synthetic 1-3 MB JPEGs (camera-like noise: they compress as badly as a phone's photos). The figure is
report-to-tracking-code: from sending the request to holding the code, photos decoded, checked, re-encoded,
stored and audited. The client is httpx with --connections connections; photos are made once before the run, so
the client spends its CPU on sending. Prints a table and writes benchmarks/results/citizen_reports.json.

    python benchmarks/citizen_reports.py
    python benchmarks/citizen_reports.py --databases sqlite --burst 50
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
SECRET = "benchmark-secret-of-at-least-32-characters"
SOURCE = Path(__file__).resolve().parents[1] / "src"  # this checkout's bordergate, not whichever is installed
CLI = "from bordergate.entrypoints.cli import main; main()"
SEED = """
from bordergate.bootstrap import bootstrap
from bordergate.domain import commands, report_commands as rc
from bordergate.services.authentication import SYSTEM
gate = bootstrap()
centre = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Trung tâm Phục vụ hành chính công", "unit"))
gate.bus.handle(rc.RegisterUnit(SYSTEM, "TT_PVHCC", centre, True))
"""


def photos(count: int, rng: random.Random) -> list[bytes]:
    """JPEGs of 1 to 3 MB: noise over a gradient, at a phone camera's quality."""
    from PIL import Image
    made = []
    for n in range(count):
        width, height = rng.choice([(1600, 1200), (2000, 1500), (2400, 1800)])
        noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        out = io.BytesIO()
        noise.save(out, "JPEG", quality=rng.choice([70, 80, 88]))
        made.append(out.getvalue())
    return made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database(kind: str):
    folder = tempfile.mkdtemp(prefix="bordergate-bench-")
    try:
        if kind == "sqlite":
            yield f"sqlite:///{folder}/bench.db", folder
            return
        import pgserver
        server = pgserver.get_server(folder, cleanup_mode="stop")
        try:
            server.psql("CREATE DATABASE bench;")
            yield server.get_uri().replace("/postgres?", "/bench?"), folder
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")


@contextmanager
def server(url: str, folder: str, workers: int):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SOURCE), "BORDERGATE_DATABASE_URL": url, "BORDERGATE_SECRET_KEY": SECRET,
           "BORDERGATE_LOG_LEVEL": "warning", "BORDERGATE_DB_POOL_SIZE": "20", "BORDERGATE_SWEEP_SECONDS": "0",
           "BORDERGATE_TRUSTED_PROXIES": "127.0.0.1", "BORDERGATE_PHOTO_DIR": f"{folder}/photos",
           "BORDERGATE_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    run(env, "-c", CLI, "db", "upgrade")
    run(env, "-c", SEED)
    process = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", str(workers)], env=env)
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
            sys.exit("the server did not start within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


async def burst(base: str, size: int, connections: int, pictures: list[bytes], rng: random.Random,
                first: int) -> dict:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        async def one(n: int) -> tuple[float, int, int]:
            chosen = rng.sample(pictures, rng.randint(1, 4))
            files = [("photos", (f"IMG_{k}.jpg", picture, "image/jpeg")) for k, picture in enumerate(chosen)]
            data = {"category": "road_damage", "description": f"Ổ gà số {first + n} trên quốc lộ 1A",
                    "lat": f"{21.85 + n * 1e-4:.6f}", "lon": "106.76", "commune_code": "DONG_DANG"}
            address = f"10.{(first + n) // 65536 % 256}.{(first + n) // 256 % 256}.{(first + n) % 256}"
            headers = {"Origin": base, "Idempotency-Key": str(uuid.uuid4()), "X-Forwarded-For": address}
            started = time.perf_counter()
            answer = await client.post("/citizen/api/reports", data=data, files=files, headers=headers)
            took = time.perf_counter() - started
            if answer.status_code != 201 and os.getenv("BENCH_DEBUG"):
                print(answer.status_code, answer.text[:300], file=sys.stderr)
            return took, answer.status_code, sum(len(p) for p in chosen)

        started = time.perf_counter()
        done = await asyncio.gather(*(one(n) for n in range(size)))
        wall = time.perf_counter() - started
    took = sorted(t for t, status, _ in done if status == 201)
    statuses: dict[str, int] = {}
    for _, status, _ in done:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"reports": size, "filed": len(took), "statuses": statuses, "seconds": round(wall, 2),
            "per_second": round(len(took) / wall, 1), "megabytes": round(sum(b for *_, b in done) / 1e6, 1),
            "p50_ms": round(statistics.median(took) * 1000) if took else None,
            "p99_ms": round(took[min(len(took) - 1, int(len(took) * 0.99))] * 1000) if took else None}


def print_table(results: list[dict]) -> None:
    header = (f"{'database':<11}{'burst':>6}{'filed':>7}{'MB sent':>9}{'seconds':>9}{'per s':>7}"
              f"{'p50 ms':>8}{'p99 ms':>8}  statuses")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['database']:<11}{r['reports']:>6}{r['filed']:>7}{r['megabytes']:>9}{r['seconds']:>9}"
              f"{r['per_second']:>7}{r['p50_ms']:>8}{r['p99_ms']:>8}  {r['statuses']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--bursts", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL (SQLite: 1)")
    args = parser.parse_args()
    rng = random.Random(2026)
    pictures = photos(8, rng)
    print(f"photos: {', '.join(f'{len(p) / 1e6:.1f} MB' for p in pictures)}", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    results = []
    for kind in args.databases:
        workers = 1 if kind == "sqlite" else args.workers
        with database(kind) as (url, folder), server(url, folder, workers) as base:
            for n in range(args.bursts):
                row = asyncio.run(burst(base, args.burst, args.connections, pictures, rng, n * args.burst))
                results.append({"database": kind, "workers": workers, **row})
    print_table(results)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "connections": args.connections,
            "client": "httpx (asyncio)"}
    (RESULTS / "citizen_reports.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
