"""Demo data made through the bus (enterprises, an agency, officers, trucks), and its replayed day, prepared behind."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.adapters.agency_systems import AgencySystemLink, SandboxBorderGuard
from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.inspection import Agency
from bordergate.seeding import seed_crossing_points
from bordergate.seeding import seed_public_services
from bordergate.entrypoints.demo_reports import seed_reports
from bordergate.entrypoints.api.routes.agencies import in_process
from bordergate.entrypoints.api.routes.fees import receive_callback
from bordergate.services.authentication import SYSTEM, principal_for
from bordergate.simulator.lanes import start_of
from bordergate.simulator.replay import Replay, ReplayClock, live_from_hour
from bordergate.simulator.scenario import Scenario, load, shifted

PASSWORD = "bordergate-demo"

_TRUCKS = [
    # plate, trailer, class, kg, axles, container, driver, document, phone, point, flow, goods
    ("12C-123.45", "12R-012.34", "reefer", 42000, 5, "40ft", "Trần Văn Bình", "001088012345", "0912345678",
     "HUU_NGHI", "export", ("0810.60", "Sầu riêng tươi / fresh durian", 1200, "24000", "36000", True, 240)),
    ("12C-234.56", None, "rigid_truck", 24000, 3, "none", "Hoàng Văn Nam", "020090004567", "0987654321",
     "TAN_THANH", "export", ("0810.90", "Mít tươi / fresh jackfruit", 800, "15000", "9000", True, 168)),
    ("51C-678.90", "51R-045.67", "tractor_trailer", 40000, 5, "40ft", "Lê Quang Huy", "079085001122", "0903111222",
     "HUU_NGHI", "temporary_import_reexport", ("0804.50", "Xoài / mangoes", 1500, "20000", "14000", True, 336)),
    ("桂F·12345", None, "rigid_truck", 30000, 4, "none", "Wei Zhang", "E12345678", "+8613800138000",
     "CHI_MA", "import", ("8517.13", "Điện thoại di động / mobile phones", 400, "6000", "1200000", False, None)),
]


# Hữu Nghị's way through the gate in each direction: (kind, direction, name, lanes).
_LAYOUT = [
    ("highway_approach", "outbound", "QL1A approach camera", 2),
    ("waiting_area_entry", "outbound", "Waiting area gate", 2),
    ("yard_entry", "outbound", "Export yard gate", 2),
    ("inspection", "outbound", "Export inspection area", 1),
    ("border_out", "outbound", "Border line, exit lane", 2),
    ("border_in", "inbound", "Border line, entry lane", 2),
    ("yard_entry", "inbound", "Import yard gate", 2),
    ("inspection", "inbound", "Import inspection area", 1),
    ("gate_exit", "inbound", "Gate exit inland", 2),
]


# An export truck's way through Hữu Nghị's cameras that decide (waiting area, yard, border), as the demo prints them.
_JOURNEY = ("Waiting area gate", "Export yard gate", "Border line, exit lane")


# The management center's capacity plans are those of the normal 2025 day the demo replays (07:00-19:00 local,
# sized on mid-2025 volumes with some slack: see the scenario's description).
_DAY = "normal_day_2025"


@dataclass(frozen=True)
class DemoWorld:
    """What seed_demo made that a newcomer needs: the accounts (username -> (role, password)), each camera of the
    export journey at Hữu Nghị in the order a truck meets them ((checkpoint, X-Camera-Key)), the truck its agencies
    cleared (and its driver's link), and a paid fee's receipt."""

    accounts: dict[str, tuple[str, str]]
    cameras: list[tuple[str, str]]
    cleared: str
    driver_link: str
    receipt: str
    reports: dict[str, str] = field(default_factory=dict)  # the citizen service's: what it shows -> tracking code


class DayInPreparation:
    """A normal 2025 day replayed on a gate whose clock starts three days before it: in a thread, the simulator
    declares the day's trucks of all four crossing points instantly up to 04:00 local, seeds the demo world then,
    and carries on at ``speed`` times real time, so the board and the public page move. Started once the screens
    are served (preparing takes 20 s on an idle 2-core machine, over a minute on a busy one); ``ready`` is set once
    the day runs (or could not be prepared: ``world`` is then None and ``failure`` says why)."""

    def __init__(self, gate: Gate, scenario: Scenario, clock: ReplayClock, speed: float, seed: int) -> None:
        self.gate, self.scenario, self.clock, self.speed, self.seed = gate, scenario, clock, speed, seed
        self.replay: Replay | None = None
        self.world: DemoWorld | None = None
        self._failure: BaseException | None = None
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._prepare, name="bordergate-replay", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _prepare(self) -> None:
        try:
            # The simulated enterprise and officers are accounts too: their passwords are hashed here, not before
            # the screens are served.
            replay = Replay(self.gate, self.clock, self.scenario, self.seed, list(range(len(self.scenario.lanes))),
                            live_from_hour(self.scenario, 4), self.speed, on_live=self._go_live)
        except Exception as exc:
            self._failure = exc
            self.ready.set()
            raise
        self.replay = replay
        if self.stopped.is_set():
            replay.stopped.set()
        try:
            replay.run()
        finally:
            self.ready.set()

    def _go_live(self) -> DemoWorld:
        """The replay is at 04:00, its clock standing still: the demo world is made then, and the day is ready."""
        self.world = seed_demo(self.gate)
        self.ready.set()
        return self.world

    @property
    def failure(self) -> BaseException | None:
        return self._failure or (self.replay.failure if self.replay else None)

    def trucks_declared(self) -> tuple[int, int]:
        """How far the preparation is: trucks declared so far, of those declared before the day goes live."""
        if self.replay is None:
            return 0, 0
        drive, live_from = self.replay.drive, self.replay.live_from
        due = sum(1 for truck in drive.trucks if drive.moment(truck.declared) < live_from)
        return min(drive.tally.declared, due), due

    def stop(self, timeout: float = 5) -> None:
        """Let the replay end its minute's transaction before the process goes."""
        self.stopped.set()
        if self.replay:
            self.replay.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout)


