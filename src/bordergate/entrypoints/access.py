"""Who may call each route: one line per (method, path), enforced before any handler runs, read by the matrix test.

A route without a line here is refused at start (``install`` raises), so a new route cannot ship without a rule.
The roles behind each ability, and why, are in domain/access.py: the policy. The services check the same abilities
(``access.require``), so a command from the command line or the bus is refused the same way.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.routing import Mount

from bordergate.domain.access import (ADMINISTER, BOARD, CHOOSE_AGENTS, DECLARE, READ_DECLARATIONS, READ_INBOXES,
                                      REGULATE, ROUTE_CHANNELS, RUN_THE_GATE, SIGNED_IN, WATCH_THE_GATE,
                                      WATCH_THE_QUEUE, ACT_FOR_AN_AGENCY, Ability)
from bordergate.domain.access import GIVE_CONTACT_PHONE
from bordergate.domain.access import COLLECT_FEES, HOLD_TRUCKS
from bordergate.domain.access import HANDLE_REPORTS
from bordergate.domain.access import RECORD_ALLOWANCE_USES, SEE_OWN_ALLOWANCE
from bordergate.domain.access import FILE_REPORTS
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import Forbidden
from bordergate.entrypoints.api import deps
from bordergate.entrypoints.web import session


@dataclass(frozen=True)
class Open:
    """A route that needs no signed-in person: anyone, a camera with its key, or a signed machine message (the
    handler checks the key or the signature; a person's token opens none of them)."""

    who: str


PUBLIC = Open("anyone")
CAMERA = Open("a camera with its X-Camera-Key")
SIGNED = Open("a signed message (agency system or payment provider)")
# Open311 GeoReport v2 (/open311/v2/): reads are anyone's, a POST needs a client's api_key (the handler checks it).
# Their errors are the spec's own {code, description} list, the one exception to RFC 9457 (docs/using-the-api.md).
OPEN311 = Open("anyone, through Open311 GeoReport v2 (errors in the spec's format, not RFC 9457)")
OPEN311_KEY = Open("an Open311 client with its api_key (errors in the spec's format, not RFC 9457)")
Rule = Ability | Open

# Every route of the app. HEAD is answered as GET; a mount is keyed by "*".
ROUTES: dict[tuple[str, str], Rule] = {
    # OpenAPI, docs, health, static files
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("*", "/static"): PUBLIC,
    # Accounts
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/metrics"): ADMINISTER,
    ("POST", "/api/v1/sign-out"): SIGNED_IN,
    ("POST", "/api/v1/me/password"): SIGNED_IN,
    ("POST", "/api/v1/users/{user_id}/sessions/revoke"): ADMINISTER,
    ("POST", "/api/v1/sessions/revoke-all"): ADMINISTER,
    ("POST", "/api/v1/users/{user_id}/deactivate"): ADMINISTER,
    ("POST", "/api/v1/organisations"): ADMINISTER,
    ("POST", "/api/v1/users"): ADMINISTER,
    ("PUT", "/api/v1/enterprises/{enterprise_id}/agents/{agency_id}"): CHOOSE_AGENTS,
    ("DELETE", "/api/v1/enterprises/{enterprise_id}/agents/{agency_id}"): CHOOSE_AGENTS,
    ("POST", "/api/v1/crossing-points"): ADMINISTER,
    ("GET", "/api/v1/crossing-points"): PUBLIC,
    ("PUT", "/api/v1/enterprises/{enterprise_id}/contact-phone"): GIVE_CONTACT_PHONE,
    # Declarations
    ("POST", "/api/v1/declarations"): DECLARE,
    ("GET", "/api/v1/declarations"): READ_DECLARATIONS,
    ("GET", "/api/v1/declarations/{reference}"): READ_DECLARATIONS,
    ("PATCH", "/api/v1/declarations/{reference}"): DECLARE,
    ("POST", "/api/v1/declarations/{reference}/cancel"): DECLARE,
    ("GET", "/api/v1/declarations/{reference}/history"): READ_DECLARATIONS,
    ("GET", "/api/v1/declarations/{reference}/qr"): READ_DECLARATIONS,
    ("GET", "/api/v1/enterprises/{enterprise_id}/fleet"): DECLARE,
    ("POST", "/api/v1/enterprises/{enterprise_id}/vehicles"): DECLARE,
    ("POST", "/api/v1/enterprises/{enterprise_id}/drivers"): DECLARE,
    ("GET", "/track/{reference}/{key}"): PUBLIC,  # whoever holds the driver's link (an HMAC key)
    # Cameras
    ("POST", "/api/v1/plate-reads"): CAMERA,
    ("POST", "/api/v1/plate-reads/image"): CAMERA,
    ("POST", "/api/v1/cameras/heartbeat"): CAMERA,
    # Smart control
    ("GET", "/api/v1/checkpoints"): WATCH_THE_GATE,
    ("POST", "/api/v1/checkpoints"): RUN_THE_GATE,
    ("POST", "/api/v1/checkpoints/{checkpoint_id}/cameras"): RUN_THE_GATE,
    ("POST", "/api/v1/cameras/{camera_id}/key"): RUN_THE_GATE,
    ("POST", "/api/v1/cameras/{camera_id}/revoke"): RUN_THE_GATE,
    ("POST", "/api/v1/checkpoints/{checkpoint_id}/manual-reads"): RUN_THE_GATE,
    ("GET", "/api/v1/reviews"): WATCH_THE_GATE,
    ("POST", "/api/v1/reviews/{read_id}"): RUN_THE_GATE,
    ("GET", "/api/v1/alerts"): WATCH_THE_GATE,
    ("POST", "/api/v1/alerts/{alert_id}/resolve"): RUN_THE_GATE,
    ("POST", "/api/v1/control/sweep"): RUN_THE_GATE,
    ("POST", "/api/v1/declarations/{reference}/holds"): HOLD_TRUCKS,
    ("POST", "/api/v1/holds/{hold_id}/lift"): HOLD_TRUCKS,
    ("GET", "/api/v1/declarations/{reference}/timeline"): READ_DECLARATIONS,
    # The queue
    ("POST", "/api/v1/declarations/{reference}/booking"): DECLARE,
    ("GET", "/api/v1/declarations/{reference}/booking"): READ_DECLARATIONS,
    ("POST", "/api/v1/declarations/{reference}/booking/cancel"): DECLARE,
    ("POST", "/api/v1/declarations/{reference}/booking/check-in"): RUN_THE_GATE,
    ("PUT", "/api/v1/declarations/{reference}/booking/priority"): RUN_THE_GATE,
    ("GET", "/api/v1/crossing-points/{code}/hours"): SIGNED_IN,  # capacity figures, no trip in them
    ("PUT", "/api/v1/crossing-points/{code}/capacity/{direction}"): RUN_THE_GATE,
    ("POST", "/api/v1/crossing-points/{code}/capacity-changes"): RUN_THE_GATE,
    ("PUT", "/api/v1/crossing-points/{code}/day-limits/{direction}/{day}"): RUN_THE_GATE,
    ("POST", "/api/v1/regulation-orders"): REGULATE,
    ("POST", "/api/v1/regulation-orders/{order_id}/lift"): REGULATE,
    ("GET", "/api/v1/queue/{code}/{direction}"): WATCH_THE_QUEUE,
    ("POST", "/api/v1/control/call-forward"): RUN_THE_GATE,
    ("GET", "/api/v1/public/queues"): PUBLIC,
    ("GET", "/api/v1/public/queues/{code}/history"): PUBLIC,
    # Agencies
    ("GET", "/api/v1/declarations/{reference}/clearance"): READ_DECLARATIONS,
    ("POST", "/api/v1/declarations/{reference}/agencies/{agency}/decisions"): ACT_FOR_AN_AGENCY,
    ("POST", "/api/v1/declarations/{reference}/channel"): ROUTE_CHANNELS,
    ("POST", "/api/v1/declarations/{reference}/agencies/{agency}/answer"): DECLARE,
    ("GET", "/api/v1/agencies/{agency}/inbox"): READ_INBOXES,
    ("GET", "/api/v1/crossing-points/{code}/agency-dwell/{day}"): READ_INBOXES,
    ("POST", "/api/v1/agency-systems/{agency}/messages"): SIGNED,
    # Fees
    ("GET", "/api/v1/tariffs"): PUBLIC,  # the published tariff is public law
    ("PUT", "/api/v1/tariffs/{version}"): COLLECT_FEES,
    ("GET", "/api/v1/declarations/{reference}/fee"): READ_DECLARATIONS,
    ("POST", "/api/v1/declarations/{reference}/payments"): DECLARE,
    ("POST", "/api/v1/declarations/{reference}/payments/cash"): COLLECT_FEES,
    ("POST", "/api/v1/payment-providers/{provider}/callback"): SIGNED,
    ("GET", "/api/v1/receipts/{number}.pdf"): READ_DECLARATIONS,
    ("GET", "/api/v1/public/receipts/{number}/{key}"): PUBLIC,  # a receipt's QR code verifies it
    ("GET", "/api/v1/reports/reconciliation"): COLLECT_FEES,
    # Screens: public
    ("GET", "/"): PUBLIC,
    ("GET", "/live/status"): PUBLIC,
    ("GET", "/track/{reference}/{key}/live"): PUBLIC,
    ("GET", "/signin"): PUBLIC,
    ("POST", "/signin"): PUBLIC,
    ("POST", "/signout"): PUBLIC,
    ("GET", "/sandbox-pay/{order_id}"): PUBLIC,
    ("POST", "/sandbox-pay/{order_id}"): PUBLIC,
    # Screens: the declarant portal
    ("GET", "/portal"): DECLARE,
    ("GET", "/portal/declare"): DECLARE,
    ("POST", "/portal/declare"): DECLARE,
    ("GET", "/portal/receipts/{number}.pdf"): DECLARE,
    ("GET", "/portal/{reference}"): DECLARE,
    ("GET", "/portal/{reference}/live"): DECLARE,
    ("POST", "/portal/{reference}/correct"): DECLARE,
    ("POST", "/portal/{reference}/answer/{agency}"): DECLARE,
    ("POST", "/portal/{reference}/pay"): DECLARE,
    ("POST", "/portal/{reference}/book"): DECLARE,
    ("POST", "/portal/{reference}/booking/cancel"): DECLARE,
    ("POST", "/portal/{reference}/cancel"): DECLARE,
    # Screens: the operators' board (the traffic police see the road's part of it and issue orders)
    ("GET", "/board"): BOARD,
    ("GET", "/board/live"): BOARD,
    ("POST", "/board/reviews/{read_id}"): RUN_THE_GATE,
    ("POST", "/board/alerts/{alert_id}/resolve"): RUN_THE_GATE,
    ("POST", "/board/manual-read"): RUN_THE_GATE,
    ("POST", "/board/orders"): REGULATE,
    ("POST", "/board/orders/{order_id}/lift"): REGULATE,
    ("POST", "/board/capacity/changes"): RUN_THE_GATE,
    ("POST", "/board/capacity/plan"): RUN_THE_GATE,
    # Screens: the agencies' console
    ("GET", "/agency"): READ_INBOXES,
    ("GET", "/agency/live"): READ_INBOXES,
    ("POST", "/agency/decisions"): ACT_FOR_AN_AGENCY,
    ("POST", "/agency/channel"): ROUTE_CHANNELS,
    # Screens: administration (accounts for administrators; checkpoints, cameras, tariffs also for operators)
    ("GET", "/admin"): RUN_THE_GATE,
    ("GET", "/admin/{anywhere:path}"): RUN_THE_GATE,
    ("POST", "/admin/organisations"): ADMINISTER,
    ("POST", "/admin/users"): ADMINISTER,
    ("POST", "/admin/agents"): ADMINISTER,
    ("POST", "/admin/agents/revoke"): ADMINISTER,
    ("POST", "/admin/crossing-points"): ADMINISTER,
    ("POST", "/admin/checkpoints"): RUN_THE_GATE,
    ("POST", "/admin/checkpoints/{checkpoint_id}/cameras"): RUN_THE_GATE,
    ("POST", "/admin/cameras/{camera_id}/key"): RUN_THE_GATE,
    ("POST", "/admin/cameras/{camera_id}/revoke"): RUN_THE_GATE,
    ("POST", "/admin/tariffs"): COLLECT_FEES,
    # Open311 GeoReport v2 (issue 17)
    ("GET", "/open311/v2/discovery.{fmt}"): OPEN311,
    ("GET", "/open311/v2/services.{fmt}"): OPEN311,
    ("GET", "/open311/v2/services/{service_code}.{fmt}"): OPEN311,
    ("POST", "/open311/v2/requests.{fmt}"): OPEN311_KEY,
    ("GET", "/open311/v2/requests.{fmt}"): OPEN311,
    ("GET", "/open311/v2/requests/{service_request_id}.{fmt}"): OPEN311,
    ("GET", "/open311/v2/tokens/{token}.{fmt}"): OPEN311,
    ("GET", "/open311/v2/{anything:path}"): OPEN311,
    ("POST", "/open311/v2/{anything:path}"): OPEN311,
    # The handling unit's inbox (issue 17): officers and supervisors; the service keeps each to their own unit.
    ("GET", "/unit/"): HANDLE_REPORTS,
    ("GET", "/unit/reports/{code}"): HANDLE_REPORTS,
    ("POST", "/unit/reports/{code}/{action}"): HANDLE_REPORTS,
    ("POST", "/unit/phone"): HANDLE_REPORTS,
    ("GET", "/unit/api/reports"): HANDLE_REPORTS,
    ("GET", "/unit/api/reports/{code}"): HANDLE_REPORTS,
    ("POST", "/unit/api/reports/{code}/{action}"): HANDLE_REPORTS,
    ("POST", "/unit/api/phone"): HANDLE_REPORTS,
    # Citizens sign in (issue 17): by a code sent to their phone (screens and the app's JSON twin), or by VNeID;
    # the demo's sandboxes (the kept SMS, VNeID's stand-in) exist only where the demo mounts them.
    ("GET", "/citizen/sign-in"): PUBLIC,
    ("POST", "/citizen/sign-in/code"): PUBLIC,
    ("POST", "/citizen/sign-in"): PUBLIC,
    ("POST", "/citizen/api/sign-in-codes"): PUBLIC,
    ("POST", "/citizen/api/sessions"): PUBLIC,
    ("GET", "/citizen/vneid"): PUBLIC,
    ("GET", "/citizen/vneid/callback"): PUBLIC,
    ("GET", "/sandbox/sms"): PUBLIC,
    ("*", "/sandbox/vneid"): PUBLIC,
    # Public services (issue 17): the catalogue and an application's status are public; the allowance is the
    # resident's own, recorded by the officers at the resident lane.
    ("GET", "/api/public/services"): PUBLIC,
    ("GET", "/api/public/services/{code}"): PUBLIC,
    ("GET", "/api/public/applications/{receipt_code}"): PUBLIC,
    ("GET", "/services"): PUBLIC,
    ("GET", "/services/status"): PUBLIC,
    ("GET", "/services/{code}"): PUBLIC,
    ("GET", "/citizen/allowance"): SEE_OWN_ALLOWANCE,
    ("GET", "/allowance/uses"): RECORD_ALLOWANCE_USES,
    ("POST", "/allowance/uses"): RECORD_ALLOWANCE_USES,
    # Citizens' reports (issue 17): the report page everybody follows. The reporter's steps are open routes: the
    # service admits only the reporter (account or secret link) and tells anyone else there is no such report.
    ("GET", "/r/{tracking_code}"): PUBLIC,
    ("GET", "/r/{tracking_code}/live"): PUBLIC,
    ("POST", "/r/{tracking_code}/information"): PUBLIC,
    ("POST", "/r/{tracking_code}/rating"): PUBLIC,
    ("POST", "/r/{tracking_code}/reopen"): PUBLIC,
    ("POST", "/r/{tracking_code}/withdraw"): PUBLIC,
    ("POST", "/r/{tracking_code}/follow"): FILE_REPORTS,
    ("POST", "/r/{tracking_code}/unfollow"): FILE_REPORTS,
    ("GET", "/citizen/reports"): FILE_REPORTS,
    ("GET", "/citizen/reports/nearby"): PUBLIC,
    ("GET", "/citizen/api/reports/{tracking_code}"): PUBLIC,
    ("POST", "/citizen/api/reports/{tracking_code}/information"): PUBLIC,
    ("POST", "/citizen/api/reports/{tracking_code}/rating"): PUBLIC,
    ("POST", "/citizen/api/reports/{tracking_code}/reopen"): PUBLIC,
    ("POST", "/citizen/api/reports/{tracking_code}/withdraw"): PUBLIC,
    ("POST", "/citizen/api/reports/{tracking_code}/follow"): FILE_REPORTS,
    ("POST", "/citizen/api/reports/{tracking_code}/unfollow"): FILE_REPORTS,
    ("GET", "/r/{tracking_code}/questionnaire"): PUBLIC,  # whoever holds the SMS's one-time link
    ("POST", "/r/{tracking_code}/questionnaire"): PUBLIC,
    # The citizen's phone (issue 17): anyone may file, signed in or not (the service checks FILE_REPORTS for a
    # signed-in person, and the abuse controls count every filing); the pages and the app's files are public.
    ("GET", "/citizen/"): PUBLIC,
    ("GET", "/citizen/report"): PUBLIC,
    ("GET", "/citizen/manifest.webmanifest"): PUBLIC,
    ("GET", "/citizen/sw.js"): PUBLIC,
    ("POST", "/citizen/api/reports"): PUBLIC,
    ("GET", "/citizen/api/nearby"): PUBLIC,
    # Citizens' reports, the public side (issue 17): the list and the figures per unit, screens and JSON
    ("GET", "/reports"): PUBLIC,
    ("GET", "/reports/stats"): PUBLIC,
    ("GET", "/api/v1/public/reports"): PUBLIC,
    ("GET", "/api/v1/public/reports/stats"): PUBLIC,
}


class UnruledRoutes(RuntimeError):
    """The app has routes nobody said who may call: it is not built (deny by default)."""


BEARER_OUTSIDE_API = frozenset({"/metrics"})  # where Prometheus looks by convention


def is_screen(path: str) -> bool:
    """Screens sign in with the session cookie; the API (and the driver's JSON link) and the metrics a Prometheus
    scraper reads with a Bearer token."""
    return not path.startswith(("/api/", "/open311/", "/citizen/api/")) and path not in BEARER_OUTSIDE_API


def routes_of(app: FastAPI) -> Iterator[tuple[str, str, object]]:
    """Each (method, path template, route object) the app answers, included routers flattened."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            yield "*", route.path, route
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD" or "GET" not in route.methods:
                yield method, context.path or route.path, route


def install(app: FastAPI, table: dict[tuple[str, str], Rule] = ROUTES) -> None:
    """Give every route its rule, or refuse to build the app naming the routes without one."""
    rules, missing = {}, []
    for method, path, route in routes_of(app):
        rule = table.get((method, path))
        if rule is None:
            missing.append(f"{method} {path}")
        rules[(id(route), method)] = (rule, path)
    if missing:
        raise UnruledRoutes("no access rule for " + ", ".join(missing) +
                            "; add a line for each to ROUTES in bordergate/entrypoints/access.py")
    app.state.access = rules


class ScreenRefused(Exception):
    """A signed-in person opened a screen their role may not use: a 403 page with the way to their own."""

    def __init__(self, detail: str, home: str, principal: Principal | None = None) -> None:
        super().__init__(detail)
        self.detail, self.home, self.principal = detail, home, principal


async def guard(request: Request) -> None:
    """Refuse a role the route's rule does not name, before its handler (and its body) is looked at.
    Who is asking is resolved by the same functions the handlers use (a Bearer token, or the screens' cookie)."""
    route, method = request.scope.get("route"), request.method
    method = "GET" if method == "HEAD" else method
    rule, path = request.app.state.access.get((id(route), method), (None, request.url.path))
    if isinstance(rule, Open):
        return
    if rule is None:  # install() refuses such an app; this is the deny-by-default backstop
        raise Forbidden(f"no access rule for {method} {path}")
    if is_screen(path):
        asking = await run_in_threadpool(session.screen_principal, request)
        if not rule.allows(asking.role):
            raise ScreenRefused(rule.refusal, session.HOME.get(asking.role, "/"), asking)
        return
    token = await deps._bearer(request)  # the OAuth2 scheme principal() is given by FastAPI
    asking = await run_in_threadpool(deps.principal, request, token)
    if not rule.allows(asking.role):
        raise Forbidden(rule.refusal)
