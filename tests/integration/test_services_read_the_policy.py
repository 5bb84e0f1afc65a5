"""The services refuse whom the policy refuses, with no route in front of them: every command that carries a person,
sent straight to the bus by each role its ability leaves out, is refused in the ability's words and writes nothing.

The person is given the trip's enterprise and organisation, so only the role can refuse them. The table below says
which ability each command needs; a new command without a line fails the last test, as a route without a rule
stops the app. SQLite only: who may is decided before any SQL that differs between the databases.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from bordergate.domain import access, commands, report_commands, session_commands
from bordergate.domain import open311_commands
from bordergate.domain import service_commands
from bordergate.domain import civic_events
from bordergate.domain.access import Ability
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.errors import Forbidden
from tests.conftest import NOW
from tests.integration.queue_helpers import POINT
from tests.support.everything import Everything, a_gate_with_one_of_everything
from tests.support.snapshots import restorable

Build = Callable[[Principal, dict[str, str]], object]
C, S, R = commands, session_commands, report_commands
O = open311_commands
V = service_commands
REPORT = "PA-26-0000000"

NEEDS: dict[type, tuple[Ability, Build]] = {
    C.SubmitDeclaration: (access.DECLARE, lambda a, i: C.SubmitDeclaration(a, i["enterprise_id"], {})),
    C.SubmitDeclarationAnswered: (access.DECLARE,
                                  lambda a, i: C.SubmitDeclarationAnswered(a, i["enterprise_id"], {})),
    C.AmendDeclaration: (access.DECLARE, lambda a, i: C.AmendDeclaration(a, i["reference"], {"driver.phone": "+84"})),
    C.CancelDeclaration: (access.DECLARE, lambda a, i: C.CancelDeclaration(a, i["reference"])),
    C.SaveVehicle: (access.DECLARE, lambda a, i: C.SaveVehicle(a, i["enterprise_id"])),
    C.SaveDriver: (access.DECLARE, lambda a, i: C.SaveDriver(a, i["enterprise_id"])),
    C.BookCrossing: (access.DECLARE, lambda a, i: C.BookCrossing(a, i["reference"], "live")),
    C.CancelBooking: (access.DECLARE, lambda a, i: C.CancelBooking(a, i["reference"])),
    C.AnswerAgencyHold: (access.DECLARE, lambda a, i: C.AnswerAgencyHold(a, i["reference"], "customs", "sent")),
    C.StartPayment: (access.DECLARE, lambda a, i: C.StartPayment(a, i["reference"])),
    C.AuthoriseAgent: (access.CHOOSE_AGENTS, lambda a, i: C.AuthoriseAgent(a, i["enterprise_id"], i["agency_id"])),
    C.RevokeAgent: (access.CHOOSE_AGENTS, lambda a, i: C.RevokeAgent(a, i["enterprise_id"], i["agency_id"])),
    C.SetContactPhone: (access.GIVE_CONTACT_PHONE,
                        lambda a, i: C.SetContactPhone(a, i["enterprise_id"], "+84913000222")),
    C.RegisterOrganisation: (access.ADMINISTER, lambda a, i: C.RegisterOrganisation(a, "Vận tải Mới", "enterprise")),
    C.CreateUser: (access.ADMINISTER, lambda a, i: C.CreateUser(a, "newcomer", "a-long-password", "Newcomer",
                                                                "declarant", i["enterprise_id"])),
    C.AddCrossingPoint: (access.ADMINISTER, lambda a, i: C.AddCrossingPoint(a, "NEW_POINT", "New point")),
    C.ErasePersonalData: (access.ADMINISTER, lambda a, i: C.ErasePersonalData(a)),
    S.RevokeSessions: (access.ADMINISTER, lambda a, i: S.RevokeSessions(a, i["user_id"])),
    S.RevokeAllSessions: (access.ADMINISTER, lambda a, i: S.RevokeAllSessions(a)),
    S.DeactivateUser: (access.ADMINISTER, lambda a, i: S.DeactivateUser(a, i["user_id"])),
    C.AddCheckpoint: (access.RUN_THE_GATE, lambda a, i: C.AddCheckpoint(a, POINT, "inspection", "inbound", "Bay 9")),
    C.RegisterCamera: (access.RUN_THE_GATE, lambda a, i: C.RegisterCamera(a, i["checkpoint_id"], "Camera 9")),
    C.IssueCameraKey: (access.RUN_THE_GATE, lambda a, i: C.IssueCameraKey(a, i["camera_id"])),
    C.RevokeCamera: (access.RUN_THE_GATE, lambda a, i: C.RevokeCamera(a, i["camera_id"])),
    C.EnterPlate: (access.RUN_THE_GATE, lambda a, i: C.EnterPlate(a, i["checkpoint_id"], "29C-111.11")),
    C.ResolveReview: (access.RUN_THE_GATE, lambda a, i: C.ResolveReview(a, i["read_id"], dismiss=True)),
    C.ResolveAlert: (access.RUN_THE_GATE, lambda a, i: C.ResolveAlert(a, i["alert_id"], "seen")),
    C.SweepGate: (access.RUN_THE_GATE, lambda a, i: C.SweepGate(a)),
    C.RunCallForward: (access.RUN_THE_GATE, lambda a, i: C.RunCallForward(a)),
    C.CheckIn: (access.RUN_THE_GATE, lambda a, i: C.CheckIn(a, i["reference"])),
    C.SetPriority: (access.RUN_THE_GATE, lambda a, i: C.SetPriority(a, i["reference"], "perishable")),
    C.SetCapacityPlan: (access.RUN_THE_GATE, lambda a, i: C.SetCapacityPlan(a, POINT, "inbound", (2,) * 24)),
    C.ChangeCapacity: (access.RUN_THE_GATE, lambda a, i: C.ChangeCapacity(a, POINT, "inbound", NOW,
                                                                          NOW + timedelta(hours=1), 1, "rain")),
    C.SetDayLimit: (access.RUN_THE_GATE, lambda a, i: C.SetDayLimit(a, POINT, "inbound", date(2026, 11, 28), 9)),
    C.IssueRegulationOrder: (access.REGULATE, lambda a, i: C.IssueRegulationOrder(a, POINT, "Km 18", "Wait")),
    C.LiftRegulationOrder: (access.REGULATE, lambda a, i: C.LiftRegulationOrder(a, i["order_id"])),
    C.PlaceHold: (access.HOLD_TRUCKS, lambda a, i: C.PlaceHold(a, i["reference"], "papers")),
    C.LiftHold: (access.HOLD_TRUCKS, lambda a, i: C.LiftHold(a, i["hold_id"])),
    C.RecordAgencyDecision: (access.ACT_FOR_AN_AGENCY,
                             lambda a, i: C.RecordAgencyDecision(a, i["reference"], "customs", "release")),
    C.RerouteChannel: (access.ROUTE_CHANNELS, lambda a, i: C.RerouteChannel(a, i["reference"], "red", "a tip")),
    C.PublishTariff: (access.COLLECT_FEES, lambda a, i: C.PublishTariff(a, {})),
    C.RecordCashPayment: (access.COLLECT_FEES, lambda a, i: C.RecordCashPayment(a, i["reference"], 1000)),
    R.FileReport: (access.FILE_REPORTS, lambda a, i: R.FileReport(a, category="traffic", description="A long jam")),
    R.AddInformation: (access.FILE_REPORTS, lambda a, i: R.AddInformation(a, code=REPORT, text="more")),
    R.RateAnswer: (access.FILE_REPORTS, lambda a, i: R.RateAnswer(a, code=REPORT, stars=5)),
    R.ReopenReport: (access.FILE_REPORTS, lambda a, i: R.ReopenReport(a, code=REPORT, reason="still broken")),
    R.WithdrawReport: (access.FILE_REPORTS, lambda a, i: R.WithdrawReport(a, code=REPORT)),
    R.RegisterUnit: (access.ADMINISTER, lambda a, i: R.RegisterUnit(a, "UBND_X", i["enterprise_id"])),
    R.AcceptReport: (access.HANDLE_REPORTS, lambda a, i: R.AcceptReport(a, REPORT)),
    R.TransferReport: (access.HANDLE_REPORTS, lambda a, i: R.TransferReport(a, REPORT, "STNMT", "not ours here")),
    R.AskReporter: (access.HANDLE_REPORTS, lambda a, i: R.AskReporter(a, REPORT, "Where is it exactly?")),
    R.AnswerReport: (access.HANDLE_REPORTS, lambda a, i: R.AnswerReport(a, REPORT, "Fixed it this morning", "fixed")),
    R.CloseReport: (access.HANDLE_REPORTS, lambda a, i: R.CloseReport(a, REPORT)),
    R.SweepReportDeadlines: (access.ADMINISTER, lambda a, i: R.SweepReportDeadlines(a)),
    R.LinkDuplicate: (access.HANDLE_REPORTS, lambda a, i: R.LinkDuplicate(a, REPORT, "PA-26-1111111")),
    R.MarkSpam: (access.HANDLE_REPORTS, lambda a, i: R.MarkSpam(a, REPORT, "advertising, not a problem")),
    R.HideReport: (access.HANDLE_REPORTS, lambda a, i: R.HideReport(a, REPORT, "personal data in it")),
    R.ShowReport: (access.HANDLE_REPORTS, lambda a, i: R.ShowReport(a, REPORT, "checked again, fine")),
    R.FollowReport: (access.FILE_REPORTS, lambda a, i: R.FollowReport(a, REPORT)),
    R.UnfollowReport: (access.FILE_REPORTS, lambda a, i: R.UnfollowReport(a, REPORT)),
    O.RegisterOpen311Client: (access.ADMINISTER, lambda a, i: O.RegisterOpen311Client(a, "A portal", "trusted")),
    O.RevokeOpen311Client: (access.ADMINISTER, lambda a, i: O.RevokeOpen311Client(a, "no-such-client")),
    R.SetUnitPhone: (access.HANDLE_REPORTS, lambda a, i: R.SetUnitPhone(a, "+84912000111")),
    R.LinkReportToTrip: (access.HANDLE_REPORTS, lambda a, i: R.LinkReportToTrip(a, REPORT, i["reference"])),
    # Public services (issue 17).
    V.PublishProcedures: (access.ADMINISTER, lambda a, i: V.PublishProcedures(a, {"version": "x"})),
    V.PublishAllowanceRule: (access.ADMINISTER, lambda a, i: V.PublishAllowanceRule(a, {"version": "x"})),
    V.RecordAllowanceUse: (access.RECORD_ALLOWANCE_USES,
                           lambda a, i: V.RecordAllowanceUse(a, "citizen", "HUU_NGHI", 100_000)),
    civic_events.PublishCivicDocument: (access.ADMINISTER, lambda a, i: civic_events.PublishCivicDocument(
        a, "communes", {"communes": [{"code": "X", "name": "Xã X", "kind": "xa", "valid_from": "2025-07-01"}]})),
    R.SendQuestionnaires: (access.ADMINISTER, lambda a, i: R.SendQuestionnaires(a)),
    R.AnswerQuestionnaire: (access.FILE_REPORTS, lambda a, i: R.AnswerQuestionnaire(a, "t0ken", code=REPORT,
                                                                                    fixed="yes")),
}
# Commands that carry a person but need no ability beyond being that person, and why.
ANYONE_SIGNED_IN = {
    S.SignOut: "everyone ends their own session",
    S.ChangePassword: "everyone changes their own password (the current one proves it)",
    C.DeliverNotices: "the gate's own timer sends due SMS notices; no route sends it (cli and app use SYSTEM)",
    O.PostServiceRequest: "an Open311 client's request: nobody signs in (actor None), the handler checks its api_key",
}


@pytest.fixture(scope="module")
def seeded(sqlite_template, tmp_path_factory) -> Iterator[tuple[Everything, Callable[[], None]]]:
    world = a_gate_with_one_of_everything(sqlite_template, tmp_path_factory.mktemp("policy"))
    with restorable(world.gate) as reset:
        yield world, reset
    world.gate.engine.dispose()


@pytest.fixture
def everything(seeded) -> Everything:
    """The same world for every refusal (a booking attempt is counted even when refused: bots are slowed first)."""
    world, reset = seeded
    reset()
    return world


def written(everything: Everything) -> int:
    with everything.gate.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()


@pytest.mark.parametrize("kind", list(NEEDS), ids=lambda kind: kind.__name__)
def test_a_command_sent_by_a_role_its_ability_leaves_out_is_refused_in_its_words(everything, kind):
    ability, build = NEEDS[kind]
    enterprise = everything.ids["enterprise_id"]
    before, wrong = written(everything), []
    for role in (r for r in Role if not ability.allows(r)):
        # Everything but the role would let them: the trip's enterprise is theirs, and so is their organisation.
        person = Principal(f"{role.value}-x", role.value, role, enterprise, frozenset({enterprise}))
        try:
            everything.gate.bus.handle(build(person, everything.ids))
            wrong.append(f"{role.value}: done")
        except Forbidden as refused:
            if refused.detail != ability.refusal:
                wrong.append(f"{role.value}: {refused.detail}")
        except Exception as exc:  # noqa: BLE001 - any other answer means the role was not what refused them
            wrong.append(f"{role.value}: {type(exc).__name__} {exc}")
    assert wrong == [], f"{kind.__name__} needs {ability.name}"
    assert written(everything) == before

def test_every_command_that_carries_a_person_says_what_it_needs():
    carrying = {k for module in (commands, session_commands, report_commands, open311_commands,
                                 service_commands)
                for k in vars(module).values()
                if isinstance(k, type) and dataclasses.is_dataclass(k) and k.__name__ != "Command"
                and k.__name__ != "ReporterMessage" and "actor" in {f.name for f in dataclasses.fields(k)}}
    assert carrying - set(NEEDS) - set(ANYONE_SIGNED_IN) == set()
    assert set(NEEDS) & set(ANYONE_SIGNED_IN) == set()
