"""The routing table: which handler runs each command, and which follow each event."""
from __future__ import annotations

from collections.abc import Callable

from bordergate.domain import commands, events
from bordergate.services import administration, declaring

COMMAND_HANDLERS: dict[type[commands.Command], Callable] = {
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
}

# Followers of events (notifications, the queue, agency inboxes) subscribe here as their issues land.
EVENT_HANDLERS: dict[type[events.Event], list[Callable]] = {}
