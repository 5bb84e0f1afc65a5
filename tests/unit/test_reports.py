"""A citizen's report as a domain object: its states and who moves it, the working-day clocks, the reopen window."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from bordergate.domain.errors import Conflict, Forbidden, Invalid
from bordergate.domain.report_events import ReportFiled, ReportRouted
from bordergate.domain.report_rules import CATEGORIES, COORDINATING_UNIT, DISASTER_COMMAND, ROUTING, Rule, RoutingTable
from bordergate.domain.report_states import TRANSITIONS, Party, ReportState, Resolution
from bordergate.domain.reports import Place, Report, ReportRules
from bordergate.domain.working_days import CALENDARS, VIETNAM, Calendars, NoCalendar, WorkingCalendar

RULES = ReportRules()
ANSWER = "We filled the pothole on Monday; thank you for telling us."


def at(day: int, hour: int = 10, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


def a_report(filed: datetime = at(4, 16), category: str = "road_damage", unit: str = "UBND_X") -> Report:
    kind = CATEGORIES[category]
    report = Report.file(id="r1", tracking_code="PA-26-7K3M9QX", category_code=kind.code, urgent=kind.urgent,
                         never_public=kind.never_public, place=Place(21.85, 106.76, commune_code="X"),
                         description="A deep pothole in the middle of the road", attributes={},
                         reporter_user_id="citizen-1", secret_digest=None, contact_phone=None, source="web",
                         at=filed, actor="citizen-1", unit_code=unit, rule_index=0, answer_working_days=None,
                         calendars=CALENDARS, rules=RULES)
    report.events.clear()
    return report


def answered(report: Report, when: datetime) -> Report:
    report.accept(by=Party.OFFICER, actor="o", at=report.filed_at)
    report.answer(ANSWER, Resolution.FIXED, by=Party.OFFICER, actor="o", at=when, calendars=CALENDARS)
    return report


# --- The clock --------------------------------------------------------------------------------------------------------

def test_due_skips_weekends_tet_and_swapped_saturdays():
    # Friday 4 December 2026, 16:00, three working days: Monday, Tuesday, Wednesday; due at the close of office.
    assert CALENDARS.due_after(at(4, 16), 3) == at(9, 17)
    # Filed Friday 13 February, the day before Tết: 14-22 February are off; due Wednesday 25 February 17:00.
    assert CALENDARS.due_after(datetime(2026, 2, 13, 10, tzinfo=VIETNAM), 3) == datetime(2026, 2, 25, 17,
                                                                                          tzinfo=VIETNAM)
    # A Saturday worked in exchange counts as a working day.
    swapped = Calendars({2026: WorkingCalendar(2026, (), frozenset({date(2026, 12, 5)}))})
    assert swapped.due_after(at(4, 16), 3) == at(8, 17)


def test_a_filing_after_office_hours_counts_from_the_next_working_morning():
    assert CALENDARS.due_after(at(4, 18), 1) == at(8, 17)  # Friday evening: counted from Monday, due Tuesday
    assert CALENDARS.due_after(at(7, 6), 1) == at(8, 17)  # Monday 06:00 counts from Monday itself


def test_a_year_with_no_published_calendar_is_refused_not_guessed():
    with pytest.raises(NoCalendar, match="no working calendar is published for 2031"):
        CALENDARS.due_after(datetime(2031, 3, 3, 10, tzinfo=VIETNAM), 1)


def test_working_time_between_counts_office_hours_only():
    assert CALENDARS.working_minutes_between(at(4, 16), at(7, 8)) == 60 + 30  # Friday 16-17, Monday 07:30-08:00
    assert CALENDARS.add_working_minutes(at(4, 16, 30), 60) == at(7, 8)


# --- Filing and routing -----------------------------------------------------------------------------------------------

def test_a_filed_report_is_received_and_routed_with_its_clocks():
    kind = CATEGORIES["road_damage"]
    report = Report.file(id="r1", tracking_code="PA-26-7K3M9QX", category_code=kind.code, urgent=False,
                         never_public=False, place=Place(address_text="Km 12, QL1A"), description="Pothole, deep",
                         attributes={}, reporter_user_id=None, secret_digest="d", contact_phone=None, source="web",
                         at=at(4, 16), actor="anonymous", unit_code="UBND_X", rule_index=5,
                         answer_working_days=None, calendars=CALENDARS, rules=RULES)
    filed, routed = report.events
    assert isinstance(filed, ReportFiled) and filed.anonymous and report.state is ReportState.RECEIVED
    assert isinstance(routed, ReportRouted) and (routed.accept_due, routed.answer_due) == (at(7, 17), at(9, 17))


def test_a_report_says_what_it_is_in_ten_characters_at_least_and_where():
    with pytest.raises(Invalid, match="place"):
        Place()
    with pytest.raises(Invalid, match="description"):
        Report.file(id="r", tracking_code="PA-26-0000000", category_code="traffic", urgent=False, never_public=False,
                    place=Place(commune_code="X"), description="bad", attributes={}, reporter_user_id="c",
                    secret_digest=None, contact_phone=None, source="web", at=at(4), actor="c", unit_code="U",
                    rule_index=0, answer_working_days=None, calendars=CALENDARS, rules=RULES)


def test_urgent_landslide_goes_to_disaster_command_and_is_due_in_hours():
    assert ROUTING.route(CATEGORIES["landslide"], "X") == (DISASTER_COMMAND, -1)
    report = a_report(category="landslide", unit=DISASTER_COMMAND)
    assert report.assignment.accept_due == at(4, 17) and report.assignment.answer_due == at(5, 16)


def test_first_matching_routing_rule_wins_and_a_table_without_fallback_is_refused():
    assert ROUTING.route(CATEGORIES["road_damage"], "X") == ("UBND_X", 5)
    assert ROUTING.route(CATEGORIES["road_damage"], None) == (COORDINATING_UNIT, 8)  # no commune, no committee
    assert ROUTING.route(CATEGORIES["truck_queue"], "X") == ("BQL_CK", 0)
    with pytest.raises(Invalid) as refused:
        RoutingTable(2, (Rule("traffic", "*", "UBND_{commune}"),))
    assert "the last rule must send any category from any commune" in refused.value.problems[0].message


def test_tips_can_never_be_made_public():
    assert CATEGORIES["smuggling_tip"].never_public and CATEGORIES["security_tip"].never_public
    assert a_report(category="smuggling_tip", unit="CA_TINH").never_public


# --- The steps -------------------------------------------------------------------------------------------------------

def test_a_report_answered_can_be_reopened_within_seven_days_and_not_after():
    report = answered(a_report(), at(8, 9))
    report.reopen("The pothole opened again after the rain", by=Party.REPORTER, actor="c", at=at(15, 9),
                  calendars=CALENDARS, rules=RULES)
    assert report.state is ReportState.IN_PROGRESS and report.reopen_count == 1
    assert report.assignment.answer_due == at(18, 17)  # a fresh answer clock at the same unit
    report.answer(ANSWER, Resolution.FIXED, by=Party.OFFICER, actor="o", at=at(16, 9), calendars=CALENDARS)
    with pytest.raises(Conflict, match="could be reopened until"):
        report.reopen("Still there, it opened again", by=Party.REPORTER, actor="c", at=at(23, 10),
                      calendars=CALENDARS, rules=RULES)


def test_a_report_is_reopened_twice_at_most():
    report = answered(a_report(), at(8, 9))
    for _ in range(RULES.max_reopens):
        report.reopen("The pothole opened again after the rain", by=Party.REPORTER, actor="c", at=at(9, 9),
                      calendars=CALENDARS, rules=RULES)
        report.answer(ANSWER, Resolution.FIXED, by=Party.OFFICER, actor="o", at=at(9, 10), calendars=CALENDARS)
    with pytest.raises(Conflict, match="reopened 2 times already"):
        report.reopen("The pothole opened again after the rain", by=Party.REPORTER, actor="c", at=at(9, 11),
                      calendars=CALENDARS, rules=RULES)


def test_transfer_needs_a_reason_and_gives_the_new_unit_fresh_clocks():
    report = a_report()
    with pytest.raises(Invalid, match="reason"):
        report.transfer("STNMT", "no", by=Party.OFFICER, actor="o", at=at(7, 9), answer_working_days=None,
                        calendars=CALENDARS, rules=RULES)
    report.transfer("STNMT", "Waste dumped, not a road matter", by=Party.OFFICER, actor="o", at=at(7, 9),
                    answer_working_days=None, calendars=CALENDARS, rules=RULES)
    assert report.unit_code == "STNMT" and report.state is ReportState.RECEIVED
    assert (report.assignment.accept_due, report.assignment.answer_due) == (at(8, 17), at(10, 17))


def test_fourth_transfer_goes_to_the_coordinating_unit():
    report = a_report()
    for n, unit in enumerate(["A", "B", "C"]):
        report.transfer(unit, "Not ours, belongs to the next unit", by=Party.OFFICER, actor="o", at=at(7, 9 + n),
                        answer_working_days=None, calendars=CALENDARS, rules=RULES)
    with pytest.raises(Forbidden, match="coordinating unit"):
        report.transfer("D", "Not ours, belongs to the next unit", by=Party.OFFICER, actor="o", at=at(7, 13),
                        answer_working_days=None, calendars=CALENDARS, rules=RULES)
    report.transfer("D", "Decided by the coordinating centre", by=Party.COORDINATOR, actor="s", at=at(7, 13),
                    answer_working_days=None, calendars=CALENDARS, rules=RULES)
    assert report.unit_code == "D" and report.transfer_count == 4


def test_asking_the_reporter_pauses_the_answer_clock():
    report = a_report(filed=at(7, 9))  # Monday; answer due Thursday 17:00
    report.accept(by=Party.OFFICER, actor="o", at=at(7, 9))
    report.ask("Which side of the road is it on?", by=Party.OFFICER, actor="o", at=at(7, 10), calendars=CALENDARS,
               rules=RULES)
    assert report.state is ReportState.AWAITING_REPORTER
    with pytest.raises(Conflict, match="waits for the reporter"):
        report.answer(ANSWER, Resolution.FIXED, by=Party.OFFICER, actor="o", at=at(8, 10), calendars=CALENDARS)
    report.add_information("On the left, going north", by=Party.REPORTER, actor="c", at=at(8, 10),
                           calendars=CALENDARS)
    # Paused a whole working day (Monday 10:00 to Tuesday 10:00): due Friday 17:00.
    assert report.state is ReportState.IN_PROGRESS and report.assignment.answer_due == at(11, 17)


def test_an_unanswered_question_lets_the_unit_answer_once_the_reply_wait_lapses():
    report = a_report(filed=at(7, 9))
    report.accept(by=Party.OFFICER, actor="o", at=at(7, 9))
    report.ask("Which side of the road is it on?", by=Party.OFFICER, actor="o", at=at(7, 10), calendars=CALENDARS,
               rules=RULES)
    report.answer(ANSWER, Resolution.EXPLAINED, by=Party.OFFICER, actor="o", at=at(14, 18), calendars=CALENDARS)
    assert report.state is ReportState.ANSWERED and report.events[-1].on_time  # type: ignore[attr-defined]


def test_an_answered_report_closes_once_rated_or_when_the_window_lapses():
    report = answered(a_report(), at(8, 9))
    with pytest.raises(Conflict, match="may be reopened until"):
        report.close(by=Party.OFFICER, actor="o", at=at(9, 9), rules=RULES)
    report.rate(4, "Quick", by=Party.REPORTER, actor="c", at=at(9, 9))
    with pytest.raises(Conflict, match="rated this answer"):
        report.rate(5, "", by=Party.REPORTER, actor="c", at=at(9, 9))
    report.close(by=Party.OFFICER, actor="o", at=at(9, 10), rules=RULES)
    assert report.state is ReportState.CLOSED and report.resolution is Resolution.FIXED
    lapsed = answered(a_report(), at(8, 9))
    lapsed.close(by=Party.SYSTEM, actor="system", at=at(15, 10), rules=RULES)
    assert lapsed.state is ReportState.CLOSED


def test_the_reporter_withdraws_before_the_answer_only():
    report = a_report()
    report.withdraw(by=Party.REPORTER, actor="c", at=at(7, 9))
    assert report.state is ReportState.CLOSED and report.resolution is Resolution.WITHDRAWN
    with pytest.raises(Conflict):
        answered(a_report(), at(8, 9)).withdraw(by=Party.REPORTER, actor="c", at=at(8, 10))


def test_open311_sees_answered_and_closed_as_closed():
    assert [s.open311_status for s in ReportState] == ["open", "open", "open", "closed", "closed"]


# --- The transition table, whatever the order --------------------------------------------------------------------

def _take(report: Report, step: str, by: Party, when: datetime) -> None:
    kw = {"by": by, "actor": "x", "at": when}
    if step == "accept":
        report.accept(**kw)
    elif step == "transfer":
        report.transfer(f"U{report.transfer_count}", "Belongs to another unit", answer_working_days=None,
                        calendars=CALENDARS, rules=ReportRules(max_transfers=99), **kw)
    elif step == "ask":
        report.ask("Where exactly is it?", calendars=CALENDARS, rules=RULES, **kw)
    elif step == "add_information":
        report.add_information("More detail", calendars=CALENDARS, **kw)
    elif step == "answer":
        report.answer(ANSWER, Resolution.FIXED, calendars=CALENDARS, **kw)
    elif step == "rate":
        report.rate(3, "", **kw)
    elif step == "reopen":
        report.reopen("It is still not fixed", calendars=CALENDARS, rules=ReportRules(max_reopens=99), **kw)
    elif step == "close":
        report.close(rules=RULES, **kw)
    elif step == "mark_spam":
        report.mark_spam("Advertising, not a problem", **kw)
    elif step == "hide":
        report.hide("Personal data in the text", **kw)
    elif step == "show":
        report.show("The text was checked again", **kw)
    elif step == "link_duplicate":
        report.link_duplicate("PA-26-ORIGINA", 0, **kw)
    else:
        report.withdraw(**kw)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(TRANSITIONS)), st.sampled_from(list(Party))), max_size=12))
def test_every_step_obeys_the_transition_table(steps):
    report, when = a_report(filed=at(5, 9, month=1)), at(5, 9, month=1)  # 12 steps stay inside 2026's calendar
    for step, by in steps:
        when += timedelta(days=2)  # past every reply wait; within a reopen window only when answered just before
        rule, before = TRANSITIONS[step], report.state
        try:
            _take(report, step, by, when)
        except Forbidden:
            assert by not in rule.parties
            continue
        except Conflict:
            assert before not in rule.from_states or step in ("rate", "reopen", "close", "hide", "show")
            assert report.state is before
            continue
        assert by in rule.parties and before in rule.from_states
        expected = rule.to or (ReportState.IN_PROGRESS if before is ReportState.AWAITING_REPORTER else before)
        assert report.state is expected


def test_where_an_anonymous_tip_was_sent_from_is_sealed_on_the_audit_trail():
    from bordergate.domain.personal_data import personal_paths
    tip = {"code": "PA-26-7K3M9QX", "category": "smuggling_tip", "anonymous": True, "lat": 21.8, "lon": 106.7}
    assert personal_paths("ReportFiled", "report", tip) == [("lat",), ("lon",)]
    assert personal_paths("ReportFiled", "report", {**tip, "anonymous": False}) == []
    assert personal_paths("ReportFiled", "report", {**tip, "category": "road_damage"}) == []


def test_a_stage_is_flagged_near_its_deadline_once_and_overdue_once_and_a_new_stage_afresh():
    report = a_report(filed=at(7, 9))  # Monday 09:00: accept due Tuesday 17:00 (17.5 office hours from filing)
    watch = lambda when: report.watch_clock(at=when, calendars=CALENDARS, rules=RULES)  # noqa: E731
    watch(at(8, 8))
    assert report.events == []  # 8.5 of 17.5 office hours gone
    watch(at(8, 15))
    watch(at(8, 16))
    assert [(type(e).__name__, e.stage) for e in report.events] == [("ReportNearDeadline", "accept")]
    watch(at(8, 18))
    watch(at(9, 9))
    assert [type(e).__name__ for e in report.events] == ["ReportNearDeadline", "ReportOverdue"]
    report.accept(by=Party.OFFICER, actor="o", at=at(9, 9))
    watch(at(10, 18))  # the answer was due Thursday 17:00: overdue, and no near flag after it
    watch(at(10, 19))
    assert [(type(e).__name__, getattr(e, "stage", "")) for e in report.events[2:]] == [
        ("ReportAccepted", ""), ("ReportOverdue", "answer")]


def test_waiting_for_the_reporter_is_never_flagged():
    report = a_report(filed=at(7, 9))
    report.accept(by=Party.OFFICER, actor="o", at=at(7, 9))
    report.ask("Which side of the road is it on?", by=Party.OFFICER, actor="o", at=at(7, 10), calendars=CALENDARS,
               rules=RULES)
    report.events.clear()
    report.watch_clock(at=at(11, 18), calendars=CALENDARS, rules=RULES)
    assert report.events == []


def test_every_report_event_has_a_sentence_and_the_clock_flags_are_for_the_unit_only():
    from dataclasses import asdict

    from bordergate.domain import report_events
    from bordergate.domain.report_history import SENTENCES, told
    base = report_events._ReportEvent
    names = {n for n, v in vars(report_events).items() if isinstance(v, type) and issubclass(v, base) and v is not base}
    assert names == set(SENTENCES)
    report = answered(a_report(), at(8, 9))
    answer = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(report.events[-1]).items()}
    assert told("ReportAnswered", answer, "en", public_only=True) == f"UBND_X answered (fixed): {ANSWER}"
    assert told("ReportAnswered", answer, "vi", public_only=True).startswith("UBND_X đã trả lời (đã khắc phục)")
    assert told("ReportOverdue", {"due": at(9, 17).isoformat()}, "en", public_only=True) is None
    assert told("ReportOverdue", {"due": at(9, 17).isoformat()}, "en", public_only=False) == "Overdue (17:00 09/12)."


def test_a_categorys_questions_are_checked_and_a_bad_answer_is_named_by_its_code():
    environment, queue = CATEGORIES["environment"], CATEGORIES["truck_queue"]
    assert environment.read_attributes({"kind": ["smoke", "smell", "smoke"]}) == {"kind": ["smell", "smoke"]}
    assert environment.read_attributes({"kind": "noise"}) == {"kind": ["noise"]}
    assert queue.read_attributes({"crossing_point": "HUU_NGHI", "plate": " 12C-123.45 "}) == {
        "crossing_point": "HUU_NGHI", "plate": "12C-123.45"}
    with pytest.raises(Invalid) as refused:
        queue.read_attributes({"crossing_point": "NOWHERE", "colour": "red"})
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("attributes.colour", "is not a question of category truck_queue"),
        ("attributes.crossing_point", "choose one of HUU_NGHI, TAN_THANH, COC_NAM, CHI_MA")]


def test_duplicates_are_within_the_categorys_radius_and_window_nearest_first():
    from bordergate.domain.duplicates import bounding_box, likely_duplicates, metres_between
    road = CATEGORIES["road_damage"]  # 50 m, 30 days

    def one(code: str, lat: float, days_ago: int = 1, category: str = "road_damage") -> Report:
        report = a_report(filed=at(7, 9) - timedelta(days=days_ago), category=category)
        report.tracking_code, report.place = code, Place(lat, 106.76)
        return report
    metre = 1 / 111_195  # a metre of latitude, in degrees
    near, nearer, far = one("A", 21.85 + 30 * metre), one("B", 21.85 + 10 * metre), one("C", 21.85 + 80 * metre)
    old = one("D", 21.85, days_ago=31)
    other, closed = one("E", 21.85, category="urban_order"), one("F", 21.85)
    closed.withdraw(by=Party.REPORTER, actor="c", at=at(7, 9))
    found = likely_duplicates(road, 21.85, 106.76, at(7, 10), [near, nearer, far, old, other, closed])
    assert [(r.tracking_code, round(d)) for r, d in found] == [("B", 10), ("A", 30)]
    assert likely_duplicates(CATEGORIES["smuggling_tip"], 21.85, 106.76, at(7, 10), [near]) == []
    south, north, west, east = bounding_box(21.85, 106.76, 50)
    assert south < 21.85 < north and west < 106.76 < east
    assert 49 < metres_between(south, 106.76, 21.85, 106.76) < 51
