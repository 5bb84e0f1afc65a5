"""``OverHttp``: the simulator's GateClient over a running server's REST API, for end-to-end load."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx

from bordergate.domain.errors import ChangedMeanwhile
from bordergate.simulator.clients import OFFICER_OF, ROLES, Cast

API = "/api/v1"
# The read models answer in the reader's language; InProcess reads them in English, so these answers must too.
ENGLISH = {"Accept-Language": "en"}


class ServerRefused(RuntimeError):
    """The server answered a request with an error (4xx or 5xx); ``detail`` is the problem's own words."""

    def __init__(self, method: str, path: str, status: int, detail: str) -> None:
        self.method, self.path, self.status, self.detail = method, path, status, detail
        super().__init__(f"{method} {path} refused with {status}: {detail}")


def _detail(answer: httpx.Response) -> str:
    """The problem+json ``detail``, with each bad field when it names them; the body as text otherwise."""
    try:
        problem = answer.json()
    except ValueError:
        return answer.text[:500] or answer.reason_phrase
    if not isinstance(problem, dict):
        return str(problem)[:500]
    detail = str(problem.get("detail") or problem.get("title") or problem)
    fields = [f"{e.get('field')}: {e.get('message')}" for e in problem.get("errors") or [] if isinstance(e, dict)]
    return f"{detail} ({'; '.join(fields)})" if fields else detail


