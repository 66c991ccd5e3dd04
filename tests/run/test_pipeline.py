import json
from pathlib import Path

import pytest

from hoiscribe.datasets.hico import read_hico
from hoiscribe.run.config import ConfigError, load_config
from hoiscribe.run.merge import merge_rank_files, merged_records
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.stage import input_digest
from tests.run.helpers import rows_per_stage, three_stage

REPO = Path(__file__).resolve().parents[2]


def test_config_overrides_address_stages_by_name(tmp_path: Path) -> None:
    cfg = load_config(
        REPO / "configs" / "pipeline-grounded.yaml",
        [
            "stages.refine.engine.model=/models/x",
            "stages.describe.sampling.temperature=0.7",
            "out=" + str(tmp_path),
        ],
    )
    assert cfg.stages[1].engine.model == "/models/x"
    assert cfg.stages[0].sampling.temperature == 0.7
    assert cfg.out == str(tmp_path)
    with pytest.raises(ConfigError, match="no list item named 'nope'"):
        load_config(REPO / "configs" / "pipeline-grounded.yaml", ["stages.nope.engine.model=x"])
    with pytest.raises(ConfigError, match=r"stages\.0\.concurrency"):
        load_config(REPO / "configs" / "pipeline-grounded.yaml", ["stages.describe.concurrency=0"])
    with pytest.raises(ConfigError, match="input 'later' is not an earlier stage"):
        load_config(None, [], {"stages": [{"name": "a", "task": "describe", "input": "later"}]})


def test_every_shipped_config_validates() -> None:
    for path in (REPO / "configs").glob("*.yaml"):
        load_config(path)


def test_three_stages_then_rerun_does_nothing(tmp_path: Path, hico_root: Path) -> None:
    cfg = three_stage(tmp_path / "run", hico_root)
    first = run_pipeline(cfg)
    assert first.complete and first.merged_path is not None
    counts = rows_per_stage(tmp_path / "run")
    assert all(len(c) == 606 and max(c.values()) == 1 for c in counts.values())
    records = json.loads(first.merged_path.read_text())
    assert len(records) == 606
    assert all(r["description"] and r["refined_description"] and r["examiner_result"] for r in records)
    second = run_pipeline(cfg)
    assert all(s.counts["skipped_done"] == 606 for s in second.stages)
    assert all(s.counts["ok"] == 0 for s in second.stages)
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    assert stats["stages"]["refine"]["status"] == {"ok": 606}
    assert stats["stages"]["refine"]["completion_tokens"] > 0


def test_changing_a_stage_reruns_it_and_later_stages_only(tmp_path: Path, hico_root: Path) -> None:
    out = tmp_path / "run"
    run_pipeline(three_stage(out, hico_root))
    changed = three_stage(out, hico_root)
    changed.stages[1].sampling.temperature = 0.5  # refine's identity changes
    report = run_pipeline(changed)
    by_name = {s.name: s.counts for s in report.stages}
    assert by_name["describe"]["skipped_done"] == 606 and by_name["describe"]["ok"] == 0
    assert by_name["refine"]["ok"] == 606
    # examine reads describe, whose identity did not change, so it is reused as well
    assert by_name["examine"]["skipped_done"] == 606
    assert len(list((out / "stages" / "refine").iterdir())) == 2  # the old output is kept, not overwritten


