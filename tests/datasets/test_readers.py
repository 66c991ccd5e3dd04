import json
from pathlib import Path

import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.datasets.base import DatasetError
from hoiscribe.datasets.coco import read_coco
from hoiscribe.datasets.hico import read_hico
from tests.conftest import HAKE_SUBSET, make_hico_root


def test_real_hake_subset_reads_every_pair(hico_root: Path) -> None:
    raw = json.loads(HAKE_SUBSET.read_text())
    n_pairs = sum(len(v["labels"]) for v in raw.values())
    no_parts = sum(1 for v in raw.values() for lab in v["labels"] if "action_labels" not in lab)
    res = read_hico(hico_root)
    assert len(res.samples) == n_pairs == 606
    assert not res.dropped
    assert sum(1 for s in res.samples if not s.extra["has_action_labels"]) == no_parts
    first = res.samples[0]
    assert first.sample_id == "HICO_train2015_00000001.jpg#0"
    assert first.interaction is not None and first.interaction.hoi_id == 153
    assert first.person.part_states[0].part == "right hand" and first.person.part_states[0].state == "hold"
    assert first.image_path.endswith("Images/images/train2015/HICO_train2015_00000001.jpg")
    assert res.stats["keypoints_matched"] is None  # no Halpe file in this layout


def _one_image(labels: list[dict], name: str = "a.jpg") -> dict:
    return {name: {"dataset": "hico-det", "labels": labels}}


GOOD = {
    "height": 100,
    "width": 200,
    "hoi_id": 1,
    "human_bbox": [1, 1, 50, 90],
    "object_bbox": [60, 10, 150, 80],
}


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"hoi_id": 601}, "hoi_id", "unknown hoi_id 601"),
        ({"human_bbox": [1, 1, 50]}, "human_bbox", "expected 4 numbers"),
        ({"object_bbox": [60, 10, 40, 80]}, "object_bbox", "x2 < x1"),
        ({"object_bbox": [60, 10, 260, 80]}, "object_bbox", "outside the 200x100 image"),
        ({"action_labels": [{"human_part": 4, "partstate": 9}]}, "action_labels[0]", "out of range for hip"),
        ({"action_labels": [{"human_part": 12, "partstate": 0}]}, "action_labels[0]", "human_part 12"),
        ({"width": 0}, "width", "positive integer"),
    ],
)
def test_malformed_pair_is_dropped_with_file_record_and_field(
    tmp_path: Path, change: dict, field: str, reason: str
) -> None:
    root = make_hico_root(tmp_path, _one_image([GOOD, dict(GOOD, **change)]))
    res = read_hico(root)
    assert len(res.samples) == 1  # the good pair survives
    (drop,) = res.dropped
    assert drop.record == "a.jpg labels[1]" and drop.field == field and reason in drop.reason
    assert drop.file.endswith("hico-det-training-set-instance-level.json")
    assert reason in str(drop)


@pytest.mark.parametrize("name", ["../escape.jpg", "/etc/passwd", "sub/../../x.jpg"])
def test_file_names_that_escape_the_root_are_dropped(tmp_path: Path, name: str) -> None:
    root = make_hico_root(tmp_path, _one_image([GOOD], name) | _one_image([GOOD], "ok.jpg"))
    res = read_hico(root)
    assert [s.file_name for s in res.samples] == ["ok.jpg"]
    assert res.dropped[0].field == "file_name" and "escapes the data root" in res.dropped[0].reason


def test_missing_and_unreadable_annotation_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"not found: .*hico-det-training-set-instance-level\.json"):
        read_hico(tmp_path)
    root = make_hico_root(tmp_path)
    path = root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json"
    path.write_text("{not json")
    with pytest.raises(DatasetError, match="not readable JSON"):
        read_hico(root)
    with pytest.raises(DatasetError, match="unknown HICO-DET split"):
        read_hico(root, split="val2015")


def test_halpe_join_by_box_iou(tmp_path: Path) -> None:
    root = make_hico_root(tmp_path, _one_image([GOOD, dict(GOOD, human_bbox=[120, 1, 199, 99])]))
    kps = [float(i % 50) for i in range(408)]
    for j in range(0, 408, 3):
        kps[j + 2] = 2.0
    halpe = {
        "images": [{"id": 7, "file_name": "a.jpg", "width": 200, "height": 100}],
        "annotations": [{"image_id": 7, "bbox": [2, 2, 47, 87], "keypoints": kps}],
    }
    pose_dir = root / "Annotation" / "hico-fullbody-pose"
    pose_dir.mkdir(parents=True)
    (pose_dir / "halpe_train_v1.json").write_text(json.dumps(halpe))
    res = read_hico(root)
    assert res.stats["keypoints_matched"] == 1
    assert res.samples[0].person.keypoints is not None
    assert res.samples[1].person.keypoints is None  # the second human box does not overlap


def test_demo_set_loads_through_the_hico_reader(demo_root: Path) -> None:
    res = read_dataset("demo", demo_root)
    assert len(res.samples) >= 12 and not res.dropped
    assert res.stats["keypoints_matched"] == len(res.samples)
    assert {s.interaction.verb for s in res.samples} >= {"ride", "hold", "kick", "sit_on"}
    assert all(Path(s.image_path).is_file() for s in res.samples)


def _coco_file(root: Path, split: str, anns: list[dict]) -> None:
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    data = {
        "images": [{"id": 9, "file_name": "000000000009.jpg", "width": 640, "height": 480}],
        "annotations": anns,
        "categories": [{"id": 1, "name": "person"}],
    }
    (root / "annotations" / f"person_keypoints_{split}.json").write_text(json.dumps(data))


def test_coco_reader_with_split_and_bad_keypoints(tmp_path: Path) -> None:
    kps = [100.0, 100.0, 2.0] * 17
    good = {"id": 1, "image_id": 9, "category_id": 1, "bbox": [10, 20, 100, 200], "keypoints": kps,
            "num_keypoints": 17, "iscrowd": 0, "area": 1.0}  # fmt: skip
    bad = dict(good, id=2, keypoints=kps[:-3])
    empty = dict(good, id=3, num_keypoints=0)
    _coco_file(tmp_path, "val2017", [good, bad, empty])
    res = read_coco(tmp_path, "val2017")
    assert [s.instance_id for s in res.samples] == [1]
    assert res.samples[0].object is None and res.samples[0].image_path.endswith("val2017/000000000009.jpg")
    assert res.dropped[0].record == "image 9 annotation 2" and res.dropped[0].field == "keypoints"
    with pytest.raises(DatasetError, match=r"person_keypoints_train2017\.json"):
        read_coco(tmp_path, "train2017")
