"""The evidence chain hashes a row in two steps (its own fields before the head is locked, the previous hash
after): the result must be the very hash `bordergate audit verify` recomputes in one step."""
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from bordergate.adapters.sql import chain

AWKWARD_FIELDS = {
    "action": "DeclarationSubmitted", "actor": "user:7", "at": datetime(2026, 12, 7, 22, 5, tzinfo=UTC),
    "payload": {"z": [1, 2.0, Decimal("24000.50")], "a": {"tên": "Trần Văn Bình", "货物": "榴莲", "q": 'a"b\\c'},
                "when": datetime(2026, 12, 8, 5, 0, tzinfo=timezone(timedelta(hours=7))), "none": None, "n": 1e20},
    "subject_id": "BG-2026-000001", "subject_type": "declaration",
}


def test_a_row_hashed_in_two_steps_gets_the_hash_verification_recomputes():
    prev = "ab" * 32
    for name in chain.CHAINS:
        before = chain._hash_before(name, AWKWARD_FIELDS)
        assert chain._hash_after(before, prev) == chain.row_hash(name, AWKWARD_FIELDS, prev)


def test_the_first_row_after_genesis_hashes_alike_in_two_steps():
    before = chain._hash_before("audit", {"action": "x"})
    assert chain._hash_after(before, chain.GENESIS) == chain.row_hash("audit", {"action": "x"}, chain.GENESIS)
