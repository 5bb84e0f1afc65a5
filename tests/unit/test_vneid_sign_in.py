"""Signing in by VNeID: the real OpenID Connect client against the sandbox provider, in process over httpx."""
import random
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from bordergate.adapters.identity import OidcIdentityProvider
from bordergate.adapters.identity_sandbox import SandboxIdentityProvider, new_signing_key
from bordergate.domain.errors import Unavailable
from bordergate.services.identity import IdentityRefused, SignInAttempt, code_and_state, code_challenge
from bordergate.services.ports import FixedClock, Identifiers

ISSUER = "https://vneid.sandbox.test"
CALLBACK = "https://gate.example/citizen/vneid/callback"


@pytest.fixture(scope="module")
def keys():
    # RSA keys take a moment to make: the provider's and a forger's serve the whole module.
    return new_signing_key(), new_signing_key()


@pytest.fixture()
def world(keys):
    clock = FixedClock(datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    sandbox = SandboxIdentityProvider(ISSUER, clock, Identifiers(random.Random(1)),
                                      {"bordergate": "s3cret+with/odd=chars.at-least-32-bytes"}, *keys)
    sandbox.add_citizen("vneid-0123456789", "+84912345678", "Nguyễn Văn An")
    http = TestClient(sandbox.app(), base_url=ISSUER)
    gate = OidcIdentityProvider(ISSUER, "bordergate", "s3cret+with/odd=chars.at-least-32-bytes", http, clock,
                                Identifiers(random.Random(7)))
    return sandbox, gate, http, clock


def sign_in_at_the_provider(http: TestClient, attempt: SignInAttempt, as_subject: str) -> tuple[str, str]:
    """The citizen's browser at the provider: picks who to sign in as, is sent back with a code and the state."""
    answer = http.get(attempt.authorization_url + "&as=" + as_subject, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return code_and_state({key: values[0] for key, values in parse_qs(back.query).items()})


def test_a_citizen_signed_in_at_vneid_comes_back_with_subject_phone_and_name(world):
    sandbox, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")

    identity = gate.finish_sign_in(attempt, code, state)

    assert (identity.issuer, identity.subject, identity.phone_number, identity.phone_number_verified,
            identity.name) == (ISSUER, "vneid-0123456789", "+84912345678", True, "Nguyễn Văn An")


def test_the_sign_in_url_asks_for_a_code_with_pkce_s256_state_and_nonce(world):
    _, gate, _, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    query = {k: v[0] for k, v in parse_qs(urlsplit(attempt.authorization_url).query).items()}

    assert attempt.authorization_url.startswith(f"{ISSUER}/authorize?")
    assert query["response_type"] == "code" and query["scope"] == "openid phone profile"
    assert (query["state"], query["nonce"]) == (attempt.state, attempt.nonce)
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] == code_challenge(attempt.code_verifier)
    assert "code_verifier" not in query


def test_the_provider_page_lists_whom_one_may_sign_in_as_when_nobody_is_chosen(world):
    _, gate, http, _ = world
    page = http.get(gate.begin_sign_in(CALLBACK).authorization_url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.text


def test_an_answer_with_another_browsers_state_is_refused(world):
    _, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, _ = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="state is not this browser's"):
        gate.finish_sign_in(attempt, code, "someone-elses-state")


def test_a_token_with_another_sign_ins_nonce_is_refused(world):
    sandbox, gate, http, _ = world
    sandbox.misbehaviour.claims["nonce"] = "nonce-of-another-attempt"
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="nonce is not this sign-in's"):
        gate.finish_sign_in(attempt, code, state)


def test_a_token_meant_for_another_client_is_refused(world):
    sandbox, gate, http, _ = world
    sandbox.misbehaviour.claims["aud"] = "another-site"
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="meant for another client, not 'bordergate'"):
        gate.finish_sign_in(attempt, code, state)


def test_an_expired_token_is_refused_on_the_gates_clock(world):
    sandbox, gate, http, clock = world
    sandbox.misbehaviour.claims["exp"] = int(clock.now().timestamp()) - 600
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="expired 600 s ago"):
        gate.finish_sign_in(attempt, code, state)


def test_a_token_signed_by_a_key_the_provider_does_not_publish_is_refused(world):
    sandbox, gate, http, _ = world
    sandbox.misbehaviour.forge_with_unpublished_key = True
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="signature does not verify"):
        gate.finish_sign_in(attempt, code, state)


def test_a_token_from_another_issuer_is_refused(world):
    sandbox, gate, http, _ = world
    sandbox.misbehaviour.claims["iss"] = "https://evil.example"
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="not issued by 'https://vneid.sandbox.test'"):
        gate.finish_sign_in(attempt, code, state)


def test_a_code_used_once_cannot_sign_in_again(world):
    _, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    gate.finish_sign_in(attempt, code, state)
    with pytest.raises(IdentityRefused, match="refused the sign-in code: invalid_grant .the code was already used"):
        gate.finish_sign_in(attempt, code, state)


