"""A run holds the work in flight, not the dataset: samples stream through a spill one unit at a time,
seed records live once per unit beside the rows, and the merge streams, with the output unchanged."""

from __future__ import annotations

import json
import random
from pathlib import Path

import orjson
import pytest

from hoiscribe.datasets.hico import read_hico
from hoiscribe.run import source
from hoiscribe.run.merge import merged_records
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from hoiscribe.tasks.grounded import GroundedEngine, SampleRandom, sample_rng
from tests.run.helpers import three_stage


def _grounded_three(out: Path, root: Path, **extra: object) -> object:
    from hoiscribe.run.config import load_config

    stages = [{"name": "describe", "task": "describe"}, {"name": "refine", "task": "refine"},
              {"name": "examine", "task": "examine", "input": "describe"}]  # fmt: skip
    base = {"dataset": "hico", "data_root": str(root), "out": str(out), "progress": False,
            "samples_per_unit": 64, "stages": stages}  # fmt: skip
    base.update(extra)
    return load_config(None, [], base)


def test_units_are_loaded_one_at_a_time_and_nothing_is_kept(
    tmp_path: Path, hico_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[int] = []
    real = source.SampleIndex._lines  # what ``load`` and ``load_packed`` (the grounded stages) both read through

    def counting(self: source.SampleIndex, unit: int) -> list:
        got = real(self, unit)
        loaded.append(len(got))
        return got

    monkeypatch.setattr(source.SampleIndex, "_lines", counting)
    out = tmp_path / "run"
    report = run_pipeline(_grounded_three(out, hico_root))
    n = len(read_hico(hico_root).samples)
    assert report.complete and report.read.samples == [] and report.read.stats["pairs"] == n
    assert sum(loaded) == 3 * n and max(loaded) < n / 4  # every stage loads each unit once, never all
    assert not (out / "spill").exists() and not (out / "merge-scratch").exists()
    first = RunDir(out).manifest.stages[0]
    rows = RunDir(out).stage_rows(first)
    assert all("record" in r for r in rows.values())  # joined from the records files for readers of rows
    for path in RunDir(out).stage_dir(first.name, first.fingerprint).glob("u*.jsonl"):
        assert all("record" not in orjson.loads(line) for line in path.read_bytes().splitlines())


@pytest.mark.parametrize("write_batch", [1, 4, 7, 4096])  # records per write to merged.json: every boundary
def test_the_streamed_merge_equals_the_in_memory_merge(
    tmp_path: Path, hico_root: Path, write_batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoiscribe.run import merge

    monkeypatch.setattr(merge, "WRITE_BATCH", write_batch)
    out = tmp_path / "run"
    run_pipeline(_grounded_three(out, hico_root))
    records, _ = merged_records(out)
    assert orjson.loads((out / "merged.json").read_bytes()) == records
    assert (out / "merged.json").read_bytes() == orjson.dumps(records)  # byte for byte
    keys = [(r["image_id"], r["instance_id"]) for r in records]
    assert keys == sorted(keys) and len(records) == len(read_hico(hico_root).samples)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["records"] == len(records) and stats["stages"]["describe"]["status"] == {"ok": len(records)}


def test_a_record_with_a_stage_field_of_its_own_is_replaced_not_duplicated(tmp_path: Path, hico_root: Path) -> None:
    out = tmp_path / "run"
    run_pipeline(_grounded_three(out, hico_root))
    run = RunDir(out)
    first = run.manifest.stages[0]
    path = next(run.stage_dir(first.name, first.fingerprint).glob("records-*.jsonl"))
    key, _, rec = path.read_bytes().splitlines()[0].partition(b"\t")
    record = dict(orjson.loads(rec), description="an old text")  # as a seed-format input would carry
    lines = path.read_bytes().splitlines()
    lines[0] = key + b"\t" + orjson.dumps(record)
    path.write_bytes(b"\n".join(lines) + b"\n")
    from hoiscribe.run.merge import merge_run

    merged = orjson.loads(merge_run(out).read_bytes())
    sid = orjson.loads(key)[3]
    (got,) = [r for r in merged if r["sample_id"] == sid]
    assert got["description"] != "an old text" and list(got).count("description") == 1
    assert merged == merged_records(out)[0]


def test_an_edited_sample_is_redone_and_only_it(tmp_path: Path, hico_root: Path) -> None:
    out = tmp_path / "run"
    run_pipeline(_grounded_three(out, hico_root))
    ann_path = next((hico_root / "Annotation").rglob("*.json"))
    ann = json.loads(ann_path.read_text())
    name = next(iter(ann))
    ann[name]["labels"][0]["hoi_id"] = 1 if ann[name]["labels"][0]["hoi_id"] != 1 else 2
    ann_path.write_text(json.dumps(ann))
    again = run_pipeline(_grounded_three(out, hico_root))
    changed = again.stages[0].counts["input_changed"]
    assert changed >= 1 and again.stages[0].counts["ok"] == changed  # pair_verbs of its image may change too
    assert again.stages[0].counts["skipped_done"] == len(read_hico(hico_root).samples) - changed
    assert orjson.loads((out / "merged.json").read_bytes()) == merged_records(out)[0]


def test_grounded_examine_trusts_grounded_text_unless_asked(
    tmp_path: Path, hico_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hoiscribe.hoi_text.checker as checker  # examine imports it from there on its first call

    calls = [0]
    real = checker.check_text

    def counting(text: str, facts: dict) -> object:
        calls[0] += 1
        return real(text, facts)

    monkeypatch.setattr(checker, "check_text", counting)
    trusted = run_pipeline(_grounded_three(tmp_path / "a", hico_root))
    assert calls[0] == 0 and trusted.stages[2].counts["ok"] > 0
    monkeypatch.setattr(GroundedEngine, "trusts_own_text", False)  # the explicit switch: check it anyway
    checked = run_pipeline(_grounded_three(tmp_path / "b", hico_root))
    assert calls[0] == checked.stages[2].counts["ok"]
    verdicts = [r["examiner_result"] for r in orjson.loads((tmp_path / "b" / "merged.json").read_bytes())]
    assert verdicts == [r["examiner_result"] for r in orjson.loads((tmp_path / "a" / "merged.json").read_bytes())]


def test_sample_generators_depend_on_seed_and_id_only() -> None:
    a, b = sample_rng(0, "x.jpg#0"), sample_rng(0, "x.jpg#0")
    assert [a.random() for _ in range(5)] == [b.random() for _ in range(5)]
    assert sample_rng(0, "x.jpg#1").random() != sample_rng(0, "x.jpg#0").random()
    assert sample_rng(1, "x.jpg#0").random() != sample_rng(0, "x.jpg#0").random()
    rng = SampleRandom(7)
    assert isinstance(rng, random.Random)
    items = list(range(20))
    rng.shuffle(items)
    assert sorted(items) == list(range(20)) and items != list(range(20))
    assert 0 <= rng.randrange(10) < 10 and len(set(rng.sample(range(100), 10))) == 10
    assert all(0.0 <= rng.random() < 1.0 for _ in range(1000)) and isinstance(rng.gauss(0, 1), float)
    assert abs(sum(rng.random() for _ in range(20000)) / 20000 - 0.5) < 0.02
    assert GroundedEngine().fingerprint().endswith(":v2")


def test_ray_cuts_units_into_batches(tmp_path: Path, demo_root: Path) -> None:
    pytest.importorskip("ray")
    from hoiscribe.run.executors.ray import RayExecutor

    ex = RayExecutor(three_stage(tmp_path, demo_root, dataset="demo", executor="ray", ray={"num_workers": 2}))
    batches = ex.batches(list(range(40)))
    assert [u for b in batches for u in b] == list(range(40)) and len(batches) == 8
    one = RayExecutor(three_stage(tmp_path, demo_root, dataset="demo", executor="ray",
                                  ray={"num_workers": 2, "units_per_task": 16}))  # fmt: skip
    assert [len(b) for b in one.batches(list(range(40)))] == [16, 16, 8]
    with pytest.raises(ValueError, match="units_per_task"):
        RayExecutor(three_stage(tmp_path, demo_root, dataset="demo", executor="ray", ray={"units_per_task": 0}))
