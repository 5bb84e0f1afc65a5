"""Public services as the manual tells them: folding, searching and ranking, the allowance's arithmetic, the
commands on the bus in memory, and the one-stop system asked over its signed wire (the sandbox twin)."""
from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.adapters.one_stop import HttpOneStop, SandboxOneStop
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain.accounts import Principal, Role, User
from bordergate.domain.allowance import SEEDED_RULE, AllowanceUse, allowance_left, in_force, read_rule
from bordergate.domain.applications import ApplicationState
from bordergate.domain.crossing_points import LANG_SON
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable
from bordergate.domain.procedures import read_catalogue, read_query, rank
from bordergate.domain.service_commands import PublishAllowanceRule, PublishProcedures, RecordAllowanceUse
from bordergate.domain.text_folding import fold
from bordergate.domain.working_days import VIETNAM
from bordergate.seeding import sample_catalogue, seed_public_services
from bordergate.services.one_stop import application_status
from bordergate.services.ports import FixedClock
from bordergate.services.public_services import resident_allowance, search_procedures
from tests.conftest import CHEAP_PASSWORDS

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=VIETNAM)
ADMIN = Principal("admin-1", "admin", Role.ADMIN, None)
GUARD = Principal("guard-1", "bienphong", Role.BORDER_GUARD, "center")
RESIDENT = Principal("citizen-1", "+84912345678", Role.CITIZEN, None)
RULE = read_rule(SEEDED_RULE)
KEY = "one-stop-shared-secret-for-tests"


# --- Folding and ranking ---------------------------------------------------------------------------------------

def test_text_is_folded_as_people_type_it_without_diacritics():
    assert fold("Đăng ký KHAI SINH (lần đầu)") == "dang ky khai sinh lan dau"
    assert fold("Giấy phép lái xe/GPLX; Nghị định 14/2018") == "giay phep lai xe gplx nghi dinh 14 2018"
    assert fold("  Hộ chiếu —  đổi  ") == "ho chieu doi" and fold("!!") == ""


def test_a_synonym_in_a_query_stands_for_its_whole_group_and_ignored_words_drop_out():
    query = read_query("Đổi GPLX ở đâu?", (("gplx", "giay phep lai xe"),), frozenset({"o", "dau"}))
    assert query.concepts == ((("doi",),), (("gplx",), ("giay", "phep", "lai", "xe")))
    assert query.words == ("doi", "gplx", "giay", "phep", "lai", "xe")


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue(sample_catalogue())


def test_the_shipped_catalogue_is_a_sample_of_at_least_60_procedures_that_says_so(catalogue):
    assert len(catalogue.procedures) >= 60 and "sample to be replaced" in catalogue.note
    assert {p.level for p in catalogue.procedures} == {"full_online", "partly_online", "in_person"}
    assert all(p.documents and p.fee_text and p.where_to_apply for p in catalogue.procedures)


def test_the_same_query_with_or_without_diacritics_finds_the_same_procedures_in_the_same_order(catalogue):
    def search(text):
        return [p.code for p in rank(list(catalogue.procedures),
                                     read_query(text, catalogue.synonyms, catalogue.ignored_words))]
    assert search("đổi bằng lái xe") == search("doi bang lai xe") == ["GT-01"]
    assert search("Đổi GPLX") == search("doi gplx") and search("doi gplx")[0] == "GT-01"
    assert search("làm hộ chiếu")[0] == "XC-01"
    assert search("sổ thông hành đi Bằng Tường")[0] == "XC-03" and search("zzz") == []


def test_ranking_puts_the_general_procedure_before_its_special_cases_then_orders_by_code(catalogue):
    found = rank(list(catalogue.procedures), read_query("dang ky khai sinh", catalogue.synonyms))
    assert [p.code for p in found[:3]] == ["HT-01", "HT-12", "HT-05"]


