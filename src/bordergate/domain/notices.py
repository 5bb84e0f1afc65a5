"""Notices to drivers and declarants (SMS and the web page), in Vietnamese, English and Chinese."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.labels import Labelled


class NoticeKind(Labelled):
    """Why a driver or declarant is told something."""

    BOOKED = ("booked", "Đã đặt chỗ", "Booked", "已预约")
    POSITION_MOVED = ("position_moved", "Giờ gọi dự kiến thay đổi", "Expected call time changed", "预计叫号时间变化")
    CALLED = ("called", "Được gọi vào cửa khẩu", "Called to the border", "请前往口岸")
    CALL_EXPIRED = ("call_expired", "Quá hạn lượt gọi", "Call expired", "叫号已过期")
    MOVED = ("moved", "Giờ đặt bị dời", "Booking moved", "预约时段变更")
    REGULATION = ("regulation", "Lệnh điều tiết", "Regulation order", "交通管制令")
    SHELF_LIFE_WARNING = ("shelf_life_warning", "Cảnh báo hàng dễ hỏng", "Perishable cargo at risk", "易腐货物风险")
    HELD = ("held", "Cơ quan chức năng tạm dừng chuyến", "Held by an agency", "监管部门暂停")
    # Citizens' reports (issue 17): the reporter told at each step that needs them.
    REPORT_RECEIVED = ("report_received", "Đã tiếp nhận phản ánh", "Report received", "反映已受理")
    REPORT_ASKED = ("report_asked", "Cần bổ sung phản ánh", "More needed on a report", "反映需补充")
    REPORT_ANSWERED = ("report_answered", "Phản ánh đã được trả lời", "Report answered", "反映已答复")
    # The unit's supervisors told of an overdue report (and the coordinating unit's, a working day later), and the
    # disaster-command unit's of an urgent one the moment it is filed.
    REPORT_OVERDUE = ("report_overdue", "Phản ánh quá hạn", "Report overdue", "反映已超期")
    REPORT_URGENT = ("report_urgent", "Phản ánh khẩn cấp", "Urgent report", "紧急反映")
    # A citizen signing in by phone: the one notice whose text is a secret (overwritten once sent).
    SIGN_IN_CODE = ("sign_in_code", "Mã đăng nhập", "Sign-in code", "登录验证码")
    QUESTIONNAIRE = ("questionnaire", "Hỏi ý kiến sau trả lời", "Was it fixed?", "问题是否解决")

    @property
    def is_for_the_declarant(self) -> bool:
        """Told to the enterprise (it answers a hold), not the driver: a corrected driver's phone leaves it be."""
        return self in DECLARANT_KINDS