def replayed_demo(settings: Settings, today: date, speed: float, seed: int = 2026) -> tuple[Gate, DayInPreparation]:
    """A gate on a ReplayClock with Lang Son's crossing points, and its day to prepare (``start()`` it)."""
    scenario = shifted(load(_DAY), today)
    clock = ReplayClock(start_of(scenario) - timedelta(days=3))
    gate = bootstrap(settings, clock=clock)
    seed_crossing_points(gate)
    return gate, DayInPreparation(gate, scenario, clock, speed, seed)


def seed_demo(gate: Gate) -> DemoWorld:
    """Create the demo world; return what a newcomer needs to try it (accounts, cameras, a cleared truck, a receipt)."""
    handle = gate.bus.handle
    seed_public_services(gate)  # the sample procedures catalogue and the (unconfirmed) allowance rule
    center = handle(commands.RegisterOrganisation(
        SYSTEM, "Trung tâm Quản lý cửa khẩu Lạng Sơn (Border Gate Management Center)", "authority"))
    farm = handle(commands.RegisterOrganisation(SYSTEM, "Công ty TNHH Nông sản Xứ Lạng", "enterprise", "4900100254"))
    fruit = handle(commands.RegisterOrganisation(SYSTEM, "Công ty CP Trái cây Miền Nam", "enterprise", "0312345678"))
    agency = handle(commands.RegisterOrganisation(SYSTEM, "Đại lý Hải quan Đồng Đăng", "customs_agency", "4900765432"))
    accounts = {
        "admin": ("admin", center), "lan": ("declarant", farm), "minh": ("declarant", fruit),
        "dailyhq": ("agent", agency), "dieuhanh": ("operator", center), "haiquan": ("customs", center),
        "bienphong": ("border_guard", center), "kiemdich": ("quarantine", center), "yte": ("health", center),
        "taixe": ("driver", None),
    }
    ids = {name: handle(commands.CreateUser(SYSTEM, name, PASSWORD, name.title(), role, org))
           for name, (role, org) in accounts.items()}
    handle(commands.AuthoriseAgent(SYSTEM, fruit, agency))
    lan = principal_for(gate.reader(), ids["lan"])
    agent = principal_for(gate.reader(), ids["dailyhq"])
    references = [handle(commands.SubmitDeclaration(actor, enterprise, _trip(gate, truck, day)))
                  for day, (actor, enterprise, truck) in enumerate(
                      [(lan, farm, _TRUCKS[0]), (lan, farm, _TRUCKS[1]), (agent, fruit, _TRUCKS[2]),
                       (agent, fruit, _TRUCKS[3])])]
    handle(commands.AmendDeclaration(lan, references[0], {"driver.phone": "0912345679"}, "one digit was wrong"))
    handle(commands.CancelDeclaration(agent, references[3], "buyer postponed the order"))
    operator = principal_for(gate.reader(), ids["dieuhanh"])
    customs = principal_for(gate.reader(), ids["haiquan"])
    for lane in load(_DAY).lanes:
        handle(commands.SetCapacityPlan(operator, lane.crossing_point, lane.direction.value, lane.capacity_per_hour))
    # The durian truck takes the live queue; the jackfruit truck a fixed hour tomorrow morning.
    handle(commands.BookCrossing(lan, references[0], "live"))
    tomorrow = (gate.clock.now().astimezone(GATE_TIME) + timedelta(days=1)).replace(hour=8, minute=0, second=0,
                                                                                  microsecond=0)
    handle(commands.BookCrossing(lan, references[1], "slot", tomorrow))
    keys = _seed_checkpoints(gate, operator)
    now = gate.clock.now()
    # The durian truck reaches the yard; an undeclared truck at the waiting area; a read too unsure to act on.
    for name, plate, confidence in (("Waiting area gate", "12C-123.45", 0.97), ("Export yard gate", "12C12345", 0.95),
                                    ("Waiting area gate", "29C-999.99", 0.96),
                                    ("Export yard gate", "51C-67B.9O", 0.55)):
        handle(commands.RecordCameraRead(keys[name], captured_at=now, plate=plate, confidence=confidence))
    handle(commands.RunCallForward(operator))
    handle(commands.PlaceHold(customs, references[2], "Thiếu giấy chứng nhận kiểm dịch / phytosanitary certificate "
                                                      "missing"))
    _agencies_at_work(gate, {name: principal_for(gate.reader(), ids[name]) for name in ("haiquan", "kiemdich", "lan")},
                      references[0])
    receipt = _fee_paid(gate, agent, references[2])
    service = seed_reports(gate, PASSWORD)  # the citizen service's units, their people and a dozen reports
    return DemoWorld({**{name: (role, PASSWORD) for name, (role, _) in accounts.items()}, **service.accounts},
                     [(f"Hữu Nghị, {name}", keys[name]) for name in _JOURNEY], references[0],
                     gate.tracking_url(references[0]), receipt, service.reports)


