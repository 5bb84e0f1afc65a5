"""Benchmark: camera plate reads over HTTP against `bordergate serve`, beside raw inserts of the same rows.

POST /api/v1/plate-reads on SQLite (1 worker) and PostgreSQL (--workers, default 2), and beside it the raw rate of
inserting the same rows straight into the same database.

What one read costs the server: authenticate the camera key, look the plate up through the indexed plate keys,
match it (domain/plate_matching.py), read the trip's earlier passes and holds, decide the barrier, then in one
transaction write the read (plate_reads) and its PlateReadDecided event (audit_log), plus a review item for every
read that is not a sure match and an alert (and its AlertRaised event) for an undeclared truck or a skipped stop;
then the bus runs the event's followers (the queue's, since issue 4) before the camera gets its answer.

Seeding, in-process before the server starts: --declarations (default 1,000) open declarations at HUU_NGHI with
distinct plates, ~80% Vietnamese export trucks (12C-123.45, many with an R trailer 12R-012.34) and ~20% Chinese
import trucks (桂F·12345, some with a 桂F·1234挂 trailer); Huu Nghi's outbound and inbound checkpoints with two
cameras each. The feed, pregenerated and walked in order by wrk's Lua: ~80% reads of declared tractor or trailer
plates at the truck's next stop (approach camera, waiting area, yard, inspection; border-in and yard for imports),
written as printed, compact, on two rows or with one camera confusion (0/O, 1/I, 5/S, 8/B ...), so passes happen;
~10% the same with a camera confidence under 0.80 (review); ~10% plates nobody declared (review and an alert).
Every request carries a read id of its own, so none is taken for a retry.

Loads, from wrk (Debian package `wrk`), per database:
  closed, 1 client      one read at a time: the latency floor
  closed, N clients     --clients (default 32) cameras sending back to back: the capacity in reads/s
  paced, N clients      N cameras with random (exponential) gaps, offering --rate reads/s in total (default 200;
                        the gap is shortened by the 1-client latency so the offered rate is close to --rate;
                        each camera waits for its answer, so past the capacity fewer reads/s get through)
Then, with the server stopped, on the same database:
  in-process, 1 thread  the same reads through gate.bus.handle, no HTTP: what the handler itself costs
  chained / unchained   the cost of the evidence chain (adapters/sql/chain.py): the same in-process reads with
                        the hash chain and with it switched off (chain.chaining, for this benchmark only),
                        alternating, in 1 thread and (PostgreSQL) in as many threads as the server has workers,
                        where every read waits for the chain's head row
  raw, 1 thread         a SQLAlchemy Core loop inserting copies of the stored plate_reads and PlateReadDecided
                        audit_log rows, both in one transaction, one transaction per read (engine.begin()), on
                        an engine made by make_engine as the server's is (SQLite: WAL, BEGIN IMMEDIATE)
  raw, W threads        PostgreSQL only: the same loop in as many threads as the server has workers
The issue's aims: p99 decision latency under 20 ms at 200 reads/s on PostgreSQL, and a capacity of at least half
the raw insert rate. Checks while measuring: no non-2xx answer and no socket error; plate_reads rows added by each
run equal its 2xx answers (plus at most the reads still in flight when wrk stopped); every stored read has the
outcome and declaration the domain matcher gives its text in-process. Prints a table and writes
benchmarks/results/plate_reads.json.

    apt-get install wrk && python benchmarks/plate_reads.py
    python benchmarks/plate_reads.py --seconds 10
    python benchmarks/plate_reads.py --quick --databases sqlite          # 3 s loads, 200 declarations
    python benchmarks/plate_reads.py --databases postgresql --profile 300  # cProfile 300 in-process reads
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import event, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from declare import PASSWORD, SECRET, database, server, wrk  # noqa: E402

from bordergate.adapters.sql import chain  # noqa: E402
from bordergate.adapters.sql.database import make_engine, upgrade  # noqa: E402
from bordergate.adapters.sql.tables import alerts, audit_log, plate_reads, review_items  # noqa: E402
from bordergate.bootstrap import bootstrap  # noqa: E402
from bordergate.config import Settings  # noqa: E402
from bordergate.domain import commands  # noqa: E402
from bordergate.domain.plate_matching import Candidate, PlateIndex, PlateRole  # noqa: E402
from bordergate.domain.plates import compact  # noqa: E402
from bordergate.entrypoints.cli import seed_crossing_points  # noqa: E402
from bordergate.services.authentication import SYSTEM, principal_for  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
POINT = "HUU_NGHI"
MIN_CONFIDENCE = 0.80  # Settings().plate_min_confidence, the server's default
AIM_P99_MS = 20.0
AIM_RATIO = 0.5

# Huu Nghi as tests/builders.py a_gateway lays it out: (name, kind, direction); two lanes, one camera on each.
LAYOUT = (("highway_approach", "highway_approach", "outbound"),
          ("waiting_area_entry", "waiting_area_entry", "outbound"), ("yard_entry", "yard_entry", "outbound"),
          ("inspection", "inspection", "outbound"), ("border_out", "border_out", "outbound"),
          ("border_in", "border_in", "inbound"), ("yard_entry_in", "yard_entry", "inbound"),
          ("gate_exit", "gate_exit", "inbound"))
# Lang Son's own trucks most, then the provinces that send fruit north.
VN_PROVINCES = ("12",) * 6 + ("29", "30", "51", "98", "14", "15", "20", "34", "36", "43", "99")
CN_PREFIXES = ("桂F",) * 5 + ("桂A", "桂K", "粤B", "湘A")
# Camera confusions (domain/plate_matching.py): the digit printed -> letters a camera reads for it.
CONFUSED = {"0": "OD", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}

LUA = r"""
local threads, tid = {}, 0
function setup(thread) thread:set("tid", #threads) table.insert(threads, thread) end
function init(args) tid = tonumber(wrk.thread:get("tid")) or 0; math.randomseed(2026 + tid) end
sent, statuses = 0, {}
-- The feed: camera key, plate as a JSON string, confidence; one header table per camera key.
local feed, headers = {}, {}
for line in io.lines("__FEED__") do
  local key, plate, confidence = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
  headers[key] = headers[key] or {["X-Camera-Key"] = key, ["Content-Type"] = "application/json"}
  feed[#feed + 1] = {key, plate, confidence}
end
-- The threads walk the feed together in its order, from where the previous run stopped (__BASE__), so a truck
-- is read at its stops in turn. The read id names the run, thread, count and feed position: unique, and checkable.
local base, nthreads, run = __BASE__, __THREADS__, __RUN__
function request()
  local i = (base + sent * nthreads + tid) % #feed
  sent = sent + 1
  local f = feed[i + 1]
  local body = '{"captured_at":"' .. os.date("!%Y-%m-%dT%H:%M:%S+00:00") .. '","plate":' .. f[2]
    .. ',"confidence":' .. f[3] .. ',"read_id":"h' .. run .. '.' .. tid .. '.' .. sent .. '.' .. i .. '"}'
  return wrk.format("POST", "/api/v1/plate-reads", headers[f[1]], body)
end
function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and statuses[status] == 1 and os.getenv("BENCH_DEBUG") then io.stderr:write(body .. "\n") end
end
-- Paced cameras wait a random (exponential) time between reads, as independent trucks arrive.
local pace = __PACE_MS__
if pace > 0 then
  function delay() return -math.log(1 - math.random()) * pace end
end
function done(summary, latency, requests)
  local e = summary.errors
  local merged, counts, total = {}, {}, 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("sent") or 0)
    for status, n in pairs(thread:get("statuses") or {}) do merged[status] = (merged[status] or 0) + n end
  end
  for status, n in pairs(merged) do table.insert(counts, string.format('"%d": %d', status, n)) end
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "socket_errors": %d, "p50_us": %d, '
    .. '"p99_us": %d, "mean_us": %f, "max_us": %d, "sent": %d, "statuses": {%s}}\n', summary.requests,
    summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, latency:percentile(50),
    latency:percentile(99), latency.mean, latency.max, total, table.concat(counts, ", ")))
