"""Every request body of the API comes from one base that refuses a field the API does not know."""
import inspect

import pytest
from pydantic import BaseModel, ValidationError

from bordergate.entrypoints.api import agency_schemas, control_schemas, fee_schemas, schemas
from bordergate.entrypoints.api.inputs import In

WIRE = (schemas, control_schemas, fee_schemas, agency_schemas)


def test_every_request_body_of_the_api_is_built_on_the_one_shared_base():
    bodies = [cls for module in WIRE for name, cls in inspect.getmembers(module, inspect.isclass)
              if issubclass(cls, BaseModel) and cls.__module__ == module.__name__ and name.endswith("In")]
    assert bodies and [cls.__name__ for cls in bodies if not issubclass(cls, In)] == []
    assert [m.__name__ for m in WIRE if hasattr(m, "_In")] == []


def test_a_request_body_with_a_field_the_api_does_not_know_is_refused():
    with pytest.raises(ValidationError, match="amount_vdn"):
        fee_schemas.CashIn(amount_vnd=4_000_000, amount_vdn=4_000_000)
