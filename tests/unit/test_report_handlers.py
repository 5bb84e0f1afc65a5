"""Citizens' reports driven through the bus in memory: filing, the unit's steps, the reporter's, and who may."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role, User
from bordergate.domain.errors import ChangedMeanwhile, Conflict, Forbidden, Invalid, NotFound
from bordergate.domain.report_states import Party, ReportState
from bordergate.domain.working_days import VIETNAM
from bordergate.services.ports import FixedClock
from bordergate.services.reporting import Filed
from tests.conftest import CHEAP_PASSWORDS

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)
ADMIN = Principal("admin-1", "admin", Role.ADMIN, None)
CITIZEN = Principal("citizen-1", "+84912345678", Role.CITIZEN, None)
OTHER_CITIZEN = Principal("citizen-2", "+84912345679", Role.CITIZEN, None)
ANSWER = "We filled the pothole this morning; thank you for telling us."


class Desk:
    """The province's units registered, and a way to act as each of them."""

    def __init__(self, gate: Gate, tables: Tables) -> None:
        self.gate, self.tables = gate, tables
        self.clock: FixedClock = gate.clock  # type: ignore[assignment]
        self.orgs = {code: self.unit(code, coordinating=code == "TT_PVHCC")
                     for code in ("UBND_X", "STNMT", "TT_PVHCC", "BCH_PCTT", "BQL_CK")}
        with InMemoryUnitOfWork(tables) as uow:  # citizens sign in by phone (to come); their username is it
            for citizen in (CITIZEN, OTHER_CITIZEN):
                uow.accounts.add_user(User(citizen.user_id, citizen.username, "Citizen", Role.CITIZEN, None, "!"),
                                      MONDAY)
            uow.commit()

    def unit(self, code: str, coordinating: bool = False) -> str:
        org = self.gate.bus.handle(commands.RegisterOrganisation(ADMIN, f"Unit {code}", "unit"))
        self.gate.bus.handle(rc.RegisterUnit(ADMIN, code, org, coordinating))
        return org

    def officer(self, unit: str, role: Role = Role.UNIT_OFFICER) -> Principal:
        return Principal(f"{role.value}-{unit}", f"{role.value}-{unit}", role, self.orgs[unit])

    def handle(self, command: object) -> object:
        return self.gate.bus.handle(command)  # type: ignore[arg-type]

    def file(self, actor: Principal | None = CITIZEN, category: str = "road_damage", **place: object) -> Filed:
        where = place or {"lat": 21.85, "lon": 106.76, "commune_code": "X"}
        filed = self.handle(rc.FileReport(actor, category=category, description="A deep pothole mid-road",
                                          **where))  # type: ignore[arg-type]
        assert isinstance(filed, Filed)
        return filed

    def report(self, code: str):  # noqa: ANN201  (the twin's stored Report)
        return self.tables.reports[code]

    def audited(self, code: str) -> list[str]:
        return [type(e).__name__ for e in self.tables.events if e.subject == ("report", code)]


@pytest.fixture
def tables() -> Tables:
    return Tables()


def a_desk(tables: Tables, **settings: object) -> Desk:
    chosen = Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                      public_url="http://gate.test", sweep_seconds=0, **settings)  # type: ignore[arg-type]
    gate = bootstrap(chosen, clock=FixedClock(MONDAY), rng=random.Random(2026), passwords=CHEAP_PASSWORDS,
                     units=lambda read_only=False: InMemoryUnitOfWork(tables, read_only=read_only))
    return Desk(gate, tables)


@pytest.fixture
def desk(tables: Tables) -> Desk:
    return a_desk(tables)


def test_a_signed_in_citizen_files_a_report_and_it_goes_to_the_communes_committee(desk):
    filed = desk.file()
    report = desk.report(filed.tracking_code)
    assert filed.secret is None and filed.tracking_code.startswith("PA-26-") and len(filed.tracking_code) == 13
    assert report.unit_code == "UBND_X" and report.state is ReportState.RECEIVED
    assert report.assignment.answer_due == datetime(2026, 12, 10, 17, tzinfo=VIETNAM)
    assert desk.audited(filed.tracking_code) == ["ReportFiled", "ReportRouted"]


def test_an_anonymous_reporter_gets_a_secret_link_whose_digest_alone_is_kept(desk):
    filed = desk.file(None, lat=None, lon=None, address_text="Km 12, QL1A")
    report = desk.report(filed.tracking_code)
    assert filed.secret and report.reporter_user_id is None and filed.secret not in repr(desk.tables.reports)
    assert report.unit_code == "TT_PVHCC"  # no commune, no committee: the coordinating unit
    desk.handle(rc.WithdrawReport(None, filed.secret, code=filed.tracking_code))
    assert desk.report(filed.tracking_code).state is ReportState.CLOSED


