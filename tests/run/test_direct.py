"""The stage's direct path for engines that answer synchronously from facts (``write_facts``): the rows
it writes are the rows the Request/Completion path writes, for every stage of a grounded pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoiscribe.run.config import load_config
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from hoiscribe.run.store import read_rows
from hoiscribe.tasks.base import ParseError, Task
from hoiscribe.tasks.grounded import GroundedEngine


def _rows(out: Path) -> dict[str, dict[str, dict[str, Any]]]:
    run = RunDir(out)
    result = {}
    for st in run.manifest.stages:
        rows = {}
        for path in sorted(run.stage_dir(st.name, st.fingerprint).glob("u*.jsonl")):
            for r in read_rows(path):
                rows[r["sample_id"]] = {k: v for k, v in r.items() if k != "timings"}  # the clock differs
        result[st.name] = rows
    return result


def _cfg(out: Path, root: Path) -> Any:
    return load_config(None, [], {
        "dataset": "hico", "data_root": str(root), "out": str(out), "samples_per_unit": 16, "progress": False,
        "stages": [{"name": "describe", "task": "describe"}, {"name": "refine", "task": "refine"},
                   {"name": "examine", "task": "examine", "input": "describe"}],
    })  # fmt: skip


def test_direct_rows_equal_the_completion_path(
    tmp_path: Path, hico_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"direct": 0}
    original, original_packed = GroundedEngine.write_facts, GroundedEngine.write_packed

    def counted(self: GroundedEngine, *args: Any) -> Any:
        calls["direct"] += 1
        return original(self, *args)

    def counted_packed(self: GroundedEngine, *args: Any) -> Any:  # the first stage: from the packed samples
        got = original_packed(self, *args)
        calls["direct"] += got is not None
        return got

    monkeypatch.setattr(GroundedEngine, "write_facts", counted)
    monkeypatch.setattr(GroundedEngine, "write_packed", counted_packed)
    run_pipeline(_cfg(tmp_path / "direct", hico_root))
    direct = _rows(tmp_path / "direct")
    assert calls["direct"] == sum(len(rows) for rows in direct.values())  # every row took the direct path
    monkeypatch.setattr(GroundedEngine, "write_facts", None)  # an engine without the hook: Requests, Completions
    run_pipeline(_cfg(tmp_path / "completions", hico_root))
    assert calls["direct"] == sum(len(rows) for rows in direct.values())
    via_completions = _rows(tmp_path / "completions")
    assert direct == via_completions
    keys = {name: [list(r) for r in rows.values()] for name, rows in direct.items()}  # and in the same key order
    assert keys == {name: [list(r) for r in rows.values()] for name, rows in via_completions.items()}
    assert all(r["status"] == "ok" and r["output"] for rows in direct.values() for r in rows.values())
    merged = [(tmp_path / d / "merged.json").read_bytes() for d in ("direct", "completions")]
    assert merged[0] == merged[1]


def test_direct_rows_of_unparseable_answers_equal_the_completion_path(
    tmp_path: Path, hico_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def picky(self: Task, raw: str) -> Any:  # every other answer is refused by the parser
        if len(raw) % 2:
            raise ParseError(f"odd length {len(raw)}")
        return raw.strip()

    monkeypatch.setattr(Task, "parse", picky)
    run_pipeline(_cfg(tmp_path / "direct", hico_root))
    monkeypatch.setattr(GroundedEngine, "write_facts", None)
    run_pipeline(_cfg(tmp_path / "completions", hico_root))
    direct, via_completions = _rows(tmp_path / "direct"), _rows(tmp_path / "completions")
    assert direct == via_completions
    failed = [r for r in direct["describe"].values() if r["status"] == "failed"]
    assert failed and all(r["output"] is None and r["reason"] == f"parse error: {r['parse_error']}" for r in failed)
    assert all(list(r) == list(via_completions["describe"][sid]) for sid, r in direct["describe"].items())


def test_direct_path_reports_an_unknown_task_as_an_error() -> None:
    engine = GroundedEngine(tasks=lambda name: (_ for _ in ()).throw(NotImplementedError(name)))
    text, error = engine.write_facts("nope", {"sample_id": "a"}, 0)
    assert text is None and error is not None and "nope" in error