class OverHttp:
    """bordergate behind its REST API: each person signs in with a bearer token, cameras send their keys."""

    def __init__(self, http: httpx.Client, tokens: dict[str, str], enterprise_id: str) -> None:
        missing = [role for role in ROLES if role not in tokens]
        if missing:
            raise ValueError(f"no token for {', '.join(missing)}: OverHttp needs one for each of {', '.join(ROLES)}")
        self.http, self.tokens, self.enterprise_id = http, dict(tokens), enterprise_id
        # Set by with_people: the passwords to sign in again when a token expires during a long run.
        self._passwords: dict[str, tuple[str, str]] = {}

    @classmethod
    def with_people(cls, http: httpx.Client, admin_username: str, admin_password: str) -> OverHttp:
        """Signed in as the administrator: a new enterprise with a declarant, and the center's operator and
        officers, each a new account, as InProcess.with_people makes them."""
        admin = {"Authorization": f"Bearer {_sign_in(http, admin_username, admin_password)}"}
        cast = Cast.new()
        center = _send(http, "POST", f"{API}/organisations", admin, json={"name": cast.center,
                                                                          "kind": "authority"})["id"]
        shipper = _send(http, "POST", f"{API}/organisations", admin, json={
            "name": cast.enterprise, "kind": "enterprise", "tax_code": cast.tax_code})["id"]
        passwords, tokens = {}, {}
        for role in ROLES:
            username, password, full_name = cast.account(role)
            _send(http, "POST", f"{API}/users", admin, json={
                "username": username, "password": password, "full_name": full_name, "role": role,
                "organisation_id": shipper if role == "declarant" else center})
            passwords[role] = (username, password)
            tokens[role] = _sign_in(http, username, password)
        client = cls(http, tokens, shipper)
        client._passwords = passwords
        return client

    def now(self) -> datetime:
        """The server's clock, as /healthz tells it (a replayed day runs on its own clock, not the machine's)."""
        answer = self.http.get("/healthz")
        _raise_for(answer, "GET", "/healthz")
        return datetime.fromisoformat(answer.json()["now"])

    def checkpoint(self, crossing_point: str, kind: str, direction: str, name: str) -> str:
        return self._call("operator", "POST", "/checkpoints", json={
            "crossing_point": crossing_point, "kind": kind, "direction": direction, "name": name, "lanes": 2})["id"]

    def camera(self, checkpoint_id: str, name: str) -> str:
        """The new camera's key, which the server shows only in this answer."""
        return self._call("operator", "POST", f"/checkpoints/{checkpoint_id}/cameras", json={"name": name})["key"]

    def capacity_plan(self, crossing_point: str, direction: str, hourly: tuple[int, ...]) -> None:
        self._call("operator", "PUT", f"/crossing-points/{crossing_point}/capacity/{direction}",
                   json={"hourly": list(hourly)})

    def capacity_change(self, crossing_point: str, direction: str, starts_at: datetime, ends_at: datetime,
                        per_hour: int, reason: str) -> None:
        self._call("operator", "POST", f"/crossing-points/{crossing_point}/capacity-changes", json={
            "direction": direction, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
            "per_hour": per_hour, "reason": reason})

    def day_limit(self, crossing_point: str, direction: str, day: date, trucks: int) -> None:
        self._call("operator", "PUT", f"/crossing-points/{crossing_point}/day-limits/{direction}/{day.isoformat()}",
                   json={"trucks": trucks})

    def declare(self, trip: dict[str, Any]) -> str:
        """The new declaration's reference."""
        return self._call("declarant", "POST", "/declarations",
                          json={**trip, "enterprise_id": self.enterprise_id})["reference"]

    def amend(self, reference: str, changes: dict[str, Any], reason: str) -> None:
        self._call("declarant", "PATCH", f"/declarations/{reference}", json={"changes": changes, "reason": reason})

    def book(self, reference: str) -> dict[str, Any]:
        """A place in the live queue: ``booking_id`` and ``warning``, as the booking command answers in-process."""
        booking = self._call("declarant", "POST", f"/declarations/{reference}/booking", json={"kind": "live"})
        return {"booking_id": booking["id"], "warning": booking["warning"]}

    def cancel_booking(self, reference: str, reason: str) -> None:
        self._call("declarant", "POST", f"/declarations/{reference}/booking/cancel", json={"reason": reason})

    def check_in(self, reference: str) -> None:
        self._call("operator", "POST", f"/declarations/{reference}/booking/check-in")

    def camera_read(self, key: str, plate: str, at: datetime, confidence: float) -> dict[str, Any]:
        path = f"{API}/plate-reads"
        return _send(self.http, "POST", path, {**ENGLISH, "X-Camera-Key": key}, json={
            "captured_at": at.isoformat(), "plate": plate, "confidence": confidence})

    def enter_plate(self, checkpoint_id: str, plate: str, at: datetime, note: str) -> dict[str, Any]:
        return self._call("operator", "POST", f"/checkpoints/{checkpoint_id}/manual-reads", json={
            "plate": plate, "captured_at": at.isoformat(), "note": note})

    def call_forward(self) -> None:
        self._call("operator", "POST", "/control/call-forward")

    def board(self, crossing_point: str, direction: str) -> dict[str, Any]:
        return self._call("operator", "GET", f"/queue/{crossing_point}/{direction}")

    def clearance(self, reference: str) -> dict[str, Any]:
        return self._call("declarant", "GET", f"/declarations/{reference}/clearance")

    def decide(self, reference: str, agency: str, decision: str) -> None:
        self._call(OFFICER_OF[agency], "POST", f"/declarations/{reference}/agencies/{agency}/decisions",
                   json={"action": decision})

    def fee(self, reference: str) -> dict[str, Any]:
        return self._call("declarant", "GET", f"/declarations/{reference}/fee")

    def pay_cash(self, reference: str, amount_vnd: int) -> None:
        self._call("operator", "POST", f"/declarations/{reference}/payments/cash", json={"amount_vnd": amount_vnd})

    def _call(self, role: str, method: str, path: str, json: Any = None) -> Any:
        """``path`` under /api/v1 as ``role``; signed in again once if the token has expired meanwhile."""
        full = f"{API}{path}"
        try:
            return _send(self.http, method, full, self._headers(role), json=json)
        except ServerRefused as refused:
            if refused.status != 401 or role not in self._passwords:
                raise
        self.tokens[role] = _sign_in(self.http, *self._passwords[role])
        return _send(self.http, method, full, self._headers(role), json=json)

    def _headers(self, role: str) -> dict[str, str]:
        return {**ENGLISH, "Authorization": f"Bearer {self.tokens[role]}"}


def _sign_in(http: httpx.Client, username: str, password: str) -> str:
    answer = _send(http, "POST", f"{API}/auth/token", {}, data={"username": username, "password": password})
    return answer["access_token"]


def _send(http: httpx.Client, method: str, path: str, headers: dict[str, str], **body: Any) -> Any:
    """The JSON answer to one request (None when the answer has no body); ServerRefused on a 4xx or 5xx."""
    answer = http.request(method, path, headers=headers, **body)
    _raise_for(answer, method, path)
    return answer.json() if answer.content else None


def _raise_for(answer: httpx.Response, method: str, path: str) -> None:
    if answer.status_code == 409 and _title(answer) == ChangedMeanwhile.title:
        # Another actor (the server's own timer, an operator) changed the record first: the same request will do.
        raise ChangedMeanwhile(f"{method} {path}: {_detail(answer)}")
    if answer.status_code >= 400:
        raise ServerRefused(method, path, answer.status_code, _detail(answer))


def _title(answer: httpx.Response) -> str | None:
    try:
        return answer.json().get("title")
    except ValueError:
        return None
