"""Catalogue search quality: 50 queries typed without diacritics, scored on SQLite (FTS5) and PostgreSQL (GIN).

Each engine gets a fresh database migrated to head and the shipped sample catalogue published through the bus; every
query of benchmarks/data/procedure_queries.json is searched as the /services page searches it (the database finds
candidates, domain/procedures.rank orders them). Printed: the share of queries whose expected procedure is first,
and in the top 3, per engine; whether both engines gave the same ranked list for every query; the median and worst
time a search took. The 20 queries of procedure_queries_unseen.json (never used to tune the keywords) are scored
the same way, apart. Written to benchmarks/results/procedure_search.json.

    python benchmarks/procedure_search.py [--engines sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.seeding import seed_public_services
from bordergate.services.public_services import search_procedures

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "data" / "procedure_queries.json"
# Written after the catalogue's keywords were frozen and never used to tune them: the out-of-sample check.
UNSEEN = HERE / "data" / "procedure_queries_unseen.json"
RESULTS = HERE / "results" / "procedure_search.json"


@contextmanager
def database(kind: str):
    folder = tempfile.mkdtemp(prefix="bordergate-search-")
    try:
        if kind == "sqlite":
            yield f"sqlite:///{folder}/search.db"
            return
        import pgserver

        server = pgserver.get_server(folder, cleanup_mode="stop")
        try:
            server.psql("CREATE DATABASE search;")
            yield server.get_uri().replace("postgresql://", "postgresql+psycopg://").replace("/postgres?", "/search?")
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(kind: str, queries: list[dict[str, str]]) -> dict:
    with database(kind) as url:
        upgrade(url)
        gate = bootstrap(Settings(database_url=url, secret_key="benchmark-secret-of-at-least-32-chars",
                                  sweep_seconds=0), rng=random.Random(50))
        seed_public_services(gate)
        ranked, took = {}, []
        for q in queries:
            started = time.perf_counter()
            found = search_procedures(gate.reader(), q["query"])
            took.append((time.perf_counter() - started) * 1000)
            ranked[q["query"]] = [p.code for p in found.procedures]
        gate.engine.dispose()
    first = sum(ranked[q["query"]][:1] == [q["expected"]] for q in queries)
    top3 = sum(q["expected"] in ranked[q["query"]][:3] for q in queries)
    missed = [{"query": q["query"], "expected": q["expected"], "got": ranked[q["query"]][:3]}
              for q in queries if ranked[q["query"]][:1] != [q["expected"]]]
    return {"engine": kind, "queries": len(queries), "first": first, "top3": top3,
            "share_first": round(first / len(queries), 3), "share_top3": round(top3 / len(queries), 3),
            "median_ms": round(statistics.median(took), 2), "worst_ms": round(max(took), 2),
            "missed": missed, "ranked": ranked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    engines = parser.parse_args().engines.split(",")
    written = {}
    for label, path in (("the 50 queries", QUERIES), ("20 unseen queries", UNSEEN)):
        queries = json.loads(path.read_text())["queries"]
        results = [run(kind, queries) for kind in engines]
        print(f"\n{label}\n{'engine':<12}{'queries':>8}{'first':>8}{'top 3':>8}{'median ms':>11}{'worst ms':>10}")
        for r in results:
            print(f"{r['engine']:<12}{r['queries']:>8}{r['share_first']:>8.0%}{r['share_top3']:>8.0%}"
                  f"{r['median_ms']:>11}{r['worst_ms']:>10}")
            for miss in r["missed"]:
                print(f"    not first: {miss['query']!r} -> {miss['got']} (expected {miss['expected']})")
        same = all(r["ranked"] == results[0]["ranked"] for r in results)
        print(f"same ranked list on {' and '.join(engines)} for every query: {'yes' if same else 'NO'}")
        written[path.stem] = {"same_on_every_engine": same,
                              "engines": [{k: v for k, v in r.items() if k != "ranked"} for r in results]}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
