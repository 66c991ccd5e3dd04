"""The Ray executor on local CPUs gives the same outputs as the local executor."""

from pathlib import Path

import pytest

from hoiscribe.run.executors.local import LocalExecutor
from hoiscribe.run.merge import merged_records
from tests.run.helpers import three_stage

ray = pytest.importorskip("ray")


def test_ray_matches_local(tmp_path: Path, demo_root: Path) -> None:
    from hoiscribe.run.executors.ray import RayExecutor

    LocalExecutor(three_stage(tmp_path / "local", demo_root, dataset="demo"), env={}).run()
    expected, _ = merged_records(tmp_path / "local")

    cfg = three_stage(tmp_path / "ray", demo_root, dataset="demo", executor="ray", samples_per_unit=2,
                      ray={"num_workers": 2, "init": {"num_cpus": 2}})  # fmt: skip
    result = RayExecutor(cfg).run()
    assert sorted(result.stage_counts) == [0, 1]
    assert all(c["describe"].get("ok", 0) > 0 for c in result.stage_counts.values())  # both actors did work
    assert result.complete and result.merged_path == tmp_path / "ray" / "merged.json"
    got, _ = merged_records(tmp_path / "ray")
    assert got == expected
