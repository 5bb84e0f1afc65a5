"""The agency systems' wire format without a server: what a signature proves, and how a body is read."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from bordergate.adapters.agency_systems import (KINDS, SIGNATURE, TIMESTAMP, TOLERANCE_SECONDS, AgencySystemLink,
                                                SignatureRefused, read_message, sign, verify)
from bordergate.domain.errors import Invalid

SECRET = "customs-shared-secret-2026"
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp())


def a_message(**changes) -> dict:
    """What the customs system sends when it assigns a channel; keyword changes replace or add fields."""
    message = {"message_id": "vnaccs-000123", "type": "channel_assigned", "reference": "BG261127-ABCDEF",
               "sent_at": "2026-11-27T08:00:00+07:00", "channel": "green", "reason": "VNACCS risk management"}
    return {**message, **changes}


def encoded(message: dict) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode()


def refused(timestamp: str | None, signature: str | None, body: bytes, now: datetime = NOW) -> str:
    """The words of the refusal of a message that must not be applied."""
    with pytest.raises(SignatureRefused) as caught:
        verify(SECRET, timestamp, signature, body, now)
    return str(caught.value)


def problems(body: bytes) -> dict[str, str]:
    """Each bad field of a body, with what is wrong with it."""
    with pytest.raises(Invalid) as caught:
        read_message("customs", body)
    return {problem.field: problem.message for problem in caught.value.problems}


def test_a_signature_is_the_hex_hmac_sha256_of_the_timestamp_a_dot_and_the_body():
    body = encoded(a_message())
    expected = hmac.new(SECRET.encode(), f"{STAMP}.".encode() + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, STAMP, body) == f"v1={expected}"


def test_a_body_signed_with_the_shared_secret_verifies_now_and_up_to_the_tolerance_either_side():
    body = encoded(a_message())
    for offset in (0, TOLERANCE_SECONDS, -TOLERANCE_SECONDS):
        sent = STAMP + offset
        assert verify(SECRET, str(sent), sign(SECRET, sent, body), body, NOW) is None
    assert verify(SECRET, str(STAMP), f"  {sign(SECRET, STAMP, body)} ", body, NOW) is None


def test_a_body_changed_after_signing_is_refused():
    body = encoded(a_message())
    changed = encoded(a_message(channel="red"))
    assert "does not match the body" in refused(str(STAMP), sign(SECRET, STAMP, body), changed)


def test_a_body_signed_with_another_secret_is_refused():
    body = encoded(a_message())
    words = refused(str(STAMP), sign("someone-elses-secret-123", STAMP, body), body)
    assert "shared secret" in words


def test_a_signature_for_another_moment_is_refused_even_with_the_right_secret():
    body = encoded(a_message())
    assert "does not match" in refused(str(STAMP), sign(SECRET, STAMP - 1, body), body)


@pytest.mark.parametrize("timestamp, signature", [(None, "v1=00"), (str(STAMP), None), ("", "v1=00"), (None, None)],
                         ids=["no timestamp", "no signature", "empty timestamp", "neither"])
def test_a_message_without_both_headers_is_refused_naming_the_headers(timestamp, signature):
    words = refused(timestamp, signature, encoded(a_message()))
    assert TIMESTAMP in words and SIGNATURE in words and "HMAC-SHA256" in words


def test_a_timestamp_that_is_not_unix_seconds_is_refused_saying_so():
    body = encoded(a_message())
    assert "unix seconds" in refused(NOW.isoformat(), sign(SECRET, STAMP, body), body)


@pytest.mark.parametrize("offset", [-(TOLERANCE_SECONDS + 1), TOLERANCE_SECONDS + 1], ids=["301 s old", "301 s ahead"])
def test_a_message_signed_301_seconds_off_is_refused_pointing_at_the_systems_clock(offset):
    body = encoded(a_message())
    sent = STAMP + offset
    words = refused(str(sent), sign(SECRET, sent, body), body)
    assert "301 s" in words and f"{TOLERANCE_SECONDS} s" in words and "clock" in words


def test_a_signature_header_with_a_non_ascii_character_is_refused_not_crashed_on():
    body = encoded(a_message())
    assert "does not match" in refused(str(STAMP), "v1=\u00e9", body)


def test_a_timestamp_too_large_for_a_float_is_refused_not_crashed_on():
    body = encoded(a_message())
    refused("9" * 400, sign(SECRET, STAMP, body), body)


def test_a_well_formed_body_becomes_the_command_with_the_bodys_sha256_as_its_digest():
    body = encoded(a_message(message_id=" vnaccs-000123 "))
    command = read_message("customs", body)
    assert command.digest == hashlib.sha256(body).hexdigest()
    assert (command.agency, command.message_id, command.kind, command.reference) == (
        "customs", "vnaccs-000123", "channel_assigned", "BG261127-ABCDEF")
    assert (command.channel, command.reason) == ("green", "VNACCS risk management")
    assert command.sent_at == datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    assert command.sent_at.utcoffset() == timedelta(hours=7)


def test_the_same_message_spelt_with_other_spacing_has_another_digest():
    message = a_message()
    compact, spaced = encoded(message), json.dumps(message).encode()
    assert read_message("customs", compact).digest != read_message("customs", spaced).digest


@pytest.mark.parametrize("kind", ["released", "vehicle_exited"])
def test_a_release_or_an_exit_needs_no_channel_or_reason(kind):
    command = read_message("border_guard", encoded(a_message(type=kind, channel=None, reason=None)))
    assert (command.kind, command.channel, command.reason) == (kind, None, None)


def test_a_type_not_in_the_list_is_named_with_the_types_there_are():
    found = problems(encoded(a_message(type="vehicle_arrived")))
    assert list(found) == ["type"]
    assert all(kind in found["type"] for kind in KINDS)


def test_a_channel_assigned_message_without_a_channel_names_the_channel():
    found = problems(encoded(a_message(channel=None)))
    assert list(found) == ["channel"] and "green, yellow, red" in found["channel"]


def test_a_sent_at_without_a_time_zone_names_sent_at_and_shows_one_with_its_zone():
    found = problems(encoded(a_message(sent_at="2026-11-27T08:00:00")))
    assert list(found) == ["sent_at"] and "+07:00" in found["sent_at"]


@pytest.mark.parametrize("sent_at", [None, "", "yesterday", 1764205200, ["2026-11-27T08:00:00+07:00"]],
                         ids=["missing", "empty", "words", "a number", "a list"])
def test_a_sent_at_that_is_not_an_iso_moment_names_sent_at(sent_at):
    message = a_message(sent_at=sent_at)
    if sent_at is None:
        del message["sent_at"]
    assert list(problems(encoded(message))) == ["sent_at"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"", b"[1, 2]", b'"released"', b"null"],
                         ids=["broken", "not utf-8", "empty", "a list", "a string", "null"])
def test_a_body_that_is_not_a_json_object_names_the_body(body):
    assert problems(body) == {"body": "must be a JSON object"}


@pytest.mark.parametrize("field, value", [("message_id", ""), ("message_id", "x" * 101), ("message_id", 123),
                                          ("reference", "BG" * 13), ("reference", None), ("type", None),
                                          ("reason", "r" * 501), ("channel", "   ")])
def test_a_field_of_the_wrong_kind_or_length_is_named(field, value):
    assert list(problems(encoded(a_message(**{field: value})))) == [field]


def test_every_bad_field_is_named_at_once():
    bad = {"message_id": "", "type": "vehicle_arrived", "reference": None, "sent_at": "2026-11-27T08:00:00"}
    assert sorted(problems(encoded(bad))) == ["message_id", "reference", "sent_at", "type"]


def test_a_link_signs_what_it_sends_so_that_the_receiving_side_verifies_and_reads_it():
    heard = []

    def transport(path, body, headers):
        heard.append((path, body, headers))
        return 200, {"applied": True}

    link = AgencySystemLink("customs", SECRET, transport, lambda: NOW)
    assert link.send("channel_assigned", "BG261127-ABCDEF", channel="yellow") == (200, {"applied": True})
    [(path, body, headers)] = heard
    assert path == "/api/v1/agency-systems/customs/messages"
    verify(SECRET, headers[TIMESTAMP], headers[SIGNATURE], body, NOW + timedelta(seconds=5))
    command = read_message("customs", body)
    assert (command.kind, command.channel, command.sent_at) == ("channel_assigned", "yellow", NOW)
    again = link.send("channel_assigned", "BG261127-ABCDEF", channel="yellow")
    assert again == (200, {"applied": True}) and heard[1][1] != body
    assert [sent[0]["message_id"] for sent in link.sent] == [
        "customs-BG261127-ABCDEF-channel_assigned-1", "customs-BG261127-ABCDEF-channel_assigned-2"]
