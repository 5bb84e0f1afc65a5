"""An administrator publishes civic data from the command line: shown as JSON, edited, checked, published."""
from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from bordergate.entrypoints.cli import main
from tests.support.serving import CHEAP_ARGON2


def test_an_admin_shows_a_year_edits_it_and_publishes_it_and_a_bad_file_is_refused_field_by_field(
        sqlite_template, tmp_path, monkeypatch):
    database = tmp_path / "gate.db"
    shutil.copy(sqlite_template, database)
    for name, value in {**CHEAP_ARGON2, "BORDERGATE_DATABASE_URL": f"sqlite:///{database}",
                        "BORDERGATE_SECRET_KEY": "civic-cli-" + "k" * 32}.items():
        monkeypatch.setenv(name, value)
    cli = CliRunner()
    shown = cli.invoke(main, ["civic", "show", "calendar"])
    assert shown.exit_code == 0, shown.output
    assert "# calendar version 1, in force from the start, published by system" in shown.output
    year_2027 = json.loads(shown.output.split("\n", 1)[1].split("\n# calendar", 1)[1].split("\n", 1)[1])
    assert year_2027["year"] == 2027 and year_2027["confirmed"] is False
    decided = tmp_path / "2027.json"
    decided.write_text(json.dumps({**year_2027, "confirmed": True, "source": "Quyết định của Thủ tướng (test)"}))
    published = cli.invoke(main, ["civic", "publish", "calendar", str(decided)])
    assert published.exit_code == 0 and "calendar: version 2 published" in published.output, published.output
    assert "# calendar version 2, in force from " in cli.invoke(main, ["civic", "show", "calendar"]).output

    bad = tmp_path / "routing.json"
    bad.write_text(json.dumps({"rules": [{"category": "pothole", "communes": "*", "unit": "NOPE"}]}))
    refused = cli.invoke(main, ["civic", "publish", "routing", str(bad)])
    assert refused.exit_code != 0
    assert "rules[0].category: pothole is not a category in force" in refused.output
    assert "rules[0].unit: NOPE is not a registered unit; register it first" in refused.output
    bad.write_text("[not json")
    assert "is not JSON" in cli.invoke(main, ["civic", "publish", "routing", str(bad)]).output