end
"""


@dataclass
class Truck:
    reference: str
    plates: list[tuple[str, PlateRole]]  # as printed; the tractor first
    route: list[str]  # checkpoint names in the order the truck passes them
    stop: int = 0


@dataclass
class Feed:
    """Reads to send, in order: (camera key, plate text, confidence), and what the matcher makes of each."""

    reads: list[tuple[str, str, float]] = field(default_factory=list)
    expected: list[tuple[str, str | None]] = field(default_factory=list)  # (outcome, reference)
    kinds: dict[str, int] = field(default_factory=dict)


def settings(url: str) -> Settings:
    return Settings(database_url=url, secret_key=SECRET, argon2_time_cost=1, argon2_memory_kib=1024,
                    sweep_seconds=0, log_level="warning")


def vn_plate(rng: random.Random, series: str = "C") -> str:
    n = rng.randrange(100_000)
    return f"{rng.choice(VN_PROVINCES)}{series}-{n // 100:03d}.{n % 100:02d}"


def cn_plate(rng: random.Random, trailer: bool = False) -> str:
    prefix = rng.choice(CN_PREFIXES)
    return f"{prefix}·{rng.randrange(10_000):04d}挂" if trailer else f"{prefix}·{rng.randrange(100_000):05d}"


def distinct(rng: random.Random, make, taken: set[str]) -> str:
    while True:
        plate = make(rng)
        if compact(plate) not in taken:
            taken.add(compact(plate))
            return plate


def trip(tractor: str, trailer: str | None, arrival: datetime, n: int) -> dict:
    """A declaration's trip: Vietnamese trucks export durian, Chinese trucks bring phones in."""
    chinese = not tractor[0].isascii()
    goods = {"hs_code": "8517.13", "description": "Mobile phones", "packages": 400, "gross_weight_kg": "6000",
             "value": "1200000", "currency": "USD", "origin_country": "CN", "perishable": False,
             "quarantine_required": False} if chinese else {
             "hs_code": "0810.60", "description": "Fresh durian", "packages": 1200, "gross_weight_kg": "20000",
             "value": "36000", "currency": "USD", "origin_country": "VN", "perishable": True,
             "shelf_life_hours": 240, "quarantine_required": True}
    return {
        "crossing_point": POINT, "flow": "import" if chinese else "export", "planned_arrival": arrival.isoformat(),
        "vehicle": {"tractor_plate": tractor, "trailer_plate": trailer,
                    "vehicle_class": "tractor_trailer" if trailer else "rigid_truck",
                    "gross_weight_kg": 42000 if trailer else 24000, "axles": 5 if trailer else 3,
                    "container_size": "40ft" if trailer else "none"},
        "driver": {"full_name": "Wei Zhang" if chinese else "Trần Văn Bình",
                   "document_number": f"E{n:08d}" if chinese else f"0010{n:08d}",
                   "nationality": "CN" if chinese else "VN",
                   "phone": f"+86138{n:08d}" if chinese else f"09{n:08d}"},
        "goods": [goods], "containers": [],
    }