def test_a_code_stolen_without_the_pkce_verifier_is_refused(world):
    _, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    thief = SignInAttempt(attempt.authorization_url, CALLBACK, attempt.state, attempt.nonce, "a" * 43)
    with pytest.raises(IdentityRefused, match="code_verifier does not match"):
        gate.finish_sign_in(thief, code, state)


def test_a_code_exchanged_after_a_minute_is_refused(world):
    _, gate, http, clock = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    clock.advance(seconds=61)
    with pytest.raises(IdentityRefused, match="the code expired"):
        gate.finish_sign_in(attempt, code, state)


def test_a_wrong_client_secret_is_refused_saying_client_authentication_failed(world):
    sandbox, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    gate.client_secret = "not-the-secret"
    with pytest.raises(IdentityRefused, match="invalid_client .client authentication failed"):
        gate.finish_sign_in(attempt, code, state)


def test_a_discovery_document_for_another_issuer_is_not_trusted(world):
    _, _, http, clock = world
    gate = OidcIdentityProvider(ISSUER + "/other", "bordergate", "x", http, clock, Identifiers(random.Random(7)))
    with pytest.raises(Unavailable, match="discovery document at .* answered 404"):
        gate.begin_sign_in(CALLBACK)


def test_vneid_is_off_by_default_and_refused_half_configured_at_start_up():
    from pydantic import ValidationError

    from bordergate.config import Settings

    assert Settings().vneid_issuer is None
    with pytest.raises(ValidationError, match="set all three, or unset the issuer"):
        Settings(vneid_issuer=ISSUER)
    with pytest.raises(ValidationError, match="must be an https:// URL"):
        Settings(vneid_issuer="http://vneid.example", vneid_client_id="bordergate", vneid_client_secret="x")


def test_the_demo_reaches_the_sandbox_in_process_through_its_transport_as_over_asgi(world):
    import httpx

    sandbox, _, browser, clock = world
    gate = OidcIdentityProvider(ISSUER, "bordergate", "s3cret+with/odd=chars.at-least-32-bytes",
                                httpx.Client(transport=sandbox.transport()), clock, Identifiers(random.Random(9)))
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(browser, attempt, "vneid-0123456789")

    assert gate.finish_sign_in(attempt, code, state).subject == "vneid-0123456789"
    with pytest.raises(IdentityRefused, match="already used"):
        gate.finish_sign_in(attempt, code, state)


def test_a_token_signed_hs256_with_our_own_client_secret_is_refused_by_its_algorithm(world):
    sandbox, gate, http, _ = world
    sandbox.misbehaviour.sign_hs256_with_client_secret = True
    attempt = gate.begin_sign_in(CALLBACK)
    code, state = sign_in_at_the_provider(http, attempt, "vneid-0123456789")
    with pytest.raises(IdentityRefused, match="signed with 'HS256'; only RS256, PS256, ES256 are accepted"):
        gate.finish_sign_in(attempt, code, state)


def test_a_citizen_who_cancels_at_the_provider_is_told_so_and_offered_the_phone(world):
    _, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    answer = http.get(attempt.authorization_url + "&cancel=1", follow_redirects=False)
    back = {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}

    assert back["state"] == attempt.state
    with pytest.raises(IdentityRefused, match="did not sign you in .access_denied.*sign in with your phone"):
        code_and_state(back)


def test_the_provider_never_sends_a_code_to_an_unregistered_redirect_uri(world, keys):
    _, _, _, clock = world
    sandbox = SandboxIdentityProvider(ISSUER, clock, Identifiers(random.Random(1)), {"bordergate": "x" * 32},
                                      *keys, redirect_uris={"bordergate": (CALLBACK,)})
    http = TestClient(sandbox.app(), base_url=ISSUER)
    sandbox.add_citizen("vneid-1")
    gate = OidcIdentityProvider(ISSUER, "bordergate", "x" * 32, http, clock, Identifiers(random.Random(3)))
    elsewhere = gate.begin_sign_in("https://attacker.example/catch")
    answer = http.get(elsewhere.authorization_url + "&as=vneid-1", follow_redirects=False)

    assert answer.status_code == 400 and "not registered" in answer.text
    assert sign_in_at_the_provider(http, gate.begin_sign_in(CALLBACK), "vneid-1")


def test_tokens_naming_unknown_keys_do_not_make_the_gate_fetch_the_keys_each_time(world):
    import jwt as pyjwt

    sandbox, gate, http, _ = world
    attempt = gate.begin_sign_in(CALLBACK)
    gate.finish_sign_in(attempt, *sign_in_at_the_provider(http, attempt, "vneid-0123456789"))
    fetches = []
    http.event_hooks["request"].append(lambda request: fetches.append(request.url.path))
    for kid in ("k1", "k2", "k3"):
        forged = pyjwt.encode({"sub": "x"}, sandbox.forger_key, algorithm="RS256", headers={"kid": kid})
        with pytest.raises(IdentityRefused, match="key the identity provider does not publish"):
            gate._verified_claims(forged)
    assert fetches.count("/jwks") == 0
