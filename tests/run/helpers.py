"""Helpers for run-layer tests: configs on a dataset, and reading a run's rows back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from hoiscribe.run.config import PipelineConfig, load_config
from hoiscribe.run.rundir import RunDir
from hoiscribe.run.store import read_rows

SLEEP = "hoiscribe.testing.fakes:SleepEngine"


def three_stage_dict(
    out: Path,
    data_root: Path,
    dataset: str = "hico",
    refine_engine: str = SLEEP,
    refine_delay_s: float = 0.002,
    refine_concurrency: int = 8,
    **extra: Any,
) -> dict[str, Any]:
    """describe (grounded) -> refine (a stand-in model engine) -> examine (grounded, reads describe)."""
    base: dict[str, Any] = {
        "dataset": dataset,
        "data_root": str(data_root),
        "out": str(out),
        "samples_per_unit": 16,
        "progress": False,
        "stages": [
            {"name": "describe", "task": "describe"},
            {"name": "refine", "task": "refine", "concurrency": refine_concurrency,
             "engine": {"name": refine_engine, "options": {"delay_s": refine_delay_s}}},
            {"name": "examine", "task": "examine", "input": "describe"},
        ],
    }  # fmt: skip
    base.update(extra)
    return base


def three_stage(out: Path, data_root: Path, dataset: str = "hico", **extra: Any) -> PipelineConfig:
    return load_config(None, [], three_stage_dict(out, data_root, dataset, **extra))


def rows_per_stage(out: Path) -> dict[str, Counter[str]]:
    """Sample-id multiplicity of every stage's rows (all unit files)."""
    run = RunDir(out)
    result = {}
    for st in run.manifest.stages:
        c: Counter[str] = Counter()
        for path in run.stage_dir(st.name, st.fingerprint).glob("u*.jsonl"):
            c.update(r["sample_id"] for r in read_rows(path))
        result[st.name] = c
    return result
