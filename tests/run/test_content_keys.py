"""Resume is keyed by content: an edited annotation or image reruns exactly the samples it touched."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import orjson
import pytest
from typer.testing import CliRunner

from hoiscribe.catalog import read_dataset
from hoiscribe.cli import app
from hoiscribe.engines.base import Completion, Engine, Request
from hoiscribe.run.config import PipelineConfig, load_config
from hoiscribe.run.merge import merged_records
from hoiscribe.run.pipeline import RunReport, run_pipeline
from hoiscribe.run.rundir import RunDir
from hoiscribe.testing.fakes import echo_text
from tests.conftest import HAKE_SUBSET, make_hico_root
from tests.run.helpers import rows_per_stage, three_stage_dict

COUNTING = "tests.run.test_content_keys:CountingEngine"
SINGLE = "HICO_train2015_00000002.jpg"  # an image with one labelled pair: no other pair's facts depend on it
SHARED = "HICO_train2015_00000001.jpg"  # an image with four pairs


class CountingEngine(Engine):
    """Answers from the request (so a changed annotation changes the text) and counts every request
    by (task, sample id); class-level, so the test reads it after the run."""

    needs_images = False
    calls: ClassVar[Counter[tuple[str, str]]] = Counter()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, model: str | None = None, **_: Any) -> None:
        pass

    def fingerprint(self) -> str:
        return "counting"

    def generate(self, requests: list[Request]) -> list[Completion]:
        with CountingEngine._lock:
            CountingEngine.calls.update((r.task, r.request_id) for r in requests)
        return [Completion(echo_text(r), "stop") for r in requests]


def _config(out: Path, root: Path, **extra: Any) -> PipelineConfig:
    """describe -> refine -> examine(describe), every stage on the counting engine, no request cache
    (a cache hit would hide a redone sample from the count)."""
    data = three_stage_dict(out, root, **extra)
    for stage in data["stages"]:
        stage["engine"] = {"name": COUNTING}
        stage["cache"] = False
    return load_config(None, [], data)


def _run(cfg: PipelineConfig) -> tuple[RunReport, Counter[tuple[str, str]]]:
    CountingEngine.calls = Counter()
    report = run_pipeline(cfg)
    assert report.complete and report.merged_path is not None
    return report, CountingEngine.calls


def _annotation() -> dict[str, Any]:
    return json.loads(HAKE_SUBSET.read_text())


def _merged(out: Path) -> dict[str, dict[str, Any]]:
    return {r["sample_id"]: r for r in json.loads((out / "merged.json").read_text())}


def _image(root: Path, name: str) -> Path:
    return root / "Images" / "images" / "train2015" / name


def _changed_counts(out: Path) -> dict[str, int]:
    stages = json.loads(RunDir(out).runtime_path(0).read_text())["stages"]
    return {name: s["counts"].get("input_changed", 0) for name, s in stages.items()}


def test_an_edited_pair_reruns_only_that_pair_and_merge_shows_its_new_label_and_box(tmp_path: Path) -> None:
    out, root = tmp_path / "run", make_hico_root(tmp_path / "hico")
    cfg = _config(out, root)
    _, calls = _run(cfg)
    assert sum(calls.values()) == 3 * 606
    before = _merged(out)
    sid = f"{SINGLE}#0"
    assert (before[sid]["hoi_id"], before[sid]["verb"], before[sid]["object"]) == (224, "no_interaction", "banana")

    ann = _annotation()
    label = ann[SINGLE]["labels"][0]
    label["hoi_id"] = 1  # board airplane
    label["human_bbox"] = [250, 10, 600, 140]  # was [262, 1, 638, 138]
    make_hico_root(root, ann)
    report, calls = _run(cfg)

    assert calls == Counter({("describe", sid): 1, ("refine", sid): 1, ("examine", sid): 1})
    assert {s.name: s.counts["input_changed"] for s in report.stages} == {"describe": 1, "refine": 1, "examine": 1}
    assert _changed_counts(out) == {"describe": 1, "refine": 1, "examine": 1}
    after = _merged(out)
    assert (after[sid]["hoi_id"], after[sid]["verb"], after[sid]["object"]) == (1, "board", "airplane")
    assert after[sid]["human_bbox"] == [250, 10, 600, 140]
    assert after[sid]["description"] != before[sid]["description"]
    assert {k: v for k, v in after.items() if k != sid} == {k: v for k, v in before.items() if k != sid}
    # the superseded rows are compacted away: one row per sample and stage
    assert all(max(c.values()) == 1 and len(c) == 606 for c in rows_per_stage(out).values())
    _, calls = _run(cfg)  # and the edit is now done
    assert not calls


def test_an_edit_reruns_the_later_stages_even_when_the_first_writes_the_same_text(tmp_path: Path) -> None:
    """A touched image changes no prompt here, but every stage of its samples reruns on the new input."""
    out, root = tmp_path / "run", make_hico_root(tmp_path / "hico")
    image = _image(root, SHARED)
    image.write_bytes(b"\xff\xd8 not really a jpeg")
    cfg = _config(out, root)
    _run(cfg)
    before = _merged(out)

    st = image.stat()
    os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # touched: same bytes, newer mtime
    _, calls = _run(cfg)
    shared = {f"{SHARED}#{i}" for i in range(4)}
    assert {sid for _, sid in calls} == shared and sum(calls.values()) == 3 * 4
    assert _merged(out) == before  # same answers: the engine does not look at the pixels

    image.write_bytes(b"\xff\xd8 another image, longer")  # a new size
    _, calls = _run(cfg)
    assert {sid for _, sid in calls} == shared and sum(calls.values()) == 3 * 4


def test_hash_identity_ignores_a_touch_and_catches_a_same_size_edit(tmp_path: Path) -> None:
    out, root = tmp_path / "run", make_hico_root(tmp_path / "hico")
    image = _image(root, SHARED)
    image.write_bytes(b"a" * 100)
    cfg = _config(out, root, image_identity="hash")
    _run(cfg)

    st = image.stat()
    os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    _, calls = _run(cfg)
    assert not calls

    image.write_bytes(b"b" * 100)  # same size; keep the mtime, so only the bytes tell
    os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    _, calls = _run(cfg)
    assert {sid for _, sid in calls} == {f"{SHARED}#{i}" for i in range(4)} and sum(calls.values()) == 3 * 4


def test_another_data_root_reruns_what_differs_and_drops_what_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "run"
    ann = _annotation()
    kept_images = sorted(ann)[:20]
    _run(_config(out, make_hico_root(tmp_path / "a"), image_identity="hash"))

    other = {name: ann[name] for name in kept_images}
    other[SINGLE]["labels"][0]["hoi_id"] = 10  # same id, other content
    root_b = make_hico_root(tmp_path / "b", other)
    kept = {f"{name}#{i}" for name in kept_images for i in range(len(other[name]["labels"]))}
    sid = f"{SINGLE}#0"

    # images are identified by their bytes (none here), so only the edited pair differs
    _, calls = _run(_config(out, root_b, image_identity="hash"))
    assert {s for _, s in calls} == {sid} and sum(calls.values()) == 3
    merged = _merged(out)
    assert set(merged) == kept and merged[sid]["hoi_id"] == 10
    # the rows of the samples that are gone are dropped from the run itself, not only from this merge
    assert all(set(c) == kept for c in rows_per_stage(out).values())
    assert {r["sample_id"] for r in merged_records(out)[0]} == kept

    # by path, size and mtime (the default), another root's images are other files: every sample reruns
    _, calls = _run(_config(out, root_b))
    assert {s for _, s in calls} == kept and sum(calls.values()) == 3 * len(kept)
    assert set(_merged(out)) == kept


def test_a_run_written_without_digests_resumes_with_no_requests_and_catches_later_edits(tmp_path: Path) -> None:
    out, root = tmp_path / "run", make_hico_root(tmp_path / "hico")
    cfg = _config(out, root)
    _run(cfg)
    before = _merged(out)
    run = RunDir(out)
    for st in run.manifest.stages:  # what an older version left: rows without a digest, markers keyed otherwise
        for rows_path in run.stage_dir(st.name, st.fingerprint).glob("u*.jsonl"):
            rows = [orjson.loads(line) for line in rows_path.read_bytes().splitlines()]
            assert all(r["input_digest"] for r in rows)
            rows_path.write_bytes(b"".join(orjson.dumps({k: v for k, v in r.items() if k != "input_digest"}) + b"\n"
                                           for r in rows))  # fmt: skip
            marker = rows_path.with_suffix(".done")
            marker.write_text(json.dumps(dict(json.loads(marker.read_text()), input_digest="older version")))

    report, calls = _run(cfg)
    assert not calls
    assert all(s.counts["input_changed"] == 0 and s.counts["skipped_done"] == 606 for s in report.stages)
    assert _merged(out) == before
    # the rows now carry the digest of their (unchanged) input, so the next edit is caught
    ann = _annotation()
    ann[SINGLE]["labels"][0]["hoi_id"] = 10
    make_hico_root(root, ann)
    _, calls = _run(cfg)
    assert {s for _, s in calls} == {f"{SINGLE}#0"} and sum(calls.values()) == 3


def test_the_run_says_how_many_samples_changed(tmp_path: Path) -> None:
    out, root = tmp_path / "ann", make_hico_root(tmp_path / "hico")
    args = ["annotate", "--dataset", "hico", "--data-root", str(root), "--engine", "grounded", "--out", str(out),
            "--set", "progress=false"]  # fmt: skip
    runner = CliRunner()
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "changed since the last run" not in first.output
    ann = _annotation()
    for name in (SINGLE, "HICO_train2015_00000003.jpg"):
        ann[name]["labels"][0]["human_bbox"][0] += 3
    make_hico_root(root, ann)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "2 samples changed since the last run: redone" in second.output


@pytest.mark.parametrize(
    ("dataset", "edit"),
    [
        ("demo", lambda s: {"extra": dict(s.extra, people_in_image=9)}),
        ("pose_demo", lambda s: {"captions": dict(s.captions, sents=["raise the left arm"])}),
        ("expression_demo", lambda s: {"raw_expression": s.raw_expression + " on the left"}),
    ],
)
def test_each_record_type_digests_its_own_fields(tmp_path: Path, dataset: str, edit: Any) -> None:
    from dataclasses import replace

    first, again = (read_dataset(dataset, tmp_path / dataset).samples[0] for _ in range(2))
    assert first.input_digest() == again.input_digest()  # stable across reads
    assert first.input_digest() != replace(first, **edit(first)).input_digest()
    assert first.input_digest("a.jpg:10:1") != first.input_digest("a.jpg:10:2")  # the image's identity counts