def test_parser_change_reuses_raw_answers(tmp_path: Path, hico_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from hoiscribe.catalog import TASKS, get_task

    out = tmp_path / "run"
    run_pipeline(three_stage(out, hico_root))
    upper = replace(get_task("refine"), parser_version="2")
    monkeypatch.setattr(type(upper), "parse", lambda self, raw: raw.strip().upper(), raising=True)
    with TASKS.overridden("refine", upper):
        report = run_pipeline(three_stage(out, hico_root))
    refine = next(s for s in report.stages if s.name == "refine")
    assert refine.counts["ok"] == 606  # re-parsed ...
    assert refine.counts.get("cache_hits", 0) == 0  # ... straight from the stored raw text, no new calls
    records, _ = merged_records(out)
    assert all(r["refined_description"] == r["refined_description"].upper() for r in records)
    assert max(rows_per_stage(out)["refine"].values()) == 1  # compacted to one row per sample


def test_resume_with_more_workers_gives_the_same_merge(tmp_path: Path, hico_root: Path) -> None:
    ref = three_stage(tmp_path / "ref", hico_root)
    run_pipeline(ref)
    expected, _ = merged_records(tmp_path / "ref")

    cfg = three_stage(tmp_path / "run", hico_root)
    partial = run_pipeline(cfg, rank=0, world_size=2)  # one of two workers, then the job dies
    assert not partial.complete and partial.merged_path is None
    for rank in range(3):  # resumed with three workers
        last = run_pipeline(cfg, rank=rank, world_size=3)
    assert last.complete
    got, _ = merged_records(tmp_path / "run")
    assert got == expected
    assert all(max(c.values()) == 1 and len(c) == 606 for c in rows_per_stage(tmp_path / "run").values())


def test_bad_images_and_records_are_dropped_while_others_finish(tmp_path: Path, demo_root: Path) -> None:
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(demo_root, root)
    images = sorted((root / "Images" / "images" / "train2015").glob("*.jpg"))
    images[0].unlink()  # missing
    images[1].write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")  # corrupt
    ann_path = root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json"
    ann = json.loads(ann_path.read_text())
    next(iter(ann.values()))["labels"].append({"hoi_id": 4242})  # malformed record
    ann_path.write_text(json.dumps(ann))

    cfg = three_stage(tmp_path / "run", root, dataset="hico")
    cfg.stages[0].engine.name = "hoiscribe.testing.fakes:SleepEngine"  # an engine that needs the pixels
    report = run_pipeline(cfg)
    assert report.complete
    assert [d.field for d in report.read.dropped] == ["width"]
    describe = report.stages[0].counts
    samples = read_hico(root).samples  # the run streams its samples and keeps none
    assert report.read.samples == [] and report.read.stats["pairs"] == len(samples)
    n = len(samples)
    n_bad = sum(1 for s in samples if s.file_name in (images[0].name, images[1].name))
    assert describe["dropped"] == n_bad and describe["ok"] == n - n_bad
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    reasons = stats["stages"]["describe"]["not_ok_reasons"]
    assert set(reasons) == {"image '…' not found", "image '…' failed to decode"}
    assert stats["reader_drops"]
    assert stats["records"] == n - n_bad


def test_flaky_engine_retries_then_records_failures(tmp_path: Path, hico_root: Path) -> None:
    cfg = three_stage(tmp_path / "run", hico_root, max_samples=60)
    refine = cfg.stages[1]
    refine.engine.name = "hoiscribe.testing.fakes:FlakyEngine"
    refine.engine.options = {"always_fail_mod": 7, "hang_s": 2.0}
    refine.timeout_s = 0.2
    refine.max_attempts = 3
    refine.backoff_s = 0.001
    refine.concurrency = 16
    report = run_pipeline(cfg)
    counts = report.stages[1].counts
    assert counts["ok"] + counts["failed"] == 60
    assert counts["failed"] > 0 and counts["ok"] > 0
    assert counts["retries"] >= 60  # every request failed its first attempt
    rows = {}
    for path in (tmp_path / "run" / "stages" / "refine").rglob("u*.jsonl"):
        rows.update({r["sample_id"]: r for r in map(json.loads, path.read_text().splitlines())})
    failed = [r for r in rows.values() if r["status"] == "failed"]
    assert all(r["attempt"] == 3 and r["reason"] == "server error 503" for r in failed)
    assert all(r["attempt"] == 2 for r in rows.values() if r["status"] == "ok")
    # the examine stage reads describe, so it finishes for every sample regardless
    assert report.stages[2].counts["ok"] == 60


def test_input_digest_tracks_upstream_text() -> None:
    from hoiscribe.run.stage import WorkItem

    class S:
        sample_id = "a#0"

    a = input_digest([WorkItem(S(), "x")])  # type: ignore[arg-type]
    b = input_digest([WorkItem(S(), "y")])  # type: ignore[arg-type]
    assert a != b


def test_merge_reference_rank_files(tmp_path: Path) -> None:
    rec = {"file_name": "a.jpg", "instance_id": 0, "human_bbox": [1, 2, 3, 4], "description": "x"}
    (tmp_path / "labels_0.json").write_text(json.dumps([rec, dict(rec, instance_id=1)]))
    (tmp_path / "labels_1.json").write_text(json.dumps([rec]))
    n, dups = merge_rank_files(tmp_path, "labels_*.json", tmp_path / "merged.json")
    assert (n, dups) == (2, 1)
    assert len(json.loads((tmp_path / "merged.json").read_text())) == 2
