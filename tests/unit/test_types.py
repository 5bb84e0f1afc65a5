"""The domain and the services type-check under mypy --strict: a wrong annotation fails the suite with mypy's report."""
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


# The domain, the services with their ports, and the ports' in-memory twins: one run (mypy's start-up is most of its
# time). Modules they import from elsewhere (adapters/sql for the twins' shared helpers) are followed for their
# types, not reported. A twin that stops answering its Protocol fails here too.
STRICT = ("domain", "services", "adapters/memory")


def test_the_domain_the_services_and_the_twins_are_fully_typed_under_mypy_strict(tmp_path):
    report, status = mypy_report(tmp_path, "--strict", "--follow-imports=silent",
                                 *(str(ROOT / "src" / "bordergate" / part) for part in STRICT))
    assert status == 0, "mypy --strict finds typing errors; annotate them:\n" + report
