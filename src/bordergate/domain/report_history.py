"""A report's history in sentences (vi/en/zh), from its audit trail; each marked public or for the unit only.

The public page shows only public sentences: no officer, no reporter, no internal reason. The reporter and the
unit see every sentence. ``tests/unit/test_reports.py`` fails when a report event has none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.domain.history_words import label, moment, pick
from bordergate.domain.report_states import Resolution

Payload = dict[str, Any]


@dataclass(frozen=True)
class ReportSentence:
    """One kind of report event in words; ``public`` when anyone reading the report page may see it."""

    vi: str
    en: str
    zh: str
    public: bool = True

    def told(self, payload: Payload, locale: str) -> str:
        values = {name: value for name, value in payload.items() if isinstance(value, (str, int, float))}
        for name in ("due", "accept_due", "answer_due", "reply_due"):
            if name in payload:
                values[name] = moment(payload[name], locale)
        if "resolution" in payload:
            values["resolution"] = label(Resolution, payload["resolution"], locale).lower()
        return pick({"vi": self.vi, "en": self.en, "zh": self.zh}, locale).format(**values)


SENTENCES: dict[str, ReportSentence] = {
    "ReportFiled": ReportSentence("Phản ánh {code} được gửi.", "Report {code} was filed.", "反映{code}已提交。"),
    "ReportRouted": ReportSentence("Chuyển {unit} xử lý; hạn trả lời {answer_due}.",
                                   "Given to {unit}; answer due {answer_due}.", "转交{unit}处理；答复期限{answer_due}。"),
    "ReportAccepted": ReportSentence("{unit} đã tiếp nhận xử lý.", "{unit} took it on.", "{unit}已受理。"),
    "ReportTransferred": ReportSentence("{from_unit} chuyển sang {to_unit}: {reason}.",
                                        "{from_unit} sent it on to {to_unit}: {reason}.",
                                        "{from_unit}转交{to_unit}：{reason}。"),
    "ReporterAsked": ReportSentence("Đơn vị đề nghị người phản ánh bổ sung: {question}",
                                    "The unit asked the reporter: {question}", "处理单位请反映人补充：{question}"),
    "ReportInformationAdded": ReportSentence("Người phản ánh đã bổ sung thông tin.", "The reporter added information.",
                                             "反映人已补充信息。"),
    "ReportAnswered": ReportSentence("{unit} đã trả lời ({resolution}): {answer}",
                                     "{unit} answered ({resolution}): {answer}", "{unit}已答复（{resolution}）：{answer}"),
    "ReportRated": ReportSentence("Người phản ánh đánh giá {stars}/5.", "The reporter rated the answer {stars}/5.",
                                  "反映人评价{stars}/5。"),
    "ReportReopened": ReportSentence("Phản ánh được mở lại; hạn trả lời {answer_due}.",
                                     "The report was reopened; answer due {answer_due}.",
                                     "反映已重新提出；答复期限{answer_due}。"),
    "ReportClosed": ReportSentence("Phản ánh đã đóng ({resolution}).", "The report was closed ({resolution}).",
                                   "反映已关闭（{resolution}）。"),
    "ReportWithdrawn": ReportSentence("Người phản ánh đã rút phản ánh.", "The reporter withdrew the report.",
                                      "反映人已撤回反映。"),
    "ReportLinkedAsDuplicate": ReportSentence("Trùng với phản ánh {original}; theo dõi phản ánh đó.",
                                              "A duplicate of report {original}: follow that one.",
                                              "与反映{original}重复；请关注该反映。"),
    "ReportMarkedSpam": ReportSentence("Đánh dấu là phản ánh rác: {reason}", "Marked as spam: {reason}",
                                       "已标记为垃圾信息：{reason}", public=False),
    "ReportHidden": ReportSentence("Ẩn khỏi trang công khai: {reason}", "Hidden from the public: {reason}",
                                   "已从公开页面隐藏：{reason}", public=False),
    "ReportShown": ReportSentence("Hiện lại trên trang công khai: {reason}", "Shown to the public again: {reason}",
                                  "已在公开页面重新显示：{reason}", public=False),
    "ReportFollowed": ReportSentence("Thêm một người theo dõi.", "Someone else follows this report.", "又有一人关注。"),
    "ReportUnfollowed": ReportSentence("Một người thôi theo dõi.", "Someone stopped following it.", "一人取消关注。",
                                       public=False),
    "ReportNearDeadline": ReportSentence("Sắp đến hạn ({due}).", "Near its deadline ({due}).", "即将到期（{due}）。",
                                         public=False),
    "ReportOverdue": ReportSentence("Quá hạn ({due}).", "Overdue ({due}).", "已超期（{due}）。", public=False),
    "ReportEscalated": ReportSentence("Quá hạn thêm một ngày làm việc: báo {to_unit}.",
                                      "Overdue a working day more: {to_unit} was told.",
                                      "超期又一个工作日：已通报{to_unit}。", public=False),
    # Never the declaration itself: the reporter reads every sentence of their report.
    "ReportLinkedToTrip": ReportSentence("Ban Quản lý cửa khẩu đã đối chiếu với chuyến xe đã khai báo.",
                                         "The border gate's management matched it with a declared trip.",
                                         "口岸管理中心已与申报车次核对。", public=False),
    "QuestionnaireSent": ReportSentence("Đã hỏi người phản ánh vấn đề đã thực sự được khắc phục chưa.",
                                        "The reporter was asked whether it was really fixed.",
                                        "已询问反映人问题是否真正解决。", public=False),
    "QuestionnaireAnswered": ReportSentence("Người phản ánh trả lời câu hỏi đã khắc phục chưa: {fixed}.",
                                            "The reporter said whether it was really fixed: {fixed}.",
                                            "反映人答复问题是否真正解决：{fixed}。", public=False),
}


def told(action: str, payload: Payload, locale: str, *, public_only: bool) -> str | None:
    """The sentence for one event of a report's trail, or None when this reader may not see it."""
    sentence = SENTENCES.get(action)
    if sentence is None or (public_only and not sentence.public):
        return None
    return sentence.told(payload, locale)
