"""Streamed reading gives what whole reading gave: the same samples, contexts, Halpe joins and drops,
and the spill codec brings every sample back exactly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from hoiscribe.datasets.base import DatasetError, reader_stream
from hoiscribe.datasets.codec import pack, unpack
from hoiscribe.datasets.context import SAME_BOX_IOU, distinct_people, iou_matrix, pair_verbs
from hoiscribe.datasets.demo import read_demo
from hoiscribe.datasets.hico import read_hico, stream_hico
from hoiscribe.datasets.stream import json_object_items
from hoiscribe.hoi_text.facts import sample_facts
from tests.conftest import make_hico_root


def _brute_people(boxes: list[tuple[float, ...]]) -> int:
    same = iou_matrix(np.array(boxes, dtype=np.float64)) >= SAME_BOX_IOU
    kept: list[int] = []
    for i in range(len(boxes)):
        if not same[i, kept].any():
            kept.append(i)
    return len(kept)


def _brute_verbs(keys: list[tuple], verbs: list[str]) -> list[list[str]]:
    p = iou_matrix(np.array([k[0] for k in keys], dtype=np.float64)) >= SAME_BOX_IOU
    o = iou_matrix(np.array([k[1] for k in keys], dtype=np.float64)) >= SAME_BOX_IOU
    cats = np.array([k[2] for k in keys])
    same = p & o & (cats[:, None] == cats[None, :])
    return [sorted({verbs[j] for j in np.flatnonzero(same[i])}) for i in range(len(keys))]


@pytest.mark.parametrize("n", [2, 5, 30])  # 30: past NUMPY_FROM, the matrix path
def test_grouped_context_equals_the_full_iou_matrix(n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(60):
        base = rng.uniform(0, 200, size=(max(1, n // 3), 4))
        base[:, 2:] = base[:, :2] + rng.uniform(1, 80, size=(len(base), 2))
        picks = base[rng.integers(0, len(base), size=n)]
        jitter = rng.integers(0, 2, size=(n, 1)) * rng.uniform(-8, 8, size=(n, 4))  # copies and near-copies
        people = [tuple(float(v) for v in b) for b in picks + jitter]
        objects = [tuple(float(v) for v in b) for b in base[rng.integers(0, len(base), size=n)]]
        keys = [(pb, ob, str(rng.choice(["cup", "bicycle"]))) for pb, ob in zip(people, objects, strict=True)]
        verbs = [str(rng.choice(["hold", "ride", "carry", "no_interaction"])) for _ in range(n)]
        assert distinct_people(people) == _brute_people(people)
        assert pair_verbs(keys, verbs) == _brute_verbs(keys, verbs)


def test_stream_gives_the_samples_and_drops_of_the_whole_read(hico_root: Path) -> None:
    whole = read_hico(hico_root)
    stream = stream_hico(hico_root)
    assert stream.result.samples == [] and stream.result.stats == {}
    streamed = [s for batch in stream.batches for s in batch]
    assert [s.input_digest() for s in streamed] == [s.input_digest() for s in whole.samples]
    assert stream.result.stats == whole.stats and stream.result.stats["pairs"] == len(streamed)
    assert reader_stream(read_hico).__name__ == "stream_hico"  # the run layer finds the twin


def test_a_nan_mid_file_falls_back_to_the_whole_parse_and_continues(tmp_path: Path, hico_root: Path) -> None:
    ann = json.loads(next((hico_root / "Annotation").rglob("*.json")).read_text())
    names = list(ann)
    ann[names[3]]["labels"][0]["human_bbox"][0] = math.nan  # json.dumps writes NaN, which ijson refuses
    root = make_hico_root(tmp_path / "nan", ann)
    res = read_hico(root)
    assert [d.field for d in res.dropped] == ["human_bbox"] and names[3] in res.dropped[0].record
    assert len(res.samples) == sum(len(e["labels"]) for e in ann.values()) - 1
    assert len({s.sample_id for s in res.samples}) == len(res.samples)  # no entry read twice


def test_a_file_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(DatasetError, match=r"list\.json: expected a JSON object keyed by file name, got list"):
        list(json_object_items(path, "HAKE"))
    path.write_text('{"a": [1, 2')
    with pytest.raises(DatasetError, match="not readable JSON"):
        list(json_object_items(path, "HAKE"))


def test_the_codec_round_trips_samples_exactly(hico_root: Path, demo_root: Path) -> None:
    samples = read_hico(hico_root).samples[:300] + read_demo(demo_root).samples
    assert any(s.person.keypoints is not None for s in samples)
    for s in samples:
        packed = json.loads(json.dumps(pack(s)))  # through JSON, as the spill stores it
        assert packed[0] == "S"
        back = unpack(packed)
        assert back.input_digest("img") == s.input_digest("img")
        assert back.as_record() == s.as_record() and sample_facts(back) == sample_facts(s)
        assert back.extra == s.extra and back.person.part_states == s.person.part_states


def test_what_json_would_change_is_pickled(hico_root: Path, demo_root: Path) -> None:
    from dataclasses import replace

    s = read_hico(hico_root).samples[0]
    odd = replace(s, extra={"pair_verbs": ("ride", "hold")})  # a tuple would come back a list
    packed = json.loads(json.dumps(pack(odd)))
    assert packed[0] == "P"
    assert unpack(packed).extra == {"pair_verbs": ("ride", "hold")}
    with_kps = next(x for x in read_demo(demo_root).samples if x.person.keypoints is not None)
    back = unpack(json.loads(json.dumps(pack(replace(with_kps, extra={"t": (1,)})))))
    assert back.person.keypoints.layout is with_kps.person.keypoints.layout  # layouts compare by identity
    assert back.person.keypoints.as_coco17().num_visible == with_kps.person.keypoints.as_coco17().num_visible


def test_halpe_matches_per_image_as_per_box(tmp_path: Path) -> None:
    from hoiscribe.datasets.halpe import HalpeIndex

    rng = np.random.default_rng(1)
    people = []
    for _ in range(6):
        x, y = rng.uniform(0, 300, 2)
        people.append([float(x), float(y), float(x + 60), float(y + 120)])
    kps = [[float(v) for v in rng.uniform(0, 400, 136 * 3)] for _ in people]
    data = {
        "images": [{"id": 1, "file_name": "a.jpg"}],
        "annotations": [
            {"id": i, "image_id": 1, "bbox": [b[0], b[1], 60, 120], "keypoints": k}
            for i, (b, k) in enumerate(zip(people, kps, strict=True))
        ],
    }
    path = tmp_path / "halpe.json"
    path.write_text(json.dumps(data))
    index = HalpeIndex.from_file(path)
    from hoiscribe.core.records import Box

    queries = [[b[0] + 3, b[1] - 2, b[2] + 1, b[3]] for b in people] + [[0.0, 0.0, 5.0, 5.0], people[2]]
    many = index.match_boxes("a.jpg", queries)
    candidates = index.by_file["a.jpg"]
    for q, got in zip(queries, many, strict=True):  # a plain per-box reference: best IoU, if >= 0.5
        box = Box(*q, 640, 480)
        ious = [box.iou(Box(*(float(v) for v in c[0]), 640, 480)) for c in candidates]
        best = int(np.argmax(ious))
        assert got is (candidates[best][1] if ious[best] >= 0.5 else None)
        assert index.match("a.jpg", box) is got
    assert many[-2] is None and many[-1] is not None
    assert index.match_boxes("missing.jpg", queries[:2]) == [None, None]
