"""Idempotency keys: a retried creating request gets its first answer, the key written in the change's transaction."""
from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bordergate.domain.errors import ChangedMeanwhile, Conflict, FieldProblem, Invalid
from bordergate.domain.events import Event

if TYPE_CHECKING:
    from bordergate.services.unit_of_work import UnitOfWork

HEADER = "Idempotency-Key"
RUNNING, COMMITTED, ANSWERED = "running", "committed", "answered"


@dataclass(frozen=True)
class KeyedRequest:
    """A request sent with an Idempotency-Key: who sent it (``scope``), to what, the key, and its body's digest."""

    scope: str
    method: str
    path: str
    key: str
    fingerprint: str

    @property
    def id(self) -> str:
        """One short key for the four: paths may be long, and two senders' equal keys must never meet."""
        return hashlib.sha256("\n".join((self.scope, self.method, self.path, self.key)).encode()).hexdigest()


@dataclass
class Claim:
    """This request holds the key while it runs; ``token`` proves it is still the holder."""

    request: KeyedRequest
    token: str
    committed: bool = False


@dataclass(frozen=True)
class Answer:
    """A response as it was first sent, to be sent again byte for byte."""

    status: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class Found:
    """What the key already holds: its first answer, or (``answer`` None) the effects of a change whose answer was
    lost with the server that committed it."""

    answer: Answer | None
    effects: list[dict[str, Any]]


class KeyInUse(Conflict):
    """The first request with this key is still running; ask again in ``retry_after`` seconds."""

    title = "The first request with this Idempotency-Key is still running"

    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


_held: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)


@contextlib.contextmanager
def holding(claim: Claim) -> Iterator[None]:
    """While the request runs, its unit of work writes the key with the change it commits (``settle``)."""
    token = _held.set(claim)
    try:
        yield
    finally:
        _held.reset(token)


def settle(uow: UnitOfWork, events: list[Event]) -> None:
    """Called by ``UnitOfWork.commit`` before it commits: the request's key becomes 'committed' with what changed,
    in the same transaction, so a crash after the commit cannot leave a change that a retry would repeat."""
    claim = _held.get()
    if claim is None or claim.committed or not events:
        return  # a commit with no events changed nothing a person would see (e.g. counting a booking attempt)
    if not uow.idempotency_keys.settle(claim.request.id, claim.token, events):
        raise ChangedMeanwhile(f"another request with the same {HEADER} took over while this one ran; nothing was "
                               "saved, send it again to get that request's answer")
    claim.committed = True


def claim(uow: UnitOfWork, request: KeyedRequest, token: str, now: datetime, keep: timedelta,
          running: timedelta) -> Claim | Found:
    """Take the key for this request, or find what it already holds; 422 if it was used with another body, 409
    while the first request with it runs."""
    with uow:
        keys = uow.idempotency_keys
        keys.purge(now)
        if keys.insert(request, token, now, expires_at=now + keep, running_until=now + running):
            uow.commit()
            return Claim(request, token)
        held = keys.get(request.id)
        if held is None:  # freed by its holder between our insert and this read: the next try takes it
            raise KeyInUse(f"the {HEADER} was just released by another request; send this one again")
        if held["fingerprint"] != request.fingerprint:
            raise Invalid([FieldProblem(HEADER, f"this key was already used for another request to {request.path}; "
                                                "send a new key for a new request, or the same body to get the "
                                                "first answer")])
        if held["state"] == ANSWERED:
            return Found(Answer(held["status"], held["headers"], held["body"]), [])
        if held["running_until"] > now:
            raise KeyInUse(f"the first request with this {HEADER} is still being processed; send the same "
                           "request again in a moment to get its answer")
        if held["state"] == COMMITTED:
            return Found(None, held["effects"])
        # The holder stopped before changing anything (its server died): this request runs it instead.
        keys.take_over(request.id, held["claim"], token, now + running)
        uow.commit()
        return Claim(request, token)


def answered(uow: UnitOfWork, request: KeyedRequest, answer: Answer, token: str | None = None) -> None:
    """Keep the answer for retries (``token`` None: an answer rebuilt for a change whose first answer was lost)."""
    with uow:
        uow.idempotency_keys.answer(request.id, token, answer)
        uow.commit()


def release(uow: UnitOfWork, claim: Claim, now: datetime) -> None:
    """The request failed: a key whose change never committed is forgotten (the retry runs it); one whose change
    committed stops running, so the retry gets the answer rebuilt from what was created."""
    with uow:
        uow.idempotency_keys.release(claim.request.id, claim.token, now)
        uow.commit()
