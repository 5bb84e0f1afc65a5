"""One contract for each repository, held by its in-memory twin, SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bordergate.domain.accounts import Organisation, OrganisationKind, Role, User
from bordergate.domain.barrier import AgencyHold
from bordergate.domain.checkpoints import Camera, CameraStatus, Checkpoint, CheckpointKind, Direction
from bordergate.domain.crossing_points import CrossingPoint
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.errors import ChangedMeanwhile
from bordergate.domain.events import CrossingPointAdded, HoldPlaced
from bordergate.domain.fees import Assessment, FeeLine
from bordergate.domain.trip import Flow
from bordergate.domain.trip_form import read_trip
from tests.conftest import NOW
from tests.integration.conftest import FARM, POINT


def a_declaration(reference: str, *, plate: str = "12C-123.45", hours_ahead: int = 6,
                  submitted_minutes_later: int = 0) -> Declaration:
    raw = {"crossing_point": POINT, "flow": "export",
           "planned_arrival": (NOW + timedelta(hours=hours_ahead)).isoformat(),
           "vehicle": {"tractor_plate": plate, "trailer_plate": "12R-012.34", "vehicle_class": "reefer",
                       "gross_weight_kg": 42000, "axles": 5, "container_size": "40ft"},
           "driver": {"full_name": "Trần Văn Bình", "document_number": "001088012345", "nationality": "VN",
                      "phone": "0912345678"},
           "goods": [{"hs_code": "0810.60", "description": "Fresh durian", "packages": 1200,
                      "gross_weight_kg": "24000", "value": "36000", "currency": "USD", "origin_country": "VN",
                      "perishable": True, "shelf_life_hours": 240, "quarantine_required": True}],
           "containers": ["MSKU9070323"]}
    at = NOW + timedelta(minutes=submitted_minutes_later)
    return Declaration.submit(reference=reference, enterprise_id=FARM, actor="lan",
                              trip=read_trip(raw, now=NOW, crossing_points=frozenset({POINT})), now=at)


# -- declarations ----------------------------------------------------------------------------------------------


def test_a_declaration_added_is_found_as_it_was_and_a_missing_one_is_none(units):
    added = a_declaration("BG261127-AAAAAA")
    with units() as uow:
        uow.declarations.add(added)
        uow.commit()
    with units() as uow:
        found = uow.declarations.get("BG261127-AAAAAA")
        assert found == added and found is not added
        assert found in uow.declarations.seen
        assert uow.declarations.essentials("BG261127-AAAAAA") == (DeclarationStatus.SUBMITTED, Flow.EXPORT, "12R01234")
        assert uow.declarations.get("BG261127-ZZZZZZ") is None
        assert uow.declarations.essentials("BG261127-ZZZZZZ") is None


def test_a_declaration_handed_back_is_a_copy_and_changes_only_when_saved(units):
    with units() as uow:
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.commit()
    with units() as uow:
        first = uow.declarations.get("BG261127-AAAAAA")
        assert first is not None
        first.cancel(actor="lan", now=NOW, reason="changed plans")  # changed, never saved
        assert uow.declarations.get("BG261127-AAAAAA").status is DeclarationStatus.SUBMITTED
        uow.declarations.save(first, 1)
        uow.commit()
    with units() as uow:
        assert (uow.declarations.get("BG261127-AAAAAA").status, uow.declarations.get("BG261127-AAAAAA").version) == (
            DeclarationStatus.CANCELLED, 2)


def test_a_declaration_saved_over_a_newer_version_is_refused(units):
    with units() as uow:
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.commit()
    with units() as uow:
        stale = uow.declarations.get("BG261127-AAAAAA")
        stale.cancel(actor="lan", now=NOW, reason=None)
        with pytest.raises(ChangedMeanwhile):
            uow.declarations.save(stale, 7)


def test_summaries_come_newest_first_and_filter_by_status_and_plate(units):
    with units() as uow:
        for minutes, (reference, plate) in enumerate((("BG261127-AAAAAA", "12C-123.45"),
                                                      ("BG261127-BBBBBB", "29H-555.01"),
                                                      ("BG261127-CCCCCC", "12C-123.45"))):
            uow.declarations.add(a_declaration(reference, plate=plate, submitted_minutes_later=minutes))
        uow.commit()
    with units() as uow:
        listed = uow.declarations.summaries(frozenset({FARM}))
        assert [s["reference"] for s in listed] == ["BG261127-CCCCCC", "BG261127-BBBBBB", "BG261127-AAAAAA"]
        assert listed[0] | {"planned_arrival": None, "submitted_at": None} == {
            "reference": "BG261127-CCCCCC", "enterprise_id": FARM, "status": "submitted", "crossing_point": POINT,
            "flow": "export", "planned_arrival": None, "tractor_plate": "12C12345", "trailer_plate": "12R01234",
            "perishable": True, "submitted_at": None, "version": 1}
        assert [s["reference"] for s in uow.declarations.summaries(None, plate="12C12345", limit=1, offset=1)] == [
            "BG261127-AAAAAA"]
        assert uow.declarations.summaries(frozenset({"someone-else"})) == []
        assert uow.declarations.summaries(None, status="cancelled") == []


# -- accounts and crossing points --------------------------------------------------------------------------------


def test_accounts_are_found_by_id_tax_code_and_username_and_listed_by_name(units):
    with units() as uow:
        uow.accounts.add_organisation(Organisation("agency-1", "Đại lý Hải quan", OrganisationKind.CUSTOMS_AGENCY),
                                      NOW)
        uow.accounts.add_user(User("u-2", "minh", "Minh", Role.AGENT, "agency-1", "hash"), NOW)
        uow.accounts.add_user(User("u-1", "lan", "Lan", Role.DECLARANT, FARM, "hash"), NOW)
        uow.accounts.authorise(FARM, "agency-1", "admin", NOW)
        uow.commit()
    with units() as uow:
        assert [o.name for o in uow.accounts.list_organisations()] == ["Nông sản Xứ Lạng", "Đại lý Hải quan"]
        assert uow.accounts.organisation_by_tax_code("4900100254").id == FARM
        assert uow.accounts.organisation("nobody") is None and uow.accounts.user_by_username("nobody") is None
        assert [u.username for u in uow.accounts.list_users()] == ["lan", "minh"]
        assert uow.accounts.user("u-1") == User("u-1", "lan", "Lan", Role.DECLARANT, FARM, "hash")
        assert uow.accounts.enterprises_represented_by("agency-1") == frozenset({FARM})
        assert uow.accounts.deactivate("u-1") and not uow.accounts.deactivate("u-1")
        assert uow.accounts.revoke(FARM, "agency-1", NOW) and not uow.accounts.revoke(FARM, "agency-1", NOW)
        assert uow.accounts.enterprises_represented_by("agency-1") == frozenset()
        uow.accounts.set_contact_phone(FARM, "+84912345678", NOW)
        assert uow.accounts.contact_phone(FARM) == "+84912345678"


def test_crossing_points_are_listed_by_code_and_only_active_ones_may_be_named(units):
    with units() as uow:
        uow.crossing_points.add(CrossingPoint("CHI_MA", "Chi Ma", "Lạng Sơn", "1236", "Aidian", active=False))
        uow.commit()
    with units() as uow:
        assert [p.code for p in uow.crossing_points.list()] == ["CHI_MA", POINT]
        assert uow.crossing_points.active_codes() == frozenset({POINT})
        assert uow.crossing_points.get("CHI_MA").active is False and uow.crossing_points.get("NOWHERE") is None


# -- the gate ------------------------------------------------------------------------------------------------------


def test_checkpoints_and_cameras_are_listed_in_order_and_a_camera_knows_its_checkpoint(units):
    yard = Checkpoint("cp-2", POINT, CheckpointKind.YARD_ENTRY, Direction.OUTBOUND, "Yard gate", lanes=2)
    border = Checkpoint("cp-1", POINT, CheckpointKind.BORDER_OUT, Direction.OUTBOUND, "Border", lanes=1)
    with units() as uow:
        uow.checkpoints.add(yard, NOW)
        uow.checkpoints.add(border, NOW)
        uow.cameras.add(Camera("cam-2", "cp-2", "lane 2", 2, CameraStatus.ACTIVE, NOW), "hash-2")
        uow.cameras.add(Camera("cam-1", "cp-2", "lane 1", 1, CameraStatus.ACTIVE, NOW), "hash-1")
        uow.commit()
    with units() as uow:
        assert [c.name for c in uow.checkpoints.list(POINT)] == ["Border", "Yard gate"]
        assert uow.checkpoints.named(POINT, "Yard gate") == yard and uow.checkpoints.get("cp-9") is None
        assert [c.id for c in uow.cameras.list("cp-2")] == ["cam-1", "cam-2"]
        found = uow.cameras.credentials("cam-2")
        assert (found.key_hash, found.status, found.checkpoint, found.silent_alert_id) == (
            "hash-2", CameraStatus.ACTIVE, yard, None)
        assert uow.cameras.credentials("cam-9") is None
        uow.cameras.revoke("cam-2", NOW)
        uow.cameras.set_key("cam-1", "hash-new")
        uow.commit()
    with units() as uow:
        assert uow.cameras.get("cam-2").status is CameraStatus.REVOKED
        assert uow.cameras.credentials("cam-1").key_hash == "hash-new"


def test_a_hold_is_active_until_lifted_once_and_stays_on_record(units):
    with units() as uow:
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.holds.place(AgencyHold("h-1", "customs", "documents missing"), "BG261127-AAAAAA", "officer", NOW)
        uow.holds.place(AgencyHold("h-2", "border_guard", "check the cab"), "BG261127-AAAAAA", "guard",
                        NOW + timedelta(minutes=1))
        uow.commit()
    with units() as uow:
        assert [h.id for h in uow.holds.active("BG261127-AAAAAA")] == ["h-1", "h-2"]
        assert uow.holds.lift("h-1", "officer", NOW, "papers seen") and not uow.holds.lift("h-1", "officer", NOW, None)
        assert uow.holds.get("h-9") is None
        uow.commit()
    with units() as uow:
        assert uow.holds.active("BG261127-AAAAAA") == (AgencyHold("h-2", "border_guard", "check the cab"),)
        record = uow.holds.get("h-1")
        assert {k: record[k] for k in ("reference", "agency", "lifted_by", "lift_note")} == {
            "reference": "BG261127-AAAAAA", "agency": "customs", "lifted_by": "officer", "lift_note": "papers seen"}
        assert [h["id"] for h in uow.holds.for_declaration("BG261127-AAAAAA")] == ["h-1", "h-2"]


# -- fees and the saved fleet ----------------------------------------------------------------------------------------


def test_the_current_assessment_is_the_last_revision_and_every_revision_stays(units):
    first = Assessment("2026.1", "fresh_produce/40ft", 500_000, (FeeLine("base", 500_000),))
    second = Assessment("2026.1", "fresh_produce/40ft", 650_000, (FeeLine("base", 500_000), FeeLine("yard", 650_000)))
    with units() as uow:
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        assert uow.fees.add_assessment("BG261127-AAAAAA", POINT, first, "declared", NOW, first=True) == 1
        assert uow.fees.add_assessment("BG261127-AAAAAA", POINT, second, "yard parking",
                                       NOW + timedelta(hours=1)) == 2
        uow.commit()
    with units() as uow:
        current = uow.fees.current("BG261127-AAAAAA")
        assert current == {"reference": "BG261127-AAAAAA", "revision": 2, "current": True, "crossing_point": POINT,
                           "tariff_version": "2026.1", "fee_class": "fresh_produce/40ft", "total_vnd": 650_000,
                           "lines": [["base", 500_000], ["yard", 650_000]], "missing": None,
                           "assessed_at": NOW + timedelta(hours=1), "why": "yard parking"}
        assert [(a["revision"], a["current"]) for a in uow.fees.assessments("BG261127-AAAAAA")] == [
            (1, False), (2, True)]
        assert uow.fees.outstanding("BG261127-AAAAAA") == 650_000
        assert uow.fees.current("BG261127-ZZZZZZ") is None and uow.fees.outstanding("BG261127-ZZZZZZ") is None
        current["total_vnd"] = 0  # a copy: the stored revision is not changed by changing what was handed back
        assert uow.fees.current("BG261127-AAAAAA")["total_vnd"] == 650_000


def test_a_saved_vehicle_is_updated_by_its_plate_and_changes_only_when_its_details_do(units):
    with units() as uow:
        assert uow.fleet.save_vehicle(FARM, "12C12345", {"tractor_plate": "12C-123.45", "axles": 5}, "v-1",
                                      NOW) == ("v-1", True)
        assert uow.fleet.save_vehicle(FARM, "12C12345", {"tractor_plate": "12C-123.45", "axles": 5}, "v-2",
                                      NOW) == ("v-1", False)
        assert uow.fleet.save_vehicle(FARM, "12C12345", {"tractor_plate": "12C-123.45", "axles": 6}, "v-3",
                                      NOW) == ("v-1", True)
        uow.fleet.save_vehicle(FARM, "29H55501", {"tractor_plate": "29H-555.01"}, "v-4", NOW)
        uow.commit()
    with units() as uow:
        assert uow.fleet.vehicle(FARM, "v-1") == {"id": "v-1", "tractor_plate": "12C-123.45", "axles": 6}
        assert [v["id"] for v in uow.fleet.vehicles(FARM)] == ["v-1", "v-4"]
        assert uow.fleet.vehicle("someone-else", "v-1") is None and uow.fleet.drivers(FARM) == []


# -- the audit trail and the unit of work ----------------------------------------------------------------------------


def test_the_audit_trail_keeps_a_subjects_events_in_the_order_they_were_recorded(units):
    with units() as uow:
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.record(HoldPlaced(actor="officer", at=NOW + timedelta(minutes=1), hold_id="h-1",
                              reference="BG261127-AAAAAA", agency="customs", reason="documents missing"))
        uow.record(CrossingPointAdded(actor="admin", at=NOW, code="CHI_MA", name="Chi Ma"))
        uow.commit()
    with units() as uow:
        history = uow.audit.history("declaration", "BG261127-AAAAAA")
        assert [(e["action"], e["actor"], e["subject_id"]) for e in history] == [
            ("DeclarationSubmitted", "lan", "BG261127-AAAAAA"), ("HoldPlaced", "officer", "BG261127-AAAAAA")]
        assert history[1]["payload"] == {"hold_id": "h-1", "reference": "BG261127-AAAAAA", "agency": "customs",
                                         "reason": "documents missing"}
        assert history[1]["at"] == NOW + timedelta(minutes=1)
        assert [e["action"] for e in uow.audit.history("crossing_point", "CHI_MA")] == ["CrossingPointAdded"]
        assert uow.audit.history("declaration", "BG261127-ZZZZZZ") == []


def test_a_rollback_undoes_what_was_not_committed_and_keeps_what_was(units):
    with units() as uow:
        uow.crossing_points.add(CrossingPoint("CHI_MA", "Chi Ma", "Lạng Sơn", "1236", "Aidian"))
        uow.commit()
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.record(CrossingPointAdded(actor="admin", at=NOW, code="TAN_THANH", name="Tân Thanh"))
    with units() as uow:
        assert uow.crossing_points.get("CHI_MA") is not None
        assert uow.declarations.get("BG261127-AAAAAA") is None
        assert uow.audit.history("crossing_point", "TAN_THANH") == []
        uow.crossing_points.add(CrossingPoint("TAN_THANH", "Tân Thanh", "Lạng Sơn", "1119", "Puzhai"))
        uow.rollback()
        assert uow.crossing_points.get("TAN_THANH") is None
