"""The domain type-checks under mypy --strict: a wrong annotation fails the suite with mypy's own report."""
from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]


def mypy_report(tmp_path: Path, *arguments: str) -> tuple[str, int]:
    # A fresh cache per run (about 1.5 s cold): nothing is written into the checkout, no other branch's cache is read.
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(tmp_path / "mypy"), "--no-error-summary",
                                      "--show-error-codes", *arguments])
    return stdout + stderr, status


def test_the_domain_is_fully_typed_under_mypy_strict(tmp_path):
    report, status = mypy_report(tmp_path, "--strict", str(ROOT / "src" / "bordergate" / "domain"))
    assert status == 0, "mypy --strict finds typing errors in the domain; annotate them:\n" + report


# The ports and their in-memory twins: a twin that stops answering its Protocol fails here. Imported modules are
# followed for their types but not reported: the other services are made strict module by module.
PORTS = ("services/repositories.py", "services/gate_repositories.py", "services/queue_repositories.py",
         "services/unit_of_work.py", "adapters/memory")


def test_the_repository_protocols_and_their_in_memory_twins_are_fully_typed_under_mypy_strict(tmp_path):
    report, status = mypy_report(tmp_path, "--strict", "--follow-imports=silent",
                                 *(str(ROOT / "src" / "bordergate" / part) for part in PORTS))
    assert status == 0, "mypy --strict finds typing errors in the repositories or their twins:\n" + report