def test_a_catalogue_with_a_bad_field_is_refused_naming_it():
    document = sample_catalogue()
    document["procedures"][1] = {**document["procedures"][1], "level": "by pigeon", "fee_vnd": -5}
    document["procedures"].append(dict(document["procedures"][0]))
    with pytest.raises(Invalid) as refused:
        read_catalogue(document)
    fields = {p.field for p in refused.value.problems}
    assert fields == {"procedures[1].level", "procedures[1].fee_vnd", "procedures"}


# --- The allowance's arithmetic --------------------------------------------------------------------------------

def a_use(day: date, value: int = 500_000) -> AllowanceUse:
    return AllowanceUse(f"u-{day}-{value}", "citizen-1", "HUU_NGHI", day, value, "border_guard", "guard-1",
                        datetime.combine(day, datetime.min.time(), VIETNAM))


def test_allowance_left_today_and_this_month():
    uses = [a_use(date(2026, 12, 1)), a_use(date(2026, 12, 8), 1_200_000)]
    left = allowance_left(RULE, uses, date(2026, 12, 8))
    assert (left.used_today_vnd, left.left_today_vnd) == (1_200_000, 800_000)
    assert (left.times_this_month, left.times_left_this_month) == (2, 2)


def test_a_new_month_starts_the_times_again_and_a_new_day_the_value():
    november = [a_use(date(2026, 11, d)) for d in (3, 10, 17, 30)]
    assert allowance_left(RULE, november, date(2026, 11, 30)).left_today_vnd == 0  # four times spent
    first = allowance_left(RULE, november, date(2026, 12, 1))
    assert (first.times_this_month, first.left_today_vnd, first.used_today_vnd) == (0, 2_000_000, 0)
    leap = allowance_left(RULE, [a_use(date(2028, 2, 29))], date(2028, 3, 1))
    assert leap.times_left_this_month == 4


def test_the_rule_in_force_is_the_latest_started_version():
    later = replace(RULE, version="v2", in_force_from=date(2027, 1, 1), value_vnd_per_day=3_000_000, confirmed=True)
    assert in_force([RULE, later], date(2026, 12, 31)) is RULE and in_force([RULE, later], date(2027, 1, 1)) is later
    assert in_force([later], date(2026, 1, 1)) is None


# --- Commands on the bus, in memory ----------------------------------------------------------------------------

@pytest.fixture
def gate():
    tables = Tables()
    built = bootstrap(Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                               sweep_seconds=0), clock=FixedClock(NOW), rng=random.Random(17),
                      passwords=CHEAP_PASSWORDS,
                      units=lambda read_only=False: InMemoryUnitOfWork(tables, read_only=read_only))
    with InMemoryUnitOfWork(tables) as uow:
        uow.accounts.add_user(User(RESIDENT.user_id, RESIDENT.username, "Resident", Role.CITIZEN, None, "!"), NOW)
        for point in LANG_SON:
            uow.crossing_points.add(point)
        uow.commit()
    built.tables = tables  # type: ignore[attr-defined]
    return built


def audited(gate) -> list[str]:
    return [type(e).__name__ for e in gate.tables.events]


def test_the_seed_publishes_the_sample_catalogue_and_the_unconfirmed_rule_once_through_the_bus(gate):
    assert seed_public_services(gate) == (75, True) and seed_public_services(gate) == (0, False)
    assert audited(gate) == ["ProceduresPublished", "AllowanceRulePublished"]
    found = search_procedures(gate.reader(), "lam ho chieu")
    assert found.version == "lang-son-2026-sample-1" and found.procedures[0].code == "XC-01"


def test_only_an_administrator_publishes_and_a_version_is_published_once(gate):
    with pytest.raises(Forbidden):
        gate.bus.handle(PublishProcedures(GUARD, sample_catalogue()))
    gate.bus.handle(PublishProcedures(ADMIN, sample_catalogue()))
    with pytest.raises(Conflict, match="published already"):
        gate.bus.handle(PublishProcedures(ADMIN, sample_catalogue()))
    with pytest.raises(Forbidden):
        gate.bus.handle(PublishAllowanceRule(RESIDENT, dict(SEEDED_RULE)))


