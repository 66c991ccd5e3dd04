"""The Ray executor on local CPUs gives the same outputs as the local executor."""

from pathlib import Path

import pytest

from hoiscribe.run.merge import merge_run, merged_records
from hoiscribe.run.pipeline import run_pipeline
from tests.run_helpers import three_stage

ray = pytest.importorskip("ray")


def test_ray_matches_local(tmp_path: Path, demo_root: Path) -> None:
    from hoiscribe.run.executors.ray import run_with_ray

    local = three_stage(tmp_path / "local", demo_root, dataset="demo")
    run_pipeline(local)
    expected, _ = merged_records(tmp_path / "local")

    cfg = three_stage(tmp_path / "ray", demo_root, dataset="demo", executor="ray", samples_per_unit=2,
                      ray={"num_workers": 2, "init": {"num_cpus": 2}})  # fmt: skip
    results = run_with_ray(cfg)
    assert sorted(r["rank"] for r in results) == [0, 1]
    assert all(r["stages"]["describe"].get("ok", 0) > 0 for r in results)  # both actors did work
    merge_run(tmp_path / "ray")
    got, _ = merged_records(tmp_path / "ray")
    assert got == expected
