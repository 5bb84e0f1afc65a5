"""Live screens: what is pushed to browsers, and how often the database is asked for it."""
from __future__ import annotations

from bordergate.entrypoints.web.pages import Shared



def test_a_public_fragment_is_rendered_once_per_period_for_all_its_viewers():
    now = [0.0]
    shared, renders = Shared(5, clock=lambda: now[0]), []

    def render() -> str:
        renders.append(now[0])
        return f"<p>{len(renders)}</p>"
    assert [shared.get("vi", render) for _ in range(100)] == ["<p>1</p>"] * 100
    now[0] = 4.9
    assert shared.get("vi", render) == "<p>1</p>"
    now[0] = 5.0
    assert shared.get("vi", render) == "<p>2</p>" and shared.get("en", render) == "<p>3</p>"
