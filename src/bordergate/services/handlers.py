"""The routing table: which handler runs each command, and which follow each event."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bordergate.domain import commands, events, queue_events, session_commands
from bordergate.services import (administration, agencies, alerting, call_forwarding, capacity_admin, declaring,
                                 fees, gate_setup, holds, notifying, plate_control, queueing, retention,
                                 reviews, session_admin)

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    commands.SubmitDeclaration: declaring.submit_declaration,
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
}

# Followers of events (notifications, the queue, agency inboxes) subscribe here as their issues land.
EVENT_HANDLERS: dict[type[events.Event], list[Callable[..., None]]] = {
    queue_events.TruckCheckedIn: [call_forwarding.publish_after_check_in],
}
