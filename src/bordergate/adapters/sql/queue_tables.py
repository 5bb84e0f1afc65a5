"""The queue's tables: capacity, hourly slots, bookings, regulation orders, the notice outbox, published waits."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, text

from bordergate.adapters.sql.schema import Document, Moment, metadata

# The queue: capacity, hourly slots, bookings, regulation orders, the notification outbox, published waits.
capacity_plans = Table(
    "capacity_plans", metadata,
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), primary_key=True),
    Column("direction", String(10), primary_key=True),
    Column("hourly", Document, nullable=False),
    Column("updated_at", Moment, nullable=False),
)

capacity_changes = Table(
    "capacity_changes", metadata,
    Column("id", String(36), primary_key=True),
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), nullable=False),
    Column("direction", String(10)),
    Column("starts_at", Moment, nullable=False),
    Column("ends_at", Moment, nullable=False),
    Column("per_hour", Integer, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("created_at", Moment, nullable=False),
    Index("ix_capacity_changes_point_end", "crossing_point", "ends_at"),
)

day_limits = Table(
    "day_limits", metadata,
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), primary_key=True),
    Column("direction", String(10), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("trucks", Integer, nullable=False),
)

# One row per hour someone booked: the capacity is on the row, so "booked < capacity" is checked and the place
# taken in one atomic UPDATE, however many clients race for the last place.
slots = Table(
    "slots", metadata,
    Column("crossing_point", String(32), primary_key=True),
    Column("direction", String(10), primary_key=True),
    Column("starts_at", Moment, primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("booked", Integer, nullable=False),
)

_ACTIVE_BOOKING = text("status IN ('booked', 'waiting', 'called')")
bookings = Table(
    "bookings", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(24), ForeignKey("declarations.reference"), nullable=False),
    Column("enterprise_id", String(36), nullable=False),
    Column("booked_by", String(64), nullable=False),
    Column("crossing_point", String(32), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("tractor_plate", String(16), nullable=False),
    Column("booked_at", Moment, nullable=False),
    Column("slot_start", Moment),
    Column("priority", String(16), nullable=False),
    Column("perishable_until", Moment),
    Column("arrives_at", Moment),
    Column("status", String(10), nullable=False),
    Column("queued_at", Moment),
    Column("called_at", Moment),
    Column("call_deadline", Moment),
    Column("missed_calls", Integer, nullable=False),
    Column("missed_call_at", Moment),
    Column("ended_at", Moment),
    Column("strike", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("expected_call_at", Moment),
    Column("told_expected_at", Moment),
    Index("ix_bookings_queue", "crossing_point", "direction", "status"),
    Index("ix_bookings_enterprise_strikes", "enterprise_id", "strike", "ended_at"),
    Index("ix_bookings_booked_by", "booked_by", "booked_at"),
    # One place per trip and per truck: what ended slot reselling and bots elsewhere.
    Index("ux_bookings_active_reference", "reference", unique=True,
          sqlite_where=_ACTIVE_BOOKING, postgresql_where=_ACTIVE_BOOKING),
    Index("ux_bookings_active_plate", "tractor_plate", unique=True,
          sqlite_where=_ACTIVE_BOOKING, postgresql_where=_ACTIVE_BOOKING),
    # Yesterday's trucks of a lane, scored against the waits published when they drove in.
    Index("ix_bookings_lane_queued", "crossing_point", "direction", "queued_at"),
)

# Every booking attempt, refused ones included: a bot hammering a full hour is slowed like one that books.
booking_attempts = Table(
    "booking_attempts", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("at", Moment, nullable=False),
    Index("ix_booking_attempts_user_at", "user_id", "at"),
)

regulation_orders = Table(
    "regulation_orders", metadata,
    Column("id", String(36), primary_key=True),
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), nullable=False),
    Column("direction", String(10)),
    Column("staging_area", String(200), nullable=False),
    Column("message", String(500), nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_at", Moment, nullable=False),
    Column("lifted_by", String(64)),
    Column("lifted_at", Moment),
    Index("ix_regulation_orders_point", "crossing_point", "lifted_at"),
)

notices = Table(
    "notices", metadata,
    Column("id", String(36), primary_key=True),
    Column("key", String(160), nullable=False, unique=True),
    Column("kind", String(24), nullable=False),
    Column("reference", String(24)),
    Column("phone", String(20), nullable=False),
    Column("locale", String(2), nullable=False),
    Column("text", String(500), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Moment, nullable=False),
    Column("sent_at", Moment),
    Column("provider_id", String(100)),
    Column("last_error", String(500)),
    Index("ix_notices_due", "status", "next_attempt_at"),
    Index("ix_notices_reference", "reference", "created_at"),
)

queue_snapshots = Table(
    "queue_snapshots", metadata,
    Column("crossing_point", String(32), primary_key=True),
    Column("direction", String(10), primary_key=True),
    Column("at", Moment, primary_key=True),
    Column("waiting", Integer, nullable=False),
    Column("called", Integer, nullable=False),
    Column("booked_ahead", Integer, nullable=False),
    Column("capacity_this_hour", Integer, nullable=False),
    Column("expected_wait_minutes", Integer),
    Column("expected_wait_low_minutes", Integer),
    Column("expected_wait_high_minutes", Integer),
    Column("urgent_wait_minutes", Integer),
)
