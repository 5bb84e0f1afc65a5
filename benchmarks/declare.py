"""Benchmark: submit and correct declarations over HTTP against `bordergate serve`, on SQLite and PostgreSQL.

The load comes from wrk (Debian package `wrk`), a C load generator, so the Python server, not a Python client,
is what gets measured; both still share this machine's cores. Three loads per action:
  closed, 1 client     one request at a time: the latency floor
  closed, 32 clients   32 clients sending back to back: the most the server does (throughput)
  paced, 32 clients    32 clients together sending at --rate a second (default 200, above a peak hour
                       of all Lang Son gates): the latency a declarant sees at that load
Prints a table and writes benchmarks/results/declare.json.

    apt-get install wrk && python benchmarks/declare.py
    python benchmarks/declare.py --databases sqlite --seconds 5
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
PASSWORD = "benchmark-password"
SECRET = "benchmark-secret-of-at-least-32-characters"

# One Lua state per wrk thread: the thread number keeps plates and documents distinct across threads.
LUA_COMMON = r"""
local threads, tid, counter = {}, 0, 0
function setup(thread) thread:set("tid", #threads) table.insert(threads, thread) end
function init(args) tid = tonumber(wrk.thread:get("tid")) or 0; math.randomseed(2026 + tid) end
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __TOKEN__"
statuses = {}
function response(status, headers, body)
  if status >= 300 then
    statuses[status] = (statuses[status] or 0) + 1
    if statuses[status] == 1 and os.getenv("BENCH_DEBUG") then io.stderr:write(body .. "\n") end
  end
end
-- Paced clients think for a random (exponential) time between requests, as independent declarants do;
-- a fixed pause would make all 32 fire in step, in bursts no real crowd of users produces.
local pace = __PACE_MS__
if pace > 0 then
  function delay() return -math.log(1 - math.random()) * pace end
end
function done(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      table.insert(counts, string.format('"%d": %d', status, n))
    end
  end
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "errors": %d, "p50_us": %d, "p99_us": %d, '
    .. '"mean_us": %f, "statuses": {%s}}\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99),
    latency.mean, table.concat(counts, ", ")))
end
"""

LUA_SUBMIT = LUA_COMMON + r"""
wrk.method = "POST"
function request()
  counter = counter + 1
  local n = tid * 100000 + counter
  local body = string.format('{"crossing_point":"HUU_NGHI","flow":"export","planned_arrival":"__ARRIVAL__",'
    .. '"vehicle":{"tractor_plate":"12C-%03d.%02d","trailer_plate":"12R-012.34","vehicle_class":"reefer",'
    .. '"gross_weight_kg":42000,"axles":5,"container_size":"40ft"},"driver":{"full_name":"Tran Van Binh",'
    .. '"document_number":"001%09d","nationality":"VN","phone":"0912345678"},"goods":[{"hs_code":"0810.60",'
    .. '"description":"Fresh durian","packages":1200,"gross_weight_kg":"24000","value":"36000","currency":"USD",'
    .. '"origin_country":"VN","perishable":true,"shelf_life_hours":240,"quarantine_required":true}],'
    .. '"containers":["MSKU9070323"]}', math.floor(n / 100) % 1000, n % 100, n)
  return wrk.format(nil, "/api/v1/declarations", nil, body)