def seed(url: str, declarations: int, feed_size: int) -> Feed:
    """Declarations, checkpoints and cameras through the bus, in this process; then the feed of reads."""
    rng = random.Random(2026)
    upgrade(url)
    gate = bootstrap(settings(url))
    seed_crossing_points(gate)
    handle = gate.bus.handle
    enterprise = handle(commands.RegisterOrganisation(SYSTEM, "Vận tải Biên mậu Lạng Sơn", "enterprise",
                                                      "0312345678"))
    declarant = principal_for(gate.uow(), handle(commands.CreateUser(
        SYSTEM, "seeder", PASSWORD, "Seeder", "declarant", enterprise)))
    keys: dict[str, list[str]] = {}
    for name, kind, direction in LAYOUT:
        checkpoint = handle(commands.AddCheckpoint(SYSTEM, POINT, kind, direction, name, lanes=2))
        keys[name] = [handle(commands.RegisterCamera(SYSTEM, checkpoint, f"HN {name} lane {lane}", lane))[1]
                      for lane in (1, 2)]
    taken: set[str] = set()
    trucks = []
    started = time.perf_counter()
    for n in range(declarations):
        if rng.random() < 0.8:
            tractor = distinct(rng, vn_plate, taken)
            trailer = distinct(rng, lambda r: vn_plate(r, "R"), taken) if rng.random() < 0.6 else None
            route = (["highway_approach"] if rng.random() < 0.5 else []) + ["waiting_area_entry", "yard_entry"] \
                + (["inspection"] if rng.random() < 0.25 else [])
        else:
            tractor = distinct(rng, cn_plate, taken)
            trailer = distinct(rng, lambda r: cn_plate(r, True), taken) if rng.random() < 0.4 else None
            route = ["border_in", "yard_entry_in"]
        arrival = gate.clock.now() + timedelta(hours=rng.uniform(1, 12))
        reference = handle(commands.SubmitDeclaration(declarant, enterprise, trip(tractor, trailer, arrival, n)))
        plates = [(tractor, PlateRole.TRACTOR)] + ([(trailer, PlateRole.TRAILER)] if trailer else [])
        trucks.append(Truck(reference, plates, route))
    print(f"  seeded {declarations} declarations in {time.perf_counter() - started:.1f} s", flush=True)
    gate.engine.dispose()
    return make_feed(rng, trucks, keys, taken, feed_size)


