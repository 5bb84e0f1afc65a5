"""Working days: the calendar of each year as data, and the deadlines counted on it in office hours."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from bordergate.domain.errors import Conflict

# Vietnam keeps one offset all year (no summer time): Asia/Ho_Chi_Minh is UTC+7.
VIETNAM = timezone(timedelta(hours=7))


class NoCalendar(Conflict):
    """No working calendar is published for a year a deadline falls in: an administrator must publish it."""

    title = "No working calendar for that year"


@dataclass(frozen=True)
class Holiday:
    """A day off for the public service, with its name in each language."""

    day: date
    vi: str
    en: str
    zh: str


@dataclass(frozen=True)
class WorkingCalendar:
    """One year's days off (public holidays, Tết, the days swapped for them) and the Saturdays worked in
    exchange, as the government announces them each year; ``source`` names the announcement."""

    year: int
    holidays: tuple[Holiday, ...]
    extra_working_days: frozenset[date] = frozenset()
    source: str = ""
    opens: time = time(7, 30)
    closes: time = time(17, 0)
    # False while a day of the year is the law's rule applied rather than the government's decision for that year:
    # deadlines are counted on it all the same (no calendar would refuse filings), and the admin republishes it.
    confirmed: bool = True

    def __post_init__(self) -> None:
        outside = [h.day for h in self.holidays if h.day.year != self.year]
        outside += [d for d in self.extra_working_days if d.year != self.year]
        if outside:
            raise ValueError(f"the {self.year} calendar names days of another year: {sorted(outside)}")
        if not self.opens < self.closes:
            raise ValueError("office hours must open before they close")

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() < 5 and day not in {h.day for h in self.holidays}


@dataclass(frozen=True)
class Calendars:
    """The published calendars by year; a day of a year without one is refused, never guessed."""

    by_year: Mapping[int, WorkingCalendar] = field(default_factory=dict)

    def of(self, day: date) -> WorkingCalendar:
        calendar = self.by_year.get(day.year)
        if calendar is None:
            raise NoCalendar(f"no working calendar is published for {day.year}; an administrator must publish "
                             f"the year's holidays before deadlines can be counted in it")
        return calendar

    def is_working_day(self, day: date) -> bool:
        return self.of(day).is_working_day(day)

    def _office(self, day: date) -> tuple[datetime, datetime]:
        calendar = self.of(day)
        return (datetime.combine(day, calendar.opens, VIETNAM), datetime.combine(day, calendar.closes, VIETNAM))

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def first_working_day(self, start: datetime) -> date:
        """The working day a clock started at ``start`` counts from: that day if it is a working day and its
        office has not closed yet, else the next working day (a filing at night starts the next morning)."""
        local = start.astimezone(VIETNAM)
        day = local.date()
        if self.is_working_day(day) and local < self._office(day)[1]:
            return day
        return self._next_working_day(day)

    def due_after(self, start: datetime, working_days: int) -> datetime:
        """The close of office on the ``working_days``-th working day after the one ``start`` counts from:
        filed Friday 16:00 with 3 working days, due Wednesday 17:00."""
        if working_days < 1:
            raise ValueError("a deadline is at least one working day")
        day = self.first_working_day(start)
        for _ in range(working_days):
            day = self._next_working_day(day)
        return self._office(day)[1]

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Office minutes of working days between two moments: how long a clock really ran (or was paused)."""
        if end <= start:
            return 0
        total, day = 0.0, start.astimezone(VIETNAM).date()
        last = end.astimezone(VIETNAM).date()
        while day <= last:
            if self.is_working_day(day):
                opens, closes = self._office(day)
                begin, finish = max(opens, start), min(closes, end)
                if finish > begin:
                    total += (finish - begin).total_seconds() / 60
            day += timedelta(days=1)
        return int(total)

    def working_days_between(self, start: datetime, end: datetime) -> float:
        """Working days (office days' length) between two moments, for statistics."""
        opens, closes = self._office(self.first_working_day(start))
        return self.working_minutes_between(start, end) / ((closes - opens).total_seconds() / 60)

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """``moment`` moved on by ``minutes`` of office time: a deadline after a pause of that much work time."""
        local = moment.astimezone(VIETNAM)
        day, left = local.date(), float(minutes)
        while True:
            if self.is_working_day(day):
                opens, closes = self._office(day)
                begin = max(opens, local)
                if begin < closes:
                    room = (closes - begin).total_seconds() / 60
                    if left <= room:
                        return begin + timedelta(minutes=left)
                    left -= room
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), VIETNAM)


