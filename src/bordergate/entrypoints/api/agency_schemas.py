"""Wire shapes of the agencies: officers' decisions, customs re-routing, declarants' answers to holds."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from bordergate.domain.clearance import Action
from bordergate.domain.inspection import Channel
from bordergate.entrypoints.api.inputs import In


class DecisionIn(In):
    """An officer's decision; a hold or a refusal says why, and a hold may name what the declarant must send."""

    action: Action
    reason: str | None = Field(None, max_length=500, examples=["phytosanitary certificate does not match the load"])
    needs: list[str] = Field(default_factory=list, max_length=10,
                             examples=[["phytosanitary certificate", "goods[0].hs_code"]])


class RerouteIn(In):
    """A customs officer's new channel for the trip, and why."""

    channel: Channel
    reason: str = Field(max_length=500, examples=["tip-off: undeclared goods"])


class AnswerIn(In):
    """The declarant's answer to a hold: a note, and corrections of the named fields (``{"goods[0].hs_code": ...}``)."""

    note: str = Field("", max_length=1000, examples=["certificate no. 12345 attached at the counter"])
    changes: dict[str, Any] = Field(default_factory=dict)