def written(rng: random.Random, plate: str) -> tuple[str, str]:
    """A declared plate as a camera sends it: as printed, compact, on two rows, or with one usual confusion."""
    roll, key = rng.random(), compact(plate)
    if roll < 0.40:
        return "printed", plate
    if roll < 0.70:
        return "compact", key
    if roll < 0.80:
        # A truck's plate on two rows: 12C over 123.45, 桂F over 12345.
        head, tail = plate.split("-") if "-" in plate else plate.split("·")
        return "two rows", f"{head}\n{tail}"
    # Only digits of the number (not its first digit, which may be a second series letter): the usual misreads.
    first = 2 if not key[0].isascii() else len(key.rstrip("0123456789")) + 1
    spots = [i for i in range(first, len(key)) if key[i] in CONFUSED]
    if not spots:
        return "compact", key
    i = rng.choice(spots)
    return "confused", key[:i] + rng.choice(CONFUSED[key[i]]) + key[i + 1:]


def make_feed(rng: random.Random, trucks: list[Truck], keys: dict[str, list[str]], taken: set[str],
              size: int) -> Feed:
    index = PlateIndex([Candidate(t.reference, compact(p), role) for t in trucks for p, role in t.plates],
                       min_confidence=MIN_CONFIDENCE)
    feed = Feed()
    for _ in range(size):
        roll = rng.random()
        if roll < 0.9:
            truck = rng.choice(trucks)
            # The truck's next stop; once through, cameras see it again where it waits.
            name = truck.route[truck.stop] if truck.stop < len(truck.route) else rng.choice(truck.route)
            truck.stop += 1
            plate = truck.plates[0][0] if len(truck.plates) == 1 or rng.random() < 0.7 else truck.plates[1][0]
            how, text_ = written(rng, plate)
            if roll < 0.8:
                kind, confidence = f"declared, {how}", round(rng.uniform(0.82, 0.99), 2)
            else:
                kind, confidence = "declared, low confidence", round(rng.uniform(0.30, 0.79), 2)
        else:
            chinese = rng.random() < 0.2
            plate = distinct(rng, cn_plate if chinese else vn_plate, taken)
            name = "border_in" if chinese else rng.choice(["highway_approach", "waiting_area_entry", "yard_entry"])
            kind, text_, confidence = "undeclared", plate if rng.random() < 0.5 else compact(plate), \
                round(rng.uniform(0.85, 0.99), 2)
        match = index.match(text_, confidence)
        feed.reads.append((rng.choice(keys[name]), text_, confidence))
        feed.expected.append((match.outcome.value, match.candidate.key if match.candidate else None))
        feed.kinds[kind] = feed.kinds.get(kind, 0) + 1
    return feed


def count_reads(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(plate_reads)).scalar_one()


