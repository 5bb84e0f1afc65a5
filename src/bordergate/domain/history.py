"""A trip's history in sentences: what each event a person can see says, with its particulars, in vi/en/zh.

(design) One table, keyed by the event's name as the audit trail records it. ``tests/unit/test_history_sentences``
fails when an event that can reach a trip's history has no sentence in one of the three languages. The service
adds what the trail does not hold (a checkpoint's name, the notice's text) to the payload before it is told.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bordergate.domain.alerts import AlertKind
from bordergate.domain.barrier import Decision, Reason
from bordergate.domain.booking import BookingKind, Priority
from bordergate.domain.checkpoints import CheckpointKind
from bordergate.domain.clearance import Source
from bordergate.domain.history_words import agencies, agency, because, joined, label, moment, pick, plate, vnd
from bordergate.domain.inspection import Channel
from bordergate.domain.notices import DECLARANT_KINDS
from bordergate.domain.payments import PaymentMethod
from bordergate.domain.plate_reads import ReadSource

Payload = dict[str, Any]
Values = Callable[[Payload, str], dict[str, Any]]


@dataclass(frozen=True)
class Sentence:
    """What one kind of event says: a template per language, and how its particulars are put in words."""

    vi: str
    en: str
    zh: str
    values: Values = lambda payload, locale: {}

    def told(self, payload: Payload, locale: str) -> str:
        return pick({"vi": self.vi, "en": self.en, "zh": self.zh}, locale).format(**self.values(payload, locale))


def _w(texts: dict[str, str]) -> Callable[[str], str]:
    return lambda locale: pick(texts, locale)


_FIELD_COUNT = _w({"vi": "{n} trường", "en": "{n} fields", "zh": "{n}项"})
_LATE = _w({"vi": " (hủy muộn, bị tính một lần vi phạm)", "en": " (late: it counts against the declarant)",
            "zh": "（过晚取消，计一次违约）"})
_EXPIRED = _w({"vi": "lượt đặt đã bị hủy", "en": "the booking has ended", "zh": "预约已失效"})
_BACK = _w({"vi": "xe xếp lại cuối hàng chờ", "en": "back to the end of the live queue", "zh": "已排至实时队列末尾"})
_HOW = {"manual": _w({"vi": "do điều hành ghi nhận", "en": "recorded by an operator", "zh": "由操作员登记"})}
_TO_DRIVER = _w({"vi": "lái xe", "en": "the driver", "zh": "司机"})
_TO_DECLARANT = _w({"vi": "doanh nghiệp", "en": "the enterprise", "zh": "企业"})
_NONE = _w({"vi": "không có", "en": "none", "zh": "无"})
# An agency's decision in the past tense, with what it means for the truck: "decided" alone told nobody anything.
_DECISIONS = {
    "release": _w({"vi": "cho qua", "en": "released the truck", "zh": "已放行"}),
    "hold": _w({"vi": "tạm dừng, yêu cầu bổ sung", "en": "held the truck for information", "zh": "暂停，要求补充"}),
    "inspect": _w({"vi": "yêu cầu kiểm tra thực tế", "en": "sent the truck to physical inspection",
                   "zh": "要求实货查验"}),
    "refuse": _w({"vi": "từ chối, xe phải quay lại", "en": "refused the truck: it returns", "zh": "拒绝，车辆须退回"}),
}
# What the other trip of a truck's way out and empty way back is to this one (TripsLinked.linked_as).
_LINKED = {"return": {"vi": "chuyến về rỗng", "en": "the empty return trip", "zh": "空车回程"},
           "outbound": {"vi": "chuyến đi", "en": "the outbound trip", "zh": "去程"}}
# Why a fee could not be assessed, by the code the fee's events carry (FeeNotAssessed.reason).
FEE_NOT_ASSESSED = {
    "no_fee_line": {"vi": "không có dòng biểu phí nào áp dụng cho chuyến này",
                    "en": "no line of the tariff applies to this trip", "zh": "收费标准中没有适用于本趟的条目"},
    "empty_vehicle_not_published": {"vi": "biểu phí chưa có dòng cho xe rỗng",
                                    "en": "the tariff has no line for an empty vehicle yet",
                                    "zh": "收费标准尚无空车条目"},
}


def _where(payload: Payload, locale: str) -> str:
    """A checkpoint by its name (added by the service), else by its kind."""
    return payload.get("checkpoint_name") or label(CheckpointKind, payload.get("checkpoint_kind"), locale)


def _read(p: Payload, locale: str) -> dict[str, Any]:
    reasons = [label(Reason, r, locale) for r in p.get("reasons") or ()]
    return {"plate": plate(p.get("plate")), "checkpoint": _where(p, locale),
            "decision": label(Decision, p.get("decision"), locale), "reasons": because(joined(reasons, locale), locale),
            "source": label(ReadSource, p.get("source"), locale)}


def _acted(p: Payload, locale: str) -> dict[str, Any]:
    decided = _DECISIONS.get(p.get("decision", ""))
    return {"agency": agency(p.get("agency"), locale), "decision": decided(locale) if decided else p.get("decision"),
            # The officer is the entry's actor already; a decision by rules or the agency's own system says so.
            "source": because(label(Source, p.get("source"), locale), locale) if p.get("source") != "officer" else "",
            "reason": because(p.get("reason"), locale)}


def _booked(p: Payload, locale: str) -> dict[str, Any]:
    when = moment(p.get("slot_start"), locale) if p.get("slot_start") else label(BookingKind, p.get("kind"), locale)
    priority = p.get("priority")
    return {"when": when, "point": p.get("crossing_point_name") or p.get("crossing_point", ""),
            "priority": because(label(Priority, priority, locale), locale) if priority not in (None, "none") else ""}


# Why a fee was assessed (again), as services/fees.py and declaring.py record it.
_FEE_WHY = {
    "declared": _w({"vi": "khi khai báo", "en": "on declaring", "zh": "申报时"}),
    "corrected": _w({"vi": "sau khi sửa", "en": "after a correction", "zh": "更正后"}),
    "yard parking": _w({"vi": "phí đỗ trong bãi", "en": "yard parking", "zh": "场内停车费"}),
}
_TARIFF_PUBLISHED = _w({"vi": "biểu phí {version} được ban hành", "en": "tariff {version} published",
                        "zh": "收费标准{version}发布"})


def _fee_why(why: Any, locale: str) -> str:
    if why in _FEE_WHY:
        return _FEE_WHY[why](locale)
    if isinstance(why, str) and why.startswith("tariff ") and why.endswith(" published"):
        return _TARIFF_PUBLISHED(locale).format(version=why.removeprefix("tariff ").removesuffix(" published"))
    return str(why or "")


def _fee(p: Payload, locale: str) -> dict[str, Any]:
    return {"total": vnd(p.get("total_vnd"), locale), "why": because(_fee_why(p.get("why"), locale), locale),
            "missing": p.get("missing") or ""}


def _not_assessed(p: Payload, locale: str) -> dict[str, Any]:
    reason = p.get("reason")
    return {"reason": pick(FEE_NOT_ASSESSED[reason], locale) if reason in FEE_NOT_ASSESSED else str(reason or "")}


def _notice(p: Payload, locale: str) -> dict[str, Any]:
    to = _TO_DECLARANT if p.get("kind") in {kind.value for kind in DECLARANT_KINDS} else _TO_DRIVER
    return {"to": to(locale), "phone": p.get("phone", ""), "text": p.get("text") or ""}


def _missed(p: Payload, locale: str) -> dict[str, Any]:
    return {"n": p.get("missed_calls", 1), "outcome": (_EXPIRED if p.get("expired") else _BACK)(locale)}


def _rederived(p: Payload, locale: str) -> dict[str, Any]:
    return {"added": agencies(p.get("added"), locale) or _NONE(locale),
            "withdrawn": agencies(p.get("withdrawn"), locale) or _NONE(locale)}


def _s(vi: str, en: str, zh: str, values: Values = lambda payload, locale: {}) -> Sentence:
    return Sentence(vi, en, zh, values)


SENTENCES: dict[str, Sentence] = {
    # The declaration
    "DeclarationSubmitted": _s(
        "Khai báo chuyến xe {plate} qua {point}", "Declared truck {plate}'s trip through {point}",
        "申报车辆{plate}经{point}的行程",
        lambda p, l: {"plate": plate(p.get("tractor_plate")),
                      "point": p.get("crossing_point_name") or p.get("crossing_point", "")}),
    "DeclarationAmended": _s(
        "Sửa {fields}{reason}", "Corrected {fields}{reason}", "更正{fields}{reason}",
        lambda p, l: {"fields": _FIELD_COUNT(l).format(n=len(p.get("changes") or ())),
                      "reason": because(p.get("reason"), l)}),
    "TripsLinked": _s("Khai báo cùng {what} {other}", "Declared together with {what} {other}", "与{what}{other}一并申报",
                      lambda p, l: {"other": p.get("linked_reference", ""),
                                    "what": _LINKED[p["linked_as"]][l] if p.get("linked_as") in _LINKED
                                    else _LINKED["return"][l]}),
    "DeclarationCancelled": _s("Hủy khai báo{reason}", "Cancelled the declaration{reason}", "撤销申报{reason}",
                               lambda p, l: {"reason": because(p.get("reason"), l)}),
    "DeclarationCrossed": _s("Xe đã qua biên giới tại {checkpoint} lúc {when}",
                             "The truck crossed the border at {checkpoint} at {when}",
                             "车辆于{when}经{checkpoint}出入境",
                             lambda p, l: {"checkpoint": _where(p, l), "when": moment(p.get("crossed_at"), l)}),
    # The gate: plate reads, alerts, officers' holds at the barrier
    "PlateReadDecided": _s(
        "Đọc biển {plate} tại {checkpoint}: {decision}{reasons}",
        "Plate {plate} read at {checkpoint}: barrier {decision}{reasons}",
        "{checkpoint}识别车牌{plate}：道闸{decision}{reasons}", _read),
    "AlertRaised": _s("Cảnh báo: {kind}{detail}", "Alert: {kind}{detail}", "警报：{kind}{detail}",
                      lambda p, l: {"kind": label(AlertKind, p.get("kind"), l), "detail": because(p.get("detail"), l)}),
    "AlertResolved": _s("Đã xử lý cảnh báo {kind}{resolution}", "Alert closed: {kind}{resolution}",
                        "警报已处理：{kind}{resolution}",
                        lambda p, l: {"kind": label(AlertKind, p.get("kind"), l),
                                      "resolution": because(p.get("resolution"), l)}),
    "HoldPlaced": _s("{agency} giữ xe tại barie: {reason}", "{agency} held the truck at the barrier: {reason}",
                     "{agency}在道闸扣留车辆：{reason}",
                     lambda p, l: {"agency": agency(p.get("agency"), l), "reason": p.get("reason", "")}),
    "HoldLifted": _s("{agency} bỏ lệnh giữ xe{note}", "{agency} lifted its hold on the truck{note}",
                     "{agency}解除扣留{note}",
                     lambda p, l: {"agency": agency(p.get("agency"), l), "note": because(p.get("note"), l)}),
    # Notices
    "NoticeSent": _s("Đã gửi SMS tới {to} ({phone}): “{text}”", "SMS sent to {to} ({phone}): “{text}”",
                     "短信已发送至{to}（{phone}）：“{text}”", _notice),
    "NoticesReaddressed": _s("Tin nhắn chưa gửi cho lái xe sẽ tới số đã sửa {phone}",
                             "Messages to the driver not yet sent will go to the corrected phone {phone}",
                             "尚未发送给司机的短信将发往更正后的号码{phone}",
                             lambda p, l: {"phone": p.get("phone", "")}),
    # The queue
    "BookingMade": _s("Đặt chỗ qua {point}: {when}{priority}", "Booked at {point}: {when}{priority}",
                      "预约{point}：{when}{priority}", _booked),
    "TruckCheckedIn": _s("Xe vào bãi chờ ({how})", "The truck checked in at the waiting area ({how})",
                         "车辆进入待检区（{how}）",
                         lambda p, l: {"how": _HOW[p["how"]](l) if p.get("how") in _HOW
                                       else label(ReadSource, p.get("how"), l)}),
    "TruckCalledForward": _s("Xe được gọi vào cửa khẩu, phải đến trạm trước {deadline}",
                             "The truck was called forward: reach the checkpoint by {deadline}",
                             "车辆已叫号，须在{deadline}前到达检查点",
                             lambda p, l: {"deadline": moment(p.get("deadline"), l)}),
    "TruckArrivedAtGate": _s("Xe đã vào cổng bãi kiểm hóa theo lượt gọi",
                             "The truck came through the yard gate on its call", "车辆按叫号进入监管场站"),
    "CallMissed": _s("Xe lỡ lượt gọi (lần {n}): {outcome}", "The truck missed its call ({n}): {outcome}",
                     "车辆过号（第{n}次）：{outcome}", _missed),
    "TruckNoShow": _s("Xe không đến trong giờ đã đặt", "The truck did not come in its booked hour",
                      "车辆未在预约时段到达"),
    "BookingCancelled": _s("Hủy đặt chỗ{late}{reason}", "Booking cancelled{late}{reason}", "取消预约{late}{reason}",
                           lambda p, l: {"late": _LATE(l) if p.get("late") else "",
                                         "reason": because(p.get("reason"), l)}),
    "PriorityChanged": _s("Mức ưu tiên: {priority}", "Priority set to: {priority}", "优先级：{priority}",
                          lambda p, l: {"priority": label(Priority, p.get("priority"), l)}),
    "BookingMoved": _s("Giờ đặt dời từ {old} sang {new}{reason}", "Booking moved from {old} to {new}{reason}",
                       "预约从{old}改至{new}{reason}",
                       lambda p, l: {"old": moment(p.get("old_slot"), l), "new": moment(p.get("new_slot"), l),
                                     "reason": because(p.get("reason"), l)}),
    # The agencies
    "AgencyChecksOpened": _s("Các cơ quan phải xử lý: {agencies}", "Agencies that must act: {agencies}",
                             "须办理的监管部门：{agencies}",
                             lambda p, l: {"agencies": agencies([c.get("agency") for c in p.get("checks") or ()], l)
                                           or _NONE(l)}),
    "AgencyChecksRederived": _s("Sau khi sửa: thêm {added}; không còn yêu cầu {withdrawn}",
                                "After the correction: now also {added}; no longer {withdrawn}",
                                "更正后：新增{added}；不再需要{withdrawn}", _rederived),
    "CustomsChannelAssigned": _s("Hải quan phân luồng: {channel} ({source}){reasons}",
                                 "Customs channel: {channel} ({source}){reasons}", "海关分流：{channel}（{source}）{reasons}",
                                 lambda p, l: {"channel": label(Channel, p.get("channel"), l),
                                               "source": label(Source, p.get("source"), l),
                                               "reasons": because(joined(list(p.get("reasons") or ()), l), l)}),
    "AgencyActed": _s("{agency} {decision}{source}{reason}", "{agency} {decision}{source}{reason}",
                      "{agency}{decision}{source}{reason}", _acted),
    "AgencyAnswered": _s("Đã trả lời yêu cầu của {agency}: {note}", "Answered {agency}'s hold: {note}",
                         "已答复{agency}的要求：{note}",
                         lambda p, l: {"agency": agency(p.get("agency"), l), "note": p.get("note", "")}),
    # The fee
    "FeeAssessed": _s("Tính phí: {total}{why}", "Fee assessed: {total}{why}", "核定费用：{total}{why}", _fee),
    "FeeNotAssessed": _s("Chưa tính phí: {reason}", "Fee not assessed: {reason}", "未核定费用：{reason}",
                         _not_assessed),
    "PaymentStarted": _s("Bắt đầu thanh toán {amount} qua {provider}", "Payment of {amount} started with {provider}",
                         "通过{provider}发起支付{amount}",
                         lambda p, l: {"amount": vnd(p.get("amount_vnd"), l), "provider": p.get("provider", "")}),
    "PaymentReceived": _s("Đã nhận {amount} ({method}), biên lai {receipt}",
                          "{amount} paid ({method}), receipt {receipt}", "已收到{amount}（{method}），收据{receipt}",
                          lambda p, l: {"amount": vnd(p.get("amount_vnd"), l),
                                        "method": label(PaymentMethod, p.get("method"), l),
                                        "receipt": p.get("receipt_number", "")}),
    "RefundDue": _s("Hoàn trả {amount}", "Refund of {amount} due", "应退款{amount}",
                    lambda p, l: {"amount": vnd(p.get("amount_vnd"), l)}),
}

# A trail written before fee-less trips had their own event says "assessed" with ``missing`` set: told as not assessed.
_FEE_MISSING = _s("Chưa tính phí: {missing}", "Fee not assessed: {missing}", "未核定费用：{missing}", _fee)


def told(action: str, payload: Payload, locale: str) -> str:
    """The sentence for one audit entry in ``locale``; an event without one is told by its name, never hidden."""
    if action == "FeeAssessed" and payload.get("missing"):
        return _FEE_MISSING.told(payload, locale)
    sentence = SENTENCES.get(action)
    return sentence.told(payload, locale) if sentence else action
