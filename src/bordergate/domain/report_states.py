"""A report's states, how it may end, who moves it, and the table of which step leads where (and by whom)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bordergate.domain.labels import Labelled


class ReportState(Labelled):
    """Where a report stands; each maps to Open311's ``open`` or ``closed`` (``open311_status``)."""

    RECEIVED = ("received", "Đã tiếp nhận", "Received", "已受理", "blue")
    IN_PROGRESS = ("in_progress", "Đang xử lý", "In progress", "处理中", "amber")
    AWAITING_REPORTER = ("awaiting_reporter", "Chờ người phản ánh bổ sung", "Waiting for the reporter",
                         "等待反映人补充", "amber")
    ANSWERED = ("answered", "Đã trả lời", "Answered", "已答复", "green")
    CLOSED = ("closed", "Đã đóng", "Closed", "已关闭", "grey")

    @property
    def open311_status(self) -> str:
        return "closed" if self in (ReportState.ANSWERED, ReportState.CLOSED) else "open"


class Resolution(Labelled):
    """How a report ended (FixMyStreet's closed states, less "not responsible": that is a transfer here)."""

    FIXED = ("fixed", "Đã khắc phục", "Fixed", "已解决", "green")
    EXPLAINED = ("explained", "Đã giải đáp", "Explained", "已解释", "green")
    UNABLE_TO_FIX = ("unable_to_fix", "Không thể khắc phục", "Unable to fix", "无法解决", "amber")
    DUPLICATE = ("duplicate", "Trùng phản ánh khác", "Duplicate", "重复", "grey")
    SPAM = ("spam", "Phản ánh rác", "Spam", "垃圾信息", "grey")
    WITHDRAWN = ("withdrawn", "Người phản ánh rút lại", "Withdrawn", "已撤回", "grey")


# What an answer may settle a report as (duplicate, spam and withdrawn come by their own commands).
ANSWERS = frozenset({Resolution.FIXED, Resolution.EXPLAINED, Resolution.UNABLE_TO_FIX})


class Party(StrEnum):
    """Who moves a report: its reporter (signed in, or holding its secret link), an officer or supervisor of the
    unit it is assigned to, the coordinating unit's supervisor, or the system's sweep."""

    REPORTER = "reporter"
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    """From which states a step may be taken, the state it leads to (None: unchanged) and who may take it."""

    from_states: frozenset[ReportState]
    to: ReportState | None
    parties: frozenset[Party]


_S, _P = ReportState, Party
OPEN = frozenset({_S.RECEIVED, _S.IN_PROGRESS, _S.AWAITING_REPORTER})
# The table every step obeys; steps' own conditions (windows, counts) are checked by the step.
TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({_S.RECEIVED}), _S.IN_PROGRESS, frozenset({_P.OFFICER})),
    "transfer": Transition(frozenset({_S.RECEIVED, _S.IN_PROGRESS}), _S.RECEIVED,
                           frozenset({_P.OFFICER, _P.COORDINATOR})),
    "ask": Transition(frozenset({_S.IN_PROGRESS}), _S.AWAITING_REPORTER, frozenset({_P.OFFICER})),
    "add_information": Transition(OPEN | {_S.ANSWERED}, None, frozenset({_P.REPORTER})),
    "answer": Transition(frozenset({_S.IN_PROGRESS, _S.AWAITING_REPORTER}), _S.ANSWERED, frozenset({_P.OFFICER})),
    "rate": Transition(frozenset({_S.ANSWERED, _S.CLOSED}), None, frozenset({_P.REPORTER})),
    "reopen": Transition(frozenset({_S.ANSWERED}), _S.IN_PROGRESS, frozenset({_P.REPORTER, _P.SYSTEM})),
    "close": Transition(frozenset({_S.ANSWERED}), _S.CLOSED, frozenset({_P.OFFICER, _P.SYSTEM})),
    "withdraw": Transition(frozenset({_S.RECEIVED, _S.IN_PROGRESS}), _S.CLOSED, frozenset({_P.REPORTER})),
    "link_duplicate": Transition(frozenset({_S.RECEIVED, _S.IN_PROGRESS}), _S.CLOSED, frozenset({_P.OFFICER})),
    "mark_spam": Transition(frozenset({_S.RECEIVED, _S.IN_PROGRESS, _S.AWAITING_REPORTER}), _S.CLOSED,
                            frozenset({_P.OFFICER})),
    # Whether the public sees it is apart from where it stands: hiding and showing change no state.
    "hide": Transition(frozenset(ReportState), None, frozenset({_P.OFFICER})),
    "show": Transition(frozenset(ReportState), None, frozenset({_P.OFFICER})),
}
