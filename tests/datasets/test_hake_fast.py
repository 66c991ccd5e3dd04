"""The packed twin of the HICO+HAKE reader gives ``pack`` of exactly the samples, drops and stats of
the streaming reader, on clean files and on every kind of bad input; its digests are the samples'."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hoiscribe.datasets.base import reader_packed
from hoiscribe.datasets.codec import pack
from hoiscribe.datasets.demo import read_demo
from hoiscribe.datasets.hake_fast import packed_digest
from hoiscribe.datasets.hico import packed_hico, read_hico, stream_hico
from tests.conftest import HAKE_SUBSET, make_hico_root
from tests.datasets.test_field_checks import FIRST, PLANTS, _hake

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_scaled_hake


def _same_read(root: Path, **options: Any) -> list[list[Any]]:
    """Assert the packed twin equals ``pack`` of the streamed samples, with the same drops and stats."""
    slow = stream_hico(root, **options)
    expected = [pack(s) for batch in slow.batches for s in batch]
    fast = packed_hico(root, **options)
    got = [p for batch in fast.batches for p in batch]
    assert got == expected
    assert fast.result.dropped == slow.result.dropped
    assert fast.result.stats == slow.result.stats
    return got


def test_the_real_subset_and_a_scaled_file_pack_exactly(tmp_path: Path, hico_root: Path) -> None:
    assert len(_same_read(hico_root)) == 606
    root = tmp_path / "scaled"
    n = write_scaled_hake(root, 12_000)  # several chunks of the file
    got = _same_read(root)
    assert len(got) == n and any(p[14]["people_in_image"] > 1 for p in got)
    assert any(len(p[14]["pair_verbs"]) > 1 for p in got)  # merged verbs of overlapping pairs
    assert reader_packed(read_hico) is packed_hico


@pytest.mark.parametrize(("case", "field", "value"), PLANTS, ids=[p[0] for p in PLANTS])
def test_every_malformed_field_gives_the_same_drop(tmp_path: Path, case: str, field: str, value: Any) -> None:
    root = make_hico_root(tmp_path, _hake(**{field.split("[")[0]: value}))
    assert len(_same_read(root)) == 605


def _edge_cases() -> dict[str, Any]:
    data = json.loads(HAKE_SUBSET.read_text())
    names = list(data)
    first = data[FIRST]["labels"]
    odd: dict[str, Any] = {
        'quote"and\\backslash{,}[].jpg': data[names[1]],  # escapes and structural characters in a key
        "sub/dir/x.jpg": data[names[2]],
        "é.jpg": data[names[3]],
        "../escape.jpg": data[names[4]],
        "not-an-object.jpg": [1, 2],
        "no-labels.jpg": {"dataset": "hico-det"},
        "empty-labels.jpg": {"labels": []},
        "label-not-object.jpg": {"labels": [first[0], 7]},
        "border.jpg": {"labels": [dict(first[0], human_bbox=[-0.5, 0, 640.5, 480.0])]},  # clipped by the tolerance
        "minus-zero.jpg": {"labels": [dict(first[0], human_bbox=[-0.0, 0.0, 100.5, 200.25])]},
        "bool-state.jpg": {"labels": [dict(first[0], action_labels=[{"human_part": True, "partstate": 0}])]},
        "unknown-state.jpg": {"labels": [dict(first[0], action_labels=[{"human_part": 4, "partstate": 99}])]},
        "null-states.jpg": {"labels": [dict(first[0], action_labels=None)]},
        "string-states.jpg": {"labels": [dict(first[0], action_labels="")]},
        "bool-size.jpg": {"labels": [dict(first[0], width=True)]},
        "huge-int.jpg": {"labels": [dict(first[0], human_bbox=[1, 1, 10**30, 5])]},
        "crowd.jpg": {"labels": [first[0]] * 3 + [dict(first[0], hoi_id=h) for h in range(150, 180)]},
    }
    return {**odd, **data}


def test_odd_names_boxes_and_entries_read_the_same(tmp_path: Path) -> None:
    root = make_hico_root(tmp_path, _edge_cases())
    got = _same_read(root)
    assert any(p[3] == "sub/dir/x.jpg" for p in got) and any(p[3] == "border.jpg" for p in got)
    assert read_hico(root).dropped  # the bad entries are drops, the rest is read


@pytest.mark.parametrize("limit", [1, 2, 5, 606, 10_000])
def test_max_samples_stops_at_the_same_pair(tmp_path: Path, limit: int) -> None:
    root = make_hico_root(tmp_path, _edge_cases())
    assert len(_same_read(root, max_samples=limit)) == min(limit, len(_same_read(root)))


def test_check_images_and_a_dataset_name(tmp_path: Path) -> None:
    root = make_hico_root(tmp_path)
    images = root / "Images" / "images" / "train2015"
    for name in list(json.loads(HAKE_SUBSET.read_text()))[::3]:
        (images / name).write_bytes(b"x")
    got = _same_read(root, check_images=True, dataset="hake")
    assert 0 < len(got) < 606 and got[0][2] == "hake"


def test_halpe_keypoints_and_their_digests(tmp_path: Path) -> None:
    data = json.loads(HAKE_SUBSET.read_text())
    rng = np.random.default_rng(0)
    images, annotations = [], []
    for k, (name, entry) in enumerate(list(data.items())[:40]):
        images.append({"id": k, "file_name": name})
        for label in entry["labels"][::2]:
            x1, y1, x2, y2 = label["human_bbox"]
            kps = [float(v) for v in rng.uniform(0, 300, 408)]
            annotations.append(
                {"id": len(annotations), "image_id": k, "bbox": [x1, y1, x2 - x1, y2 - y1], "keypoints": kps}
            )
    annotations.append({"id": len(annotations), "image_id": 0, "bbox": "bad", "keypoints": []})  # a Halpe drop
    root = make_hico_root(tmp_path)
    pose = root / "Annotation" / "hico-fullbody-pose"
    pose.mkdir(parents=True)
    (pose / "halpe_train_v1.json").write_text(json.dumps({"images": images, "annotations": annotations}))
    got = _same_read(root)
    assert sum(p[9] is not None for p in got) > 40
    for limit in (3, 100):
        _same_read(root, max_samples=limit)
    samples = read_hico(root).samples
    assert [packed_digest(p, "img") for p in got] == [s.input_digest("img") for s in samples]


def test_packed_digest_is_the_sample_digest(hico_root: Path, demo_root: Path) -> None:
    samples = read_hico(hico_root).samples + read_demo(demo_root).samples
    assert any(s.person.keypoints is not None for s in samples)
    for s in samples:
        for images in (None, "a.jpg:12:34", ("a", "b")):
            assert packed_digest(pack(s), images) == s.input_digest(images)


def test_many_images_at_once_equal_the_per_image_context() -> None:
    from hoiscribe.datasets.context import distinct_people, many_images, pair_verbs, verb_mask_names

    rng = np.random.default_rng(7)
    names = sorted(["carry", "hold", "no_interaction", "ride", "sit_on", "wash"])
    image, humans, objects, cats, verbs = [], [], [], [], []
    for k in range(400):
        n = int(rng.choice([1, 2, 3, 5, 12, 30]))
        base = rng.uniform(0, 200, size=(max(1, n // 3), 4))
        base[:, 2:] = base[:, :2] + rng.uniform(1, 80, size=(len(base), 2))
        picks = base[rng.integers(0, len(base), size=n)]
        jitter = rng.integers(0, 2, size=(n, 1)) * rng.uniform(-10, 10, size=(n, 4))  # copies, near copies, chains
        hum = picks + jitter
        hum[rng.random(n) < 0.05, 0] = -0.0  # -0.0 and 0.0 are one box, as tuples
        obj = base[rng.integers(0, len(base), size=n)]
        image += [k] * n
        humans += hum.tolist()
        objects += obj.tolist()
        cats += rng.integers(0, 2, size=n).tolist()
        verbs += rng.integers(0, len(names), size=n).tolist()
    people, masks = many_images(np.array(image), np.array(humans), np.array(objects), np.array(cats), np.array(verbs))
    image_arr = np.array(image)
    for k in range(400):
        rows = np.flatnonzero(image_arr == k).tolist()
        hs = [tuple(humans[j]) for j in rows]
        keys = [(tuple(humans[j]), tuple(objects[j]), str(cats[j])) for j in rows]
        want_verbs = pair_verbs(keys, [names[verbs[j]] for j in rows])
        assert people[rows].tolist() == [distinct_people(hs)] * len(rows)
        assert [verb_mask_names(tuple(masks[j].tolist()), names) for j in rows] == want_verbs
