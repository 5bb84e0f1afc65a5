"""Server-rendered pages for people (Jinja2); the first is what a driver's QR code opens on a phone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# Page chrome in the three languages of the border; the statuses carry their own labels (domain/labels.py).
WORDS = {
    "vi": {"title": "Trạng thái chuyến xe", "reference": "Số tham chiếu", "status": "Trạng thái",
           "crossing_point": "Cửa khẩu", "flow": "Loại hình", "planned_arrival": "Dự kiến đến",
           "plates": "Biển số", "lang": "Ngôn ngữ", "queue": "Hàng chờ", "deadline": "Phải đến trạm trước",
           "expected_call": "Dự kiến được gọi", "order": "Lệnh điều tiết", "agencies": "Cơ quan chức năng"},
    "en": {"title": "Trip status", "reference": "Reference", "status": "Status", "crossing_point": "Crossing point",
           "flow": "Flow", "planned_arrival": "Planned arrival", "plates": "Plates", "lang": "Language",
           "queue": "Queue", "deadline": "Reach the checkpoint by", "expected_call": "Expected call",
           "order": "Regulation order", "agencies": "Agencies"},
    "zh": {"title": "车辆行程状态", "reference": "参考号", "status": "状态", "crossing_point": "口岸",
           "flow": "贸易方式", "planned_arrival": "预计到达", "plates": "车牌", "lang": "语言",
           "queue": "排队", "deadline": "须到达检查点时间", "expected_call": "预计叫号", "order": "交通管制令",
           "agencies": "监管部门"},
}


def wants_html(request: Request) -> bool:
    """Browsers (a phone that scanned the QR code) get a page; programs get JSON."""
    return "text/html" in request.headers.get("accept", "")


# Lang Son keeps Indochina time all year (no daylight saving), so a fixed offset is exact.
BORDER_TIME = timezone(timedelta(hours=7), "UTC+7")


def local_time(moment: str) -> str:
    """An ISO moment as the gate's wall clock shows it: 13:36 28/11/2026 (UTC+7)."""
    return datetime.fromisoformat(moment).astimezone(BORDER_TIME).strftime("%H:%M %d/%m/%Y (UTC+7)")


def tracking_page(request: Request, trip: dict[str, Any], locale: str):
    queue = trip.get("queue") or {}
    times = {key: local_time(queue[key]) for key in ("call_deadline", "expected_call_at") if queue.get(key)}
    return templates.TemplateResponse(request, "track.html", {"trip": trip, "t": WORDS[locale], "locale": locale,
                                                              "arrival": local_time(trip["planned_arrival"]),
                                                              "times": times})
