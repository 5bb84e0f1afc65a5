"""Benchmark: 64 declarants racing over HTTP for the last places of an hour at Huu Nghi, on PostgreSQL, and the
booking rate when places are plentiful. The figure that matters is the oversold count, which must be 0.

Seeding, in-process before the server starts, on a fresh PostgreSQL database (the `pgserver` wheel): Lang Son's
crossing points; a management center with an operator, who sets Huu Nghi's outbound capacity plan to --capacity
(default 40) trucks every hour of the day; 8 enterprises with 8 declarant accounts each, one account per client;
and open export declarations (non-perishable cargo, planned arrival tomorrow), each with its own tractor plate
(12C-123.45) and driver document. For each race round a coming hour gets --capacity minus --places-left places
(default 35, so 5 are left) booked in-process by another account, and every client gets one declaration of its own.

`bordergate serve` then runs with --workers (default 2) processes and BORDERGATE_SWEEP_SECONDS=0 (no background
call-forward sweep); its stderr goes to a log file, whose 500s and deadlocks are counted. The clients are one
asyncio loop in this process, with one httpx.AsyncClient per client: one keep-alive connection and one sign-in
token from POST /api/v1/auth/token. All connections are opened before each load and every client waits on one
event, so the requests leave together (the JSON gives the spread of their send times).
  race        --rounds rounds (default 20), each on the next hour (tomorrow on), with --places-left places left:
              every client POSTs /api/v1/declarations/{ref}/booking {"kind": "slot", "slot_start": <the hour>}
              once. Per request: latency and answer (201 booked, 409 "is full" refused, anything else "other").
              Per round: req/s (requests / time from the release to the last answer). After each round the
              database is read: the slots row (booked, capacity) and the hour's active bookings; oversold =
              max(0, bookings - capacity), undersold = places still free although someone was refused.
  sustained   closed loops of --seconds (default 5): 1 client booking the live queue back to back (the latency
              floor), then all clients booking fixed hours (client c's k-th booking takes hour (c + 64 k) mod 500
              of the hours after the race's, so in-flight requests want different hours and none is full), then
              all clients booking the live queue. Each booking is of a declaration of its own.
At the end every slots row is checked against the active bookings of its hour, and PostgreSQL's deadlock count
is read (pg_stat_database). Answers other than 201 and 409 "is full", or any oversold place, fail the run (exit
status 1, the JSON is still written and the server log kept).

The per-account limit (BORDERGATE_BOOKINGS_PER_MINUTE, default 10) is raised to 1,000,000 for the server and the
seeding: the sustained loads book far more than 10 a minute per account (the race alone stays under it).
Clients and server share this machine's cores; the meta has the load average and the results the clients' CPU
share. Prints a table and writes benchmarks/results/booking_race.json.

    python benchmarks/booking_race.py                 # 20 rounds, 5 s sustained loads
    python benchmarks/booking_race.py --rounds 40 --seconds 10
    python benchmarks/booking_race.py --quick         # 5 rounds, 2 s sustained loads: a smoke run
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from declare import PASSWORD, database, server  # noqa: E402
from plate_reads import git, settings, summarise  # noqa: E402

from bordergate.adapters.sql.database import make_engine, upgrade  # noqa: E402
from bordergate.adapters.sql.queue import ACTIVE  # noqa: E402
from bordergate.adapters.sql.tables import bookings, slots  # noqa: E402
from bordergate.bootstrap import bootstrap  # noqa: E402
from bordergate.domain import commands  # noqa: E402
from bordergate.domain.capacity import GATE_TIME, HOUR, hour_of  # noqa: E402
from bordergate.entrypoints.cli import seed_crossing_points  # noqa: E402
from bordergate.services.authentication import SYSTEM, principal_for  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
POINT, WAY = "HUU_NGHI", "outbound"
ENTERPRISES = 8
PER_MINUTE = 1_000_000  # BORDERGATE_BOOKINGS_PER_MINUTE for the server and the seeding
SUSTAINED_HOURS = 500  # fixed hours the sustained slot load spreads over (all within the 30 days bookable)
PROVINCES = ("12", "29", "30", "51", "98", "14", "15", "20", "34", "36")
# Non-perishable: a perishable booking also projects the whole queue for its shelf-life warning (not measured here).
GOODS = {"hs_code": "4001.22", "description": "Natural rubber (TSNR)", "packages": 800, "gross_weight_kg": "20000",
         "value": "32000", "currency": "USD", "origin_country": "VN", "perishable": False,
         "quarantine_required": False}


@dataclass
class Racer:
    """One client: its account, and its declarations (one per race round, then the sustained pools)."""

    username: str
    race: list[str] = field(default_factory=list)
    slot_pool: list[str] = field(default_factory=list)
    live_pool: list[str] = field(default_factory=list)
    floor_pool: list[str] = field(default_factory=list)


@dataclass
class Seeded:
    racers: list[Racer]
    race_hours: list[datetime]
    sustained_hours: list[datetime]
    declarations: int
    prebooked: int
    seconds: float


def trip(n: int, arrival: datetime) -> dict:
    """An export trip with plate and driver document n (distinct for every n below 1,000,000)."""
    return {
        "crossing_point": POINT, "flow": "export", "planned_arrival": arrival.isoformat(),
        "vehicle": {"tractor_plate": f"{PROVINCES[n // 100_000]}C-{n // 100 % 1000:03d}.{n % 100:02d}",
                    "trailer_plate": None, "vehicle_class": "rigid_truck", "gross_weight_kg": 24000, "axles": 3,
                    "container_size": "none"},
        "driver": {"full_name": "Trần Văn Bình", "document_number": f"0010{n:08d}", "nationality": "VN",
                   "phone": f"09{n % 100_000_000:08d}"},
        "goods": [dict(GOODS)], "containers": [],
    }


def seed(url: str, args: argparse.Namespace) -> Seeded:
    """Accounts, the capacity plan, the pre-booked places of the race hours and every client's declarations."""
    started = time.perf_counter()
    upgrade(url)
    gate = bootstrap(settings(url).model_copy(update={"bookings_per_minute": PER_MINUTE}))
    seed_crossing_points(gate)
    handle = gate.bus.handle
    center = handle(commands.RegisterOrganisation(SYSTEM, "Border Gate Management Center", "authority"))
    operator = principal_for(gate.uow(), handle(commands.CreateUser(
        SYSTEM, "operator", PASSWORD, "Operator", "operator", center)))
    handle(commands.SetCapacityPlan(operator, POINT, WAY, (args.capacity,) * 24))
    enterprises = [handle(commands.RegisterOrganisation(SYSTEM, f"Vận tải Lạng Sơn {e}", "enterprise",
                                                        f"0109{e:06d}")) for e in range(ENTERPRISES)]

    def declarant(username: str, enterprise: str):
        return principal_for(gate.uow(), handle(commands.CreateUser(
            SYSTEM, username, PASSWORD, username.title(), "declarant", enterprise)))

    now = gate.clock.now()
    arrival = now + timedelta(days=1)
    # The race's hours from tomorrow on, then the sustained load's, all within the 30 days one may book ahead.
    first = hour_of(now) + 24 * HOUR
    race_hours = [first + r * HOUR for r in range(args.rounds)]
    sustained_hours = [first + (args.rounds + 1 + h) * HOUR for h in range(SUSTAINED_HOURS)]
    counter = iter(range(1_000_000))

    def declare(who, enterprise: str) -> str:
        return handle(commands.SubmitDeclaration(who, enterprise, trip(next(counter), arrival)))

    prebooker = declarant("prebooker", enterprises[0])
    for hour in race_hours:
        for _ in range(args.capacity - args.places_left):
            reference = declare(prebooker, enterprises[0])
            handle(commands.BookCrossing(prebooker, reference, "slot", hour))
    print(f"  pre-booked {args.capacity - args.places_left} places in each of {len(race_hours)} hours", flush=True)
    racers = []
    for c in range(args.clients):
        enterprise = enterprises[c % ENTERPRISES]
        who = declarant(f"racer{c:02d}", enterprise)
        racer = Racer(who.username)
        racer.race = [declare(who, enterprise) for _ in race_hours]
        racer.slot_pool = [declare(who, enterprise) for _ in range(args.pool)]
        racer.live_pool = [declare(who, enterprise) for _ in range(args.pool)]
        racer.floor_pool = [declare(who, enterprise) for _ in range(args.floor_pool if c == 0 else 0)]
        racers.append(racer)
    declarations = next(counter)
    seconds = time.perf_counter() - started
    print(f"  seeded {declarations} declarations in {seconds:.1f} s", flush=True)
    gate.engine.dispose()
    return Seeded(racers, race_hours, sustained_hours, declarations,
                  len(race_hours) * (args.capacity - args.places_left), round(seconds, 1))


