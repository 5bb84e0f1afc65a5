"""Who may do what: each ability with the roles that have it, the checks every service makes, and who may see a
driver's personal data. The one policy: routes (entrypoints/access.py) and services both read it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.domain.accounts import Principal, Role
from bordergate.domain.errors import Forbidden
from bordergate.domain.inspection import Agency

# Groups of roles, as the border names them.
DECLARERS = frozenset({Role.DECLARANT, Role.AGENT})
OFFICERS = frozenset({Role.CUSTOMS, Role.BORDER_GUARD, Role.QUARANTINE, Role.HEALTH})
CENTER = frozenset({Role.OPERATOR, Role.ADMIN})  # the Border Gate Management Center
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class Ability:
    """Something a signed-in person does, the roles that may, and what a refused person is told."""

    name: str
    roles: frozenset[Role]
    refusal: str

    def allows(self, role: Role) -> bool:
        return role in self.roles


# Anyone signed in: who am I, which hours are free at a crossing point (capacity figures, no trip in them).
SIGNED_IN = Ability("signed_in", EVERYONE, "sign in first")
# Declaring, correcting, booking and paying for a trip: the enterprise's declarants and the agents it authorised
# (the services also check it is that enterprise's trip).
DECLARE = Ability("declare", DECLARERS, "declaring, correcting, booking and paying are the work of the enterprise's "
                                        "declarant or its customs agent; officers cannot declare")
# Only the enterprise itself (or an administrator) chooses which customs agency declares for it.
CHOOSE_AGENTS = Ability("choose_agents", frozenset({Role.DECLARANT, Role.ADMIN}),
                        "only the enterprise's own declarants (or an administrator) choose its customs agents")
# Reading declarations, their history, fees, bookings, clearance and timelines: the enterprise's own people (their
# own trips only), the agencies that act on every truck, and the management center. Not the traffic police, whose
# work is the road (regulation orders), nor drivers, who follow their trip from the QR code.
READ_DECLARATIONS = Ability("read_declarations", DECLARERS | OFFICERS | CENTER,
                            "declarations are read by the enterprise that declared them, the agencies at the gate "
                            "and the management center; drivers follow their trip from the QR code")
# Checkpoints, reviews and alerts: what the gate's officers and the management center watch.
WATCH_THE_GATE = Ability("watch_the_gate", OFFICERS | CENTER,
                         "checkpoints, reviews and alerts are for the gate's operators and officers")
# Running the gate: checkpoints and cameras, settling reads and alerts, the queue's capacity and calls, cash, tariffs.
RUN_THE_GATE = Ability("run_the_gate", CENTER,
                       "this is the work of the gate's operators or an administrator")
ADMINISTER = Ability("administer", frozenset({Role.ADMIN}), "only an administrator can do this")
# An officer decides for their own agency (require_own_agency checks which).
ACT_FOR_AN_AGENCY = Ability("act_for_an_agency", OFFICERS,
                            "only customs, border guard, quarantine and health officers act on agency checks")
ROUTE_CHANNELS = Ability("route_channels", frozenset({Role.CUSTOMS}), "only Customs routes a trip's channel")
# Agencies' inboxes and dwell times: the officers (their own agency's) and the management center (all).
READ_INBOXES = Ability("read_inboxes", OFFICERS | CENTER,
                       "agency inboxes and dwell times are for the officers and the management center")
# Regulation orders hold trucks at a staging area on the road: the management center or the traffic police.
REGULATE = Ability("regulate", CENTER | {Role.TRAFFIC_POLICE},
                   "regulation orders are issued by the management center or the traffic police")
# The board: one lane's trucks by where they stand. The traffic police see it without trips' references, reviews
# or alerts (queue_views.for_the_road): what they need to hold and release trucks on the road.
WATCH_THE_QUEUE = Ability("watch_the_queue", OFFICERS | CENTER | {Role.TRAFFIC_POLICE},
                          "the queue board is for the gate's operators, officers and the traffic police")
BOARD = Ability("board", CENTER | {Role.TRAFFIC_POLICE},
                "the board is for the gate's operators, administrators and the traffic police")

# The phone an enterprise is told on when an agency holds its trip: the enterprise itself (or an administrator);
# its customs agent answers holds in the portal but does not choose where the enterprise is called.
GIVE_CONTACT_PHONE = Ability("give_contact_phone", frozenset({Role.DECLARANT, Role.ADMIN}),
                             "only the enterprise's own declarants (or an administrator) give its contact phone")

# The fee is collected by the Border Gate Management Center (Resolution 09/2025): its operators publish the tariff,
# take cash at the desk and reconcile the day's takings.
COLLECT_FEES = Ability("collect_fees", CENTER,
                       "the fee is collected by the Border Gate Management Center: only its operators (or an "
                       "administrator) publish tariffs, take cash and read the day's reconciliation")
# An officer holds a truck at its exit barrier in the name of their own service (services/holds.py checks that only
# that service lifts it).
HOLD_TRUCKS = Ability("hold_trucks", OFFICERS,
                      "only officers of customs, border guard, quarantine or health hold a truck at its exit")
# Every agency's inbox: the management center watches them all; an officer reads their own agency's only.
READ_EVERY_INBOX = Ability("read_every_inbox", CENTER,
                           "every agency's inbox is for the management center; an officer reads their own agency's")
# Every enterprise's trips, alerts beside them: the agencies and the management center work on every truck at the
# gate. Everyone else sees the enterprises they act for (the traffic police see the road: plates, no trips).
SEE_EVERY_TRIP = Ability("see_every_trip", OFFICERS | CENTER,
                         "only the gate's officers and the management center see every enterprise's trips")
# Citizens' reports (issue 17). A signed-in citizen files and follows their own reports (anyone may file
# anonymously and follow by the secret link: the service checks it, not a role).
FILE_REPORTS = Ability("file_reports", frozenset({Role.CITIZEN}),
                       "reports are filed by citizens signed in by phone, or anonymously without signing in")
# Officers and supervisors of a handling unit work on the reports assigned to their own unit (require_own_unit).
HANDLE_REPORTS = Ability("handle_reports", frozenset({Role.UNIT_OFFICER, Role.UNIT_SUPERVISOR}),
                         "reports are handled by the officers of the unit they are assigned to")
# Sending a report on beyond the most transfers allowed: the coordinating unit's supervisors.
SUPERVISE_REPORTS = Ability("supervise_reports", frozenset({Role.UNIT_SUPERVISOR}),
                            "only a unit's supervisor does this")
# Public services (issue 17): the officers at the resident lane record what a border resident brought across
# duty-free; a signed-in resident (for now: the citizen account) sees their own uses.
RECORD_ALLOWANCE_USES = Ability("record_allowance_uses", frozenset({Role.BORDER_GUARD, Role.CUSTOMS}),
                                "uses of the border-resident allowance are recorded by the border guard or customs "
                                "at the resident lane")
SEE_OWN_ALLOWANCE = Ability("see_own_allowance", frozenset({Role.CITIZEN}),
                            "the allowance page shows a resident signed in as a citizen their own uses")

ABILITIES = (SIGNED_IN, DECLARE, CHOOSE_AGENTS, READ_DECLARATIONS, WATCH_THE_GATE, RUN_THE_GATE, ADMINISTER,
             ACT_FOR_AN_AGENCY, ROUTE_CHANNELS, READ_INBOXES, REGULATE, WATCH_THE_QUEUE, BOARD, GIVE_CONTACT_PHONE,
             COLLECT_FEES, HOLD_TRUCKS, READ_EVERY_INBOX, SEE_EVERY_TRIP,
             FILE_REPORTS, HANDLE_REPORTS, SUPERVISE_REPORTS,
             RECORD_ALLOWANCE_USES, SEE_OWN_ALLOWANCE)


# --- The checks the services make -------------------------------------------------------------------------------

def allows(principal: Principal, ability: Ability) -> bool:
    """Whether ``principal``'s role has ``ability`` (to choose what to show, not to refuse)."""
    return ability.allows(principal.role)


