"""The reflection loop: verify, send problems back as feedback, stop at the bound, keep history."""

from pathlib import Path
from typing import Any

from hoiscribe.run.config import load_config
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir

MISTAKE = "hoiscribe.testing.fakes:MistakeEngine"


def _run(tmp_path: Path, demo_root: Path, stage: dict[str, Any]) -> dict[str, dict[str, Any]]:
    base = {"dataset": "demo", "data_root": str(demo_root), "out": str(tmp_path / "run"), "progress": False,
            "stages": [dict({"name": "describe", "task": "describe"}, **stage)]}  # fmt: skip
    run_pipeline(load_config(None, [], base))
    run = RunDir(tmp_path / "run")
    return run.stage_rows(run.manifest.stages[0])


def _sided(rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose first (swapped) answer the checker rejected."""
    return [r for r in rows.values() if r["history"][0]["verdict"] == "FAIL"]


def test_grounding_failure_is_sent_back_and_fixed(tmp_path: Path, demo_root: Path) -> None:
    rows = _run(tmp_path, demo_root, {"engine": {"name": MISTAKE, "options": {"fix_after": 1}},
                                      "verify": ["grounding"], "reflect_attempts": 3})  # fmt: skip
    swapped = _sided(rows)
    assert len(swapped) >= 5  # a swap is only false where the two sides differ
    for r in swapped:
        assert r["status"] == "ok"
        assert r["reflection"] == {"attempts": 2, "passed_attempt": 2}
        first, second = r["history"]
        assert any("left_right_swap" in p["why"] for p in first["problems"])
        assert second["verdict"] == "PASS" and second["output"] == r["output"]
        assert r["grounding"]["contradicted"] == 0


def test_loop_stops_at_the_bound_and_records_no_pass(tmp_path: Path, demo_root: Path) -> None:
    rows = _run(tmp_path, demo_root, {"engine": {"name": MISTAKE, "options": {"fix_after": 99}},
                                      "verify": ["grounding"], "reflect_attempts": 3})  # fmt: skip
    swapped = _sided(rows)
    assert swapped
    for r in swapped:
        assert r["reflection"] == {"attempts": 3, "passed_attempt": None}
        assert [h["verdict"] for h in r["history"]] == ["FAIL", "FAIL", "FAIL"]
        assert r["grounding"]["contradicted"] > 0  # the final answer is kept, with its problems


def test_examiner_verdict_drives_the_loop(tmp_path: Path, demo_root: Path) -> None:
    rows = _run(tmp_path, demo_root, {"engine": {"name": MISTAKE, "options": {"fix_after": 0}},
                                      "verify": ["examiner"], "reflect_attempts": 2,
                                      "examiner": {"name": MISTAKE, "options": {"verdict": "FAIL"}}})  # fmt: skip
    assert rows and all(r["reflection"] == {"attempts": 2, "passed_attempt": None} for r in rows.values())
    assert all(r["history"][0]["problems"][0]["why"] == "examiner says no" for r in rows.values())


def test_grounding_is_stored_without_verify(tmp_path: Path, demo_root: Path) -> None:
    rows = _run(tmp_path, demo_root, {"engine": {"name": MISTAKE, "options": {"fix_after": 99}}})
    assert all("grounding" in r and "history" not in r for r in rows.values())
    assert sum(r["grounding"]["contradicted"] > 0 for r in rows.values()) >= 5