async def sign_in(base: str, racers: list[Racer]) -> list[httpx.AsyncClient]:
    """One client per racer, each with its own token and connection."""
    clients = []
    async with httpx.AsyncClient(base_url=base) as anonymous:
        for racer in racers:
            answer = await anonymous.post("/api/v1/auth/token", data={"username": racer.username,
                                                                      "password": PASSWORD})
            answer.raise_for_status()
            clients.append(httpx.AsyncClient(
                base_url=base, timeout=120, limits=httpx.Limits(max_connections=1),
                headers={"Authorization": f"Bearer {answer.json()['access_token']}"}))
    return clients


async def warm(clients: list[httpx.AsyncClient]) -> None:
    """Open (or keep open) every client's connection, so a round measures bookings, not TCP handshakes."""
    answers = await asyncio.gather(*(client.get("/api/v1/me") for client in clients))
    bad = [a.status_code for a in answers if a.status_code != 200]
    if bad:
        sys.exit(f"GET /api/v1/me answered {bad[:5]}")


def answer_of(status: int, body: str) -> str:
    if status == 201:
        return "booked"
    if status == 409 and " is full;" in body:
        return "full"
    return f"other {status}"


async def race_round(clients: list[httpx.AsyncClient], references: list[str], hour: datetime) -> dict:
    """Every client books its own declaration into the same hour, all released at once."""
    go = asyncio.Event()
    body = {"kind": "slot", "slot_start": hour.astimezone(GATE_TIME).isoformat()}
    sent, latencies, answers, examples = [0.0] * len(clients), [0.0] * len(clients), [""] * len(clients), {}

    async def book(i: int) -> None:
        await go.wait()
        sent[i] = t0 = time.perf_counter()
        answer = await clients[i].post(f"/api/v1/declarations/{references[i]}/booking", json=body)
        latencies[i] = time.perf_counter() - t0
        answers[i] = answer_of(answer.status_code, answer.text)
        if answers[i] != "booked":
            examples.setdefault(answers[i], answer.text[:300])

    await warm(clients)
    tasks = [asyncio.create_task(book(i)) for i in range(len(clients))]
    await asyncio.sleep(0.05)  # every task is waiting on the event
    released = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - released
    return {"latencies": latencies, "answers": answers, "elapsed": elapsed, "examples": examples,
            "send_spread_ms": round((max(sent) - released) * 1000, 1)}


