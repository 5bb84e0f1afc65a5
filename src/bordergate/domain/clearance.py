"""The TripClearance aggregate: every agency's work on one trip, from the rule table to the last release.

(design) bordergate orchestrates, it does not duplicate: a customs green channel is released by selectivity, and a
status that came from an agency's own system (VNACCS, the border guard's) is authoritative and never asked of an
officer again. Officers act only where their judgement is the record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bordergate.domain.clearance_events import (AgencyActed, AgencyAnswered, AgencyChecksOpened,
                                                AgencyChecksRederived, CustomsChannelAssigned)
from bordergate.domain.errors import Conflict, FieldProblem, Invalid
from bordergate.domain.events import Event
from bordergate.domain.inspection import Agency, Channel, RuleTable
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import TripDetails

# What each agency needs from the declarant, shown in its inbox and to the declarant (Decree 15/2018 for food,
# Circular 33/2014 for plant quarantine, Circular 25/2016 for animal quarantine, Law on Immigration for drivers).
NEEDS: dict[Agency, tuple[str, ...]] = {
    Agency.CUSTOMS: ("customs declaration number (VNACCS)", "invoice and packing list"),
    Agency.BORDER_GUARD: ("driver's passport or border pass", "vehicle registration"),
    Agency.PLANT_QUARANTINE: ("phytosanitary certificate", "quarantine registration"),
    Agency.ANIMAL_QUARANTINE: ("veterinary health certificate", "quarantine registration"),
    Agency.HEALTH: ("driver's health declaration",),
}


class CheckStatus(Labelled):
    """Where one agency's check on a trip stands."""

    WAITING = ("waiting", "Chờ cơ quan xử lý", "Waiting for the agency", "待处理", "amber")
    INSPECTING = ("inspecting", "Kiểm tra thực tế", "Physical inspection", "实货查验", "amber")
    HELD = ("held", "Tạm dừng, chờ bổ sung", "Held: information needed", "暂停，待补充", "red")
    ANSWERED = ("answered", "Đã bổ sung, chờ xem lại", "Answered: the agency looks again", "已补充，待复核", "blue")
    RELEASED = ("released", "Đã cho qua", "Released", "已放行", "green")
    REFUSED = ("refused", "Từ chối, buộc quay lại", "Refused: the truck returns", "拒绝，退回", "red")
    WITHDRAWN = ("withdrawn", "Không còn yêu cầu", "No longer required", "无需办理", "grey")

    @property
    def is_done(self) -> bool:
        return self in (CheckStatus.RELEASED, CheckStatus.REFUSED, CheckStatus.WITHDRAWN)

    @property
    def waits_on_agency(self) -> bool:
        """The agency has the next move (its inbox shows it); a HELD check waits on the declarant."""
        return self in (CheckStatus.WAITING, CheckStatus.INSPECTING, CheckStatus.ANSWERED)


class Action(Labelled):
    """What an agency records on a trip."""

    RELEASE = ("release", "Cho qua", "Release", "放行", "green")
    HOLD = ("hold", "Tạm dừng, yêu cầu bổ sung", "Hold for information", "暂停，要求补充", "red")
    INSPECT = ("inspect", "Yêu cầu kiểm tra thực tế", "Require physical inspection", "要求实货查验", "amber")
    REFUSE = ("refuse", "Từ chối nhập/xuất, buộc quay lại", "Refuse entry or exit: return", "拒绝，退回", "red")


class Source(Labelled):
    """Who decided: an officer in bordergate, the agency's own (authoritative) system, or selectivity rules."""

    OFFICER = ("officer", "Cán bộ", "An officer", "工作人员", "blue")
    SYSTEM = ("system", "Hệ thống của cơ quan", "The agency's own system", "机构自有系统", "green")
    RULES = ("rules", "Phân luồng tự động", "Selectivity rules", "自动分流规则", "grey")


ACTION_STATUS = {Action.RELEASE: CheckStatus.RELEASED, Action.HOLD: CheckStatus.HELD,
                 Action.INSPECT: CheckStatus.INSPECTING, Action.REFUSE: CheckStatus.REFUSED}


