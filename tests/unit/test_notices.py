"""Notices to drivers and declarants: every kind in Vietnamese, English and Chinese, with times as read at the gate."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.notices import NoticeKind, local_time, render

LOCALES = ("vi", "en", "zh")
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00 27/11 in Lang Son

# What each kind of notice says, by placeholder.
VALUES: dict[NoticeKind, dict[str, object]] = {
    NoticeKind.BOOKED: {"plate": "12C-123.45", "point": "HUU_NGHI", "when": "10:00 27/11", "reference": "HN-0001",
                        "link": "https://gate.test/track/HN-0001/k3y"},
    NoticeKind.POSITION_MOVED: {"plate": "12C-123.45", "expected": "11:20 27/11", "ahead": 17},
    NoticeKind.CALLED: {"plate": "12C-123.45", "point": "HUU_NGHI", "deadline": "08:20 27/11"},
    NoticeKind.CALL_EXPIRED: {"plate": "12C-123.45", "expired": False},
    NoticeKind.MOVED: {"plate": "12C-123.45", "when": "14:00 27/11", "reason": "fog on the pass"},
    NoticeKind.REGULATION: {"point": "HUU_NGHI", "message": "hold at the Km 7 staging area"},
    NoticeKind.SHELF_LIFE_WARNING: {"plate": "12C-123.45", "point": "HUU_NGHI", "wait_h": 31, "life_h": 18},
    NoticeKind.HELD: {"plate": "12C-123.45", "reference": "HN-0001", "agency": "Hải quan",
                      "reason": "invoice missing"},
    NoticeKind.REPORT_RECEIVED: {"code": "PA-26-7K3M9QX", "unit": "UBND_DONG_DANG", "due": "17:00 10/12"},
    NoticeKind.REPORT_ASKED: {"code": "PA-26-7K3M9QX", "unit": "UBND_DONG_DANG", "question": "Which side?"},
    NoticeKind.REPORT_ANSWERED: {"code": "PA-26-7K3M9QX", "unit": "UBND_DONG_DANG", "days": 7},
    NoticeKind.REPORT_OVERDUE: {"code": "PA-26-7K3M9QX", "unit": "UBND_DONG_DANG", "stage": "accept",
                                "due": "17:00 08/12"},
    NoticeKind.REPORT_URGENT: {"code": "PA-26-7K3M9QX", "unit": "BCH_PCTT", "category": "Landslide",
                               "due": "10:00 08/12"},
    NoticeKind.SIGN_IN_CODE: {"code": "042917", "minutes": 5},
    NoticeKind.QUESTIONNAIRE: {"code": "PA-26-7K3M9QX", "link": "https://gate.test/r/PA-26-7K3M9QX/questionnaire?t=t0"},
}


def a_notice(kind: NoticeKind, locale: str = "en", **values: object) -> str:
    """The notice of ``kind`` with its usual values, some replaced by ``values``."""
    return render(kind, locale, **{**VALUES[kind], **values})


def test_every_kind_of_notice_has_its_values_to_fill_in():
    assert set(VALUES) == set(NoticeKind)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_names_the_sender_and_carries_each_of_its_values_in_every_language(kind, locale):
    text = a_notice(kind, locale)
    assert text.startswith("bordergate")
    assert "{" not in text and "}" not in text
    for name, value in VALUES[kind].items():
        if name != "expired":
            assert str(value) in text, name


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_each_language_has_its_own_words(kind):
    assert len({a_notice(kind, locale) for locale in LOCALES}) == 3


@pytest.mark.parametrize("locale", ["fr", "", "VI", "en-GB"])
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_a_language_the_gate_does_not_write_gets_the_vietnamese_notice(kind, locale):
    assert a_notice(kind, locale) == a_notice(kind, "vi")


def test_a_booking_notice_says_where_when_and_the_reference():
    assert a_notice(NoticeKind.BOOKED) == ("bordergate: truck 12C-123.45 is booked at HUU_NGHI (10:00 27/11). "
                                           "Ref HN-0001. Follow: https://gate.test/track/HN-0001/k3y")
    assert a_notice(NoticeKind.BOOKED, "vi") == ("bordergate: xe 12C-123.45 đã đặt chỗ tại HUU_NGHI (10:00 27/11). "
                                                 "Mã HN-0001. Theo dõi: https://gate.test/track/HN-0001/k3y")


def test_a_call_tells_the_driver_the_deadline_to_reach_the_checkpoint():
    assert a_notice(NoticeKind.CALLED) == ("bordergate: truck 12C-123.45 is called to HUU_NGHI. "
                                           "Reach the checkpoint by 08:20 27/11.")
    assert a_notice(NoticeKind.CALLED, "zh") == ("bordergate：车辆12C-123.45请前往HUU_NGHI，"
                                                 "须在08:20 27/11前到达检查点。")


def test_a_moved_expected_time_says_how_many_trucks_are_ahead():
    assert a_notice(NoticeKind.POSITION_MOVED, "vi") == ("bordergate: xe 12C-123.45 dự kiến được gọi lúc 11:20 27/11 "
                                                         "(17 xe phía trước).")


def test_a_moved_booking_says_why_in_the_order_each_language_puts_it():
    assert a_notice(NoticeKind.MOVED) == ("bordergate: truck 12C-123.45's booking moved to 14:00 27/11 "
                                          "because fog on the pass.")
    assert a_notice(NoticeKind.MOVED, "zh", reason="大雾") == ("bordergate：因大雾，"
                                                               "车辆12C-123.45的预约改至14:00 27/11。")


def test_a_regulation_order_is_passed_on_word_for_word():
    assert a_notice(NoticeKind.REGULATION) == "bordergate: regulation order at HUU_NGHI: hold at the Km 7 staging area"


def test_a_shelf_life_warning_sets_the_wait_against_the_cargos_life():
    assert a_notice(NoticeKind.SHELF_LIFE_WARNING) == (
        "bordergate: warning: expected wait 31 h at HUU_NGHI, but truck 12C-123.45's cargo keeps 18 h. "
        "Consider not dispatching yet.")


# A missed call


@pytest.mark.parametrize(("locale", "expired", "text"), [
    ("en", False, "bordergate: truck 12C-123.45 did not arrive in time. It goes to the back of the live queue."),
    ("en", True, "bordergate: truck 12C-123.45 did not arrive in time. The booking has ended (second missed call)."),
    ("vi", False, "bordergate: xe 12C-123.45 không đến kịp. Xe được xếp lại cuối hàng chờ."),
    ("vi", True, "bordergate: xe 12C-123.45 không đến kịp. Lượt đặt đã bị hủy (lần lỡ thứ hai)."),
    ("zh", False, "bordergate：车辆12C-123.45未按时到达。已排至实时队列末尾。"),
    ("zh", True, "bordergate：车辆12C-123.45未按时到达。预约已失效（第二次过号）。"),
    ("fr", True, "bordergate: xe 12C-123.45 không đến kịp. Lượt đặt đã bị hủy (lần lỡ thứ hai)."),
])
def test_a_missed_call_says_whether_the_truck_goes_back_in_the_queue_or_lost_its_booking(locale, expired, text):
    assert a_notice(NoticeKind.CALL_EXPIRED, locale, expired=expired) == text


def test_the_outcome_of_a_missed_call_follows_the_truth_of_expired():
    assert a_notice(NoticeKind.CALL_EXPIRED, expired=1) == a_notice(NoticeKind.CALL_EXPIRED, expired=True)
    assert a_notice(NoticeKind.CALL_EXPIRED, expired=0) == a_notice(NoticeKind.CALL_EXPIRED, expired=False)


def test_rendering_leaves_the_callers_values_alone():
    values = dict(VALUES[NoticeKind.CALL_EXPIRED])
    render(NoticeKind.CALL_EXPIRED, "en", **values)
    assert values == VALUES[NoticeKind.CALL_EXPIRED]


# Times as read at the gate


@pytest.mark.parametrize(("moment", "text"), [
    (NOW, "08:00 27/11"),
    (datetime(2026, 11, 27, 16, 59, tzinfo=UTC), "23:59 27/11"),
    (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), "00:00 28/11"),
    (datetime(2026, 12, 31, 18, 5, tzinfo=UTC), "01:05 01/01"),
    (datetime(2026, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=8))), "08:30 27/11"),
])
def test_a_time_is_shown_in_lang_son_time_as_hours_minutes_day_and_month(moment, text):
    assert local_time(moment, "en") == text


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(LOCALES))
def test_a_time_reads_the_same_in_every_language_seven_hours_ahead_of_utc(moment, locale):
    assert local_time(moment, locale) == (moment + timedelta(hours=7)).strftime("%H:%M %d/%m")


@pytest.mark.parametrize(("locale", "text"), [("vi", "chưa xác định"), ("en", "not yet known"), ("zh", "待定")])
def test_a_time_not_yet_known_says_so_in_the_readers_language(locale, text):
    assert local_time(None, locale) == text


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_kinds_of_notice_are_named_in_each_language(kind):
    assert all(kind.label(locale) for locale in LOCALES)
    assert len({kind.label(locale) for locale in LOCALES}) == 3