def run_http(base: str, url: str, feed_file: str, clients: int, rate: float, seconds: int) -> tuple[list[dict], int]:
    engine = make_engine(url, 1)
    loads = [("closed, 1 client", 1, None), (f"closed, {clients} clients", clients, None),
             (f"paced, {clients} clients, {rate:.0f}/s offered", clients, rate)]
    rows, position, floor_ms = [], 0, 0.0
    for run, (load, n, offered) in enumerate(loads):
        # Paced cameras wait clients/rate between reads, less the time a read takes, so together they offer ~rate.
        pace = round(max(1.0, n * 1000 / offered - floor_ms)) if offered else 0
        script = LUA
        for key, value in {"__FEED__": feed_file, "__BASE__": str(position), "__THREADS__": str(min(2, n)),
                           "__RUN__": str(run), "__PACE_MS__": str(pace)}.items():
            script = script.replace(key, value)
        before = count_reads(engine)
        result = wrk(base, script, n, seconds)  # declare.wrk runs min(2, clients) threads, as __THREADS__ says
        time.sleep(1)  # reads still in flight when wrk stopped finish on the server
        added = count_reads(engine) - before
        statuses = {int(k): v for k, v in result["statuses"].items()}
        ok = sum(v for k, v in statuses.items() if 200 <= k < 300)
        unanswered = result["sent"] - sum(statuses.values())
        position += result["sent"]
        if run == 0:
            floor_ms = result["mean_us"] / 1000
        rows.append({
            "kind": "http", "load": load, "clients": n, "pace_ms": pace or None, "requests": result["requests"],
            "non_2xx": sum(v for k, v in statuses.items() if not 200 <= k < 300),
            "socket_errors": result["socket_errors"], "replayed_200": statuses.get(200, 0),
            "per_second": round(result["requests"] / result["seconds"], 1),
            "p50_ms": round(result["p50_us"] / 1000, 2), "p99_ms": round(result["p99_us"] / 1000, 2),
            "mean_ms": round(result["mean_us"] / 1000, 2), "max_ms": round(result["max_us"] / 1000, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())}, "rows_added": added,
            "ok_2xx": ok, "unanswered_at_stop": unanswered, "rows_match": ok <= added <= ok + unanswered,
        })
    engine.dispose()
    return rows, position


def check_outcomes(url: str, feed: Feed) -> dict:
    """Every stored camera read against what the domain matcher makes of its text (outcome and declaration)."""
    engine = make_engine(url, 1)
    with engine.connect() as connection:
        stored = connection.execute(select(plate_reads.c.camera_read_id, plate_reads.c.outcome,
                                           plate_reads.c.reference)).all()
        mix = {
            "outcomes": dict(connection.execute(select(plate_reads.c.outcome, func.count())
                                                .group_by(plate_reads.c.outcome)).all()),
            "decisions": dict(connection.execute(select(plate_reads.c.decision, func.count())
                                                 .group_by(plate_reads.c.decision)).all()),
            "passes": connection.execute(select(func.count()).where(plate_reads.c.is_pass.is_(True))).scalar_one(),
            "reviews_opened": connection.execute(select(func.count()).select_from(review_items)).scalar_one(),
            "alerts": dict(connection.execute(select(alerts.c.kind, func.count()).group_by(alerts.c.kind)).all()),
            "audit_rows": connection.execute(select(func.count()).select_from(audit_log)).scalar_one(),
        }
    engine.dispose()
    wrong = []
    for read_id, outcome, reference in stored:
        if read_id[0] in "hp" and read_id.count(".") >= 2:
            expected = feed.expected[int(read_id.rsplit(".", 1)[1])]
            if expected != (outcome, reference):
                wrong.append({"read_id": read_id, "stored": [outcome, reference], "expected": list(expected)})
    mix["checked_reads"] = len(stored)
    mix["outcome_mismatches"] = len(wrong)
    mix["mismatch_examples"] = wrong[:5]
    return mix


