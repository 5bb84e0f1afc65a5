"""Fixtures of the integration tests: units of work on each backend for the repository contract."""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.adapters.sql.database import make_engine
from bordergate.adapters.sql.unit_of_work import SqlUnitOfWork
from bordergate.domain.accounts import Organisation, OrganisationKind
from bordergate.domain.crossing_points import CrossingPoint
from bordergate.services.unit_of_work import UnitOfWork
from tests.conftest import NOW, fresh_postgres

Units = Callable[[], UnitOfWork]
FARM, POINT = "farm-1", "HUU_NGHI"


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def units(request, tmp_path) -> Iterator[Units]:
    """Units of work on one backend, with an enterprise and a crossing point to hang records on."""
    if request.param == "memory":
        tables = Tables()
        make: Units = lambda: InMemoryUnitOfWork(tables)  # noqa: E731
        engine = None
    else:
        if request.param == "sqlite":
            path = tmp_path / "contract.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            url = fresh_postgres(request.getfixturevalue("postgres_server"))
        engine = make_engine(url, 2)
        make = lambda: SqlUnitOfWork(engine)  # noqa: E731
    with make() as uow:
        uow.accounts.add_organisation(Organisation(FARM, "Nông sản Xứ Lạng", OrganisationKind.ENTERPRISE,
                                                   "4900100254"), NOW)
        uow.crossing_points.add(CrossingPoint(POINT, "Hữu Nghị", "Lạng Sơn", "1116-1117", "Youyiguan"))
        uow.commit()
    yield make
    if engine is not None:
        engine.dispose()
