"""Executors launch ranks and merge exactly once, when every unit of every stage is done."""

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from hoiscribe.catalog import EXECUTORS
from hoiscribe.cli import app
from hoiscribe.run import merge
from hoiscribe.run.config import ConfigError, load_config
from hoiscribe.run.executors.base import Executor
from hoiscribe.run.executors.local import LocalExecutor
from hoiscribe.run.executors.ranks import RanksExecutor
from hoiscribe.run.merge import merged_records
from hoiscribe.run.pipeline import run_pipeline
from tests.run.helpers import three_stage, three_stage_dict

runner = CliRunner()


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every merge_run call, recorded as whether it was handed the rows in memory; no rank env."""
    calls: list[bool] = []
    real = merge.merge_run

    def counting(run_dir: Path, output_path: Path | None = None, preloaded: Any = None) -> Path:
        calls.append(preloaded is not None)
        return real(run_dir, output_path, preloaded)

    monkeypatch.setattr(merge, "merge_run", counting)
    for var in ("RANK", "WORLD_SIZE", "SLURM_PROCID", "SLURM_NTASKS"):
        monkeypatch.delenv(var, raising=False)
    return calls


def _text(output: str) -> str:
    return " ".join(output.split())  # rich wraps long lines at the runner's terminal width


def test_local_merges_once_streaming_the_rows_from_disk(tmp_path: Path, demo_root: Path, merges: list[bool]) -> None:
    out = tmp_path / "run"
    result = LocalExecutor(three_stage(out, demo_root, dataset="demo")).run()
    assert merges == [False]  # no rows are held in memory: the merge streams them unit by unit
    assert result.complete and result.world_size == 1 and result.merged_path == out / "merged.json"
    assert result.reports[0].final_rows is None
    from_disk, _ = merged_records(out)
    assert json.loads((out / "merged.json").read_text()) == from_disk
    assert not (out / "spill").exists() and not (out / "merge-scratch").exists()  # scratch is removed

    LocalExecutor(three_stage(out, demo_root, dataset="demo"), only=["refine"]).run()
    assert merges == [False, False]
    assert json.loads((out / "merged.json").read_text()) == from_disk


def test_run_pipeline_still_merges_a_complete_run(tmp_path: Path, demo_root: Path, merges: list[bool]) -> None:
    cfg = three_stage(tmp_path / "run", demo_root, dataset="demo")
    assert run_pipeline(cfg, merge=False).merged_path is None and merges == []
    report = run_pipeline(cfg)
    assert report.merged_path == tmp_path / "run" / "merged.json" and merges == [False]


def test_ranks_merge_only_on_the_rank_that_completes_the_run(
    tmp_path: Path, demo_root: Path, merges: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    LocalExecutor(three_stage(tmp_path / "ref", demo_root, dataset="demo")).run()
    expected, _ = merged_records(tmp_path / "ref")
    out = tmp_path / "run"
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump(three_stage_dict(out, demo_root, "demo", samples_per_unit=2, executor="ranks")))

    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "2")
    first = runner.invoke(app, ["pipeline", str(config)])
    assert first.exit_code == 0, first.output
    assert f"rank 0/2 finished; other ranks still running. Run dir: {out}" in _text(first.output)
    assert "keypoints joined to" in first.output
    assert merges == [False] and not (out / "merged.json").exists()  # only the reference run merged

    monkeypatch.setenv("RANK", "1")  # an old config saying `local` under torchrun is a rank as well
    last = runner.invoke(app, ["pipeline", str(config), "--executor", "local"])
    assert last.exit_code == 0, last.output
    assert f"merged output: {out / 'merged.json'}" in _text(last.output)
    assert merges == [False, False]  # every merge streams the rows from disk
    assert json.loads((out / "merged.json").read_text()) == expected


def test_local_is_rank_0_of_1_unless_a_launcher_says_otherwise(tmp_path: Path) -> None:
    cfg = three_stage(tmp_path, tmp_path, dataset="demo")
    alone = LocalExecutor(cfg, env={})
    assert (alone.rank, alone.world_size) == (0, 1)
    slurm = LocalExecutor(cfg, env={"SLURM_PROCID": "2", "SLURM_NTASKS": "3"})
    assert (slurm.rank, slurm.world_size) == (2, 3)
    torchrun = RanksExecutor(cfg, env={"RANK": "1", "WORLD_SIZE": "4"})
    assert (torchrun.rank, torchrun.world_size) == (1, 4)
    with pytest.raises(ValueError, match=r"RANK=4 is not in 0\.\.3"):
        RanksExecutor(cfg, env={"RANK": "4", "WORLD_SIZE": "4"})


def test_executor_names_come_from_the_catalog(tmp_path: Path) -> None:
    from hoiscribe.run.executors.ray import RayExecutor

    assert EXECUTORS.get("local") is LocalExecutor and EXECUTORS.get("ranks") is RanksExecutor
    assert EXECUTORS.get("ray") is RayExecutor
    assert all(issubclass(EXECUTORS.get(name), Executor) for name in EXECUTORS)
    assert three_stage(tmp_path, tmp_path, dataset="demo", executor="ranks").executor == "ranks"
    with pytest.raises(ConfigError, match=r"executor: .*unknown executor 'nope'; choose one of local, ranks, ray"):
        load_config(None, [], three_stage_dict(tmp_path, tmp_path, "demo", executor="nope"))


def test_ray_missing_names_the_extra(tmp_path: Path, demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if it were not installed
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump(three_stage_dict(tmp_path / "run", demo_root, "demo", executor="ray")))
    result = runner.invoke(app, ["pipeline", str(config)])
    assert result.exit_code == 2
    assert "the Ray executor needs Ray: pip install 'hoiscribe[ray]'" in _text(result.output)
