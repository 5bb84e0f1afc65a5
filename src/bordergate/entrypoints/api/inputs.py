"""What requests carry: bodies that name only known fields, and dates and times (query, path, body, form) each in
bordergate's range (domain/dates.py), else 422 naming the field and the range."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from bordergate.domain.dates import day_in_range, moment_in_range

Day = Annotated[date, AfterValidator(day_in_range)]
"""A calendar day, 2000-01-01 .. 2100-12-31."""
Moment = Annotated[AwareDatetime, AfterValidator(moment_in_range)]
"""A moment with its time zone, dated 2000-01-01 .. 2100-12-31."""
AnyMoment = Annotated[datetime, AfterValidator(moment_in_range)]
"""A moment in range whose missing time zone the domain itself names (a trip's planned arrival)."""


class In(BaseModel):
    """Every request body: a field the API does not know is refused (422), not silently dropped, so a typo in a
    field's name is said rather than lost."""

    model_config = ConfigDict(extra="forbid")
