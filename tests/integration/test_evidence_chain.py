"""The audit trail and plate reads are hash chains: `audit verify` names the first row that was tampered with."""
from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

from bordergate.adapters.sql.verification import append_heads
from bordergate.domain import commands
from bordergate.entrypoints.cli import main
from tests.integration.control_helpers import a_control_room
from tests.integration.evidence_helpers import (TABLE_NAMES, as_attacker, heads_now, insert_forged, last_seq,
                                                rehash_from, row_at, verify)

CHAINS = ["audit", "plate_reads"]


@pytest.fixture
def room(gate, clock):
    """A day's evidence: accounts, a declaration corrected once, and its truck read at four stops."""
    room = a_control_room(gate)
    reference = room.declare()
    gate.bus.handle(commands.AmendDeclaration(room.world.lan, reference, {"driver.phone": "0987654321"}))
    for checkpoint in ("highway_approach", "waiting_area_entry", "yard_entry", "inspection", "waiting_area_entry"):
        clock.advance(minutes=3)
        room.read(checkpoint)
    return room


@pytest.mark.parametrize("chain", CHAINS)
def test_an_untouched_chain_verifies_row_by_row_up_to_its_head(gate, room, chain):
    verdict = verify(gate, chain, heads_now(gate))
    assert verdict.holds, verdict.breaks
    assert verdict.rows == last_seq(gate, chain) >= 5


@pytest.mark.parametrize("chain", CHAINS)
def test_an_edited_row_is_named(gate, room, chain):
    column, value = ("actor", "someone else") if chain == "audit" else ("plate_text", "99C99999")
    as_attacker(gate, f"UPDATE {TABLE_NAMES[chain]} SET {column} = '{value}' WHERE seq = 3")
    first = verify(gate, chain).breaks[0]
    assert (first.seq, first.kind) == (3, "edited")
    assert first.row_id == str(row_at(gate, chain, 3)["id"])


@pytest.mark.parametrize("chain", CHAINS)
def test_a_deleted_row_is_found_at_the_row_after_it(gate, room, chain):
    as_attacker(gate, f"DELETE FROM {TABLE_NAMES[chain]} WHERE seq = 3")
    first = verify(gate, chain).breaks[0]
    assert (first.seq, first.kind) == (4, "deleted")
    assert "between seq 2" in first.detail


@pytest.mark.parametrize("chain", CHAINS)
def test_an_inserted_row_is_named_even_when_hashed_onto_the_chain(gate, room, chain):
    insert_forged(gate, chain, after=3)
    first = verify(gate, chain).breaks[0]
    assert (first.seq, first.kind) == (4, "inserted")
    assert first.row_id == str(row_at(gate, chain, 4)["id"])


@pytest.mark.parametrize("chain", CHAINS)
def test_reordered_rows_are_named(gate, room, chain):
    name = TABLE_NAMES[chain]
    as_attacker(gate, f"UPDATE {name} SET seq = -3 WHERE seq = 3", f"UPDATE {name} SET seq = 3 WHERE seq = 4",
                f"UPDATE {name} SET seq = 4 WHERE seq = -3")
    first = verify(gate, chain).breaks[0]
    assert (first.seq, first.kind) == (3, "reordered")


@pytest.mark.parametrize("chain", CHAINS)
def test_a_truncated_tail_shows_against_an_exported_head_even_when_the_database_head_was_rewound(gate, room, chain):
    exported = heads_now(gate)
    end = last_seq(gate, chain)
    kept = row_at(gate, chain, end - 2)
    as_attacker(gate, f"DELETE FROM {TABLE_NAMES[chain]} WHERE seq > {end - 2}",
                "UPDATE chain_heads SET seq = :seq, row_hash = :hash WHERE chain = :chain",
                params={"seq": end - 2, "hash": kept["row_hash"], "chain": chain})
    assert verify(gate, chain).holds  # what is left is a consistent chain: only the exported head can tell
    first = verify(gate, chain, exported).breaks[0]
    assert (first.seq, first.kind) == (end, "truncated")


