"""A trip's history as people read it: each audit entry told in a sentence, by whom (a name, never an id), when."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bordergate.domain.access import REDACTED, redacted_change, sees_personal
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.history import told
from bordergate.domain.history_words import camera_actor, system_actor
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import visible_declaration


def history(uow: UnitOfWork, principal: Principal, reference: str, locale: str = "vi") -> list[dict[str, Any]]:
    """Everything that happened to a declaration, oldest first: who, when, what (``action``, the event's name, for
    programs) and ``sentence``, the same in words in ``locale``."""
    with uow:
        visible_declaration(uow, principal, reference)
        entries = uow.audit.history("declaration", reference)
        names = _Names(uow, locale)
        texts = {n["id"]: n["text"] for n in uow.notices.for_reference(reference)}
        shown = []
        for e in entries:
            payload = _shown_payload(e["payload"], principal.role)
            payload.update(names.particulars(payload))
            if e["action"] == "NoticeSent":
                # The message as it was sent: the declarant reads what the driver (or they themselves) received.
                payload["text"] = texts.get(payload.get("notice_id"), "")
            shown.append({"at": e["at"].isoformat(), "actor": e["actor"], "actor_name": names.actor(e["actor"]),
                          "action": e["action"], "sentence": told(e["action"], payload, locale), **payload})
    return shown


class _Names:
    """The names behind the ids a trail records (users, cameras, checkpoints, crossing points), each looked up once."""

    def __init__(self, uow: UnitOfWork, locale: str) -> None:
        self.uow, self.locale = uow, locale
        self.known: dict[tuple[str, str], str | None] = {}

    def _once(self, kind: str, key: str, find: Callable[[str], str | None]) -> str | None:
        if (kind, key) not in self.known:
            self.known[kind, key] = find(key)
        return self.known[kind, key]

    def actor(self, actor: str) -> str:
        named = system_actor(actor, self.locale)
        if named:
            return named
        if actor.startswith("camera:"):
            return self._once("camera", actor.removeprefix("camera:"), self._camera) or actor
        return self._once("user", actor, self._user) or actor

    def particulars(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The names a sentence needs that the event itself does not carry."""
        found = {}
        if payload.get("checkpoint_id"):
            found["checkpoint_name"] = self._once("checkpoint", payload["checkpoint_id"], self._checkpoint)
        if payload.get("crossing_point"):
            found["crossing_point_name"] = self._once("point", payload["crossing_point"], self._point)
        return {key: value for key, value in found.items() if value}

    def _user(self, user_id: str) -> str | None:
        user = self.uow.accounts.user(user_id)
        return (user.full_name or user.username) if user else None

    def _camera(self, camera_id: str) -> str | None:
        camera = self.uow.cameras.get(camera_id)
        if camera is None:
            return None
        return camera_actor(camera.name, self._checkpoint(camera.checkpoint_id) or "?", self.locale)

    def _checkpoint(self, checkpoint_id: str) -> str | None:
        checkpoint = self.uow.checkpoints.get(checkpoint_id)
        return checkpoint.name if checkpoint else None

    def _point(self, code: str) -> str | None:
        point = self.uow.crossing_points.get(code)
        return point.name if point else None


def _shown_payload(payload: dict[str, Any], role: Role) -> dict[str, Any]:
    """An audit entry as ``role`` may read it: a corrected phone or document number is personal data, and so is the
    number a notice went to."""
    shown = {k: v for k, v in payload.items() if k != "reference"}
    if isinstance(shown.get("changes"), list):
        shown["changes"] = [{**c, "old": redacted_change(c.get("field", ""), c.get("old"), role),
                             "new": redacted_change(c.get("field", ""), c.get("new"), role)}
                            if isinstance(c, dict) else c for c in shown["changes"]]
    if shown.get("phone") and not sees_personal(role, "phone"):
        shown["phone"] = REDACTED
    return shown