def require(principal: Principal, ability: Ability) -> None:
    """Forbidden with the ability's refusal unless ``principal``'s role has it: the check every service makes, in
    the words the route's guard uses, so a person is told the same thing whichever refuses first."""
    if not ability.allows(principal.role):
        raise Forbidden(ability.refusal)


def may_see(principal: Principal, enterprise_id: str) -> bool:
    """Nobody sees another enterprise's declarations, except the authorities at the gate."""
    return allows(principal, SEE_EVERY_TRIP) or enterprise_id in principal.enterprises


def require_may_declare_for(principal: Principal, enterprise_id: str) -> None:
    """Only the enterprise's declarants, or agents it authorised, declare (and book and pay) for it."""
    require(principal, DECLARE)
    if enterprise_id not in principal.enterprises:
        raise Forbidden(f"you may not declare for enterprise {enterprise_id}; "
                        "it must authorise your customs agency first")


def require_enterprise_voice(principal: Principal, enterprise_id: str, ability: Ability) -> None:
    """What only the enterprise itself decides (its agents, its contact phone): its own declarants, or an
    administrator for any enterprise; never its customs agent."""
    require(principal, ability)
    if not allows(principal, ADMINISTER) and principal.organisation_id != enterprise_id:
        raise Forbidden(ability.refusal)


