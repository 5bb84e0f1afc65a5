"""The public services' repositories on the in-memory twin, SQLite (FTS5) and PostgreSQL (GIN): the same ranked
list for the 50 queries people type, and the allowance's uses kept alike."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from bordergate.domain.allowance import SEEDED_RULE, AllowanceUse, read_rule
from bordergate.domain.errors import Conflict
from bordergate.domain.procedures import read_catalogue, read_query, rank
from bordergate.seeding import sample_catalogue
from tests.conftest import NOW

QUERIES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "procedure_queries.json"


@cache
def reference() -> dict[str, list[str]]:
    """Each query's ranked codes over the whole catalogue in Python: what every engine's candidates must give."""
    catalogue = read_catalogue(sample_catalogue())
    return {q["query"]: [p.code for p in rank(list(catalogue.procedures),
                                              read_query(q["query"], catalogue.synonyms, catalogue.ignored_words))]
            for q in json.loads(QUERIES.read_text())["queries"]}


def test_procedure_search_gives_the_same_ranked_list_on_sqlite_and_postgresql(units):
    with units() as uow:
        uow.procedures.publish(read_catalogue(sample_catalogue()), "admin-1", NOW)
        uow.commit()
    with units() as uow:
        current = uow.procedures.current()
        assert current is not None and current.procedures == () and current.version == "lang-son-2026-sample-1"
        found = {}
        for typed in reference():
            query = read_query(typed, current.synonyms, current.ignored_words)
            found[typed] = [p.code for p in rank(uow.procedures.candidates(query.words), query)]
    assert found == reference()
    expected = {q["query"]: q["expected"] for q in json.loads(QUERIES.read_text())["queries"]}
    assert all(expected[typed] in codes[:3] for typed, codes in found.items())


def test_a_new_catalogue_version_replaces_the_searched_procedures_and_a_version_is_kept_once(units):
    first = read_catalogue(sample_catalogue())
    smaller = read_catalogue({**first.as_document(), "version": "lang-son-2026-2",
                              "procedures": [p.as_document() for p in first.procedures[:3]]})
    with units() as uow:
        uow.procedures.publish(first, "admin-1", NOW)
        uow.procedures.publish(smaller, "admin-1", NOW + timedelta(days=1))
        uow.commit()
    with units() as uow:
        assert uow.procedures.current().version == "lang-son-2026-2"
        assert uow.procedures.get("HT-01").name == "Đăng ký khai sinh" and uow.procedures.get("XC-01") is None
        assert uow.procedures.candidates(("passport",)) == []  # XC-01's keyword, gone with it
        with pytest.raises(Conflict):
            uow.procedures.publish(smaller, "admin-1", NOW)


def test_allowance_rules_and_uses_are_kept_by_version_and_by_resident_and_day(units):
    rule = read_rule(SEEDED_RULE)

    def a_use(n: int, day: date, resident: str = "citizen-1") -> AllowanceUse:
        return AllowanceUse(f"use-{n}", resident, "TAN_THANH", day, 400_000 + n, "customs", "guard-1",
                            datetime.combine(day, datetime.min.time()).replace(tzinfo=NOW.tzinfo) + timedelta(hours=n))
    with units() as uow:
        uow.allowance.publish_rule(rule, "admin-1", NOW)
        for n, (day, who) in enumerate([(date(2026, 11, 30), "citizen-1"), (date(2026, 12, 1), "citizen-1"),
                                        (date(2026, 12, 1), "citizen-2"), (date(2026, 12, 31), "citizen-1")]):
            uow.allowance.record(a_use(n, day, who))
        uow.commit()
    with units() as uow:
        assert uow.allowance.rules() == [rule]
        december = uow.allowance.uses("citizen-1", date(2026, 12, 1), date(2026, 12, 31))
        assert [(u.id, u.day, u.value_vnd) for u in december] == [("use-1", date(2026, 12, 1), 400_001),
                                                                  ("use-3", date(2026, 12, 31), 400_003)]
        with pytest.raises(Conflict):
            uow.allowance.publish_rule(rule, "admin-1", NOW)