end
"""

# Each thread corrects its own slice of the references, so two clients rarely touch the same declaration.
LUA_AMEND = LUA_COMMON + r"""
wrk.method = "PATCH"
local refs = {}
for line in io.lines("__REFS__") do table.insert(refs, line) end
function request()
  counter = counter + 1
  local ref = refs[((tid * 7919 + counter) % #refs) + 1]
  -- __RUN__ differs per wrk run, so no run sets a phone number an earlier run already set (that is a 422).
  local n = (__RUN__ * 10000000 + tid * 1000000 + counter) % 100000000
  local body = string.format('{"changes":{"driver.phone":"09%08d"}}', n)
  return wrk.format(nil, "/api/v1/declarations/" .. ref, nil, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


POSTMASTER: list[int] = []  # the PostgreSQL server of this run, whose processes' CPU --cpu counts
SERVER: list[int] = []  # the `bordergate serve` process of this run


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and all its children alive now (PostgreSQL's backends, uvicorn's workers)."""
    import psutil
    try:
        root = psutil.Process(pid)
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            with suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def machine_cpu_seconds() -> float:
    import psutil
    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "irq", 0) + getattr(times, "softirq", 0)


@contextmanager
def database(kind: str):
    folder = tempfile.mkdtemp(prefix="bordergate-bench-")
    try:
        if kind == "sqlite":
            yield f"sqlite:///{folder}/bench.db"
            return
        import pgserver

        server = pgserver.get_server(folder, cleanup_mode="stop")
        try:
            server.psql("CREATE DATABASE bench;")
            POSTMASTER[:] = [server.get_pid()]
            yield server.get_uri().replace("/postgres?", "/bench?")
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cli(env: dict, *args: str) -> str:
    done = subprocess.run(["bordergate", *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode:
        sys.exit(f"bordergate {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


@contextmanager
def server(url: str, workers: int):
    port = free_port()
    env = {**os.environ, "BORDERGATE_DATABASE_URL": url, "BORDERGATE_SECRET_KEY": SECRET,
           "BORDERGATE_ARGON2_TIME_COST": "1", "BORDERGATE_ARGON2_MEMORY_KIB": "1024",
           "BORDERGATE_LOG_LEVEL": "warning", "BORDERGATE_DB_POOL_SIZE": "20"}
    cli(env, "db", "upgrade")
    org = cli(env, "organisations", "add", "--name", "Benchmark Farm", "--kind", "enterprise",
              "--tax-code", "4900100254")
    cli(env, "users", "create", "--username", "bench", "--full-name", "Bench", "--role", "declarant",
        "--organisation", org, "--password", PASSWORD)
    process = subprocess.Popen(["bordergate", "serve", "--port", str(port), "--workers", str(workers)], env=env)
    SERVER[:] = [process.pid]
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


def wrk(base: str, script: str, clients: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    threads = min(2, clients)
    import resource
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s",
                           file.name, base], capture_output=True, text=True, timeout=int(seconds) + 60)
    os.unlink(file.name)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk is the only child reaped meanwhile
    wrk_cpu = now.ru_utime + now.ru_stime - reaped.ru_utime - reaped.ru_stime
    if os.getenv("BENCH_DEBUG"):
        print(done.stderr[:2000], file=sys.stderr)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    return {**json.loads(line[len("RESULT "):]), "wrk_cpu": wrk_cpu}


def run_database(base: str, seconds: float, rate: float, actions: list[str], kinds: list[str]) -> list[dict]:
    token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}).json()
    arrival = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    common = {"__TOKEN__": token["access_token"]}
    loads = [("closed, 1 client", 1, 0), ("closed, 32 clients", 32, 0),
             (f"paced, 32 clients, {rate:.0f}/s", 32, round(32 / rate * 1000))]
    rows = []
    for action in actions:
        for run, (mode, clients, pace) in enumerate(loads):
            if mode.split(",")[0] not in kinds:
                continue
            script = LUA_SUBMIT if action == "submit" else LUA_AMEND
            for key, value in {**common, "__PACE_MS__": str(pace), "__ARRIVAL__": arrival, "__RUN__": str(run),
                               "__REFS__": str(RESULTS / "references.txt")}.items():
                script = script.replace(key, value)
            before = (cpu_seconds(SERVER[0]), cpu_seconds(POSTMASTER[0]) if POSTMASTER else 0.0,
                      machine_cpu_seconds())
            result = wrk(base, script, clients, seconds)
            after = (cpu_seconds(SERVER[0]), cpu_seconds(POSTMASTER[0]) if POSTMASTER else 0.0,
                     machine_cpu_seconds())
            # CPU milliseconds per request: the server's processes, PostgreSQL's, and everything else (wrk, and
            # whatever else shares the machine: a large "other" means the figures were taken on a busy machine).
            server_ms, database_ms, machine_ms = ((b - a) * 1000 / max(result["requests"], 1)
                                                  for a, b in zip(before, after))
            wrk_ms = result["wrk_cpu"] * 1000 / max(result["requests"], 1)
            cpu = {"server": round(server_ms, 2), "database": round(database_ms, 2), "wrk": round(wrk_ms, 2),
                   "other": round(machine_ms - server_ms - database_ms - wrk_ms, 2)}
            rows.append({"action": action, "mode": mode, "requests": result["requests"],
                         "errors": result["errors"], "per_second": round(result["requests"] / result["seconds"], 1),
                         "p50_ms": round(result["p50_us"] / 1000, 1), "p99_ms": round(result["p99_us"] / 1000, 1),
                         "mean_ms": round(result["mean_us"] / 1000, 1), "refusals": result["statuses"],
                         "cpu_ms": cpu})
        if action == "submit":
            listed = httpx.get(f"{base}/api/v1/declarations", params={"limit": 500},
                               headers={"Authorization": f"Bearer {token['access_token']}"}).json()
            (RESULTS / "references.txt").write_text("\n".join(d["reference"] for d in listed) + "\n")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rate", type=float, default=200, help="combined rate of the paced clients")
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL (SQLite: 1)")
    parser.add_argument("--actions", nargs="+", default=["submit", "amend"], choices=["submit", "amend"])
    parser.add_argument("--loads", nargs="+", default=["closed", "paced"], choices=["closed", "paced"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    RESULTS.mkdir(exist_ok=True)
    results = []
    for kind in args.databases:
        # SQLite has one writer at a time; a second process would only queue on the file lock.
        workers = 1 if kind == "sqlite" else args.workers
        with database(kind) as url, server(url, workers) as base:
            results += [{"database": kind, "workers": workers, **row}
                        for row in run_database(base, args.seconds, args.rate, args.actions, args.loads)]
    (RESULTS / "references.txt").unlink(missing_ok=True)
    print_table(results)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "seconds": args.seconds,
            "generator": "wrk"}
    (RESULTS / "declare.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


def print_table(results: list[dict]) -> None:
    header = f"{'database':<11}{'action':<8}{'load':<28}{'requests':>9}{'errors':>7}{'per s':>8}" \
             f"{'p50 ms':>8}{'p99 ms':>8}  CPU ms a request: server/database/wrk/other"
    print(header)
    print("-" * len(header))
    for r in results:
        refusals = ", ".join(f"{n}x{status}" for status, n in r["refusals"].items())
        cpu = r["cpu_ms"]
        print(f"{r['database']:<11}{r['action']:<8}{r['mode']:<28}{r['requests']:>9}{r['errors']:>7}"
              f"{r['per_second']:>8}{r['p50_ms']:>8}{r['p99_ms']:>8}  {cpu['server']}/{cpu['database']}/"
              f"{cpu['wrk']}/{cpu['other']}  {refusals}")


if __name__ == "__main__":
    main()