def _agencies_at_work(gate: Gate, people: dict[str, Any], durian: str) -> None:
    """The durian truck's agencies: customs checks its documents, plant quarantine asks for a certificate number
    that the declarant sends, and the border guard's own system (a sandbox twin) clears the driver."""
    handle = gate.bus.handle
    handle(commands.RecordAgencyDecision(people["haiquan"], durian, "customs", "release",
                                         "Hồ sơ hợp lệ / documents in order"))
    handle(commands.RecordAgencyDecision(
        people["kiemdich"], durian, "plant_quarantine", "hold",
        "Số giấy chứng nhận KDTV không khớp / phytosanitary certificate number does not match",
        ("phytosanitary certificate",)))
    handle(commands.AnswerAgencyHold(people["lan"], durian, "plant_quarantine",
                                     "Giấy chứng nhận số / certificate no. KDTV-2026-11-0042"))
    handle(commands.RecordAgencyDecision(people["kiemdich"], durian, "plant_quarantine", "release"))
    secret = gate.agencies.systems.get(Agency.BORDER_GUARD)
    if secret:
        link = AgencySystemLink("border_guard", secret, in_process(gate), gate.clock.now)
        SandboxBorderGuard(link).release(durian)


def _fee_paid(gate: Gate, agent, mangoes: str) -> str:
    """The agent pays the mango truck's fee (a 40-ft re-export container: 4,000,000 VND) online; the sandbox
    provider's signed callback confirms it, as a real provider's would. Returns the receipt's number."""
    order = gate.bus.handle(commands.StartPayment(agent, mangoes))
    body, headers = gate.payments.callback(order["order_id"], gate.clock.now())
    return receive_callback(gate, gate.payments.name, body, headers)["receipt_number"]


def _seed_checkpoints(gate: Gate, operator) -> dict[str, str]:
    """Hữu Nghị's checkpoints with a camera on lane 1 of each; returns each camera's key by checkpoint name."""
    keys = {}
    for kind, direction, name, lanes in _LAYOUT:
        checkpoint = gate.bus.handle(commands.AddCheckpoint(operator, "HUU_NGHI", kind, direction, name, lanes))
        _, keys[name] = gate.bus.handle(commands.RegisterCamera(operator, checkpoint, f"HN {name}, lane 1"))
    return keys


def _trip(gate: Gate, truck: tuple, day: int) -> dict[str, Any]:
    plate, trailer, kind, kg, axles, size, driver, document, phone, point, flow, goods = truck
    hs, description, packages, weight, value, perishable, shelf_life = goods
    arrival = gate.clock.now().replace(second=0, microsecond=0) + timedelta(hours=6 + 20 * day)
    return {
        "crossing_point": point, "flow": flow, "planned_arrival": arrival.isoformat(),
        "vehicle": {"tractor_plate": plate, "trailer_plate": trailer, "vehicle_class": kind,
                    "gross_weight_kg": kg, "axles": axles, "container_size": size},
        "driver": {"full_name": driver, "document_number": document,
                   "nationality": "CN" if plate.startswith("桂") else "VN", "phone": phone},
        "goods": [{"hs_code": hs, "description": description, "packages": packages, "gross_weight_kg": weight,
                   "value": value, "currency": "USD", "origin_country": "CN" if plate.startswith("桂") else "VN",
                   "perishable": perishable, "shelf_life_hours": shelf_life, "quarantine_required": perishable}],
        "containers": ["MSKU9070323"] if size == "40ft" and day == 0 else [],
    }
