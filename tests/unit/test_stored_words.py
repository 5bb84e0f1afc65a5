"""The sentences the gate keeps in English (fee lines, customs selection reasons, the demo's checkpoint names) are
said in the reader's language on the screens."""
from __future__ import annotations

import random
import pytest

from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.inspection import History, SelectivityRules, assign_channel
from bordergate.entrypoints.demo import _LAYOUT
from bordergate.entrypoints.web.stored_words import said_for
from tests.unit.test_inspection import a_trip


@pytest.mark.parametrize("locale", ["vi", "zh"])
def test_every_line_of_the_shipped_tariff_and_every_step_of_an_assessment_is_translated(locale):
    said, english = said_for(locale), said_for("en")
    steps = [f"{line.description} (line {line.key})" for line in LANG_SON_09_2025.lines]
    steps += [f"{line.description} (line {line.key}, basic level)" for line in LANG_SON_09_2025.lines]
    steps += ["mixed cargo: the highest applicable rate (fresh fruit and vegetables)",
              "imported goods going inland: 130% of the rate", "transfers at the wharf only: 30% of the rate",
              "ore and minerals: 500% of the basic level", "ceiling of the schedule: 5,000,000 VND a trip",
              "declared", "corrected", "tariff LS-10/2026 published"]
    for step in steps:
        assert said(step) != english(step), f"{step!r} is not translated into {locale}"


def test_a_fee_line_in_vietnamese_and_chinese_keeps_its_line_key_and_writes_the_amount_as_the_reader_does():
    line = "40-ft container of agricultural goods, temporary import for re-export (line agri-40ft-reexport)"
    assert said_for("vi")(line) == \
        "container 40 feet chở nông sản, tạm nhập tái xuất (dòng agri-40ft-reexport)"
    assert said_for("zh")(line).startswith("40英尺集装箱装载农产品")
    assert said_for("vi")("ceiling of the schedule: 5,000,000 VND a trip") == \
        "mức trần của biểu phí: 5.000.000 VND một lượt"


@pytest.mark.parametrize("locale", ["vi", "zh"])
def test_every_customs_selection_reason_is_translated(locale):
    said, english = said_for(locale), said_for("en")
    rules = SelectivityRules(yellow_origins=frozenset({"CN"}), random_yellow=0.5, random_red=0.5)
    reasons = {"no risk rule applies"}
    for trip in (a_trip("0810.60"), a_trip("0106.11", origin="CN")):
        for history in (History(0, 0), History(50, 3), History(50, 0)):
            for seed in range(6):  # the random selections, both kinds, by seeded draws
                reasons |= set(assign_channel(trip, history, rules, random.Random(seed))[1])
    assert len(reasons) >= 7, reasons
    for reason in reasons:
        assert said(reason) != english(reason), f"{reason!r} is not translated into {locale}"


@pytest.mark.parametrize("locale", ["vi", "zh"])
def test_the_demos_checkpoints_are_named_in_the_readers_language(locale):
    said, english = said_for(locale), said_for("en")
    for _kind, _direction, name, _lanes in _LAYOUT:
        assert said(name) != english(name) and said(name), f"{name!r} is not translated into {locale}"


def test_a_sentence_nobody_translated_is_shown_as_it_was_written():
    assert said_for("zh")("Gate 7, lane by the river") == "Gate 7, lane by the river"
    assert said_for("vi")(None) == "" and said_for("vi")("") == ""