def test_a_guard_records_uses_within_the_allowance_and_is_refused_beyond_it(gate):
    gate.bus.handle(PublishAllowanceRule(ADMIN, dict(SEEDED_RULE)))
    done = gate.bus.handle(RecordAllowanceUse(GUARD, RESIDENT.username, "TAN_THANH", 1_500_000))
    assert done["left_today_vnd"] == 500_000 and done["times_left_this_month"] == 3
    with pytest.raises(Conflict, match="500,000 VND left today"):
        gate.bus.handle(RecordAllowanceUse(GUARD, RESIDENT.username, "TAN_THANH", 600_000))
    mine = resident_allowance(gate.reader(), RESIDENT, gate.clock)
    assert (mine.left.used_today_vnd, mine.left.times_this_month, len(mine.uses)) == (1_500_000, 1, 1)
    assert audited(gate)[-1] == "AllowanceUseRecorded"


def test_a_use_is_refused_for_a_citizen_who_records_their_own_an_unknown_resident_or_a_bad_value(gate):
    gate.bus.handle(PublishAllowanceRule(ADMIN, dict(SEEDED_RULE)))
    with pytest.raises(Forbidden):
        gate.bus.handle(RecordAllowanceUse(RESIDENT, RESIDENT.username, "TAN_THANH", 100_000))
    with pytest.raises(NotFound, match="no resident"):
        gate.bus.handle(RecordAllowanceUse(GUARD, "nobody", "TAN_THANH", 100_000))
    with pytest.raises(Invalid):
        gate.bus.handle(RecordAllowanceUse(GUARD, RESIDENT.username, "TAN_THANH", 0, source="pigeon"))


# --- The one-stop system over its signed wire ------------------------------------------------------------------

@pytest.fixture
def one_stop():
    clock = FixedClock(NOW)
    return SandboxOneStop(KEY, clock.now), clock


def test_an_application_is_found_by_its_receipt_code_over_the_signed_wire(one_stop):
    sandbox, _ = one_stop
    found = application_status(sandbox.client(), " 000.00.25.h35-261202-0002 ")
    assert found.state is ApplicationState.IN_PROGRESS and found.due_at == NOW + timedelta(days=5)
    assert sandbox.asked == ["000.00.25.H35-261202-0002"]
    overdue = application_status(sandbox.client(), "000.00.25.H35-261125-0005")
    assert overdue.overdue(NOW) and not found.overdue(NOW)


def test_an_unknown_receipt_is_not_found_and_a_malformed_one_is_never_sent(one_stop):
    sandbox, _ = one_stop
    with pytest.raises(NotFound, match="no application with receipt code 000.00.25.H35-999999-0009"):
        application_status(sandbox.client(), "000.00.25.H35-999999-0009")
    with pytest.raises(Invalid):
        application_status(sandbox.client(), "<script>")
    assert sandbox.asked == ["000.00.25.H35-999999-0009"]


def test_the_system_down_or_a_wrong_key_is_unavailable_in_words(one_stop):
    sandbox, _ = one_stop
    with pytest.raises(Unavailable, match="not answering"):
        application_status(sandbox.client(key="another-secret-entirely"), "000.00.25.H35-261201-0001")
    sandbox.down = True
    with pytest.raises(Unavailable, match="try again"):
        application_status(sandbox.client(), "000.00.25.H35-261201-0001")


def test_an_answer_not_signed_by_the_system_is_not_believed(one_stop):
    sandbox, clock = one_stop

    def forged(path, body, headers):
        status, signed, answer = sandbox.answer(path, body, headers)
        changed = json.loads(answer) | {"state": "ready"}
        return status, signed, json.dumps(changed).encode()
    with pytest.raises(Unavailable, match="could not be checked"):
        HttpOneStop(KEY, forged, clock.now).status("000.00.25.H35-261202-0002")

    def unreachable(path, body, headers):
        raise ConnectionRefusedError("connection refused")
    with pytest.raises(Unavailable):
        HttpOneStop(KEY, unreachable, clock.now).status("000.00.25.H35-261202-0002")
