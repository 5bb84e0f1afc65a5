"""The message bus: each command goes to its one handler; events that follow go to their subscribers."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog

from bordergate.domain.citizen_events import CitizenMessage
from bordergate.domain.commands import CameraMessage, Command
from bordergate.domain.events import Event
from bordergate.domain.report_commands import ReporterMessage
from bordergate.services.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)


class MessageBus:
    """Routes commands and events to handlers whose dependencies were injected by bootstrap."""

    def __init__(self, uow: Callable[[], UnitOfWork],
                 command_handlers: dict[type[Command | CameraMessage | ReporterMessage | CitizenMessage],
                                        Callable[..., Any]],
                 event_handlers: dict[type[Event], list[Callable[..., None]]]) -> None:
        self.uow = uow
        self.command_handlers = command_handlers
        self.event_handlers = event_handlers

    def handle(self, command: Command | CameraMessage | ReporterMessage | CitizenMessage) -> Any:
        """Run the command's handler in a fresh unit of work, then dispatch the events it caused."""
        uow = self.uow()
        handler = self.command_handlers[type(command)]
        result = handler(command, uow)
        for event in uow.collect_new_events():
            self._dispatch(event)
        return result

    def _dispatch(self, event: Event) -> None:
        for handler in self.event_handlers.get(type(event), []):
            try:
                handler(event, self.uow())
            except Exception:
                # The change is committed and audited; a failing follower must not undo it or hide it.
                # Bootstrap hands over partials (dependencies injected): name the function inside.
                name = getattr(handler, "func", handler).__name__
                log.exception("event handler failed", event_type=type(event).__name__, handler=name)
