"""The one range of dates bordergate deals in: 2000-01-01 to 2100-12-31, ends included."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bordergate.domain.dates import EARLIEST, LATEST, day_in_range, moment_in_range
from bordergate.domain.errors import InvalidValue


def test_the_first_and_last_days_are_in_range_and_the_days_beyond_are_not():
    assert (day_in_range(EARLIEST), day_in_range(LATEST)) == (date(2000, 1, 1), date(2100, 12, 31))
    for beyond in (EARLIEST - timedelta(days=1), LATEST + timedelta(days=1), date.min, date.max):
        with pytest.raises(InvalidValue, match="between 2000-01-01 and 2100-12-31"):
            day_in_range(beyond)


@pytest.mark.parametrize("moment", [datetime.min.replace(tzinfo=timezone(timedelta(hours=7))),
                                    datetime.max.replace(tzinfo=timezone(timedelta(hours=-12))),
                                    datetime(1999, 12, 31, 23, 59, tzinfo=UTC)])
def test_a_moment_is_dated_as_written_and_refused_outside_the_range(moment):
    with pytest.raises(InvalidValue, match="between 2000-01-01 and 2100-12-31"):
        moment_in_range(moment)
    assert moment_in_range(datetime(2100, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))).year == 2100
