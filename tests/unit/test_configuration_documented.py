"""Every setting an operator can change is documented in docs/configuration.md."""
from pathlib import Path

from bordergate.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_setting_has_a_row_in_the_configuration_page():
    page = DOC.read_text()
    missing = [name for name in Settings.model_fields if f"`BORDERGATE_{name.upper()}`" not in page]
    assert missing == []


def test_every_setting_explains_itself_in_code_too():
    assert [name for name, field in Settings.model_fields.items() if not field.description] == []


def test_argon2_memory_too_small_for_its_lanes_is_refused_at_start_up_with_the_numbers():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least 8 x BORDERGATE_ARGON2_PARALLELISM = 32, not 8"):
        Settings(argon2_memory_kib=8)
    assert Settings(argon2_memory_kib=8, argon2_parallelism=1).argon2_memory_kib == 8
