"""The commit-msg hook (.githooks/commit-msg): a subject of at most 72 characters, a blank line, then a body."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOOK = Path(__file__).resolve().parents[2] / ".githooks" / "commit-msg"


def run_hook(tmp_path: Path, message: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    return subprocess.run([sys.executable, str(HOOK), str(path)], capture_output=True, text=True, check=False)


def test_a_short_subject_a_blank_line_and_a_body_are_taken(tmp_path):
    done = run_hook(tmp_path, "Queue: a closed hour is skipped\n\nThe outlook stepped into closures.\n# a comment\n")
    assert done.returncode == 0, done.stderr


def test_a_subject_past_72_characters_is_refused_saying_how_long_it_is(tmp_path):
    done = run_hook(tmp_path, "x" * 73 + "\n\nA body.\n")
    assert done.returncode == 1
    assert "73 characters" in done.stderr and "72" in done.stderr


def test_a_message_without_a_body_or_without_the_blank_line_is_refused(tmp_path):
    assert "add a body" in run_hook(tmp_path, "A subject alone\n").stderr
    assert "second line blank" in run_hook(tmp_path, "A subject\nA body glued to it\n").stderr


def test_merge_subjects_git_writes_itself_are_taken(tmp_path):
    assert run_hook(tmp_path, "Merge branch 'h16-docs'\n").returncode == 0
