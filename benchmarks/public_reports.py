"""Benchmark: the public list of reports and the figures per unit at 50 viewers a second, on SQLite and PostgreSQL.

Seeds --days days of --per-day reports (default 30 x 10,000 = 300,000) straight into the reports table in bulk,
through the SQL repository's own row mapping (adapters/sql/reports.py), with a quarter of the answered ones rated
on the audit trail; 2 % are tips, 0.5 % hidden. Then `bordergate serve` (1 process) and wrk (C) offering
--rate requests a second (exponential pauses between each client's requests) for --seconds, once over the list's
pages (screens and JSON, several filters, a second page by cursor) and once over the figures (screens and JSON).
"cold ms" is the first request of each, before anything was kept: the one read a period costs.
Prints a table and writes benchmarks/results/public_reports.json.

    apt-get install wrk && python benchmarks/public_reports.py
    python benchmarks/public_reports.py --databases sqlite --per-day 1000 --seconds 5
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

from declare import RESULTS, cpu_seconds, database, free_port, wrk  # benchmarks/declare.py: same machinery

from bordergate.adapters.sql.database import upgrade
from bordergate.adapters.sql.report_tables import reports
from bordergate.adapters.sql.reports import _row
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.report_events import ReportRated
from bordergate.domain.report_rules import CATEGORIES, ROUTING
from bordergate.domain.report_states import ReportState, Resolution
from bordergate.domain.reports import Place, Report, ReportRules
from bordergate.domain.working_days import CALENDARS

SECRET = "benchmark-secret-of-at-least-32-characters"
ADMIN = Principal("bench-admin", "bench-admin", Role.ADMIN, None)
COMMUNES = [f"C{n:02d}" for n in range(1, 21)]
ORDINARY = [c for c, kind in CATEGORIES.items() if not kind.urgent and not kind.never_public]
CHUNK = 5000

LUA = r"""
local threads = {}
function setup(thread) thread:set("tid", #threads) table.insert(threads, thread) end
local paths, counter = {__PATHS__}, 0
function init(args) math.randomseed(2026 + (tonumber(wrk.thread:get("tid")) or 0)) end
statuses = {}
function response(status, headers, body)
  if status >= 300 then statuses[status] = (statuses[status] or 0) + 1 end
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
local pace = __PACE_MS__
function delay() return -math.log(1 - math.random()) * pace end
function done(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do table.insert(counts, string.format('"%d": %d', status, n)) end
  end
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "errors": %d, "p50_us": %d, "p99_us": %d, '
    .. '"mean_us": %f, "statuses": {%s}}\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99),
    latency.mean, table.concat(counts, ", ")))
