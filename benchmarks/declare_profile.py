"""Profile: where one declaration submit spends its time, in-process through the API (no wrk, no sockets).

Counts the SQL statements of each submit (an SQLAlchemy event listener, as benchmarks/plate_reads.py does) and,
with --profile, prints cProfile's top cumulative costs. Same request body as benchmarks/declare.py.

    python benchmarks/declare_profile.py --database sqlite --submits 200
    python benchmarks/declare_profile.py --database postgresql --submits 200 --profile --statements
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio.to_thread
import httpx
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from declare import PASSWORD, SECRET, database  # noqa: E402

from bordergate.bootstrap import bootstrap  # noqa: E402
from bordergate.config import Settings  # noqa: E402
from bordergate.entrypoints.api.app import create_app  # noqa: E402


def body(n: int, arrival: str) -> dict:
    return {"crossing_point": "HUU_NGHI", "flow": "export", "planned_arrival": arrival,
            "vehicle": {"tractor_plate": f"12C-{n // 100 % 1000:03d}.{n % 100:02d}", "trailer_plate": "12R-012.34",
                        "vehicle_class": "reefer", "gross_weight_kg": 42000, "axles": 5, "container_size": "40ft"},
            "driver": {"full_name": "Tran Van Binh", "document_number": f"001{n:09d}", "nationality": "VN",
                       "phone": "0912345678"},
            "goods": [{"hs_code": "0810.60", "description": "Fresh durian", "packages": 1200,
                       "gross_weight_kg": "24000", "value": "36000", "currency": "USD", "origin_country": "VN",
                       "perishable": True, "shelf_life_hours": 240, "quarantine_required": True}],
            "containers": ["MSKU9070323"]}


def earlier_trips(gate, count: int) -> None:
    """Copies of the first declaration, with its clearance and checks, under new references: a busy enterprise's
    year, for the counts each submit makes of its history (PostgreSQL's generate_series)."""
    from bordergate.adapters.sql.tables import agency_checks, clearances, declarations
    with gate.engine.begin() as connection:
        for table in (declarations, clearances, agency_checks):
            names = [c.name for c in table.c]
            chosen = ", ".join("'H' || lpad(g::text, 10, '0')" if n == "reference" else n for n in names)
            first = "(SELECT min(reference) FROM declarations WHERE left(reference, 1) <> 'H')"
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {chosen} FROM {table.name}, "
                f"generate_series(1, {count}) AS g WHERE reference = {first}")
        connection.exec_driver_sql("ANALYZE")


def short(statement: str) -> str:
    return " ".join(statement.split()[:6])[:100]


def cli(url: str, *args: str) -> str:
    env = {"BORDERGATE_DATABASE_URL": url, "BORDERGATE_SECRET_KEY": SECRET, "BORDERGATE_ARGON2_TIME_COST": "1",
           "BORDERGATE_ARGON2_MEMORY_KIB": "1024", "BORDERGATE_LOG_LEVEL": "warning"}
    done = subprocess.run(["bordergate", *args], env={**os.environ, **env}, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--history", type=int, default=0, metavar="N",
                        help="PostgreSQL: first give the enterprise N earlier trips this year (copies of one)")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--cpu-time", action="store_true", help="with --profile: time by CPU, not the clock")
    parser.add_argument("--dump", metavar="FILE", help="with --profile: also write the raw profile (pstats) here")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--statements", action="store_true", help="print the statements of one submit")
    args = parser.parse_args()
    with database(args.database) as url:
        cli(url, "db", "upgrade")
        org = cli(url, "organisations", "add", "--name", "Benchmark Farm", "--kind", "enterprise",
                  "--tax-code", "4900100254")
        cli(url, "users", "create", "--username", "bench", "--full-name", "Bench", "--role", "declarant",
            "--organisation", org, "--password", PASSWORD)
        gate = bootstrap(Settings(database_url=url, secret_key=SECRET, argon2_time_cost=1, argon2_memory_kib=1024,
                                  sweep_seconds=0, log_level="warning"))
        seen: list[str] = []
        spent: Counter = Counter()
        started_at: list[float] = []
        event.listen(gate.engine, "before_cursor_execute",
                     lambda *a: (seen.append(a[2]), started_at.append(time.perf_counter())))
        event.listen(gate.engine, "after_cursor_execute",
                     lambda *a: spent.update({short(a[2]): time.perf_counter() - started_at.pop()}))
        arrival = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
        # The app's sync work runs in this thread (no worker threads), so cProfile sees all of it.
        async def inline(func, *args, **_):
            return func(*args)

        anyio.to_thread.run_sync = inline
        # --cpu-time: charge each function the CPU it used, not the wall time it spent waiting for the database.
        profiler = cProfile.Profile(time.thread_time) if args.cpu_time else cProfile.Profile()

        async def run() -> tuple[list[str], float, float]:
            transport = httpx.ASGITransport(app=create_app(gate))
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
                token = (await http.post("/api/v1/auth/token",
                                         data={"username": "bench", "password": PASSWORD})).json()
                headers = {"Authorization": f"Bearer {token['access_token']}"}

                async def submit(n: int) -> None:
                    answer = await http.post("/api/v1/declarations", json=body(n, arrival), headers=headers)
                    assert answer.status_code == 201, answer.text

                for n in range(5):  # warm up
                    await submit(n)
                if args.history:
                    earlier_trips(gate, args.history)
                seen.clear()
                await submit(5)
                one = list(seen)
                seen.clear()
                spent.clear()
                started, cpu_started = time.perf_counter(), time.process_time()
                if args.profile:
                    profiler.enable()
                for n in range(6, 6 + args.submits):
                    await submit(n)
                if args.profile:
                    profiler.disable()
                return one, time.perf_counter() - started, time.process_time() - cpu_started

        one, elapsed, cpu = asyncio.run(run())
        print(json.dumps({"database": args.database, "submits": args.submits,
                          "ms_per_submit": round(elapsed / args.submits * 1000, 2),
                          "cpu_ms_per_submit": round(cpu / args.submits * 1000, 2),
                          "statements_per_submit": round(len(seen) / args.submits, 1)}))
        if args.statements:
            kinds = Counter(short(s) for s in one)
            print("statements of one submit, and the mean ms each kind took over the measured submits:")
            for text, count in kinds.most_common():
                print(f"{count:4} {spent[text] / args.submits * 1000:7.3f}  {text}")
        if args.profile and args.dump:
            profiler.dump_stats(args.dump)
        if args.profile:
            pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
