"""Filing's guards and attachments: the rate limits and standing, the same filing twice, photos stored with it."""
from __future__ import annotations

from datetime import datetime

from bordergate.domain.errors import FieldProblem, Invalid, TooManyRequests
from bordergate.domain.report_events import ReportMarkedSpam
from bordergate.domain.report_limits import (SAME_FILING_WINDOW, FilingLimits, ReporterStandingLowered, SameFiling,
                                             after_spam, counters, reporter_key, text_digest)
from bordergate.domain.report_photos import Photo, PhotoVisibility, ReportPhotoAdded
from bordergate.domain.working_days import VIETNAM
from bordergate.services.filing_repositories import PhotoStore, StoredPhoto
from bordergate.services.unit_of_work import UnitOfWork

_HOW_MANY = {("account:", "hour"): "reports from your account this hour",
             ("account:", "day"): "reports from your account today",
             ("address:", "hour"): "reports from this connection this hour",
             ("anonymous:", "day"): "reports without signing in from this connection today"}


def admit(uow: UnitOfWork, limits: FilingLimits, at: datetime, user_id: str | None, address: str | None,
          category: str, description: str, photos: int) -> str | None:
    """Let a filing through the abuse controls, taking its counts; answers whose standing it counts against.
    Raises SameFiling (the first report's code), TooManyRequests (with when to try again) or Invalid.

    The controls guard the doors people come through, which say the address a request came from (the screens,
    the API, Open311). A command without one (the command line, the demo's seeding) is the operator's own doing
    and is not counted."""
    if photos > limits.photos_max:
        raise Invalid([FieldProblem("photos", f"send at most {limits.photos_max} photos with a report")])
    if address is None:
        return None
    key = reporter_key(user_id, address, limits.address_salt)
    assert key is not None
    digest = text_digest(category, description)
    first = uow.filing.same_filing(key, digest, at - SAME_FILING_WINDOW)
    if first is not None:
        raise SameFiling(first)
    standing = uow.filing.standing(key)
    if standing is not None and standing.suspended(at):
        raise TooManyRequests(
            f"reports from {'your account' if user_id else 'this connection'} were marked as spam "
            f"{standing.spam_marks} times: filing is suspended until {standing.until.astimezone(VIETNAM):%d/%m/%Y}; you may still "
            "follow reports", _seconds(standing.until, at))
    for counter in counters(limits, at, user_id, address, standing):
        if not uow.filing.take(counter):
            what = _HOW_MANY[(counter.key.split(":")[0] + ":", counter.span)]
            raise TooManyRequests(f"you have reached {counter.limit} {what}; try again after "
                                  f"{counter.end:%H:%M %d/%m} (Vietnam time)", _seconds(counter.end, at))
    return key


def remember(uow: UnitOfWork, tracking_code: str, key: str | None, category: str, description: str,
             at: datetime) -> None:
    if key is not None:
        uow.filing.remember(tracking_code, key, text_digest(category, description), at)


def attach_photos(uow: UnitOfWork, store: PhotoStore, tracking_code: str, photos: tuple[Photo, ...], actor: str,
                  at: datetime) -> None:
    """Keep the photos' files (named by digest, so a rolled-back filing leaves only a file nobody points to)
    and their rows, each audited; seen by the handling unit only until an officer publishes one."""
    seq = len(uow.report_photos.of(tracking_code))
    for photo in photos:
        seq += 1
        store.put(photo.storage_key, photo.jpeg)
        store.put(photo.thumb_key, photo.thumbnail)
        visibility = PhotoVisibility.UNIT_ONLY.value
        uow.report_photos.add(StoredPhoto(tracking_code, seq, photo.sha256, photo.width, photo.height, photo.size,
                                          photo.storage_key, photo.thumb_key, visibility, at))
        uow.record(ReportPhotoAdded(actor, at, tracking_code, seq, photo.sha256, photo.width, photo.height,
                                    photo.size, visibility))


def lower_standing(event: ReportMarkedSpam, uow: UnitOfWork, filing_limits: FilingLimits) -> None:
    """A report marked as spam halves its reporter's daily cap for the penalty time; three marks suspend filing.
    (In the mark's transaction: the mark and its consequence stand or fall together.)"""
    key = uow.filing.reporter_of(event.code)
    if key is None:
        return
    standing = after_spam(uow.filing.standing(key), key, event.at, filing_limits.spam_penalty_days)
    uow.filing.save_standing(standing)
    uow.record(ReporterStandingLowered(event.actor, event.at, key, event.code, standing.spam_marks,
                                       standing.cap_percent, standing.until))


def _seconds(until: datetime, at: datetime) -> int:
    return max(1, int((until - at).total_seconds() + 0.999))
