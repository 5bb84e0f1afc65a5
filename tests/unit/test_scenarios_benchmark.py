"""benchmarks/scenarios.py: each policy on a shipped scenario, the verdicts against the issue's aims, and the plots."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "scenarios.py"


def _script():
    spec = importlib.util.spec_from_file_location("scenarios_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_camera_outage_verdicts_trace_the_highway_queue_to_plates_typed_in_by_hand(tmp_path, capsys):
    out = tmp_path / "scenarios.json"

    _script().main(["--scenario", "camera_outage", "--seed", "2026", "--plots", str(tmp_path / "plots"),
                    "--out", str(out)])

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["meta"]["seed"] == 2026 and {"date", "machine", "python"} <= set(document["meta"])
    (row,) = document["result"]
    assert row["scenario"] == "camera_outage"
    assert set(row["kpis"]) == {"no_system", "goswift", "bordergate"}
    verdict = row["verdict"]
    assert set(verdict) == {"wait", "perishable", "highway"}
    highway = verdict["highway"]
    # The waiting areas had room, so every truck on the highway under bordergate was at the manual-entry desk.
    assert highway["had_room"] and highway["highway_peak"] > 0
    assert highway["highway_peak_others"] == 0 and highway["highway_peak_misread"] == highway["highway_peak"]
    assert verdict["wait"]["ratio_to_bound"] == row["kpis"]["bordergate"]["ratio_to_bound"]
    assert verdict["perishable"]["lost"] == row["kpis"]["bordergate"]["perishable_lost"]
    assert sorted(p.name for p in (tmp_path / "plots" / "camera_outage").iterdir()) == [
        "crossing_points.png", "queue_length.png", "waits_by_hour.png"]
    printed = capsys.readouterr().out
    for verdict_line in verdict.values():
        assert verdict_line["text"] in printed
