"""A trip's history in sentences: every event a person can see is told in Vietnamese, English and Chinese."""
import dataclasses
import importlib
import pkgutil
import re
from datetime import UTC, datetime

import pytest

import bordergate.domain
from bordergate.adapters.payloads import event_payload
from bordergate.domain.events import Event
from bordergate.domain.history import SENTENCES, told
from bordergate.domain.history_words import system_actor

LOCALES = ("vi", "en", "zh")
AT = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
# Events another branch is adding; their sentence is here first, the class arrives on merge.
ANNOUNCED: set[str] = set()


def _event_classes() -> list[type[Event]]:
    """Every concrete event the domain defines, found by walking its modules (no hand-kept list to forget)."""
    for module in pkgutil.iter_modules(bordergate.domain.__path__):
        importlib.import_module(f"bordergate.domain.{module.name}")
    found, todo = [], [Event]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not sub.__name__.startswith("_"):
                found.append(sub)
    return found


def _sample(kind: type[Event]) -> Event:
    """An instance with a plausible value in every field, so its subject and its sentence can be asked."""
    values = {}
    for f in dataclasses.fields(kind):
        hint = str(f.type)
        if "datetime" in hint:
            values[f.name] = AT
        elif hint.startswith("int"):
            values[f.name] = 2
        elif hint.startswith("float"):
            values[f.name] = 0.9
        elif hint.startswith("bool"):
            values[f.name] = True
        elif hint.startswith("tuple"):
            values[f.name] = ()
        elif hint.startswith("dict"):
            values[f.name] = {}
        else:
            values[f.name] = "X-1"
    return kind(**values)


def _in_a_history() -> list[type[Event]]:
    """The events that are filed under a declaration, so a declarant, officer or operator reads them there."""
    return [kind for kind in _event_classes() if _sample(kind).subject[0] == "declaration"]


def test_the_walk_finds_the_events_of_every_part_of_the_trip():
    names = {kind.__name__ for kind in _in_a_history()}
    assert {"DeclarationSubmitted", "BookingMade", "PlateReadDecided", "AgencyActed", "PaymentReceived",
            "NoticeSent", "TruckCalledForward"} <= names


def test_every_event_that_can_reach_a_history_has_a_sentence_in_vietnamese_english_and_chinese():
    missing = [kind.__name__ for kind in _in_a_history() if kind.__name__ not in SENTENCES]
    assert missing == []
    for kind in _in_a_history():
        sentence = SENTENCES[kind.__name__]
        assert all(getattr(sentence, locale).strip() for locale in LOCALES), kind.__name__


@pytest.mark.parametrize("locale", LOCALES)
def test_each_sentence_tells_its_event_without_its_code_name_or_a_blank_to_fill(locale):
    for kind in _in_a_history():
        said = told(kind.__name__, event_payload(_sample(kind)), locale)
        assert kind.__name__ not in said and "{" not in said and said.strip(), (kind.__name__, said)


def test_sentences_for_events_not_yet_defined_are_only_the_announced_ones():
    defined = {kind.__name__ for kind in _event_classes()}
    assert set(SENTENCES) - defined <= ANNOUNCED


def test_the_three_languages_say_the_same_particulars():
    for name, sentence in SENTENCES.items():
        blanks = [sorted(re.findall(r"{(\w+)}", getattr(sentence, locale))) for locale in LOCALES]
        assert blanks[0] == blanks[1] == blanks[2], name


def test_an_agency_decision_says_whether_it_released_or_held_and_why():
    hold = {"agency": "plant_quarantine", "decision": "hold", "source": "officer",
            "reason": "phytosanitary certificate missing"}
    assert told("AgencyActed", hold, "en") == \
        "Plant quarantine held the truck for information (phytosanitary certificate missing)"
    assert told("AgencyActed", hold, "vi") == \
        "Kiểm dịch thực vật tạm dừng, yêu cầu bổ sung (phytosanitary certificate missing)"
    release = {"agency": "customs", "decision": "release", "source": "rules", "reason": None}
    assert told("AgencyActed", release, "en") == "Customs released the truck (Selectivity rules)"
    assert told("AgencyActed", release, "zh") == "海关已放行（自动分流规则）"


def test_a_plate_read_names_the_checkpoint_the_plate_as_painted_and_the_barrier_s_reasons():
    read = {"plate": "12C12345", "checkpoint_name": "Hữu Nghị yard gate", "decision": "hold",
            "reasons": ["fee_unpaid", "agency_pending"]}
    assert told("PlateReadDecided", read, "en") == ("Plate 12C-123.45 read at Hữu Nghị yard gate: barrier Hold "
                                                    "(Fee unpaid, Waiting for an agency's release)")


def test_a_booking_says_its_hour_in_the_gate_s_time_or_the_live_queue():
    fixed = {"crossing_point_name": "Hữu Nghị", "kind": "slot", "slot_start": "2026-12-07T01:00:00+00:00",
             "priority": "none"}
    assert told("BookingMade", fixed, "en") == "Booked at Hữu Nghị: 08:00 07/12"
    live = {**fixed, "kind": "live", "slot_start": None, "priority": "live_animals"}
    assert told("BookingMade", live, "zh") == "预约Hữu Nghị：实时排队（活体动物）"


def test_the_sms_itself_is_in_the_notice_s_sentence():
    sent = {"kind": "called", "phone": "•••", "text": "bordergate: truck 12C-123.45 is called to Hữu Nghị."}
    assert told("NoticeSent", sent, "en") == \
        "SMS sent to the driver (•••): “bordergate: truck 12C-123.45 is called to Hữu Nghị.”"
    held = {"kind": "held", "phone": "+84912000111", "text": "bordergate: Customs held trip ..."}
    assert told("NoticeSent", held, "vi") == \
        "Đã gửi SMS tới doanh nghiệp (+84912000111): “bordergate: Customs held trip ...”"


def test_a_fee_says_the_amount_as_the_reader_writes_numbers_and_why_it_was_assessed():
    assessed = {"total_vnd": 4_000_000, "missing": None, "why": "corrected"}
    assert told("FeeAssessed", assessed, "vi") == "Tính phí: 4.000.000 VND (sau khi sửa)"
    assert told("FeeAssessed", {**assessed, "why": "tariff LS-2027 published"}, "en") == \
        "Fee assessed: 4,000,000 VND (tariff LS-2027 published)"


def test_a_trip_without_a_fee_line_says_not_assessed_and_why_in_words():
    assert told("FeeNotAssessed", {"reason": "no_fee_line"}, "en") == \
        "Fee not assessed: no line of the tariff applies to this trip"
    assert told("FeeNotAssessed", {"reason": "empty_vehicle_not_published"}, "vi") == \
        "Chưa tính phí: biểu phí chưa có dòng cho xe rỗng"
    old_style = {"total_vnd": 0, "missing": "no tariff line for this vehicle", "why": "declared"}
    assert told("FeeAssessed", old_style, "en") == "Fee not assessed: no tariff line for this vehicle"


def test_the_gate_and_agency_systems_are_named_not_coded():
    assert [system_actor("system", locale) for locale in LOCALES] == ["hệ thống", "bordergate", "bordergate系统"]
    assert system_actor("system:customs", "en") == "Customs (its own system)"
    assert system_actor("d5b1c0de-user", "en") is None
