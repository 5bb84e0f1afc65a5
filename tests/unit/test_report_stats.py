"""The public figures per unit, computed from plain records: working days, on time, tips only in the police's."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.domain.working_days import CALENDARS, VIETNAM
from bordergate.services.public_report_repositories import HandlingRecord, Rating
from bordergate.services.report_stats import (AnswerClock, OfficeTime, clocks_from_assignments, clocks_from_reports, median_working_days,
                                              on_time_share, police_unit, received_per_commune, unit_figures)

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)


def a_record(code: str, unit: str = "UBND_X", commune: str | None = "X", tip: bool = False,
             filed: datetime = MONDAY, answered: datetime | None = None, due: datetime | None = None,
             reopened: int = 0, resolution: str | None = None) -> HandlingRecord:
    return HandlingRecord(code, unit, commune, tip, resolution or ("fixed" if answered else None), filed, answered,
                          due or filed + timedelta(days=3), reopened)


def test_the_median_counts_working_days_so_a_weekend_costs_nothing():
    friday = datetime(2026, 12, 11, 16, 0, tzinfo=VIETNAM)
    over_the_weekend = a_record("A", filed=friday, answered=datetime(2026, 12, 14, 16, 0, tzinfo=VIETNAM))
    same_day = a_record("B", answered=MONDAY + timedelta(hours=4, minutes=45))  # half an office day (9.5 h)
    two_days = a_record("C", answered=MONDAY + timedelta(days=2))
    unanswered = a_record("D")
    assert median_working_days([over_the_weekend, same_day, two_days, unanswered], CALENDARS) == 1.0
    assert median_working_days([same_day], CALENDARS) == 0.5
    assert median_working_days([unanswered], CALENDARS) is None


def test_tet_is_not_a_working_day_either():
    before_tet = datetime(2026, 2, 13, 9, 0, tzinfo=VIETNAM)  # Friday; Tết 14-22 February
    after_tet = datetime(2026, 2, 23, 9, 0, tzinfo=VIETNAM)
    assert median_working_days([a_record("T", filed=before_tet, answered=after_tet)], CALENDARS) == 1.0


def test_a_span_into_a_year_without_a_calendar_is_left_out_not_guessed():
    into_2028 = a_record("N", filed=datetime(2027, 12, 29, 9, tzinfo=VIETNAM),  # 2028 is not published yet
                         answered=datetime(2028, 1, 4, 9, tzinfo=VIETNAM))
    assert median_working_days([into_2028], CALENDARS) is None


def test_on_time_is_answered_at_or_before_the_due_moment():
    due = MONDAY + timedelta(days=3)
    clocks = [AnswerClock("U", due, due), AnswerClock("U", due, due - timedelta(hours=1)),
              AnswerClock("U", due, due + timedelta(minutes=1))]
    assert on_time_share(clocks) == (2, 3)
    assert on_time_share([]) == (0, 0)


def test_each_unit_gets_its_received_answered_on_time_median_rating_and_reopened():
    due = MONDAY + timedelta(days=2)
    records = [a_record("A", answered=MONDAY + timedelta(days=1), due=due),
               a_record("B", answered=MONDAY + timedelta(days=3), due=due, reopened=1),
               a_record("C"), a_record("D", unit="STNMT", commune="Y"),
               a_record("S", resolution="spam")]
    ratings = [Rating("A", 5), Rating("B", 2), Rating("B", 4), Rating("S", 1), Rating("UNKNOWN", 1)]
    figures = {f.unit_code: f for f in unit_figures(records, clocks_from_reports(records, "CA_TINH"), ratings,
                                                      CALENDARS, "CA_TINH")}
    x = figures["UBND_X"]
    assert (x.received, x.answered, x.answered_on_time, x.on_time_percent) == (3, 2, 1, 50.0)
    assert (x.median_working_days, x.rating_average, x.ratings) == (2.0, 3.67, 3)  # 1 and 3 working days
    assert (x.reopened, x.reopened_percent) == (1, 33.3)
    y = figures["STNMT"]
    assert (y.received, y.answered, y.on_time_percent, y.median_working_days, y.rating_average) == \
        (1, 0, None, None, None)
    assert sorted(figures) == ["STNMT", "UBND_X"]  # spam counts nowhere


def test_tips_count_only_in_the_police_units_totals_and_never_per_commune():
    with InMemoryUnitOfWork(Tables()) as uow:
        police = police_unit(uow, MONDAY.date())
    assert police == "CA_TINH"
    records = [a_record("T1", unit=police, commune="X", tip=True, answered=MONDAY + timedelta(hours=2)),
               a_record("T2", unit="UBND_X", commune="X", tip=True),  # a tip sent on to a commune's committee
               a_record("P1", unit="UBND_X", commune="X")]
    figures = {f.unit_code: f for f in unit_figures(records, clocks_from_reports(records, police), [Rating("T1", 5)],
                                                      CALENDARS, police)}
    assert (figures[police].received, figures[police].answered, figures[police].ratings) == (2, 1, 1)
    assert figures["UBND_X"].received == 1
    assert received_per_commune(records) == {"X": 1}


def test_the_table_of_office_time_counts_as_the_calendar_does():
    starts = [datetime(2026, 2, 10, 8, 0, tzinfo=VIETNAM) + timedelta(hours=7 * n + n % 3) for n in range(60)]
    spans = [(start, start + timedelta(hours=5 + 11 * (n % 9), minutes=17 * n)) for n, start in enumerate(starts)]
    office = OfficeTime(CALENDARS, date(2026, 2, 1), date(2026, 4, 30))
    for start, end in spans:
        assert office.working_days_between(start, end) == pytest.approx(
            CALENDARS.working_days_between(start, end), abs=0.001), (start, end)


@dataclass(frozen=True)
class Turn:
    """A unit's turn as report_assignments keeps it (the fields the statistics read)."""

    unit_code: str
    category_code: str
    answer_due: datetime
    ended_at: datetime | None
    ended_how: str | None


def test_with_assignments_each_unit_is_judged_on_its_own_turns_and_a_tips_under_the_police():
    due = MONDAY + timedelta(days=3)
    turns = [Turn("UBND_X", "road_damage", due, MONDAY, "transferred"),  # sent on: not an answer
             Turn("STNMT", "road_damage", due + timedelta(days=1), due + timedelta(hours=2), "answered"),
             Turn("STNMT", "environment", due, None, None),  # still running
             Turn("UBND_X", "smuggling_tip", due, due, "answered")]
    clocks = clocks_from_assignments(turns, "CA_TINH", lambda code: code.endswith("_tip"))
    assert [(c.unit_code, c.answered_at <= c.answer_due) for c in clocks] == [("STNMT", True), ("CA_TINH", True)]