async def sustained(clients: list[httpx.AsyncClient], pools: list[list[str]], kind: str, hours: list[datetime],
                    seconds: float) -> dict:
    """Closed loop: each client books its next declaration as soon as the previous answer came back."""
    go = asyncio.Event()
    latencies: list[float] = []
    answers: Counter = Counter()
    examples: dict[str, str] = {}
    exhausted = [False] * len(clients)
    deadline = [0.0]

    async def loop(c: int) -> None:
        await go.wait()
        for k, reference in enumerate(pools[c]):
            if time.perf_counter() >= deadline[0]:
                return
            body = {"kind": kind}
            if kind == "slot":
                body["slot_start"] = hours[(c + len(clients) * k) % len(hours)].astimezone(GATE_TIME).isoformat()
            t0 = time.perf_counter()
            answer = await clients[c].post(f"/api/v1/declarations/{reference}/booking", json=body)
            latencies.append(time.perf_counter() - t0)
            got = answer_of(answer.status_code, answer.text)
            answers[got] += 1
            if got != "booked":
                examples.setdefault(got, answer.text[:300])
        exhausted[c] = True

    await warm(clients)
    tasks = [asyncio.create_task(loop(c)) for c in range(len(clients))]
    await asyncio.sleep(0.05)
    began = time.perf_counter()
    deadline[0] = began + seconds
    go.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    return {"latencies": latencies, "answers": answers, "elapsed": elapsed, "examples": examples,
            "clients_out_of_declarations": sum(exhausted)}


def hour_in_database(engine, hour: datetime) -> dict:
    """The hour's slots row and its active bookings, read after the round."""
    s, b = slots.c, bookings.c
    with engine.connect() as connection:
        capacity, booked = connection.execute(select(s.capacity, s.booked).where(
            s.crossing_point == POINT, s.direction == WAY, s.starts_at == hour)).one()
        active = connection.execute(select(func.count()).select_from(bookings).where(
            b.crossing_point == POINT, b.direction == WAY, b.kind == "slot", b.slot_start == hour,
            b.status.in_(ACTIVE))).scalar_one()
    return {"capacity": capacity, "slot_booked": booked, "active_bookings": active}


