"""The direct path on packed samples: facts, seed records, texts, rows and merged output equal to what the
``Sample`` path gives, for samples with and without keypoints (those take the fallback)."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import orjson
import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.core.records import Sample
from hoiscribe.datasets.codec import Packed, pack, packed_record, packed_record_line
from hoiscribe.hoi_text import grounded
from hoiscribe.hoi_text.describe import DescribeTask
from hoiscribe.hoi_text.facts import packed_facts, sample_facts
from hoiscribe.hoi_text.task import HOITextTask
from hoiscribe.run.config import load_config
from hoiscribe.run.merge import merge_run, merged_records
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from hoiscribe.tasks.grounded import sample_rng


def _hico(root: Path) -> list[Sample]:
    return read_dataset("hico", root).samples


def _packed(s: Sample) -> list:
    """What the spill gives back: the packed list through JSON."""
    return orjson.loads(orjson.dumps(pack(s)))


def test_packed_facts_and_records_equal_the_samples(hico_root: Path) -> None:
    samples = _hico(hico_root)
    assert len(samples) > 300 and all(s.person.keypoints is None for s in samples)
    for s in samples:
        data = _packed(s)
        assert packed_facts(data) == sample_facts(s)
        assert orjson.dumps(packed_facts(data)) == orjson.dumps(sample_facts(s))  # key order too
        rec = s.as_record()
        assert packed_record(data) == rec and orjson.dumps(packed_record(data)) == orjson.dumps(rec)
        key = [rec["image_id"], rec["instance_id"], rec["file_name"], s.sample_id]
        assert packed_record_line(data) == orjson.dumps(key) + b"\t" + orjson.dumps(rec) + b"\n"
        p = Packed(data)
        assert p.sample_id == s.sample_id and p.as_record() == rec and p.image_path == s.image_path


def test_fractional_boxes_and_no_interaction_round_the_same(hico_root: Path) -> None:
    s = _hico(hico_root)[0]
    box = dataclasses.replace(s.person.box, x1=10.456, y1=3.5)
    odd = dataclasses.replace(s, person=dataclasses.replace(s.person, box=box), interaction=None)
    data = _packed(odd)
    assert packed_facts(data) == sample_facts(odd)
    assert orjson.dumps(packed_record(data)) == orjson.dumps(odd.as_record())


def test_samples_with_keypoints_take_the_sample_path(demo_root: Path) -> None:
    samples = read_dataset("demo", demo_root).samples
    with_kps = [s for s in samples if s.person.keypoints is not None]
    assert with_kps
    for s in with_kps:
        data = _packed(s)
        assert packed_facts(data) is None and packed_record(data) is None and packed_record_line(data) is None
        p = Packed(data)
        assert p.as_record() == s.as_record() and pack(p.unpacked()) == pack(s)


def test_memoised_texts_equal_fresh_ones(hico_root: Path, demo_root: Path) -> None:
    samples = _hico(hico_root) + read_dataset("demo", demo_root).samples
    facts = [sample_facts(s) for s in samples]
    fresh = []
    for f, s in zip(facts, samples, strict=True):
        grounded._PART_LINES.clear()
        grounded._PHRASES.clear()
        fresh.append((grounded.describe(f, sample_rng(0, s.sample_id)), grounded.refine(f, sample_rng(1, s.sample_id))))
    again = [(grounded.describe(f, sample_rng(0, s.sample_id)), grounded.refine(f, sample_rng(1, s.sample_id)))
             for f, s in zip(facts, samples, strict=True)]  # fmt: skip
    assert again == fresh
    assert len(grounded._PART_LINES) < len(samples)  # phrasings repeat: the memo is shared


def test_texts_from_packed_samples_equal_the_facts_texts(hico_root: Path, demo_root: Path) -> None:
    """``describe_packed`` (the first stage's text without facts) and the engine's ``write_packed``: the
    text ``describe`` writes from the facts, and the same draws after it; keypoint samples: None, nothing drawn."""
    from hoiscribe.tasks.grounded import GroundedEngine

    engine = GroundedEngine()
    for s in _hico(hico_root):
        data = _packed(s)
        a, b = sample_rng(3, s.sample_id), sample_rng(3, s.sample_id)
        assert grounded.describe_packed(data, a) == grounded.describe(sample_facts(s), b)
        assert a.random() == b.random()
        assert engine.write_packed("describe", data, 3) == engine.write_facts("describe", sample_facts(s), 3)
        assert engine.write_packed("refine", data, 3) is None  # refine writes from facts
    for s in read_dataset("demo", demo_root).samples:
        if s.person.keypoints is not None:
            a, b = sample_rng(3, s.sample_id), sample_rng(3, s.sample_id)
            assert grounded.describe_packed(_packed(s), a) is None and a.random() == b.random()


def test_inlined_draws_equal_random_randoms(hico_root: Path) -> None:
    """``SampleRandom.choice``/``_randbelow`` inline the generator step: the same draws as ``random.Random``'s
    own ``choice`` and ``_randbelow_with_getrandbits`` on the same generator."""
    rng = random.Random(5)
    for _ in range(300):
        seed, sid, n = rng.randrange(2**32), str(rng.random()), rng.randrange(1, 40)
        a, b = sample_rng(seed, sid), sample_rng(seed, sid)
        seq = list(range(n))
        for _ in range(5):
            assert a.choice(seq) == random.Random.choice(b, seq)
            assert a._randbelow(n) == random.Random._randbelow_with_getrandbits(b, n)
        big = 2**70 + rng.randrange(2**60)
        assert a._randbelow(big) == random.Random._randbelow_with_getrandbits(b, big)
        assert a.random() == b.random()
    with pytest.raises(IndexError):
        sample_rng(0, "x").choice([])


def _run(out: Path, root: Path, dataset: str = "hico", per_unit: int = 64) -> RunDir:
    stages = [{"name": "describe", "task": "describe"}]
    cfg = load_config(None, [], {"dataset": dataset, "data_root": str(root), "out": str(out), "progress": False,
                                 "samples_per_unit": per_unit, "stages": stages})  # fmt: skip
    run_pipeline(cfg)
    return RunDir(out)


def _stage_files(run: RunDir) -> dict[str, bytes]:
    st = run.manifest.stages[0]
    return {p.name: p.read_bytes() for p in run.stage_dir(st.name, st.fingerprint).glob("*.jsonl")}


@pytest.mark.parametrize("dataset", ["hico", "demo"])
def test_packed_run_writes_what_the_sample_path_writes(
    tmp_path: Path, hico_root: Path, demo_root: Path, dataset: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, per_unit = (hico_root, 64) if dataset == "hico" else (demo_root, 4)
    fast = _run(tmp_path / "fast", root, dataset, per_unit)
    monkeypatch.setattr(HOITextTask, "facts_packed", lambda self, data: None)  # every sample unpacked
    monkeypatch.setattr(DescribeTask, "write_packed", lambda self, data, rng: None)  # and written from facts
    slow = _run(tmp_path / "slow", root, dataset, per_unit)
    assert fast.manifest.num_units > 1
    assert _stage_files(fast) == _stage_files(slow)  # rows and records files, byte for byte
    assert fast.merged_path.read_bytes() == slow.merged_path.read_bytes()
    records, _ = merged_records(fast)  # the in-memory merge: another code path, the same records
    assert orjson.loads(fast.merged_path.read_bytes()) == records


def test_streamed_merge_falls_back_when_fields_would_collide(tmp_path: Path, hico_root: Path) -> None:
    """A stage whose field is ``sample_id`` cannot be spliced as one dict: the record-by-record path."""
    stages = [{"name": "describe", "task": "describe"}, {"name": "sample_id", "task": "describe", "input": "describe"}]
    cfg = load_config(None, [], {"dataset": "hico", "data_root": str(hico_root), "out": str(tmp_path / "r"),
                                 "progress": False, "samples_per_unit": 64, "stages": stages})  # fmt: skip
    run_pipeline(cfg)
    run = RunDir(tmp_path / "r")
    merged = orjson.loads(run.merged_path.read_bytes())
    records, _ = merged_records(run)
    assert merged == records and merged[0]["sample_id"] is not None
    again = merge_run(run.path, tmp_path / "again.json")
    assert again.read_bytes() == run.merged_path.read_bytes()


def _one_stage(out: Path, root: Path) -> RunDir:
    stages = [{"name": "describe", "task": "describe"}]
    cfg = load_config(None, [], {"dataset": "hico", "data_root": str(root), "out": str(out), "progress": False,
                                 "samples_per_unit": 64, "stages": stages})  # fmt: skip
    run_pipeline(cfg, merge=False)
    return RunDir(out)


def _parts(run: RunDir) -> list[Path]:
    return sorted(run.path.glob("stages/*/*/merged-u*.part"))


def test_a_one_stage_run_merges_from_its_parts_as_from_its_rows(tmp_path: Path, hico_root: Path) -> None:
    run = _one_stage(tmp_path / "r", hico_root)
    assert len(_parts(run)) == run.manifest.num_units > 1
    from_parts = merge_run(run.path, tmp_path / "parts.json")
    stats_parts = run.stats_path.read_bytes()
    assert not _parts(run)  # used, then removed
    from_rows = merge_run(run.path, tmp_path / "rows.json")
    assert from_parts.read_bytes() == from_rows.read_bytes()
    assert stats_parts == run.stats_path.read_bytes()
    assert orjson.loads(from_rows.read_bytes()) == merged_records(run)[0]


def test_a_part_holds_only_what_is_spliced_onto_its_records_file_in_merge_order(
    tmp_path: Path, hico_root: Path
) -> None:
    """Version 2 parts: the records' bytes are written once (in the records file, sorted as the merge reads
    it), the part holds one line of spliced fields per record line."""
    run = _one_stage(tmp_path / "r", hico_root)
    st = run.manifest.stages[0]
    for unit in range(run.manifest.num_units):
        part = run.unit_part_path(st.name, st.fingerprint, unit)
        records = run.unit_records_path(st.name, st.fingerprint, unit)
        header, *fields = part.read_bytes().split(b"\n")[:-1]
        lines = records.read_bytes().split(b"\n")[:-1]
        assert orjson.loads(header)["v"] == 2 and len(fields) == len(lines)
        keys = [orjson.loads(ln.partition(b"\t")[0]) for ln in lines]
        assert keys == sorted(keys)
        for key, f in zip(keys, fields, strict=True):
            assert f.startswith(b'"sample_id":' + orjson.dumps(key[3]) + b',"description":')
    assert merge_run(run.path).read_bytes()[:1] == b"["
    assert orjson.loads(run.merged_path.read_bytes()) == merged_records(run)[0]


def test_a_part_is_not_used_once_its_unit_changed_or_when_damaged(tmp_path: Path, hico_root: Path) -> None:
    run = _one_stage(tmp_path / "r", hico_root)
    st = run.manifest.stages[0]
    rows_path = run.unit_rows_path(st.name, st.fingerprint, 0)
    lines = rows_path.read_bytes().splitlines(keepends=True)
    row = orjson.loads(lines[0])
    old = row["output"]
    row["output"] = old[:-1] + ("?" if old[-1] != "?" else "!")  # the same length: only the file's identity moves
    lines[0] = orjson.dumps(row) + b"\n"
    rows_path.write_bytes(b"".join(lines))
    damaged = run.unit_part_path(st.name, st.fingerprint, 1)
    damaged.write_bytes(damaged.read_bytes()[:-10])
    merged = {r["sample_id"]: r for r in orjson.loads(merge_run(run.path).read_bytes())}
    assert merged[row["sample_id"]]["description"] == row["output"]
    assert orjson.loads(run.merged_path.read_bytes()) == merged_records(run)[0]


def test_runs_of_several_stages_write_no_parts(tmp_path: Path, hico_root: Path) -> None:
    stages = [{"name": "describe", "task": "describe"}, {"name": "refine", "task": "refine"}]
    cfg = load_config(None, [], {"dataset": "hico", "data_root": str(hico_root), "out": str(tmp_path / "r"),
                                 "progress": False, "samples_per_unit": 64, "stages": stages})  # fmt: skip
    run_pipeline(cfg, merge=False)
    assert not _parts(RunDir(tmp_path / "r"))


def test_merged_lines_of_packed_records_unscanned_equal_the_scanned(hico_root: Path) -> None:
    """``merged_lines(..., clean=ids)``: records written from packed lists hold only ``PACKED_RECORD_KEYS``, so
    skipping their key scan writes the lines the scan would; a record that does hold a spliced key is still
    written the slow way when it is not marked clean."""
    from hoiscribe.datasets.codec import PACKED_RECORD_KEYS, packed_record_parts
    from hoiscribe.run.parts import merged_lines, unit_part

    samples = _hico(hico_root)[:200]
    records = {s.sample_id: packed_record_parts(_packed(s)) for s in samples}
    assert all(set(orjson.loads(r[2])) <= PACKED_RECORD_KEYS for r in records.values())
    rows = {s.sample_id: {"status": "ok", "output": {"text": f"t{i}"}} for i, s in enumerate(samples)}
    scanned = merged_lines([rows], records, ["describe"])
    assert merged_lines([rows], records, ["describe"], set(records)) == scanned
    assert unit_part(rows, list(records.items()), ["describe"])[1][2] == 2
    assert [orjson.loads(line.split(b"\t", 1)[1])["describe"] for _, line in scanned] == [
        rows[k[3]]["output"] for k, _ in scanned
    ]
    sid = samples[0].sample_id  # a record that already has the stage's field: replaced, not written twice
    key, key_bytes, raw = records[sid]
    records[sid] = (key, key_bytes, raw[:-1] + b',"describe":"old"}')
    got = next(ln for k, ln in merged_lines([rows], records, ["describe"]) if k == key)
    assert got.count(b'"describe":') == 1 and orjson.loads(got.split(b"\t", 1)[1])["describe"] == rows[sid]["output"]
    # the part of a unit with such a record holds whole lines (version 1): those the merge would write
    _, (lines, _, version) = unit_part(rows, list(records.items()), ["describe"])
    assert version == 1 and lines == [ln for _, ln in merged_lines([rows], records, ["describe"])]
