"""The routing table: which handler runs each command, and what follows each event, inside or after its commit.

Read this file to learn everything a command sets off. The rule (docs/events.md, "What follows what"):

- A follower that must share the transaction (a declaration's agency checks and fee, a cancelled trip's booking
  given back and its refund, an agency's hold told to the declarant) is listed in ``IN_TRANSACTION``. The unit of
  work runs it when it commits, before the audit append, right after the event it follows: the follower's own
  events are followed in turn and reach the audit trail in the same commit, in the order they happened. A
  follower that fails rolls the whole command back: nothing of it is written.
- A follower that may run after the commit is in ``EVENT_HANDLERS``: the message bus calls it with a fresh unit
  of work once the change is committed; if it fails, the change stands and the failure is logged. SMS and other
  notices are never sent inside a transaction: a follower queues them in the notice outbox (in the transaction),
  and ``DeliverNotices`` sends them after.
- Services do not call each other to make things follow. A use case changes its own aggregate and records what
  happened; what else that causes is a row here. (A service may still *ask* another one a question, and a
  command's own steps stay in its handler.) The direct calls still left, a plate read's alerts, queue and yard
  parking among them, are listed with their reasons in docs/events.md.

A follower is a plain function ``(event, uow, **dependencies) -> None``; bootstrap injects the dependencies it
names (``ids``, ``clock``, ``rules``, ``agencies``, ``jurisdiction``, ``payments``...) as it does for handlers.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bordergate.domain import (clearance_events, commands, events, queue_events, report_commands, report_events,
                               session_commands)
from bordergate.domain import open311_commands
from bordergate.services import open311
from bordergate.domain import service_commands
from bordergate.services import public_services
from bordergate.services import report_filing
from bordergate.services import (administration, agencies, agency_checks, alerting, call_forwarding, capacity_admin,
                                 declaring, fees, fleet, gate_setup, holds, notifying, plate_control, queueing,
                                 report_deadlines, report_handling, report_notices, reporting, retention, reviews,
                                 session_admin)
from bordergate.services import report_escalation
from bordergate.domain import citizen_events
from bordergate.services import citizen_sign_in
from bordergate.domain import civic_events
from bordergate.services import civic_data
from bordergate.services import questionnaires

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    commands.SubmitDeclaration: declaring.submit_declaration,
    commands.SubmitDeclarationAnswered: declaring.submit_declaration_answered,
    commands.AmendDeclaration: declaring.amend_declaration,
    commands.CancelDeclaration: declaring.cancel_declaration,
    commands.SaveVehicle: declaring.save_vehicle,
    commands.SaveDriver: declaring.save_driver,
    commands.RegisterOrganisation: administration.register_organisation,
    commands.CreateUser: administration.create_user,
    commands.AuthoriseAgent: administration.authorise_agent,
    commands.RevokeAgent: administration.revoke_agent,
    commands.AddCrossingPoint: administration.add_crossing_point,
    session_commands.SignOut: session_admin.sign_out,
    session_commands.ChangePassword: session_admin.change_password,
    session_commands.RevokeSessions: session_admin.revoke_sessions,
    session_commands.RevokeAllSessions: session_admin.revoke_all_sessions,
    session_commands.DeactivateUser: session_admin.deactivate_user,
    commands.AddCheckpoint: gate_setup.add_checkpoint,
    commands.RegisterCamera: gate_setup.register_camera,
    commands.IssueCameraKey: gate_setup.issue_camera_key,
    commands.RevokeCamera: gate_setup.revoke_camera,
    commands.RecordCameraRead: plate_control.record_camera_read,
    commands.ReportHeartbeat: plate_control.report_heartbeat,
    commands.EnterPlate: plate_control.enter_plate,
    commands.ResolveReview: reviews.resolve_review,
    commands.ResolveAlert: alerting.resolve_alert,
    commands.SweepGate: alerting.sweep_gate,
    commands.PlaceHold: holds.place_hold,
    commands.LiftHold: holds.lift_hold,
    commands.BookCrossing: queueing.book_crossing,
    commands.CancelBooking: queueing.cancel_booking,
    commands.CheckIn: queueing.check_in,
    commands.SetPriority: queueing.set_priority,
    commands.SetCapacityPlan: capacity_admin.set_capacity_plan,
    commands.ChangeCapacity: capacity_admin.change_capacity,
    commands.SetDayLimit: capacity_admin.set_day_limit,
    commands.IssueRegulationOrder: capacity_admin.issue_regulation_order,
    commands.LiftRegulationOrder: capacity_admin.lift_regulation_order,
    commands.RunCallForward: call_forwarding.run_call_forward,
    commands.DeliverNotices: notifying.deliver_notices,
    commands.RecordAgencyDecision: agencies.record_decision,
    commands.RerouteChannel: agencies.reroute_channel,
    commands.AnswerAgencyHold: agencies.answer_hold,
    commands.ApplySystemMessage: agencies.apply_system_message,
    commands.PublishTariff: fees.publish_tariff,
    commands.StartPayment: fees.start_payment,
    commands.ConfirmPayment: fees.confirm_payment,
    commands.RecordCashPayment: fees.record_cash,
    commands.ErasePersonalData: retention.erase_personal_data,
    commands.SetContactPhone: administration.set_contact_phone,
    # Citizens' reports (issue 17): the reporter's steps, then the handling unit's.
    report_commands.FileReport: reporting.file_report,
    report_commands.AddInformation: reporting.add_information,
    report_commands.RateAnswer: reporting.rate_answer,
    report_commands.ReopenReport: reporting.reopen_report,
    report_commands.WithdrawReport: reporting.withdraw_report,
    report_commands.FollowReport: reporting.follow_report,
    report_commands.UnfollowReport: reporting.unfollow_report,
    report_commands.RegisterUnit: report_handling.register_unit,
    report_commands.AcceptReport: report_handling.accept_report,
    report_commands.TransferReport: report_handling.transfer_report,
    report_commands.AskReporter: report_handling.ask_reporter,
    report_commands.AnswerReport: report_handling.answer_report,
    report_commands.CloseReport: report_handling.close_report,
    report_commands.LinkDuplicate: report_handling.link_duplicate,
    report_commands.HideReport: report_handling.hide_report,
    report_commands.MarkSpam: report_handling.mark_spam,
    report_commands.ShowReport: report_handling.show_report,
    report_commands.SweepReportDeadlines: report_deadlines.sweep_report_deadlines,
    # Open311 GeoReport v2 (issue 17): administrators register clients; clients post requests (filed as reports).
    open311_commands.RegisterOpen311Client: open311.register_client,
    open311_commands.RevokeOpen311Client: open311.revoke_client,
    open311_commands.PostServiceRequest: open311.post_service_request,
    report_commands.SetUnitPhone: report_escalation.set_unit_phone,
    report_commands.LinkReportToTrip: report_escalation.link_report_to_trip,
    # Citizens signing in (issue 17): by a code sent to their phone, or by VNeID.
    citizen_events.RequestSignInCode: citizen_sign_in.request_sign_in_code,
    citizen_events.ConfirmSignInCode: citizen_sign_in.confirm_sign_in_code,
    citizen_events.FinishVneidSignIn: citizen_sign_in.finish_vneid_sign_in,
    # Public services (issue 17): the catalogue and the allowance published; a resident's use recorded.
    service_commands.PublishProcedures: public_services.publish_procedures,
    service_commands.PublishAllowanceRule: public_services.publish_allowance_rule,
    service_commands.RecordAllowanceUse: public_services.record_allowance_use,
    civic_events.PublishCivicDocument: civic_data.publish_civic_document,
    report_commands.SendQuestionnaires: questionnaires.send_questionnaires,
    report_commands.AnswerQuestionnaire: questionnaires.answer_questionnaire,
}

# Followers that share the event's transaction, run by UnitOfWork.commit in this order.
# docs/events.md lists them too (tests/unit/test_followers_documented.py keeps both the same).
IN_TRANSACTION: dict[type[events.Event], list[Callable[..., None]]] = {
    # SubmitDeclaration (each trip, and the empty way back): its agencies' checks and channel, then its fee.
    # (The handler itself saves the vehicle and driver, FleetEntrySaved, and links a way back, TripsLinked.)
    events.DeclarationSubmitted: [agency_checks.open_for_declared, fees.assess_declared],
    # AmendDeclaration, AnswerAgencyHold with corrections: checks derived again, the fee again, the driver kept.
    events.DeclarationAmended: [agency_checks.follow_amendment, fees.reassess_amended, fleet.keep_corrected_driver,
                                notifying.readdress_notices],
    # CancelDeclaration: the place in the queue given up, an unused fee refunded.
    events.DeclarationCancelled: [queueing.release_cancelled, fees.refund_cancelled],
    # RecordAgencyDecision (a hold), PlaceHold: the declarant told, by a notice queued in the outbox.
    clearance_events.AgencyActed: [notifying.tell_of_agency_hold],
    events.HoldPlaced: [notifying.tell_of_gate_hold],
    # Citizens' reports: the reporter told at the steps that need them, by a notice queued in the outbox.
    report_events.ReportFiled: [report_notices.tell_filed, report_escalation.tell_urgent],
    report_events.ReporterAsked: [report_notices.tell_asked],
    report_events.ReportAnswered: [report_notices.tell_answered],
    # The sweep's overdue flags and escalations: the unit's supervisors, then the coordinating unit's, by SMS.
    report_events.ReportOverdue: [report_escalation.tell_overdue],
    report_events.ReportEscalated: [report_escalation.tell_escalated],
    # MarkSpam: the reporter's standing lowered (daily cap halved; three marks suspend filing).
    report_events.ReportMarkedSpam: [report_filing.lower_standing],
}

# Followers after the commit, run by the message bus; each gets a fresh unit of work.
EVENT_HANDLERS: dict[type[events.Event], list[Callable[..., None]]] = {
    queue_events.TruckCheckedIn: [call_forwarding.publish_after_check_in],
}