def whole_database(engine) -> dict:
    """Every slots row against the active bookings of its hour."""
    s, b = slots.c, bookings.c
    with engine.connect() as connection:
        rows = connection.execute(select(s.starts_at, s.capacity, s.booked).where(
            s.crossing_point == POINT, s.direction == WAY)).all()
        active = dict(connection.execute(select(b.slot_start, func.count()).where(
            b.crossing_point == POINT, b.direction == WAY, b.kind == "slot", b.status.in_(ACTIVE))
            .group_by(b.slot_start)).all())
        live = connection.execute(select(func.count()).select_from(bookings).where(
            b.kind == "live", b.status.in_(ACTIVE))).scalar_one()
        server_version = connection.execute(text("SHOW server_version")).scalar_one()
        deadlocks = connection.execute(text("SELECT deadlocks FROM pg_stat_database "
                                            "WHERE datname = current_database()")).scalar_one()
        max_connections = connection.execute(text("SHOW max_connections")).scalar_one()
    return {"slot_rows": len(rows), "slot_bookings": sum(active.values()), "live_bookings": live,
            "oversold": sum(max(0, active.get(hour, 0) - capacity) for hour, capacity, _ in rows),
            "rows_over_capacity": sum(booked > capacity for _, capacity, booked in rows),
            "rows_not_matching_bookings": sum(booked != active.get(hour, 0) for hour, _, booked in rows),
            "bookings_without_row": sum(n for hour, n in active.items() if hour not in {r[0] for r in rows}),
            "deadlocks": deadlocks, "postgresql": server_version, "max_connections": int(max_connections)}