end
"""


def seed(url: str, days: int, per_day: int) -> dict[str, float]:
    """Units through the bus, then the reports in bulk; returns how long each part took."""
    upgrade(url)
    gate = bootstrap(Settings(database_url=url, secret_key=SECRET, sweep_seconds=0))
    started = time.monotonic()
    units = {ROUTING.route(CATEGORIES[c], commune)[0] for c in CATEGORIES for commune in COMMUNES}
    for unit in sorted(units):
        org = gate.bus.handle(commands.RegisterOrganisation(ADMIN, f"Unit {unit}", "unit"))
        gate.bus.handle(rc.RegisterUnit(ADMIN, unit, org, unit == "TT_PVHCC"))
    rng, now = random.Random(2026), datetime.now(UTC)
    total, start = days * per_day, now - timedelta(days=days)
    rows, ratings, rules = [], [], ReportRules()
    for n in range(total):
        rows.append(_row(a_report(n, start + timedelta(seconds=n * days * 86400 / total), now, rng, rules,
                                  ratings)))
        if len(rows) == CHUNK or n == total - 1:
            with gate.engine.begin() as connection:
                connection.execute(insert(reports), rows)
            rows = []
    for first in range(0, len(ratings), CHUNK):
        with gate.uow() as uow:
            uow.audit.append(ratings[first:first + CHUNK])
            uow.commit()
    gate.engine.dispose()
    return {"seed_s": round(time.monotonic() - started, 1), "reports": total, "ratings": len(ratings)}


def a_report(n: int, at: datetime, now: datetime, rng: random.Random, rules: ReportRules,
             ratings: list[ReportRated]) -> Report:
    tip = rng.random() < 0.02
    kind = CATEGORIES[rng.choice(("security_tip", "smuggling_tip")) if tip else rng.choice(ORDINARY)]
    commune = rng.choice(COMMUNES)
    unit, rule = ROUTING.route(kind, commune)
    code = f"PA-26-{n:07d}"
    report = Report.file(
        id=f"bench-{n}", tracking_code=code, category_code=kind.code, urgent=False, never_public=kind.never_public,
        place=Place(21.85 + rng.random() / 10, 106.76 + rng.random() / 10, 10.0, None, commune, "gps"),
        description=f"Benchmark report {n}: something to fix near the market", attributes={},
        reporter_user_id=None, secret_digest="ab" * 32, contact_phone="+84912345678", source="web", at=at,
        actor="anonymous", unit_code=unit, rule_index=rule, answer_working_days=kind.answer_working_days,
        calendars=CALENDARS, rules=rules)
    report.hidden = rng.random() < 0.005
    answered = at + timedelta(hours=rng.uniform(2, 120))
    if rng.random() < 0.85 and answered < now:
        report.state, report.resolution, report.answered_at = ReportState.ANSWERED, Resolution.FIXED, answered
        report.answer_text, report.answers = "Fixed by the unit's team this week.", 1
        report.reopen_count = int(rng.random() < 0.05)
        if rng.random() < 0.25:
            report.rated_answer = 1
            ratings.append(ReportRated("anonymous", answered + timedelta(hours=1), code, rng.randint(1, 5), ""))
    elif at < now - timedelta(hours=8):
        report.state = ReportState.IN_PROGRESS
    return report


def serve(url: str):
    port = free_port()
    env = {**os.environ, "BORDERGATE_DATABASE_URL": url, "BORDERGATE_SECRET_KEY": SECRET,
           "BORDERGATE_LOG_LEVEL": "warning", "BORDERGATE_DB_POOL_SIZE": "20"}
    process = subprocess.Popen(["bordergate", "serve", "--port", str(port), "--workers", "1"], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("the server did not start within 120 s")


def cold(base: str, path: str) -> float:
    started = time.monotonic()
    answer = httpx.get(base + path, timeout=600)
    answer.raise_for_status()
    return round((time.monotonic() - started) * 1000, 1)


def run_database(kind: str, args: argparse.Namespace) -> list[dict]:
    rows = []
    with database(kind) as url:
        seeded = seed(url, args.days, args.per_day)
        print(f"{kind}: seeded {seeded}", file=sys.stderr)
        process, base = serve(url)
        try:
            first_list = cold(base, "/api/v1/public/reports")
            first_stats = cold(base, "/api/v1/public/reports/stats")
            after = httpx.get(f"{base}/api/v1/public/reports").json()["next"]
            loads = {
                "list": (first_list, ["/reports?lang=vi", "/reports?lang=en", "/api/v1/public/reports",
                                      "/reports?commune=C03&lang=vi", "/reports?category=road_damage&lang=vi",
                                      "/reports?state=answered&lang=vi", "/api/v1/public/reports?commune=C05",
                                      f"/reports?after={after}&lang=vi"]),
                "stats": (first_stats, ["/reports/stats?lang=vi", "/reports/stats?lang=en",
                                        "/api/v1/public/reports/stats"]),
            }
            for name, (cold_ms, paths) in loads.items():
                script = LUA.replace("__PATHS__", ", ".join(json.dumps(p) for p in paths)).replace(
                    "__PACE_MS__", str(round(args.clients / args.rate * 1000)))
                cpu_before = cpu_seconds(process.pid)
                result = wrk(base, script, args.clients, args.seconds)
                server_ms = (cpu_seconds(process.pid) - cpu_before) * 1000 / max(result["requests"], 1)
                rows.append({"database": kind, "pages": name, "cold_ms": cold_ms, "requests": result["requests"],
                             "errors": result["errors"], "statuses": result["statuses"],
                             "per_second": round(result["requests"] / result["seconds"], 1),
                             "p50_ms": round(result["p50_us"] / 1000, 1), "p99_ms": round(result["p99_us"] / 1000, 1),
                             "server_cpu_ms": round(server_ms, 2), **seeded})
        finally:
            process.terminate()
            process.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rate", type=float, default=50, help="viewers a second, all clients together")
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    results = [row for kind in args.databases for row in run_database(kind, args)]
    header = f"{'database':<11}{'pages':<7}{'reports':>9}{'cold ms':>9}{'requests':>9}{'errors':>7}{'per s':>7}" \
             f"{'p50 ms':>8}{'p99 ms':>8}{'CPU ms/req':>11}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['database']:<11}{r['pages']:<7}{r['reports']:>9}{r['cold_ms']:>9}{r['requests']:>9}"
              f"{r['errors']:>7}{r['per_second']:>7}{r['p50_ms']:>8}{r['p99_ms']:>8}{r['server_cpu_ms']:>11}")
    RESULTS.mkdir(exist_ok=True)
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "seconds": args.seconds,
            "rate": args.rate, "clients": args.clients, "generator": "wrk"}
    (RESULTS / "public_reports.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
