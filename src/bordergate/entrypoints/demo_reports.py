"""The demo's citizen service: the province's units with an officer and a supervisor each, and a dozen reports in
their different states, filed and handled through the same commands as everything else."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.bootstrap import Gate
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.seeding import seed_units
from bordergate.services.authentication import SYSTEM, principal_for
from bordergate.services.reporting import Filed

# Where the demo's reports are (Lang Son city and the border, WGS84), by commune code.
_PLACES = {"DONG_DANG": (21.9446, 106.7010), "TAM_THANH": (21.8530, 106.7610), "LOC_BINH": (21.7580, 106.9210),
           "KY_LUA": (21.8560, 106.7550)}


@dataclass(frozen=True)
class ReportsWorld:
    """What the demo's citizen service made: the accounts (username -> (role, password)) and each report's
    tracking code by what it shows (received, accepted, waiting, answered, closed, urgent, tip, ...)."""

    accounts: dict[str, tuple[str, str]]
    reports: dict[str, str]


def username(unit_code: str, supervisor: bool) -> str:
    """bqlck.canbo, bqlck.lanhdao: an officer (cán bộ) and a supervisor (lãnh đạo) of each unit."""
    return f"{unit_code.lower().replace('_', '')}.{'lanhdao' if supervisor else 'canbo'}"


def seed_reports(gate: Gate, password: str) -> ReportsWorld:
    """Units, their people, a citizen and the reports, once; what a newcomer needs to try the citizen service."""
    organisations = seed_units(gate)
    handle = gate.bus.handle
    accounts: dict[str, tuple[str, str]] = {}
    officers: dict[str, Principal] = {}
    for code, organisation in organisations.items():
        for supervisor in (False, True):
            role = "unit_supervisor" if supervisor else "unit_officer"
            name = username(code, supervisor)
            user = handle(commands.CreateUser(SYSTEM, name, password, f"{'Lãnh đạo' if supervisor else 'Cán bộ'} "
                                              f"{code}", role, organisation))
            accounts[name] = (role, password)
            if not supervisor:
                officers[code] = principal_for(gate.reader(), user)
    # Until phone sign-in lands, the demo's citizen signs in with a password like the demo's other accounts.
    citizen = principal_for(gate.reader(), handle(commands.CreateUser(
        SYSTEM, "congdan", password, "Nguyễn Thị Hoa", "citizen", None)))
    accounts["congdan"] = ("citizen", password)
    return ReportsWorld(accounts, _reports(gate, citizen, officers))


def _file(gate: Gate, actor: Principal | None, category: str, description: str, commune: str | None,
          **more: Any) -> Filed:
    lat, lon = _PLACES.get(commune or "", (None, None))
    filed = gate.bus.handle(rc.FileReport(actor, category=category, description=description, lat=lat, lon=lon,
                                          commune_code=commune, place_source="gps" if lat else "typed", **more))
    assert isinstance(filed, Filed)
    return filed


def _reports(gate: Gate, citizen: Principal, officers: dict[str, Principal]) -> dict[str, str]:
    handle = gate.bus.handle
    at = officers.__getitem__

    def step(*cmds: object) -> None:
        for cmd in cmds:
            handle(cmd)  # type: ignore[arg-type]

    made: dict[str, str] = {}
    made["received"] = _file(gate, citizen, "road_damage", "Ổ gà sâu giữa đường gần chợ Đồng Đăng",
                             "DONG_DANG", attributes={"hazard": "pothole"}).tracking_code
    code = made["accepted"] = _file(gate, citizen, "road_damage", "Đèn đường hỏng cả đoạn phố Lê Lợi",
                                    "TAM_THANH", attributes={"hazard": "street_light"}).tracking_code
    step(rc.AcceptReport(at("UBND_TAM_THANH"), code))
    code = made["waiting"] = _file(gate, citizen, "environment", "Khói đốt rác bốc lên mỗi tối sau khu dân cư",
                                   "TAM_THANH", attributes={"kind": ["smoke", "smell"]}).tracking_code
    step(rc.AcceptReport(at("STNMT"), code),
         rc.AskReporter(at("STNMT"), code, "Anh/chị cho biết khói thường xuất hiện lúc mấy giờ?"))
    code = made["answered"] = _file(gate, citizen, "truck_queue", "Xe container xếp hàng dài trên QL1A trước "
                                    "cửa khẩu Hữu Nghị", "DONG_DANG",
                                    attributes={"crossing_point": "HUU_NGHI"}).tracking_code
    step(rc.AcceptReport(at("BQL_CK"), code),
         rc.AnswerReport(at("BQL_CK"), code, "Đã mở thêm làn xuất khẩu và điều tiết xe vào bãi chờ.", "fixed"))
    code = made["closed"] = _file(gate, citizen, "urban_order", "Hàng quán lấn chiếm vỉa hè trước trường học",
                                  "LOC_BINH").tracking_code
    step(rc.AcceptReport(at("UBND_LOC_BINH"), code),
         rc.AnswerReport(at("UBND_LOC_BINH"), code, "Đã nhắc nhở và lập biên bản các hộ vi phạm.", "fixed"),
         rc.RateAnswer(citizen, code=code, stars=4, comment="Vỉa hè đã thông thoáng"),
         rc.CloseReport(at("UBND_LOC_BINH"), code))
    code = made["urgent"] = _file(gate, citizen, "flood", "Nước ngập qua cầu tràn, xe máy không qua được",
                                  "LOC_BINH", attributes={"people_at_risk": "unknown"}).tracking_code
    step(rc.AcceptReport(at("BCH_PCTT"), code))
    made["tip"] = _file(gate, None, "smuggling_tip", "Xe tải nhỏ chở hàng qua đường mòn lúc nửa đêm", None,
                        address_text="Đường mòn gần mốc 1119").tracking_code
    code = made["transferred"] = _file(gate, citizen, "traffic", "Đèn tín hiệu giao lộ không hoạt động",
                                       "KY_LUA", attributes={"blocking": "no"}).tracking_code
    step(rc.TransferReport(at("TT_PVHCC"), code, "UBND_TAM_THANH", "Giao lộ thuộc địa bàn phường Tam Thanh"))
    code = made["rated"] = _file(gate, citizen, "public_service", "Hồ sơ cấp đổi giấy phép lái xe quá hạn trả",
                                 None, address_text="Trung tâm Phục vụ hành chính công").tracking_code
    step(rc.AcceptReport(at("TT_PVHCC"), code),
         rc.AnswerReport(at("TT_PVHCC"), code, "Đã trả kết quả; xin lỗi vì chậm trễ.", "fixed"),
         rc.RateAnswer(citizen, code=code, stars=5, comment="Cảm ơn"))
    withdrawn = _file(gate, None, "border_gate", "Cổng kiểm soát đóng sớm hơn giờ niêm yết", "DONG_DANG")
    step(rc.WithdrawReport(None, withdrawn.secret, code=withdrawn.tracking_code))
    made["withdrawn"] = withdrawn.tracking_code
    reopened = _file(gate, None, "road_damage", "Biển báo khúc cua nguy hiểm bị đổ", "LOC_BINH",
                     attributes={"hazard": "broken_sign"})
    code = made["reopened"] = reopened.tracking_code
    step(rc.AcceptReport(at("UBND_LOC_BINH"), code),
         rc.AnswerReport(at("UBND_LOC_BINH"), code, "Đã dựng lại biển báo.", "fixed"),
         rc.ReopenReport(None, reopened.secret, code=code, reason="Biển lại đổ sau trận mưa hôm qua"))
    code = made["spam"] = _file(gate, citizen, "environment", "Quảng cáo dịch vụ hút bể phốt giá rẻ",
                                "TAM_THANH", attributes={"kind": ["waste"]}).tracking_code
    step(rc.MarkSpam(at("STNMT"), code, "Quảng cáo, không phải phản ánh"))
    return made
