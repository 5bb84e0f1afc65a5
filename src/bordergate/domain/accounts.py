"""Who acts: organisations, their people and roles, and which enterprises each person may act for."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.labels import Labelled


class OrganisationKind(Labelled):
    """Enterprises declare their own trips; customs agencies declare for enterprises that authorise them."""

    ENTERPRISE = ("enterprise", "Doanh nghiệp", "Enterprise", "企业")
    CUSTOMS_AGENCY = ("customs_agency", "Đại lý hải quan", "Customs agency", "报关代理")
    AUTHORITY = ("authority", "Cơ quan quản lý", "Authority", "管理机构")
    UNIT = ("unit", "Đơn vị xử lý", "Handling unit", "处理单位")  # handles citizens' reports (issue 17)


class Role(Labelled):
    """What a signed-in person does at the border; decides what they may see and change."""

    DECLARANT = ("declarant", "Người khai báo", "Declarant", "申报人")
    AGENT = ("agent", "Đại lý hải quan", "Customs agent", "报关员")
    DRIVER = ("driver", "Lái xe", "Driver", "司机")
    OPERATOR = ("operator", "Điều hành bãi", "Yard operator", "场站操作员")
    CUSTOMS = ("customs", "Hải quan", "Customs", "海关")
    BORDER_GUARD = ("border_guard", "Biên phòng", "Border guard", "边防")
    QUARANTINE = ("quarantine", "Kiểm dịch động thực vật", "Plant/animal quarantine", "动植物检疫")
    HEALTH = ("health", "Kiểm dịch y tế", "Health quarantine", "卫生检疫")
    TRAFFIC_POLICE = ("traffic_police", "Cảnh sát giao thông", "Traffic police", "交通警察")
    ADMIN = ("admin", "Quản trị", "Administrator", "管理员")
    CITIZEN = ("citizen", "Công dân", "Citizen", "公民")
    UNIT_OFFICER = ("unit_officer", "Cán bộ xử lý", "Handling officer", "处理人员")
    UNIT_SUPERVISOR = ("unit_supervisor", "Lãnh đạo đơn vị", "Unit supervisor", "单位负责人")

    @property
    def organisation_kind(self) -> OrganisationKind | None:
        """The kind of organisation a person with this role belongs to (drivers need none)."""
        if self is Role.DECLARANT:
            return OrganisationKind.ENTERPRISE
        if self is Role.AGENT:
            return OrganisationKind.CUSTOMS_AGENCY
        if self in (Role.DRIVER, Role.CITIZEN):
            return None
        if self in (Role.UNIT_OFFICER, Role.UNIT_SUPERVISOR):
            return OrganisationKind.UNIT
        return OrganisationKind.AUTHORITY


@dataclass(frozen=True)
class Organisation:
    """An enterprise, a customs agency or an authority with accounts in bordergate."""

    id: str
    name: str
    kind: OrganisationKind
    tax_code: str | None = None


@dataclass(frozen=True)
class User:
    """A person who signs in; the password is kept only as an argon2 hash."""

    id: str
    username: str
    full_name: str
    role: Role
    organisation_id: str | None
    password_hash: str
    active: bool = True


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
PASSWORD_RULES = (f"a password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters and is not the "
                  "username")


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with a new password, stating the rules, or None when it will do."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        return f"is {len(password)} characters; {PASSWORD_RULES}"
    if password.strip().lower() == username.strip().lower():
        return f"is the username; {PASSWORD_RULES}"
    return None


@dataclass(frozen=True)
class Principal:
    """The signed-in person acting on a request, with the enterprises they may act for; what they may do is
    domain/access.py's to say."""

    user_id: str
    username: str
    role: Role
    organisation_id: str | None
    enterprises: frozenset[str] = frozenset()
    # The sign-in this request came with (None for the command line and seeding): what signing out ends.
    session_id: str | None = None
