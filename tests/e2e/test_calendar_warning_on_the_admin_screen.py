"""The administrator's screen says, in the reader's language, when next year has no working calendar yet."""
from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from bordergate.domain.working_days import VIETNAM
from bordergate.entrypoints.web import admin
from bordergate.services.civic_data import calendar_missing
from tests.e2e.test_cross_site_requests import signed_in

DECEMBER_2027 = datetime(2027, 12, 3, 9, tzinfo=VIETNAM)


@pytest.fixture
def database_url(sqlite_template, tmp_path) -> str:
    """SQLite only: the warning reads what the calendars' repository contract already proves on both."""
    shutil.copy(sqlite_template, tmp_path / "bordergate.db")
    return f"sqlite:///{tmp_path / 'bordergate.db'}"


def test_the_admin_screen_warns_in_december_that_next_year_has_no_calendar_and_not_before(
        client, clock, world, gate, monkeypatch):
    assert calendar_missing(gate.reader(), clock.now()) is None  # December 2026: 2027 is published
    assert calendar_missing(gate.reader(), datetime(2027, 12, 1, 9, tzinfo=VIETNAM)) is None  # 31 days left
    assert calendar_missing(gate.reader(), DECEMBER_2027) == 2028
    signed_in(client, "admin")
    assert "data-calendar-missing" not in client.get("/admin").text
    # A session cannot be opened a year ahead of the wall clock (its token's issue time): the screen is asked
    # about December 2027 instead.
    monkeypatch.setattr(admin, "calendar_missing", lambda uow, at: calendar_missing(uow, DECEMBER_2027))
    page = client.get("/admin", params={"lang": "vi"}).text
    assert "data-calendar-missing" in page and "Chưa công bố lịch làm việc năm 2028" in page
    assert "尚未发布2028年的工作日历" in client.get("/admin", params={"lang": "zh"}).text