def _h(day: date, vi: str, en: str, zh: str) -> Holiday:
    return Holiday(day, vi, en, zh)


def _tet(year: int, first: date, last: date) -> tuple[Holiday, ...]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return tuple(_h(d, f"Nghỉ Tết Nguyên đán {year}", f"Lunar New Year (Tết) {year}", f"{year}年春节")
                 for d in days if d.weekday() < 5)


# 2026 for the public service. Tết Bính Ngọ, Saturday 14 to Sunday 22 February (9 days), is the plan the government
# settled (reported by Công an TP.HCM, "Chính thức chốt phương án Tết Nguyên đán Bính Ngọ 2026 nghỉ 9 ngày"). The
# other days follow the Labour Code with the usual day in lieu; the 1-2 September pair is the pattern of past years,
# to confirm against the Ministry of Home Affairs notice (an admin republishes the year when a day changes).
CALENDAR_2026 = WorkingCalendar(
    year=2026,
    holidays=(
        _h(date(2026, 1, 1), "Tết Dương lịch", "New Year's Day", "元旦"),
        *_tet(2026, date(2026, 2, 14), date(2026, 2, 22)),
        # Hùng Kings' day (10/3 lunar) falls on Sunday 26 April: the Monday after is the day off.
        _h(date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương", "Hung Kings' Day (in lieu)", "雄王忌日(补休)"),
        _h(date(2026, 4, 30), "Ngày Giải phóng miền Nam", "Reunification Day", "南方解放日"),
        _h(date(2026, 5, 1), "Ngày Quốc tế Lao động", "International Labour Day", "国际劳动节"),
        _h(date(2026, 9, 1), "Nghỉ Quốc khánh", "National Day holiday", "国庆节假期"),
        _h(date(2026, 9, 2), "Quốc khánh", "National Day", "国庆节"),
    ),
    source="Tết: phương án nghỉ Tết Bính Ngọ 2026 đã chốt (14-22/2); other days per the Labour Code, National Day "
           "pair to confirm against the Ministry of Home Affairs notice",
)

# 2027, not yet decided by the government when this was written (December 2026; no decision for 2027 was found in
# the stored sources), so it is the Labour Code 2019's Article 112 applied, marked unconfirmed: Tết is 5 days, the
# last day of the old year (29 tháng Chạp Bính Ngọ, Friday 5 February; the lunar year has no 30th) and the first
# four of Đinh Mùi (Saturday 6 to Tuesday 9 February); the two falling on the weekend are given back on the next
# working days, Wednesday 10 and Thursday 11 February, as the 2020 notice did (4544/TB-LĐTBXH). Hùng Kings' day,
# 10/3 lunar, is Friday 16 April; Labour Day falls on Saturday 1 May, so Monday 3 May is the day in lieu; National
# Day is Thursday 2 September and the day after. 24 November (Ngày Văn hóa Việt Nam) is the Politburo's decision to
# make a paid holiday (reported by Báo Phú Thọ), kept here until the law says otherwise.
CALENDAR_2027 = WorkingCalendar(
    year=2027,
    holidays=(
        _h(date(2027, 1, 1), "Tết Dương lịch", "New Year's Day", "元旦"),
        *_tet(2027, date(2027, 2, 5), date(2027, 2, 11)),
        _h(date(2027, 4, 16), "Giỗ Tổ Hùng Vương", "Hung Kings' Day", "雄王忌日"),
        _h(date(2027, 4, 30), "Ngày Giải phóng miền Nam", "Reunification Day", "南方解放日"),
        _h(date(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động", "International Labour Day (in lieu)",
           "国际劳动节(补休)"),
        _h(date(2027, 9, 2), "Quốc khánh", "National Day", "国庆节"),
        _h(date(2027, 9, 3), "Nghỉ Quốc khánh", "National Day holiday", "国庆节假期"),
        _h(date(2027, 11, 24), "Ngày Văn hóa Việt Nam", "Vietnam Culture Day", "越南文化日"),
    ),
    source="Not yet decided for 2027: the Labour Code 2019, Article 112, applied. Tết Đinh Mùi (Saturday 6 "
           "February): 29 tháng Chạp (5 Feb) and mùng 1-4 (6-9 Feb), the weekend's two given back on 10-11 Feb; "
           "Hùng Kings 16 Apr; 1 May (Saturday) in lieu on 3 May; National Day 2-3 Sep; 24 Nov Vietnam Culture "
           "Day (Politburo). Republish with the Prime Minister's decision.",
    confirmed=False,
)

CALENDARS = Calendars({2026: CALENDAR_2026, 2027: CALENDAR_2027})
