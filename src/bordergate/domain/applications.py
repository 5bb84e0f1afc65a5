"""An application lodged at the province's one-stop desk, as its receipt code finds it: its state and deadlines."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.labels import Labelled

# Receipt codes are the one-stop system's own (e.g. 000.00.25.H35-261201-0001): opaque to bordergate, so only
# their alphabet and length are checked before asking.
RECEIPT_CODE = re.compile(r"[A-Z0-9.\-]{6,40}")


class ApplicationState(Labelled):
    """Where an application stands at the agency that handles it."""

    RECEIVED = ("received", "Đã tiếp nhận", "Received", "已受理", "blue")
    IN_PROGRESS = ("in_progress", "Đang giải quyết", "Being processed", "办理中", "blue")
    MORE_DOCUMENTS = ("more_documents", "Cần bổ sung hồ sơ", "More documents needed", "需补充材料", "amber")
    READY = ("ready", "Đã có kết quả, mời nhận", "Result ready to collect", "结果已出，请领取", "green")
    RETURNED = ("returned", "Đã trả kết quả", "Result handed over", "已发放结果", "green")
    REFUSED = ("refused", "Không giải quyết (có văn bản nêu lý do)", "Refused, with the reasons in writing",
               "不予办理（书面说明理由）", "red")


@dataclass(frozen=True)
class ApplicationStatus:
    """What the one-stop system says of an application."""

    receipt_code: str
    procedure: str
    agency: str
    received_at: datetime
    due_at: datetime | None
    state: ApplicationState
    result_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Past its deadline without a result."""
        return self.due_at is not None and self.result_at is None and now > self.due_at

    def as_document(self) -> dict[str, Any]:
        return {"receipt_code": self.receipt_code, "procedure": self.procedure, "agency": self.agency,
                "received_at": self.received_at.isoformat(), "due_at": _moment(self.due_at),
                "state": self.state.value, "result_at": _moment(self.result_at)}


def read_receipt_code(text: str) -> str:
    """A receipt code as typed (spaces dropped, capitals), or Invalid saying what a code looks like."""
    code = "".join(str(text or "").split()).upper()
    if not RECEIPT_CODE.fullmatch(code):
        raise Invalid([FieldProblem("receipt_code", "is 6-40 letters, digits, dots and dashes, as printed on the "
                                                    "receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả)")])
    return code


def read_status(data: dict[str, Any]) -> ApplicationStatus:
    """An application's status from the one-stop system's answer; Invalid naming what does not fit."""
    problems: list[FieldProblem] = []

    def moment(name: str, required: bool) -> datetime | None:
        value = data.get(name)
        if value is None and not required:
            return None
        try:
            found = datetime.fromisoformat(str(value))
        except ValueError:
            found = None
        if found is None or found.tzinfo is None:
            problems.append(FieldProblem(name, "must be an ISO 8601 moment with its time zone"))
        return found

    texts = {n: data.get(n) for n in ("receipt_code", "procedure", "agency")}
    for name, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(FieldProblem(name, "must be a text"))
    received, due, result = moment("received_at", True), moment("due_at", False), moment("result_at", False)
    try:
        state = ApplicationState(str(data.get("state")))
    except ValueError:
        problems.append(FieldProblem("state", "must be one of: " + ", ".join(s.value for s in ApplicationState)))
    if problems or received is None:
        raise Invalid(problems)
    return ApplicationStatus(str(texts["receipt_code"]), str(texts["procedure"]), str(texts["agency"]), received,
                             due, state, result)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