def test_a_wrong_secret_or_another_citizen_cannot_act_on_a_report(desk):
    anonymous, signed = desk.file(None), desk.file()
    with pytest.raises(Forbidden, match="secret link"):
        desk.handle(rc.WithdrawReport(None, "guessed", code=anonymous.tracking_code))
    with pytest.raises(Forbidden):
        desk.handle(rc.WithdrawReport(OTHER_CITIZEN, code=signed.tracking_code))
    with pytest.raises(NotFound):
        desk.handle(rc.WithdrawReport(None, None, code=signed.tracking_code))
    assert desk.report(signed.tracking_code).state is ReportState.RECEIVED


def test_only_citizens_file_signed_in_and_only_the_assigned_units_officers_handle(desk):
    with pytest.raises(Forbidden, match="citizens"):
        desk.file(desk.officer("UBND_X"))
    code = desk.file().tracking_code
    with pytest.raises(Forbidden, match="another unit"):
        desk.handle(rc.AcceptReport(desk.officer("STNMT"), code))
    with pytest.raises(Forbidden, match="officers of the unit"):
        desk.handle(rc.AcceptReport(CITIZEN, code))
    assert desk.audited(code) == ["ReportFiled", "ReportRouted"]


def test_the_unit_accepts_asks_and_answers_and_the_reporter_rates_then_it_is_closed(desk):
    code, officer = desk.file().tracking_code, desk.officer("UBND_X")
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AskReporter(officer, code, "Which side of the road is it on?"))
    desk.clock.advance(hours=24)
    desk.handle(rc.AddInformation(CITIZEN, code=code, text="On the left, going north"))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    desk.handle(rc.RateAnswer(CITIZEN, code=code, stars=5, comment="Quick, thank you"))
    desk.handle(rc.CloseReport(officer, code))
    report = desk.report(code)
    assert report.state is ReportState.CLOSED and report.resolution.value == "fixed"
    assert desk.audited(code) == ["ReportFiled", "ReportRouted", "ReportAccepted", "ReporterAsked",
                                  "ReportInformationAdded", "ReportAnswered", "ReportRated", "ReportClosed"]


def test_the_reporter_reopens_within_the_window_and_not_after(desk):
    code, officer = desk.file().tracking_code, desk.officer("UBND_X")
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    desk.clock.advance(days=6)
    desk.handle(rc.ReopenReport(CITIZEN, code=code, reason="The pothole opened again after rain"))
    assert desk.report(code).state is ReportState.IN_PROGRESS
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    desk.clock.advance(days=7, minutes=1)
    with pytest.raises(Conflict, match="could be reopened until"):
        desk.handle(rc.ReopenReport(CITIZEN, code=code, reason="The pothole opened again after rain"))
    desk.handle(rc.CloseReport(officer, code))  # the window lapsed: the unit may close without a rating
    assert desk.report(code).state is ReportState.CLOSED


def test_a_sent_on_report_is_the_new_units_and_the_fourth_transfer_is_the_coordinators(desk):
    code = desk.file().tracking_code
    for src, dst in (("UBND_X", "STNMT"), ("STNMT", "BQL_CK"), ("BQL_CK", "UBND_X")):
        desk.handle(rc.TransferReport(desk.officer(src), code, dst, "Not ours: belongs to the next unit"))
    with pytest.raises(Forbidden, match="coordinating unit"):
        desk.handle(rc.TransferReport(desk.officer("UBND_X"), code, "STNMT", "Not ours: belongs elsewhere"))
    with pytest.raises(Forbidden, match="another unit"):
        desk.handle(rc.AcceptReport(desk.officer("STNMT"), code))
    desk.handle(rc.TransferReport(desk.officer("TT_PVHCC", Role.UNIT_SUPERVISOR), code, "STNMT",
                                  "The environment office handles waste, decided"))
    assert desk.report(code).unit_code == "STNMT" and desk.report(code).transfer_count == 4


def test_an_urgent_landslide_goes_to_disaster_command_due_in_hours(desk):
    code = desk.file(category="landslide").tracking_code
    report = desk.report(code)
    assert report.unit_code == "BCH_PCTT" and report.assignment.answer_due == MONDAY + timedelta(hours=24)