# The agencies each officer acts for: a quarantine officer works for plant and animal quarantine both.
OWN_AGENCIES: dict[Role, tuple[Agency, ...]] = {
    Role.CUSTOMS: (Agency.CUSTOMS,),
    Role.BORDER_GUARD: (Agency.BORDER_GUARD,),
    Role.QUARANTINE: (Agency.PLANT_QUARANTINE, Agency.ANIMAL_QUARANTINE),
    Role.HEALTH: (Agency.HEALTH,),
}


def own_agencies(principal: Principal) -> tuple[Agency, ...]:
    """The agencies ``principal`` acts for; none for anyone who is not an officer."""
    return OWN_AGENCIES.get(principal.role, ())


def require_own_agency(principal: Principal, agency: Agency) -> None:
    """An officer decides only for their own agency."""
    require(principal, ACT_FOR_AN_AGENCY)
    if agency not in own_agencies(principal):
        raise Forbidden(f"you act for {', '.join(a.label('en') for a in own_agencies(principal))}, "
                        f"not {agency.label('en')}")


def readable_inboxes(principal: Principal) -> tuple[Agency, ...]:
    """The agencies whose inboxes ``principal`` reads: every one for the management center, an officer's own."""
    require(principal, READ_INBOXES)
    return tuple(Agency) if allows(principal, READ_EVERY_INBOX) else own_agencies(principal)


def holding_service(principal: Principal) -> str:
    """The service a hold is placed in the name of: the officer's own (quarantine, not plant or animal)."""
    require(principal, HOLD_TRUCKS)
    return principal.role.value


def require_own_unit(principal: Principal, unit_organisation_id: str | None) -> None:
    """An officer handles only the reports assigned to their own unit."""
    require(principal, HANDLE_REPORTS)
    if unit_organisation_id is None or principal.organisation_id != unit_organisation_id:
        raise Forbidden("this report is assigned to another unit; only its officers handle it")


def handles_for(principal: Principal, unit_organisation_id: str | None) -> bool:
    """Whether ``principal`` is an officer of the unit (to choose what to show, not to refuse)."""
    return (allows(principal, HANDLE_REPORTS) and unit_organisation_id is not None
            and principal.organisation_id == unit_organisation_id)


def coordinates(principal: Principal, unit_organisation_id: str | None) -> bool:
    """Whether ``principal`` is a supervisor of the coordinating unit (sends reports on past the limit)."""
    return (allows(principal, SUPERVISE_REPORTS) and unit_organisation_id is not None
            and principal.organisation_id == unit_organisation_id)


# --- A driver's personal data -------------------------------------------------------------------------------------

# Who sees each personal field of a trip's driver, and why; everyone else reads REDACTED. The declaring
# enterprise and its agents see their own trips whole (they wrote them).
PERSONAL_FIELDS: dict[str, frozenset[Role]] = {
    # The identity document: the border guard checks the driver's passport or ID card at the border (immigration).
    "document_number": DECLARERS | {Role.BORDER_GUARD},
    # The phone: the operators on duty ring a driver who was called forward and has not come, or who is held at a
    # barrier; SMS notices are sent by the system itself, so nobody else needs the number.
    "phone": DECLARERS | {Role.BORDER_GUARD, Role.OPERATOR},
}
REDACTED = "•••"


def sees_personal(role: Role, field: str) -> bool:
    """Whether ``role`` may read a driver's ``field`` (document_number, phone); other fields are not personal."""
    return field not in PERSONAL_FIELDS or role in PERSONAL_FIELDS[field]


def redacted_driver(driver: dict[str, Any], role: Role) -> dict[str, Any]:
    """A trip's driver as ``role`` may read it: personal fields it may not see replaced by REDACTED."""
    return {key: (value if sees_personal(role, key) or value is None else REDACTED) for key, value in driver.items()}


def redacted_change(field_path: str, value: Any, role: Role) -> Any:
    """An amendment's old or new value as ``role`` may read it (``driver.phone`` is personal, ``goods`` are not)."""
    head, _, rest = field_path.partition(".")
    if head == "driver" and rest and not sees_personal(role, rest) and value is not None:
        return REDACTED
    if head == "driver" and not rest and isinstance(value, dict):
        return redacted_driver(value, role)
    return value