def run_in_process(url: str, feed: Feed, start: int, seconds: float, profile: int) -> dict:
    """The same reads through the message bus in this process: the handler's cost without HTTP."""
    gate = bootstrap(settings(url))

    def send(n: int) -> None:
        i = (start + n) % len(feed.reads)
        key, plate, confidence = feed.reads[i]
        gate.bus.handle(commands.RecordCameraRead(key, captured_at=datetime.now(UTC), plate=plate,
                                                  confidence=confidence, read_id=f"p.{n}.{i}"))

    statements: list[str] = []

    def count(connection, cursor, statement, *args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE comes through here, PostgreSQL's not
            statements.append(statement)

    event.listen(gate.engine, "before_cursor_execute", count)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        send(len(latencies))
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - began
    per_read = round(len(statements) / len(latencies), 1)
    if profile:
        print(f"\n  SQL statements of single reads on {gate.engine.dialect.name} (besides BEGIN and COMMIT):")
        for n in range(len(latencies), len(latencies) + 4):
            statements.clear()
            send(n)
            print(f"  a read the matcher makes {feed.expected[(start + n) % len(feed.reads)][0]}:")
            for statement in statements:
                print("    " + " ".join(statement.split())[:150])
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(len(latencies) + 4, len(latencies) + 4 + profile):
            send(n)
        profiler.disable()
        print(f"\n  cProfile of {profile} in-process reads on {gate.engine.dialect.name} (cumulative):")
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    gate.engine.dispose()
    return {"kind": "in_process", "load": "in-process bus, 1 thread", "clients": 1, "statements_per_read": per_read,
            **summarise(latencies, elapsed)}


def run_chaining(url: str, feed: Feed, start: int, seconds: float, threads: int, rounds: int = 2) -> list[dict]:
    """In-process reads with the evidence chain and without it, alternating (so a busy neighbour on the machine
    weighs on both alike), in ``threads`` threads; one row per setting with the rounds pooled."""
    gate = bootstrap(settings(url))
    pooled: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
    sent = [start]
    guard = threading.Lock()

    def loop(mine: list[float], deadline: float, tag: str) -> None:
        while time.perf_counter() < deadline:
            with guard:
                n = sent[0]
                sent[0] += 1
            key, plate, confidence = feed.reads[n % len(feed.reads)]
            t0 = time.perf_counter()
            gate.bus.handle(commands.RecordCameraRead(key, captured_at=datetime.now(UTC), plate=plate,
                                                      confidence=confidence, read_id=f"{tag}.{n}"))
            mine.append(time.perf_counter() - t0)

    try:
        for turn in range(rounds * 2):
            chained = turn % 2 == 0
            chain.chaining = chained
            latencies: list[list[float]] = [[] for _ in range(threads)]
            began = time.perf_counter()
            workers = [threading.Thread(target=loop, args=(latencies[t], began + seconds / rounds,
                                                           f"c{int(chained)}.{turn}.{threads}"))
                       for t in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            pooled[chained][0].extend(x for mine in latencies for x in mine)
            pooled[chained][1].append(time.perf_counter() - began)
    finally:
        chain.chaining = True
        gate.engine.dispose()
    word = "thread" if threads == 1 else "threads"
    return [{"kind": "chaining", "load": f"in-process, {threads} {word}, {'chained' if chained else 'unchained'}",
             "clients": threads, "chained": chained, **summarise(latencies, sum(elapsed))}
            for chained, (latencies, elapsed) in pooled.items()]


def run_raw(url: str, seconds: float, threads: int) -> dict:
    """Copies of stored read and audit rows, two inserts per transaction, one transaction per read."""
    engine = make_engine(url, max(threads, 1))
    with engine.connect() as connection:
        # Copies carry no link of the chain: raw inserts are the floor, without the chain's cost.
        unlinked = {name: None for name in chain.CHAIN_COLUMNS}
        reads = [{**dict(row), **unlinked} for row in connection.execute(
            select(plate_reads).where(plate_reads.c.camera_read_id.like("h%")).limit(1000)).mappings()]
        audits = [{**{k: v for k, v in row.items() if k != "id"}, **unlinked} for row in connection.execute(
            select(audit_log).where(audit_log.c.action == "PlateReadDecided").order_by(audit_log.c.id.desc())
            .limit(1000)).mappings()]
    if not reads or not audits:
        sys.exit("no stored camera read to copy for the raw inserts: did every HTTP read fail?")
    add_read, add_audit = insert(plate_reads), insert(audit_log)
    latencies: list[list[float]] = [[] for _ in range(threads)]
    go = threading.Event()
    deadline = [0.0]

    def loop(t: int) -> None:
        go.wait()
        mine, n = latencies[t], 0
        while time.perf_counter() < deadline[0]:
            row = {**reads[n % len(reads)], "id": f"raw{threads}.{t}.{n}", "camera_read_id": f"raw{threads}.{t}.{n}"}
            t0 = time.perf_counter()
            with engine.begin() as connection:
                connection.execute(add_read, row)
                connection.execute(add_audit, audits[n % len(audits)])
            mine.append(time.perf_counter() - t0)
            n += 1

    workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    go.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    engine.dispose()
    word = "thread" if threads == 1 else "threads"
    return {"kind": "raw", "load": f"raw inserts, {threads} {word}", "clients": threads,
            **summarise([x for mine in latencies for x in mine], elapsed)}


def summarise(latencies: list[float], elapsed: float) -> dict:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000, 2)

    return {"requests": len(ordered), "per_second": round(len(ordered) / elapsed, 1), "p50_ms": pct(50),
            "p99_ms": pct(99), "mean_ms": round(sum(ordered) / len(ordered) * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 1)}


def run_database(kind: str, args: argparse.Namespace, workers: int) -> tuple[list[dict], dict, dict]:
    with database(kind) as url:
        print(f"{kind}: seeding", flush=True)
        feed = seed(url, args.declarations, args.feed)
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as file:
            for key, plate, confidence in feed.reads:
                file.write(f"{key}\t{json.dumps(plate)}\t{confidence}\n")
        try:
            with server(url, workers) as base:
                print(f"{kind}: {workers} worker(s), HTTP loads of {args.seconds} s", flush=True)
                rows, position = run_http(base, url, file.name, args.clients, args.rate, args.seconds)
        finally:
            os.unlink(file.name)
        mix = check_outcomes(url, feed)  # before the in-process and raw rows join them
        mix["feed"] = feed.kinds
        print(f"{kind}: in-process and raw inserts", flush=True)
        rows.append(run_in_process(url, feed, position, min(args.seconds, 5), args.profile))
        print(f"{kind}: the evidence chain's cost, chained and unchained alternating", flush=True)
        for threads in ([1] if kind == "sqlite" else [1, workers]):
            rows += run_chaining(url, feed, position + 100_000 * threads, 2 * min(args.seconds, 5), threads)
        rows.append(run_raw(url, args.seconds, 1))
        if kind == "postgresql":
            rows.append(run_raw(url, args.seconds, workers))
        engine = make_engine(url, 1)
        with engine.connect() as connection:
            db_version = (f"SQLite {sqlite3.sqlite_version}" if kind == "sqlite"
                          else "PostgreSQL " + connection.execute(text("SHOW server_version")).scalar_one())
        engine.dispose()
    rows = [{"database": kind, "workers": workers if r["kind"] == "http" else None, **r} for r in rows]
    return rows, mix, {"database_version": db_version}


def summary_of(rows: list[dict]) -> dict:
    """Capacity against the raw insert rates, and the paced load's p99, against the issue's aims."""
    _, closed, paced = [r for r in rows if r["kind"] == "http"]
    raw = {r["clients"]: r["per_second"] for r in rows if r["kind"] == "raw"}
    capacity = closed["per_second"]
    chained = {(r["clients"], r["chained"]): r["per_second"] for r in rows if r["kind"] == "chaining"}
    chaining = {str(threads): {"chained_per_s": rate, "unchained_per_s": chained[(threads, False)],
                               "cost_percent": round(100 * (1 - rate / chained[(threads, False)]), 1)}
                for (threads, on), rate in chained.items() if on}
    return {"chaining": chaining, "capacity_reads_per_s": capacity, "paced_reads_per_s": paced["per_second"],
            "paced_p99_ms": paced["p99_ms"], "raw_pairs_per_s": {str(k): v for k, v in raw.items()},
            "capacity_over_raw": {str(k): round(capacity / v, 2) for k, v in raw.items()},
            "aim_p99_met": paced["p99_ms"] < AIM_P99_MS, "aim_half_raw_met": capacity >= AIM_RATIO * raw[1]}


def print_table(results: list[dict]) -> None:
    header = (f"{'database':<11}{'wk':>3}  {'load':<36}{'reads':>8}{'non2xx':>7}{'reads/s':>9}{'p50 ms':>8}"
              f"{'p99 ms':>8}{'max ms':>8}  rows=2xx")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        check = ""
        if r["kind"] == "http":
            check = (f"{'ok' if r['rows_match'] else 'NO'} ({r['rows_added']} rows, {r['ok_2xx']} 2xx, "
                     f"{r['unanswered_at_stop']} in flight)")
        non2xx = r.get("non_2xx", 0) + r.get("socket_errors", 0) if r["kind"] == "http" else "-"
        workers = r["workers"] or "-"
        print(f"{r['database']:<11}{workers:>3}  {r['load']:<36}{r['requests']:>8}{non2xx:>7}{r['per_second']:>9}"
              f"{r['p50_ms']:>8}{r['p99_ms']:>8}{r['max_ms']:>8}  {check}")


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=RESULTS.parent)
    return done.stdout.strip()


def wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (done.stdout or done.stderr).split(" [")[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=int, default=None, help="length of each load (default 10, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 s loads and 200 declarations: a smoke run")
    parser.add_argument("--declarations", type=int, default=None, help="open declarations (default 1000)")
    parser.add_argument("--clients", type=int, default=32, help="cameras of the closed and paced loads")
    parser.add_argument("--rate", type=float, default=200, help="reads/s the paced cameras offer together")
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL (SQLite: 1)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N in-process reads")
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.quick else 10)
    args.declarations = args.declarations or (200 if args.quick else 1000)
    args.feed = 5_000 if args.quick else 30_000
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    # declare.server passes this environment on: no background sweep competing with the reads.
    os.environ["BORDERGATE_SWEEP_SECONDS"] = "0"
    RESULTS.mkdir(exist_ok=True)
    results, mixes, summaries, versions = [], {}, {}, {}
    for kind in args.databases:
        # SQLite has one writer at a time; a second process would only queue on the file lock.
        workers = 1 if kind == "sqlite" else args.workers
        # The 1-minute load average before and after: another busy process on these 2 cores shows here.
        load_before = os.getloadavg()[0]
        rows, mixes[kind], versions[kind] = run_database(kind, args, workers)
        mixes[kind]["load_average_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        results += rows
        summaries[kind] = summary_of(rows)
    print_table(results)
    failures = []
    for kind in args.databases:
        s, m = summaries[kind], mixes[kind]
        raw = ", ".join(f"{s['capacity_over_raw'][k]} x raw with {k} thread(s) ({v}/s)"
                        for k, v in s["raw_pairs_per_s"].items())
        print(f"\n{kind}: capacity {s['capacity_reads_per_s']} reads/s = {raw}; "
              f"p99 at {s['paced_reads_per_s']} reads/s paced: {s['paced_p99_ms']} ms "
              f"(aims: p99 < {AIM_P99_MS:.0f} ms {'met' if s['aim_p99_met'] else 'MISSED'}, "
              f">= {AIM_RATIO} x raw {'met' if s['aim_half_raw_met'] else 'MISSED'})")
        inproc = next(r for r in results if r["database"] == kind and r["kind"] == "in_process")
        print(f"  {inproc['statements_per_read']} SQL statements per read besides BEGIN and COMMIT (in-process)")
        for threads, c in s["chaining"].items():
            print(f"  evidence chain, in-process, {threads} thread(s): {c['chained_per_s']} reads/s chained, "
                  f"{c['unchained_per_s']} unchained: {c['cost_percent']} % slower")
        print(f"  outcomes {m['outcomes']}, decisions {m['decisions']}, passes {m['passes']}, "
              f"reviews {m['reviews_opened']}, alerts {m['alerts']}")
        print(f"  stored reads checked against the matcher: {m['checked_reads']}, mismatches: "
              f"{m['outcome_mismatches']} {m['mismatch_examples'][:2] or ''}")
        for r in results:
            if r["database"] == kind and r["kind"] == "http":
                if r["non_2xx"] or r["socket_errors"] or r["replayed_200"] or not r["rows_match"]:
                    failures.append(f"{kind} {r['load']}: {r['statuses']}, {r['socket_errors']} socket errors, "
                                    f"{r['rows_added']} rows for {r['ok_2xx']} 2xx")
        if m["outcome_mismatches"]:
            failures.append(f"{kind}: {m['outcome_mismatches']} reads stored with another outcome than expected")
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "seconds": args.seconds,
            "declarations": args.declarations, "clients": args.clients, "rate": args.rate,
            "generator": wrk_version(), "commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_src_changes": bool(git("status", "--porcelain", "--", "src")),
            "versions": {**{name: version(name) for name in ("bordergate", "fastapi", "starlette", "uvicorn",
                                                            "sqlalchemy", "psycopg", "pydantic")},
                         **{kind: v["database_version"] for kind, v in versions.items()}}}
    (RESULTS / "plate_reads.json").write_text(json.dumps(
        {"meta": meta, "summary": summaries, "results": results, "checks": mixes, "failures": failures},
        indent=2, ensure_ascii=False, default=str) + "\n")
    if failures:
        print("\nFAILED checks:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
