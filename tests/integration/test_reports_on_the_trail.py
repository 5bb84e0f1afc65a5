"""Citizens' reports through the bus on SQLite and PostgreSQL: filed, handled, audited, tips' places sealed."""
from __future__ import annotations

from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.services.authentication import SYSTEM
from tests.integration.test_audit_trail import audit_rows


def test_an_anonymous_tip_is_handled_by_the_police_and_where_it_came_from_is_sealed_on_the_trail(gate):
    police = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Công an tỉnh", "unit"))
    gate.bus.handle(rc.RegisterUnit(SYSTEM, "CA_TINH", police))
    filed = gate.bus.handle(rc.FileReport(None, category="smuggling_tip", lat=21.8531, lon=106.7612,
                                          description="Goods carried over the hill path at night"))
    officer = Principal("officer-1", "officer", Role.UNIT_OFFICER, police)
    gate.bus.handle(rc.AcceptReport(officer, filed.tracking_code))
    rows = [r for r in audit_rows(gate) if r["subject_id"] == filed.tracking_code]
    assert [r["action"] for r in rows] == ["ReportFiled", "ReportRouted", "ReportAccepted"]
    payload = rows[0]["payload"]
    assert payload["anonymous"] and str(payload["lat"]).startswith("sealed:") and "21.85" not in str(payload)
    assert rows[1]["payload"]["unit"] == "CA_TINH"