def test_a_refused_step_leaves_nothing_behind(desk):
    code, officer = desk.file().tracking_code, desk.officer("UBND_X")
    with pytest.raises(Conflict, match="is received"):
        desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    assert desk.report(code).version == 1 and desk.audited(code) == ["ReportFiled", "ReportRouted"]


def test_two_officers_changing_one_report_at_once_do_not_overwrite_each_other(desk, tables):
    code = desk.file().tracking_code
    uow = InMemoryUnitOfWork(tables)
    with uow:
        first, second = uow.reports.get(code), uow.reports.get(code)
        first.accept(by=Party.OFFICER, actor="o1", at=MONDAY)
        uow.reports.save(first, 1)
        second.accept(by=Party.OFFICER, actor="o2", at=MONDAY)
        with pytest.raises(ChangedMeanwhile):
            uow.reports.save(second, 1)



def test_the_answer_deadline_and_the_reopen_window_are_the_sites_settings(tables):
    desk = a_desk(tables, report_answer_working_days=5, report_reopen_days=1)
    code, officer = desk.file().tracking_code, desk.officer("UBND_X")
    assert desk.report(code).assignment.answer_due == datetime(2026, 12, 14, 17, tzinfo=VIETNAM)
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    desk.clock.advance(days=1, minutes=1)
    with pytest.raises(Conflict, match=r"\(1 days after its answer\)"):
        desk.handle(rc.ReopenReport(CITIZEN, code=code, reason="The pothole opened again after rain"))


def test_the_sweep_closes_answered_reports_once_their_reopen_window_lapsed(desk):
    officer = desk.officer("UBND_X")
    old, recent = desk.file().tracking_code, desk.file().tracking_code
    desk.handle(rc.AcceptReport(officer, old))
    desk.handle(rc.AnswerReport(officer, old, ANSWER, "fixed"))
    desk.clock.advance(days=5)
    desk.handle(rc.AcceptReport(officer, recent))
    desk.handle(rc.AnswerReport(officer, recent, ANSWER, "explained"))
    desk.clock.advance(days=2, minutes=1)
    assert desk.handle(rc.SweepReportDeadlines(ADMIN)) == 1
    assert (desk.report(old).state, desk.report(recent).state) == (ReportState.CLOSED, ReportState.ANSWERED)
    closed = [e for e in desk.tables.events if type(e).__name__ == "ReportClosed"]
    assert [(e.code, e.by, e.resolution) for e in closed] == [(old, "system", "fixed")]
    assert desk.handle(rc.SweepReportDeadlines(ADMIN)) == 0


def test_the_reporter_is_told_by_sms_when_received_asked_and_answered_and_never_without_a_phone(desk):
    officer = desk.officer("UBND_X")
    code = desk.file().tracking_code
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AskReporter(officer, code, "Which side of the road is it on?"))
    desk.clock.advance(days=8)
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    told = [(n["kind"], n["phone"]) for n in desk.tables.notices if n["reference"] == code]
    assert told == [("report_received", CITIZEN.username), ("report_asked", CITIZEN.username),
                    ("report_answered", CITIZEN.username)]
    texts = [n["text"] for n in desk.tables.notices if n["reference"] == code]
    assert "hạn trả lời 17:00 10/12" in texts[0] and "Which side of the road" in texts[1] and "7 ngày" in texts[2]
    anonymous = desk.file(None).tracking_code  # no phone given: nothing to queue, the page shows the steps
    given = desk.handle(rc.FileReport(None, category="traffic", description="A long jam at the crossroads",
                                      commune_code="X", contact_phone="+84913000222")).tracking_code
    assert [n["phone"] for n in desk.tables.notices if n["reference"] in (anonymous, given)] == ["+84913000222"]


def test_the_sweep_flags_a_report_near_its_deadline_and_overdue_once_each(desk):
    code = desk.file().tracking_code  # Monday 09:00; accept due Tuesday 17:00
    desk.clock.advance(hours=28)  # Tuesday 13:00
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    desk.clock.advance(hours=5)  # Tuesday 18:00
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    assert desk.audited(code) == ["ReportFiled", "ReportRouted", "ReportNearDeadline", "ReportOverdue"]
    assert desk.report(code).assignment.overdue_stage == "accept"


def test_a_unit_code_is_capitals_digits_and_underscores_and_names_an_organisation(desk):
    with pytest.raises(Invalid):
        desk.handle(rc.RegisterUnit(ADMIN, "ubnd x", desk.orgs["STNMT"]))
    with pytest.raises(NotFound):
        desk.handle(rc.RegisterUnit(ADMIN, "UBND_Y", "no-such-organisation"))
    with pytest.raises(Conflict, match="exists already"):
        desk.handle(rc.RegisterUnit(ADMIN, "STNMT", desk.orgs["STNMT"]))


