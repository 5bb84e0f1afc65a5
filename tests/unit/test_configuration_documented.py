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
