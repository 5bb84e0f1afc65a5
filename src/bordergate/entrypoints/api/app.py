"""The FastAPI application factory: routes, problem details, OpenAPI at /docs."""
from __future__ import annotations

from fastapi import FastAPI

from bordergate import __version__
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api import problems
from bordergate.entrypoints.api.routes import accounts, declarations, public
from bordergate.entrypoints.logs import configure_logging


def create_app(gate: Gate | None = None) -> FastAPI:
    """A bordergate API over ``gate`` (built from the environment when not given)."""
    settings = gate.settings if gate else Settings()
    configure_logging(settings.log_level)
    gate = gate or bootstrap(settings)
    app = FastAPI(
        title="bordergate",
        version=__version__,
        summary="Digital border gate for road freight: declare once, correct a field, follow the truck.",
        description="Errors are RFC 9457 problem+json; `errors` names each bad field by its path.",
        responses=problems.PROBLEM_RESPONSES,
    )
    app.state.gate = gate
    problems.install(app)
    app.include_router(accounts.router)
    app.include_router(declarations.router)
    app.include_router(public.router)
    return app
