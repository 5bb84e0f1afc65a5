"""The demo while its replayed day is being prepared: people are told so in their language, programs are told to
retry, and nothing reaches the gate until the day is ready."""
from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bordergate.entrypoints.demo_preparing import Preparation, WhilePreparing


def _the_gate(request) -> PlainTextResponse:
    return PlainTextResponse("the gate itself")


GATE = Starlette(routes=[Route("/{anywhere:path}", _the_gate, methods=["GET", "POST"])])


def preparing(declared: int = 12, due: int = 40) -> TestClient:
    return TestClient(WhilePreparing(GATE, lambda: Preparation(declared, due)))


def test_a_screen_opened_while_the_day_is_prepared_says_so_in_the_readers_language_and_reloads_itself():
    page = preparing().get("/?lang=zh")
    assert page.status_code == 200
    assert "当天数据仍在准备中" in page.text and "已申报 12 / 40 辆车" in page.text
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]  # the screens' own strict policy
    assert page.headers["cache-control"] == "no-store"
    board = preparing().get("/board", params={"lang": "en"})
    assert "The day is still being prepared" in board.text and "12 of 40 trucks declared" in board.text
    assert "Ngày làm việc đang được chuẩn bị" in preparing().get("/").text  # the gate's own language by default


def test_the_api_answers_503_with_a_problem_saying_how_far_the_day_is_and_when_to_try_again():
    answer = preparing().get("/api/v1/public/queues")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "3"
    assert "12 of 40" in answer.json()["detail"] and "try again in 3 seconds" in answer.json()["detail"]


def test_a_form_sent_while_the_day_is_prepared_is_not_taken_and_the_page_says_why():
    sent = preparing().post("/signin", data={"username": "dieuhanh", "password": "bordergate-demo"})
    assert sent.status_code == 503
    assert "The day is still being prepared" in sent.text or "Ngày làm việc đang được chuẩn bị" in sent.text


def test_the_stylesheet_the_health_check_and_the_api_docs_answer_while_the_day_is_prepared():
    client = preparing()
    for path in ("/static/bordergate.css", "/healthz", "/docs", "/openapi.json"):
        assert client.get(path).text == "the gate itself", path


def test_once_the_day_is_ready_every_request_reaches_the_gate():
    state: dict[str, Preparation | None] = {"now": Preparation(1717, 1717)}
    client = TestClient(WhilePreparing(GATE, lambda: state["now"]))
    assert client.get("/").text != "the gate itself"
    state["now"] = None
    assert client.get("/").text == "the gate itself"
    assert client.get("/api/v1/public/queues").text == "the gate itself"
