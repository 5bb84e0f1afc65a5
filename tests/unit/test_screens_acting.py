"""The portal, board and admin screens page, refuse and act on forms through one module (web/acting.py)."""
import pytest

from bordergate.domain.errors import Conflict, Forbidden
from bordergate.entrypoints.web import admin, board, portal
from bordergate.entrypoints.web.acting import Screen


def _raise(exc: Exception):
    def action():
        raise exc
    return action


def _told(status_of_refusal: list[int]):
    return lambda exc, status: status_of_refusal.append(status) or "again"


SCREEN = Screen("problem.html", lambda exc, principal: {}, forbidden_refuses=False, also=(ValueError,))


def test_the_portal_board_and_admin_screens_define_no_page_or_refusal_of_their_own():
    for module, screen in ((portal, "PORTAL"), (board, "BOARD"), (admin, "ADMIN")):
        assert isinstance(getattr(module, screen), Screen), module.__name__
        assert not hasattr(module, "_refused") and not hasattr(module, "_page"), module.__name__


def test_a_form_done_hands_the_result_on():
    assert SCREEN.act(None, "vi", None, lambda: 7, done=lambda result: result * 6, again=_told([])) == 42


def test_a_refused_form_comes_back_with_the_status_the_api_would_answer():
    said: list[int] = []
    assert SCREEN.act(None, "vi", None, _raise(Conflict("taken")), done=print, again=_told(said)) == "again"
    SCREEN.act(None, "vi", None, _raise(ValueError("not a plate")), done=print, again=_told(said))
    SCREEN.act(None, "vi", None, _raise(Forbidden("not yours")), done=print, again=_told(said))
    assert said == [409, 422, 403]


def test_an_error_a_screen_does_not_expect_is_not_shown_as_a_refusal():
    with pytest.raises(KeyError):
        SCREEN.act(None, "vi", None, _raise(KeyError("bug")), done=print, again=_told([]))