@dataclass
class AgencyCheck:
    """One agency's check on the trip: why it must act, where it stands, who decided, what it asked for."""

    agency: Agency
    why: str
    status: CheckStatus
    opened_at: datetime
    first_action_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    source: Source | None = None
    hold_reason: str | None = None
    needs: tuple[str, ...] = ()
    answer: str | None = None

    @property
    def authoritative(self) -> bool:
        """The agency's own system has decided this check; no officer is asked to confirm it."""
        return self.source is Source.SYSTEM


@dataclass
class TripClearance:
    """Every agency's check on one trip, and the customs channel; the barrier out opens when all are released."""

    reference: str
    crossing_point: str
    enterprise_id: str
    rule_version: str
    checks: dict[Agency, AgencyCheck]
    channel: Channel | None = None
    channel_reasons: tuple[str, ...] = ()
    channel_source: Source | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @classmethod
    def open(cls, *, reference: str, enterprise_id: str, trip: TripDetails, table: RuleTable,
             channel: tuple[Channel, list[str]] | None, actor: str, now: datetime) -> TripClearance:
        """The checks the rule table requires; ``channel`` is bordergate's selectivity, None when customs' own
        system will send it."""
        checks = {agency: AgencyCheck(agency, why, CheckStatus.WAITING, now)
                  for agency, why in table.agencies_for(trip)}
        clearance = cls(reference, trip.crossing_point, enterprise_id, table.version, checks)
        clearance.events.append(AgencyChecksOpened(
            actor=actor, at=now, reference=reference, crossing_point=trip.crossing_point, rule_version=table.version,
            checks=tuple({"agency": a.value, "why": c.why} for a, c in checks.items())))
        if channel is not None and Agency.CUSTOMS in checks:
            clearance._route(channel[0], tuple(channel[1]), Source.RULES, actor, now)
        return clearance

    # -- what the barrier and the inboxes ask ---------------------------------------------------------------

    def outstanding(self) -> list[AgencyCheck]:
        """Checks not yet released, in the order of the rule table: what still keeps the truck."""
        return [c for c in self.checks.values() if c.status not in (CheckStatus.RELEASED, CheckStatus.WITHDRAWN)]

    @property
    def cleared(self) -> bool:
        return not self.outstanding()

    # -- officers and systems ----------------------------------------------------------------------------------

    def act(self, agency: Agency, action: Action, *, source: Source, by: str, now: datetime,
            reason: str | None = None, needs: tuple[str, ...] = ()) -> None:
        """Record an agency's decision; an officer cannot overrule what the agency's own system decided."""
        check = self._check(agency)
        reason = " ".join((reason or "").split())[:500] or None
        if check.status.is_done:
            raise Conflict(f"{agency.label('en')} already {check.status.label('en').lower()} trip {self.reference}"
                           f" at {check.decided_at:%Y-%m-%d %H:%M} UTC; nothing is left to decide")
        if source is Source.OFFICER and check.authoritative:
            raise Conflict(f"{agency.label('en')}'s own system decided this check; it is not asked of an officer")
        if action in (Action.HOLD, Action.REFUSE) and not reason:
            verb = "held" if action is Action.HOLD else "refused"
            raise Invalid([FieldProblem("reason", f"say why the trip is {verb}; the declarant will see it")])
        if action is Action.HOLD and not needs:
            needs = NEEDS.get(agency, ())
        check.status = ACTION_STATUS[action]
        check.first_action_at = check.first_action_at or now
        check.source = source
        check.decided_by = by
        if action is Action.HOLD:
            check.hold_reason, check.needs, check.answer = reason, needs, None
        elif action is Action.REFUSE:
            check.hold_reason = reason
        if check.status.is_done:
            check.decided_at = now
        self.events.append(AgencyActed(actor=by, at=now, reference=self.reference, agency=agency.value,
                                       decision=action.value, source=source.value, reason=reason,
                                       needs=needs if action is Action.HOLD else ()))

    def reroute(self, channel: Channel, *, source: Source, by: str, now: datetime, reason: str | None) -> None:
        """Change the customs channel: an officer with a recorded reason, or customs' own system (which wins)."""
        check = self._check(Agency.CUSTOMS)
        reason = " ".join((reason or "").split())[:500]
        if source is Source.OFFICER:
            if not reason:
                raise Invalid([FieldProblem("reason", "say why the channel changes; it is kept on the record")])
            if self.channel_source is Source.SYSTEM:
                assert self.channel is not None  # the system's source is set only with the channel it assigned
                raise Conflict(f"the customs system assigned the {self.channel.value} channel; it is authoritative "
                               "and is changed in that system, not here")
        if source is Source.OFFICER and check.status.is_done and check.source is not Source.RULES:
            raise Conflict(f"customs already {check.status.label('en').lower()} trip {self.reference}; "
                           "the channel can no longer change")
        self._route(channel, (reason,) if reason else (), source, by, now)

    def answer(self, agency: Agency, *, note: str, changed: tuple[str, ...], by: str, now: datetime) -> None:
        """The declarant answers a hold with a note and corrected fields; the check goes back to the agency."""
        check = self._check(agency)
        note = " ".join(note.split())[:1000]
        if check.status is not CheckStatus.HELD:
            raise Conflict(f"{agency.label('en')} is not holding trip {self.reference} "
                           f"(it is {check.status.label('en').lower()}); there is nothing to answer")
        if not note and not changed:
            raise Invalid([FieldProblem("note", f"answer what {agency.label('en')} asked for: "
                                                f"{', '.join(check.needs) or check.hold_reason}")])
        check.status, check.answer = CheckStatus.ANSWERED, note or None
        self.events.append(AgencyAnswered(actor=by, at=now, reference=self.reference, agency=agency.value,
                                          note=note, changed=changed))

    def rederive(self, trip: TripDetails, table: RuleTable, *, by: str, now: datetime) -> None:
        """After a correction: agencies newly required get a check; those no longer required and not yet acted
        on are withdrawn. A check an agency has acted on stays, since its decision is on record."""
        required = dict(table.agencies_for(trip))
        # A check withdrawn by an earlier correction comes back when the goods need the agency again.
        added = [a for a in required if a not in self.checks or self.checks[a].status is CheckStatus.WITHDRAWN]
        for agency in added:
            self.checks[agency] = AgencyCheck(agency, required[agency], CheckStatus.WAITING, now)
        # A trip moved to another crossing point is worked by that point's officers.
        self.crossing_point = trip.crossing_point
        withdrawn = [a for a, c in self.checks.items()
                     if a not in required and c.first_action_at is None and c.status is CheckStatus.WAITING]
        for agency in withdrawn:
            self.checks[agency].status, self.checks[agency].decided_at = CheckStatus.WITHDRAWN, now
        if added or withdrawn:
            self.events.append(AgencyChecksRederived(actor=by, at=now, reference=self.reference,
                                                     added=tuple(a.value for a in added),
                                                     withdrawn=tuple(a.value for a in withdrawn)))

    # -- inside ------------------------------------------------------------------------------------------------

    def _check(self, agency: Agency) -> AgencyCheck:
        check = self.checks.get(agency)
        if check is None or check.status is CheckStatus.WITHDRAWN:
            raise Conflict(f"{agency.label('en')} has no check on trip {self.reference}: the rule table "
                           f"{self.rule_version} does not require it for these goods and this flow")
        return check

    def _route(self, channel: Channel, reasons: tuple[str, ...], source: Source, by: str, now: datetime) -> None:
        self.channel, self.channel_reasons, self.channel_source = channel, reasons, source
        self.events.append(CustomsChannelAssigned(actor=by, at=now, reference=self.reference, channel=channel.value,
                                                  source=source.value, reasons=reasons))
        check = self.checks[Agency.CUSTOMS]
        if channel is Channel.GREEN and not check.status.is_done:
            # A green channel is customs' release in VNACCS itself: asking an officer to confirm it is the
            # duplicate confirmation the first digital gate was criticised for.
            self.act(Agency.CUSTOMS, Action.RELEASE, source=source, by=by, now=now,
                     reason="green channel: released without checks")
        elif (channel is not Channel.GREEN and check.status is CheckStatus.RELEASED
              and (check.source is Source.RULES or (source is Source.SYSTEM and check.source is not Source.SYSTEM))):
            # A green by selectivity is undone by a new channel; the customs system's channel undoes anything.
            check.status, check.decided_at, check.decided_by, check.source = CheckStatus.WAITING, None, None, None
            check.first_action_at = None  # no officer has acted yet: the wait for customs starts now