async def run_http(base: str, url: str, seeded: Seeded, args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    engine = make_engine(url, 2)
    clients = await sign_in(base, seeded.racers)
    rows, rounds = [], []
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        latencies, all_answers, answers, examples, round_seconds = [], [], Counter(), {}, []
        for r, hour in enumerate(seeded.race_hours):
            got = await race_round(clients, [racer.race[r] for racer in seeded.racers], hour)
            db = hour_in_database(engine, hour)
            counts = Counter(got["answers"])
            row = {"round": r + 1, "hour": hour.isoformat(), "places_left": args.places_left,
                   "booked": counts["booked"], "refused_full": counts["full"],
                   "other": sum(n for k, n in counts.items() if k.startswith("other")), **db,
                   "oversold": max(0, db["active_bookings"] - db["capacity"]),
                   "undersold": max(0, db["capacity"] - db["active_bookings"]) if counts["full"] else 0,
                   "per_second": round(len(clients) / got["elapsed"], 1), "send_spread_ms": got["send_spread_ms"],
                   **{k: v for k, v in summarise(got["latencies"], got["elapsed"]).items()
                      if k in ("p50_ms", "p99_ms", "max_ms")}}
            rounds.append(row)
            latencies += got["latencies"]
            all_answers += got["answers"]
            answers.update(got["answers"])
            round_seconds.append(got["elapsed"])
            for key, text_ in got["examples"].items():
                examples.setdefault(key, text_)
            print(f"  round {r + 1:>2}: {row['booked']} booked, {row['refused_full']} full, {row['other']} other, "
                  f"{row['active_bookings']}/{row['capacity']} in the hour, {row['per_second']} req/s, "
                  f"p99 {row['p99_ms']} ms", flush=True)
        elapsed = sum(round_seconds)
        race = summarise(latencies, elapsed)
        # Winners and refused apart: a refusal also reads the free hours nearby for its message.
        by_answer = {f"{answer}_p{p}_ms": summarise(mine, elapsed)[f"p{p}_ms"]
                     for answer in ("booked", "full") if (mine := [lat for lat, a in zip(latencies, all_answers,
                                                                                          strict=True) if a == answer])
                     for p in (50, 99)}
        rows.append({"load": "race for the last places", "rounds": len(rounds), "clients": len(clients),
                     "places_left": args.places_left, "requests": race["requests"],
                     "booked": answers["booked"], "refused": answers["full"],
                     "other": sum(n for k, n in answers.items() if k.startswith("other")),
                     "oversold": sum(r["oversold"] for r in rounds), "undersold": sum(r["undersold"] for r in rounds),
                     "per_second": round(race["requests"] / elapsed, 1), "p50_ms": race["p50_ms"],
                     "p99_ms": race["p99_ms"], "mean_ms": race["mean_ms"], "max_ms": race["max_ms"],
                     "median_round_per_second": sorted(r["per_second"] for r in rounds)[len(rounds) // 2],
                     "max_send_spread_ms": max(r["send_spread_ms"] for r in rounds),
                     "client_cpu_share": round((time.process_time() - cpu) / (time.perf_counter() - wall), 2),
                     "answers": dict(answers), "examples": examples, **by_answer,
                     "load_average_1min_after": round(os.getloadavg()[0], 2)})
        loads = (("sustained, 1 client, live queue", clients[:1], [seeded.racers[0].floor_pool], "live"),
                 ("sustained, free fixed hours", clients, [r.slot_pool for r in seeded.racers], "slot"),
                 ("sustained, live queue", clients, [r.live_pool for r in seeded.racers], "live"))
        for label, some, pools, kind in loads:
            cpu, wall = time.process_time(), time.perf_counter()
            got = await sustained(some, pools, kind, seeded.sustained_hours, args.seconds)
            stats = summarise(got["latencies"], got["elapsed"])
            counts = got["answers"]
            rows.append({"load": label, "rounds": None, "clients": len(some), "places_left": None,
                         "requests": stats["requests"], "booked": counts["booked"], "refused": counts["full"],
                         "other": sum(n for k, n in counts.items() if k.startswith("other")), "oversold": None,
                         "undersold": None, "seconds": round(got["elapsed"], 2),
                         "per_second": round(counts["booked"] / got["elapsed"], 1), "p50_ms": stats["p50_ms"],
                         "p99_ms": stats["p99_ms"], "mean_ms": stats["mean_ms"], "max_ms": stats["max_ms"],
                         "clients_out_of_declarations": got["clients_out_of_declarations"],
                         "client_cpu_share": round((time.process_time() - cpu) / (time.perf_counter() - wall), 2),
                         "answers": dict(counts), "examples": got["examples"],
                         "load_average_1min_after": round(os.getloadavg()[0], 2)})
            print(f"  {label}: {counts['booked']} booked in {got['elapsed']:.1f} s, "
                  f"p99 {stats['p99_ms']} ms", flush=True)
    finally:
        for client in clients:
            await client.aclose()
        engine.dispose()
    return rows, rounds


@contextmanager
def server_logging_to(log: Path):
    """Start the server with its stderr (tracebacks of 500s) in ``log``, so the table is not lost among them."""
    saved = os.dup(2)
    with open(log, "ab") as file:
        os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def server_errors(log: Path) -> dict:
    """What the server logged: unexpected errors (500s), deadlocks among them, and one deadlock's detail."""
    lines = log.read_text(errors="replace").splitlines()
    detail = next((i for i, line in enumerate(lines) if line.startswith("DETAIL:  Process")), None)
    return {"unexpected_errors": sum("unexpected error" in line for line in lines),
            "deadlock_errors": sum(line.startswith("psycopg.errors.DeadlockDetected") for line in lines),
            "first_deadlock": lines[detail:detail + 4] if detail is not None else None}


def print_table(rows: list[dict]) -> None:
    header = (f"{'load':<33}{'rounds':>7}{'clients':>8}{'left':>6}{'booked':>8}{'refused':>8}{'other':>6}"
              f"{'oversold':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        dash = {key: "-" if r[key] is None else r[key] for key in ("rounds", "places_left", "oversold")}
        per_second = r["per_second"] if r["rounds"] else f"{r['per_second']}*"
        print(f"{r['load']:<33}{dash['rounds']:>7}{r['clients']:>8}{dash['places_left']:>6}{r['booked']:>8}"
              f"{r['refused']:>8}{r['other']:>6}{dash['oversold']:>9}{per_second:>8}{r['p50_ms']:>9}"
              f"{r['p99_ms']:>9}")
    print("left: places left in each round's hour; other: answers neither 201 nor 409 'is full'; "
          "* bookings/s of a closed loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=None, help="race rounds, each on a new hour (default 20)")
    parser.add_argument("--seconds", type=float, default=None, help="length of each sustained load (default 5)")
    parser.add_argument("--quick", action="store_true", help="5 rounds and 2 s sustained loads: a smoke run")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--capacity", type=int, default=40, help="places in every hour")
    parser.add_argument("--places-left", type=int, default=5, help="places left in each race hour")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    args.rounds = args.rounds or (5 if args.quick else 20)
    args.seconds = args.seconds or (2 if args.quick else 5)
    # Declarations per client for each sustained load: enough for 300 bookings/s (2 cores do about 100), and for
    # 200/s from the one client of the latency floor.
    args.pool = max(5, int(args.seconds * 300 / args.clients) + 1)
    args.floor_pool = int(args.seconds * 200) + 1
    if not 0 < args.places_left <= args.capacity:
        sys.exit("--places-left must be between 1 and --capacity")
    # declare.server passes this environment on to `bordergate serve`.
    os.environ["BORDERGATE_SWEEP_SECONDS"] = "0"
    os.environ["BORDERGATE_BOOKINGS_PER_MINUTE"] = str(PER_MINUTE)
    RESULTS.mkdir(exist_ok=True)
    load = {"before": os.getloadavg()}
    with database("postgresql") as url:
        print("postgresql: seeding", flush=True)
        seeded = seed(url, args)
        load["before_http"] = os.getloadavg()
        handle, name = tempfile.mkstemp(prefix="bordergate-booking-race-", suffix=".log")
        os.close(handle)
        log = Path(name)
        with ExitStack() as stack:
            with server_logging_to(log):
                base = stack.enter_context(server(url, args.workers))
            print(f"postgresql: {args.workers} workers, {args.clients} clients, {args.rounds} rounds "
                  f"(server log: {log})", flush=True)
            rows, rounds = asyncio.run(run_http(base, url, seeded, args))
        load["after_http"] = os.getloadavg()
        engine = make_engine(url, 1)
        check = whole_database(engine)
        engine.dispose()
    logged = server_errors(log)
    print_table(rows)
    print(f"\ndatabase after all loads: {check['slot_rows']} hours booked, {check['slot_bookings']} fixed-hour and "
          f"{check['live_bookings']} live bookings; oversold {check['oversold']}, rows over capacity "
          f"{check['rows_over_capacity']}, rows not matching their bookings {check['rows_not_matching_bookings']}; "
          f"deadlocks detected by PostgreSQL {check['deadlocks']} (pg_stat_database)")
    print(f"server log: {logged['unexpected_errors']} unexpected errors (500), {logged['deadlock_errors']} of them "
          f"DeadlockDetected")
    print(f"load average (1 min) before / before HTTP / after HTTP: "
          f"{load['before'][0]:.2f} / {load['before_http'][0]:.2f} / {load['after_http'][0]:.2f}")
    failures = [f"{r['load']}: {r['other']} answers other than 201 or 409 full, e.g. "
                f"{ {k: v for k, v in r['examples'].items() if k != 'full'} }" for r in rows if r["other"]]
    failures += [f"{r['load']}: {r['refused']} refused as full though places were plenty"
                 for r in rows if r["rounds"] is None and r["refused"]]
    if check["oversold"] or check["rows_over_capacity"] or check["rows_not_matching_bookings"]:
        failures.append(f"database check: {check}")
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "database": "postgresql",
            "workers": args.workers, "clients": args.clients, "rounds": args.rounds, "capacity": args.capacity,
            "places_left": args.places_left, "sustained_seconds": args.seconds,
            "bookings_per_minute": PER_MINUTE, "sweep_seconds": 0,
            "generator": f"asyncio + httpx {httpx.__version__}, one connection per client, in this process",
            "load_average_1_5_15": {k: [round(x, 2) for x in v] for k, v in load.items()},
            "declarations": seeded.declarations, "prebooked": seeded.prebooked, "seed_seconds": seeded.seconds,
            "commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_src_changes": bool(git("status", "--porcelain", "--", "src")),
            "versions": {**{name: version(name) for name in ("bordergate", "fastapi", "starlette", "uvicorn",
                                                            "sqlalchemy", "psycopg", "httpx", "pgserver")},
                         "postgresql": check.pop("postgresql")}}
    (RESULTS / "booking_race.json").write_text(json.dumps(
        {"meta": meta, "results": rows, "rounds": rounds, "database_check": check, "server_log": logged,
         "failures": failures},
        indent=2, ensure_ascii=False, default=str) + "\n")
    if failures:
        print("\nFAILED checks:\n  " + "\n  ".join(failures) + f"\nthe server's log is kept: {log}")
        sys.exit(1)
    log.unlink()


if __name__ == "__main__":
    main()