def test_the_report_page_shows_the_public_its_steps_and_a_rounded_place_and_the_unit_everything(desk):
    from bordergate.services.report_views import report_page
    officer = desk.officer("UBND_X")
    code = desk.file(lat=21.853147, lon=106.761283, commune_code="X").tracking_code
    desk.clock.advance(hours=33)  # past the accept deadline: flagged overdue for the unit
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    units = lambda: InMemoryUnitOfWork(desk.tables, read_only=True)  # noqa: E731
    public = report_page(units(), code, locale="en")
    assert public["reader"] == "public" and (public["lat"], public["lon"]) == (21.8531, 106.7613)
    assert [s["action"] for s in public["steps"]] == ["ReportFiled", "ReportRouted", "ReportAccepted",
                                                      "ReportAnswered"]
    assert public["steps"][-1]["sentence"] == f"UBND_X answered (fixed): {ANSWER}"
    unit = report_page(units(), code, viewer=officer, locale="en")
    assert unit["reader"] == "unit" and unit["lat"] == 21.853147
    assert "ReportOverdue" in [s["action"] for s in unit["steps"]]
    assert report_page(units(), code, viewer=CITIZEN)["reader"] == "reporter"


def test_a_tip_is_not_found_by_the_public_but_its_reporter_follows_it_by_the_secret_link(desk):
    from bordergate.services.report_views import report_page
    police = desk.unit("CA_TINH")
    tip = desk.file(None, category="smuggling_tip")
    units = lambda: InMemoryUnitOfWork(desk.tables, read_only=True)  # noqa: E731
    with pytest.raises(NotFound):
        report_page(units(), tip.tracking_code)
    with pytest.raises(NotFound):
        report_page(units(), tip.tracking_code, secret="guessed")
    assert report_page(units(), tip.tracking_code, secret=tip.secret)["reader"] == "reporter"
    officer = Principal("o-police", "o-police", Role.UNIT_OFFICER, police)
    assert report_page(units(), tip.tracking_code, viewer=officer)["reader"] == "unit"


def test_a_report_keeps_its_categorys_answers_and_a_wrong_one_files_nothing(desk):
    filed = desk.handle(rc.FileReport(CITIZEN, category="truck_queue", description="Trucks queue to Km 9 since dawn",
                                      commune_code="X", attributes={"crossing_point": "HUU_NGHI"}))
    assert desk.report(filed.tracking_code).attributes == {"crossing_point": "HUU_NGHI"}
    with pytest.raises(Invalid):
        desk.handle(rc.FileReport(CITIZEN, category="truck_queue", description="Trucks queue to Km 9 since dawn",
                                  commune_code="X", attributes={"crossing_point": "ATLANTIS"}))
    assert len(desk.tables.reports) == 1


def test_a_citizen_follows_a_report_instead_of_filing_it_again_and_is_told_when_it_is_answered(desk):
    officer = desk.officer("UBND_X")
    code = desk.file().tracking_code
    assert desk.handle(rc.FollowReport(OTHER_CITIZEN, code)) is True
    assert desk.handle(rc.FollowReport(OTHER_CITIZEN, code)) is False  # once is enough, and nothing recorded
    with pytest.raises(Conflict, match="you filed"):
        desk.handle(rc.FollowReport(CITIZEN, code))
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    answered = [n["phone"] for n in desk.tables.notices if n["reference"] == code and n["kind"] == "report_answered"]
    assert answered == [CITIZEN.username, OTHER_CITIZEN.username]
    desk.handle(rc.UnfollowReport(OTHER_CITIZEN, code))
    assert desk.audited(code).count("ReportFollowed") == 1 and desk.audited(code)[-1] == "ReportUnfollowed"


def test_a_tip_cannot_be_followed_by_anyone_else(desk):
    desk.unit("CA_TINH")
    tip = desk.file(None, category="smuggling_tip").tracking_code
    with pytest.raises(NotFound):
        desk.handle(rc.FollowReport(OTHER_CITIZEN, tip))


