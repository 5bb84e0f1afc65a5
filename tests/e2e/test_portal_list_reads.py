"""The portal's list page reads what it shows on one unit of work, however many declarations it lists."""
from __future__ import annotations

from bordergate.domain import commands
from tests.builders import a_trip
from tests.e2e.test_cross_site_requests import signed_in


def readers_opened_for_the_list(client, gate, monkeypatch) -> int:
    opened = []
    reader = gate.reader

    def counted():
        opened.append(1)
        return reader()
    monkeypatch.setattr(gate, "reader", counted)
    page = client.get("/portal")
    monkeypatch.setattr(gate, "reader", reader)
    assert page.status_code == 200
    return len(opened)


def test_the_portal_list_opens_as_many_readers_for_three_declarations_as_for_one(client, gate, world, monkeypatch):
    signed_in(client, "lan")
    gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate), None, None))
    for_one = readers_opened_for_the_list(client, gate, monkeypatch)
    for plate in ("12C-234.56", "12C-345.67"):
        gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate=plate), None, None))
    assert readers_opened_for_the_list(client, gate, monkeypatch) == for_one
