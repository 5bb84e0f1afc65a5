"""The answer to declaring is built from what the submit stored: it must read exactly as the trips read back."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.builders import a_trip

DECLARATIONS = "/api/v1/declarations"


def read_back(client, headers, reference: str) -> dict:
    answer = client.get(f"{DECLARATIONS}/{reference}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(("who", "language", "extra"), [
    ("lan", "vi", {}),
    ("lan", "en", {"return_empty": "next day"}),
    ("agent", "zh", {"enterprise_id": "fruit", "return_empty": "next day"}),
])
def test_the_answer_to_declaring_reads_byte_for_byte_as_the_trips_read_back(
        client, gate, world, sign_in, who, language, extra):
    headers = {**sign_in(who), "Accept-Language": language}
    body = a_trip(gate)
    if "enterprise_id" in extra:
        body["enterprise_id"] = world.fruit
    if "return_empty" in extra:
        body["return_empty"] = {"planned_arrival": (gate.clock.now() + timedelta(hours=30)).isoformat()}
    answer = client.post(DECLARATIONS, json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    declared = answer.json()
    expected = read_back(client, headers, declared["reference"])
    if declared["return_trip"]:
        expected["return_declaration"] = read_back(client, headers, declared["return_trip"])
    # Same fields, same values, in the same order: json.dumps keeps the order the answer was written in.
    assert json.dumps(declared, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    assert answer.headers["Location"] == f"{DECLARATIONS}/{declared['reference']}"