def test_a_tail_cut_without_rewinding_the_head_shows_against_the_databases_own_head(gate, room):
    end = last_seq(gate, "audit")
    as_attacker(gate, f"DELETE FROM audit_log WHERE seq > {end - 1}")
    assert [(b.seq, b.kind) for b in verify(gate, "audit").breaks] == [(end, "truncated")]


def test_a_chain_rewritten_from_the_start_is_caught_by_the_exported_head(gate, room):
    exported = heads_now(gate)
    insert_forged(gate, "audit", after=1)
    # The attacker rehashes every row after the forged one and moves the database's head to match.
    rehash_from(gate, "audit", 3)
    assert verify(gate, "audit").holds
    end = exported[0]["id"]
    assert [(b.seq, b.kind) for b in verify(gate, "audit", exported).breaks] == [(end, "rewritten")]


def test_writers_in_parallel_keep_one_line_of_links(gate, room, clock):
    """Sixteen commands at once: each row follows exactly one other (PostgreSQL locks the head row)."""
    admin = room.world.operator
    errors = []

    def add(n: int) -> None:
        try:
            gate.bus.handle(commands.AddCheckpoint(admin, "TAN_THANH", "highway_approach", "outbound", f"cp {n}"))
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify(gate, "audit", heads_now(gate)).holds


def test_bordergate_audit_verify_exits_non_zero_naming_the_first_broken_row(gate, room, tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", gate.settings.database_url)
    heads = tmp_path / "heads.jsonl"
    exported = CliRunner().invoke(main, ["audit", "export-head", str(heads)])
    assert exported.exit_code == 0, exported.output
    assert {json.loads(line)["chain"] for line in heads.read_text().splitlines()} == set(CHAINS)
    good = CliRunner().invoke(main, ["audit", "verify", "--head", str(heads)])
    assert good.exit_code == 0 and "chain holds" in good.output
    as_attacker(gate, "UPDATE plate_reads SET confidence = 0.99 WHERE seq = 2")
    bad = CliRunner().invoke(main, ["audit", "verify", "--chain", "plate_reads", "--head", str(heads)])
    assert bad.exit_code == 1
    assert f"row {row_at(gate, 'plate_reads', 2)['id']} (seq 2) edited" in bad.output


def test_the_server_exports_the_heads_when_they_are_due(gate, room, clock, tmp_path):
    from bordergate.entrypoints.evidence import HEADS_FILE, HeadExports

    gate.settings.audit_head_folder = str(tmp_path)
    exports = HeadExports(gate)
    assert exports.due()
    exports.export()
    assert not exports.due()
    clock.advance(minutes=gate.settings.audit_head_minutes)
    assert exports.due()
    lines = (tmp_path / HEADS_FILE).read_text().splitlines()
    assert [json.loads(line)["chain"] for line in lines] == CHAINS
    append_heads(tmp_path / HEADS_FILE, heads_now(gate))
    assert len((tmp_path / HEADS_FILE).read_text().splitlines()) == 4


def test_a_row_appended_with_a_time_in_the_past_is_named_back_dated(gate, room):
    """What the server's own role may do: insert a row, linked correctly at the end, dated years ago."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from bordergate.adapters.sql import chain
    from bordergate.adapters.sql.tables import audit_log

    forged = {"at": datetime(2020, 1, 1, tzinfo=UTC), "actor": "system", "action": "PaymentReceived",
              "subject_type": "declaration", "subject_id": "BG-FORGED", "payload": {"amount_vnd": 1}}
    with gate.engine.begin() as connection:
        chain.link(connection, "audit", audit_log, [forged])
        connection.execute(insert(audit_log), [forged])
    first = verify(gate, "audit").breaks[0]
    assert (first.seq, first.kind) == (last_seq(gate, "audit"), "back-dated")