_TEMPLATES: dict[NoticeKind, dict[str, str]] = {
    NoticeKind.BOOKED: {
        "vi": "bordergate: xe {plate} đã đặt chỗ tại {point} ({when}). Mã {reference}. Theo dõi: {link}",
        "en": "bordergate: truck {plate} is booked at {point} ({when}). Ref {reference}. Follow: {link}",
        "zh": "bordergate：车辆{plate}已预约{point}（{when}）。编号{reference}。查看：{link}"},
    NoticeKind.POSITION_MOVED: {
        "vi": "bordergate: xe {plate} dự kiến được gọi lúc {expected} ({ahead} xe phía trước).",
        "en": "bordergate: truck {plate} is now expected to be called at {expected} ({ahead} trucks ahead).",
        "zh": "bordergate：车辆{plate}预计{expected}叫号（前方{ahead}辆）。"},
    NoticeKind.CALLED: {
        "vi": "bordergate: xe {plate} được gọi vào {point}. Đến trạm kiểm soát trước {deadline}.",
        "en": "bordergate: truck {plate} is called to {point}. Reach the checkpoint by {deadline}.",
        "zh": "bordergate：车辆{plate}请前往{point}，须在{deadline}前到达检查点。"},
    NoticeKind.CALL_EXPIRED: {
        "vi": "bordergate: xe {plate} không đến kịp. {outcome}",
        "en": "bordergate: truck {plate} did not arrive in time. {outcome}",
        "zh": "bordergate：车辆{plate}未按时到达。{outcome}"},
    NoticeKind.MOVED: {
        "vi": "bordergate: giờ đặt của xe {plate} dời sang {when} vì {reason}.",
        "en": "bordergate: truck {plate}'s booking moved to {when} because {reason}.",
        "zh": "bordergate：因{reason}，车辆{plate}的预约改至{when}。"},
    NoticeKind.REGULATION: {
        "vi": "bordergate: lệnh điều tiết tại {point}: {message}",
        "en": "bordergate: regulation order at {point}: {message}",
        "zh": "bordergate：{point}交通管制：{message}"},
    NoticeKind.SHELF_LIFE_WARNING: {
        "vi": "bordergate: cảnh báo: chờ dự kiến {wait_h} giờ tại {point}, hàng của xe {plate} chỉ còn {life_h} giờ. "
              "Cân nhắc chưa xuất phát.",
        "en": "bordergate: warning: expected wait {wait_h} h at {point}, but truck {plate}'s cargo keeps {life_h} h. "
              "Consider not dispatching yet.",
        "zh": "bordergate：警告：{point}预计等待{wait_h}小时，车辆{plate}的货物仅剩{life_h}小时保质期，建议暂缓发车。"},
    NoticeKind.HELD: {
        "vi": "bordergate: {agency} tạm dừng chuyến {reference} (xe {plate}): {reason}. Trả lời trên cổng khai báo.",
        "en": "bordergate: {agency} held trip {reference} (truck {plate}): {reason}. Answer in the declarant portal.",
        "zh": "bordergate：{agency}暂停了行程{reference}（车辆{plate}）：{reason}。请在申报门户答复。"},
    NoticeKind.REPORT_RECEIVED: {
        "vi": "bordergate: phản ánh {code} đã được tiếp nhận, chuyển {unit}; hạn trả lời {due}.",
        "en": "bordergate: report {code} is received and sent to {unit}; answer due {due}.",
        "zh": "bordergate：反映{code}已受理，转交{unit}；答复期限{due}。"},
    NoticeKind.REPORT_ASKED: {
        "vi": "bordergate: {unit} cần bạn bổ sung phản ánh {code}: {question}",
        "en": "bordergate: {unit} asks you about report {code}: {question}",
        "zh": "bordergate：{unit}请您补充反映{code}：{question}"},
    NoticeKind.REPORT_ANSWERED: {
        "vi": "bordergate: {unit} đã trả lời phản ánh {code}. Xem, đánh giá hoặc mở lại trong {days} ngày.",
        "en": "bordergate: {unit} answered report {code}. Read, rate or reopen it within {days} days.",
        "zh": "bordergate：{unit}已答复反映{code}。可在{days}天内查看、评价或重新提出。"},
    NoticeKind.REPORT_OVERDUE: {
        "vi": "bordergate: phản ánh {code} tại {unit} quá hạn {stage} ({due}). Xem hộp thư đơn vị.",
        "en": "bordergate: report {code} at {unit} is overdue to {stage} (due {due}). See the unit inbox.",
        "zh": "bordergate：{unit}的反映{code}{stage}已超期（期限{due}）。请查看单位收件箱。"},
    NoticeKind.REPORT_URGENT: {
        "vi": "bordergate: phản ánh khẩn cấp {code} ({category}) giao {unit}; tiếp nhận trước {due}.",
        "en": "bordergate: urgent report {code} ({category}) for {unit}; accept it by {due}.",
        "zh": "bordergate：紧急反映{code}（{category}）交{unit}；请于{due}前受理。"},
    NoticeKind.SIGN_IN_CODE: {
        "vi": "bordergate: mã đăng nhập của bạn là {code}, dùng trong {minutes} phút. Không đưa mã này cho ai.",
        "en": "bordergate: your sign-in code is {code}, valid for {minutes} minutes. Never share it with anyone.",
        "zh": "bordergate：您的登录验证码是{code}，{minutes}分钟内有效。请勿告诉任何人。"},
    NoticeKind.QUESTIONNAIRE: {
        "vi": "bordergate: vấn đề trong phản ánh {code} đã thực sự được khắc phục chưa? Trả lời tại {link}",
        "en": "bordergate: was the problem of report {code} really fixed? Tell us at {link}",
        "zh": "bordergate：反映{code}中的问题是否真正解决？请在此答复：{link}"},
}

# An agency's hold is the declarant's to answer (documents, a correction); the driver only waits.
DECLARANT_KINDS = frozenset({NoticeKind.HELD})

_OUTCOMES = {
    False: {"vi": "Xe được xếp lại cuối hàng chờ.", "en": "It goes to the back of the live queue.",
            "zh": "已排至实时队列末尾。"},
    True: {"vi": "Lượt đặt đã bị hủy (lần lỡ thứ hai).", "en": "The booking has ended (second missed call).",
           "zh": "预约已失效（第二次过号）。"},
}


def local_time(moment: datetime | None, locale: str) -> str:
    """A moment as people at the gate read it: local time, day/month."""
    if moment is None:
        return {"vi": "chưa xác định", "en": "not yet known", "zh": "待定"}.get(locale, "?")
    return moment.astimezone(GATE_TIME).strftime("%H:%M %d/%m")


@dataclass(frozen=True)
class Notice:
    """One message to one person, in their language; ``key`` makes sure it is sent once."""

    key: str
    kind: NoticeKind
    reference: str
    phone: str
    locale: str
    text: str


LIVE_QUEUE = {"vi": "hàng chờ trực tiếp", "en": "the live queue", "zh": "实时排队"}


def day_limit_reason(trucks: int, day: str) -> dict[str, str]:
    return {"vi": f"phía bên kia chỉ nhận {trucks} xe ngày {day}",
            "en": f"the other side accepts {trucks} trucks on {day}", "zh": f"对方{day}仅接收{trucks}辆车"}


def hold_lifted(area: str) -> dict[str, str]:
    return {"vi": f"lệnh dừng tại {area} đã được bãi bỏ; chờ được gọi", "en": f"the hold at {area} is lifted; wait for "
            "your call", "zh": f"{area}的停车令已解除，请等待叫号"}


def render(kind: NoticeKind, locale: str, **values: object) -> str:
    """The message in ``locale`` (Vietnamese when the language is not one of vi, en, zh).

    A value given as {"vi": ..., "en": ..., "zh": ...} is put in the message's own language.
    """
    values = {name: value.get(locale, value["vi"]) if isinstance(value, dict) else value
              for name, value in values.items()}
    templates = _TEMPLATES[kind]
    if "expired" in values:
        outcomes = _OUTCOMES[bool(values.pop("expired"))]
        values["outcome"] = outcomes.get(locale, outcomes["vi"])
    return templates.get(locale, templates["vi"]).format(**values)
