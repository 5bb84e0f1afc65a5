"""What in-transaction followers share: the declaration their event is about, as this unit of work holds it."""
from __future__ import annotations

from bordergate.domain.declaration import Declaration
from bordergate.domain.errors import NotFound
from bordergate.services.unit_of_work import UnitOfWork


def declaration_in(uow: UnitOfWork, reference: str) -> Declaration:
    """The declaration as the command left it: the one it loaded or added (no second read), else from the store."""
    for declaration in reversed(uow.declarations.seen):
        if declaration.reference == reference:
            return declaration
    stored = uow.declarations.get(reference)
    if stored is None:
        # An event about a declaration that is not there is a bug in whoever recorded it: stop the commit.
        raise NotFound(f"no declaration {reference} to follow")
    return stored