def test_an_officer_links_a_duplicate_and_its_reporter_and_followers_follow_the_original(desk):
    officer = desk.officer("UBND_X")
    original = desk.file(OTHER_CITIZEN).tracking_code
    duplicate = desk.file().tracking_code
    with pytest.raises(Forbidden, match="either report's unit"):
        desk.handle(rc.LinkDuplicate(desk.officer("STNMT"), duplicate, original))
    desk.handle(rc.LinkDuplicate(officer, duplicate, original))
    report = desk.report(duplicate)
    assert (report.state, report.resolution.value, report.duplicate_of) == (ReportState.CLOSED, "duplicate", original)
    assert [(e.original, e.moved_followers) for e in desk.tables.events
            if type(e).__name__ == "ReportLinkedAsDuplicate"] == [(original, 1)]
    desk.handle(rc.AcceptReport(officer, original))
    desk.handle(rc.AnswerReport(officer, original, ANSWER, "fixed"))
    told = [n["phone"] for n in desk.tables.notices if n["reference"] == original and n["kind"] == "report_answered"]
    assert told == [OTHER_CITIZEN.username, CITIZEN.username]


def test_before_filing_the_citizen_is_offered_the_reports_nearby_to_follow_instead(desk):
    from bordergate.services.report_views import nearby_reports
    code = desk.file(lat=21.85, lon=106.76, commune_code="X").tracking_code
    desk.unit("CA_TINH")
    desk.file(None, category="smuggling_tip", lat=21.85, lon=106.76)
    units = lambda: InMemoryUnitOfWork(desk.tables, read_only=True)  # noqa: E731
    found = nearby_reports(units(), "road_damage", 21.8502, 106.76, MONDAY, locale="en")
    assert [(f["code"], f["metres"], f["state"]) for f in found] == [(code, 22, "Received")]
    assert nearby_reports(units(), "smuggling_tip", 21.85, 106.76, MONDAY) == []


def test_a_hidden_report_keeps_its_progress_but_the_public_cannot_find_or_follow_it(desk):
    from bordergate.services.report_views import report_page
    officer = desk.officer("UBND_X")
    code = desk.file().tracking_code
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.HideReport(officer, code, "The text names a neighbour"))
    units = lambda: InMemoryUnitOfWork(desk.tables, read_only=True)  # noqa: E731
    with pytest.raises(NotFound):
        report_page(units(), code)
    with pytest.raises(NotFound):
        desk.handle(rc.FollowReport(OTHER_CITIZEN, code))
    assert report_page(units(), code, viewer=CITIZEN)["state"]["code"] == "in_progress"
    with pytest.raises(Conflict, match="hidden already"):
        desk.handle(rc.HideReport(officer, code, "The text names a neighbour"))
    desk.handle(rc.ShowReport(officer, code, "The neighbour's name was removed"))
    public = report_page(units(), code, locale="en")
    assert "ReportHidden" not in [s["action"] for s in public["steps"]]  # the reasons are the unit's
    assert desk.audited(code)[-2:] == ["ReportHidden", "ReportShown"]


def test_spam_is_closed_as_spam_and_hidden_from_the_public(desk):
    from bordergate.services.report_views import report_page
    code = desk.file().tracking_code
    desk.handle(rc.MarkSpam(desk.officer("UBND_X"), code, "Advertising for a garage, not a problem"))
    report = desk.report(code)
    assert (report.state, report.resolution.value, report.public) == (ReportState.CLOSED, "spam", False)
    with pytest.raises(NotFound):
        report_page(InMemoryUnitOfWork(desk.tables, read_only=True), code)


def test_a_commune_whose_committee_is_not_registered_yet_goes_to_the_coordinating_unit(desk):
    code = desk.file(commune_code="Y").tracking_code  # UBND_Y is in the table, not among the units
    assert desk.report(code).unit_code == "TT_PVHCC"
    routed = [e for e in desk.tables.events if type(e).__name__ == "ReportRouted" and e.code == code]
    assert [(e.unit, e.rule_index) for e in routed] == [("TT_PVHCC", -2)]


def test_a_contact_phone_is_kept_in_e164_and_a_bad_one_files_nothing(desk):
    filed = desk.handle(rc.FileReport(None, category="traffic", description="A long jam at the crossroads",
                                      commune_code="X", contact_phone="0913 000 222"))
    assert desk.report(filed.tracking_code).contact_phone == "+84913000222"
    with pytest.raises(Invalid):
        desk.handle(rc.FileReport(None, category="traffic", description="A long jam at the crossroads",
                                  commune_code="X", contact_phone="call me"))
    assert len(desk.tables.reports) == 1


def test_with_no_unit_registered_a_report_is_refused_in_words(tables):
    desk = a_desk(tables)
    tables.units.clear()
    with pytest.raises(Conflict, match="no unit is registered"):
        desk.file()
