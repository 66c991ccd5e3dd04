import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hoiscribe.catalog import read_dataset
from hoiscribe.core.records import Box, Keypoints, Person, Sample
from hoiscribe.datasets.base import DatasetError
from hoiscribe.pose.captions import CAPTION_FIELDS, caption_record, write_pose_pairs
from hoiscribe.pose.pairing import build_pairs
from hoiscribe.pose.reader import read_pose_pairs
from tests.pose.helpers import STAND, pose

W, H = 400, 500


def _image(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (W, H), (200, 200, 200)).save(path)


def _root(tmp_path: Path, records: list[dict], kps: dict[str, Keypoints], images: list[str]) -> Path:
    root = tmp_path / "acp"
    for name in images:
        _image(root / "images" / name)
    (root / "captions").mkdir(parents=True)
    (root / "captions" / "train.json").write_text(json.dumps(records))
    (root / "keypoints").mkdir()
    entries = {n: {"width": W, "height": H, "keypoints": k.as_flat()} for n, k in kps.items()}
    (root / "keypoints" / "train.json").write_text(json.dumps({"layout": "coco17", "images": entries}))
    return root


FULL = {
    "reference": "a.jpg",
    "target": "b.jpg",
    "img_set": {"set": 3},  # kept only for format consistency, whatever it holds
    "sents": ["Raise your left arm."],
    "auto": ["Lift your left hand.", "Raise your left hand."],
    "auto-reverse": ["Lower your left hand."],
    "mllm": ["Raise your left arm high."],
    "reverse": ["Lower your left arm."],
    "mirror": ["Raise your right arm high."],
    "mirror-reverse": ["Lower your right arm."],
    "source_id": 17,
}


def test_caption_json_round_trips_through_reader_and_writer(tmp_path: Path) -> None:
    arm_up = pose(left_elbow=(50, -165), left_wrist=(55, -210))
    root = _root(tmp_path, [FULL, dict(FULL, reference="b.jpg", target="a.jpg")],
                 {"a.jpg": pose(), "b.jpg": arm_up}, ["a.jpg", "b.jpg"])  # fmt: skip
    read = read_pose_pairs(root, "train")
    assert [p.sample_id for p in read.samples] == ["a.jpg->b.jpg", "b.jpg->a.jpg"] and not read.dropped
    pair = read.samples[0]
    assert pair.reference_size == (W, H) and pair.img_set == {"set": 3} and pair.extra == {"source_id": 17}
    assert set(pair.captions) == set(CAPTION_FIELDS)
    out = write_pose_pairs(tmp_path / "copy", "train", read.samples, copy_images=True)
    assert json.loads((out / "captions" / "train.json").read_text()) == json.loads(
        (root / "captions" / "train.json").read_text()
    )
    assert json.loads((out / "image_splits" / "train.json").read_text()) == ["a.jpg", "b.jpg"]
    again = read_pose_pairs(out, "train")
    assert [caption_record(p) for p in again.samples] == [caption_record(p) for p in read.samples]
    assert np.array_equal(again.samples[0].target_keypoints.xyv, read.samples[0].target_keypoints.xyv)


def test_bad_pairs_are_dropped_with_reasons(tmp_path: Path) -> None:
    few = pose(hidden=("left_knee", "right_knee", "left_ankle", "right_ankle", "left_elbow", "right_elbow",
                       "left_wrist", "right_wrist", "nose", "left_eye"))  # fmt: skip
    no_torso = pose(hidden=("left_hip",))
    records = [
        {"reference": "a.jpg", "target": "missing.jpg", "img_set": 0, "sents": []},
        {"reference": "a.jpg", "target": "few.jpg", "img_set": 0},
        {"reference": "notorso.jpg", "target": "a.jpg", "img_set": 0},
        {"reference": "a.jpg", "target": "nokps.jpg", "img_set": 0},
        {"reference": "../etc/passwd", "target": "a.jpg", "img_set": 0},
        {"reference": "a.jpg", "target": "b.jpg", "img_set": 0, "mllm": "not a list"},
        "not an object",
        {"reference": "a.jpg", "target": "b.jpg", "img_set": 0},
    ]
    kps = {"a.jpg": pose(), "b.jpg": pose(), "few.jpg": few, "notorso.jpg": no_torso}
    root = _root(tmp_path, records, kps, ["a.jpg", "b.jpg", "few.jpg", "notorso.jpg", "nokps.jpg"])
    read = read_dataset("pose_pairs", root, "train")
    assert [p.sample_id for p in read.samples] == ["a.jpg->b.jpg"]
    reasons = {d.record: f"{d.field}: {d.reason}" for d in read.dropped}
    assert reasons["pair 0"] == "target: image not found: missing.jpg"
    assert reasons["pair 1"] == "keypoints: target image few.jpg: 7 visible keypoints, need 8"
    assert "torso keypoints not visible: left_hip" in reasons["pair 2"]
    assert reasons["pair 3"].startswith("keypoints: no keypoints for target image nokps.jpg")
    assert "escapes the data root" in reasons["pair 4"]
    assert reasons["pair 5"] == "mllm: expected a list of strings"
    assert reasons["pair 6"] == "record: expected an object"
    with pytest.raises(DatasetError, match="caption JSON not found"):
        read_pose_pairs(root, "test")


def _sample(name: str, kps: Keypoints) -> Sample:
    return Sample(name, "demo", name, 0, 0, W, H, Person(Box(0, 0, W, H, W, H), kps), image_path=f"/x/{name}")


def test_pairs_are_built_inside_the_band_with_a_cap_per_image() -> None:
    samples = [
        _sample("stand.jpg", pose()),
        _sample("stand2.jpg", pose(left_wrist=(39, -21))),  # near identical: below the band
        _sample("arm.jpg", pose(left_elbow=(50, -165), left_wrist=(55, -210))),  # one arm up: in band
        _sample(
            "arms.jpg",
            pose(left_elbow=(50, -165), left_wrist=(55, -210), right_elbow=(-50, -165), right_wrist=(-55, -210)),
        ),
        _sample("flip.jpg", pose(**{n: (-x, -y) for n, (x, y) in STAND.items()})),  # upside down: beyond
        _sample("hidden.jpg", pose(hidden=("left_hip", "right_hip"))),
    ]
    pairs, drops, stats = build_pairs(samples, band=(0.08, 0.5), max_pairs_per_image=5)
    names = {(p.reference, p.target) for p in pairs}
    assert ("stand.jpg", "stand2.jpg") not in names
    assert not any("flip.jpg" in n for pair in names for n in pair)
    assert {("arm.jpg", "stand.jpg"), ("arm.jpg", "stand2.jpg"), ("arm.jpg", "arms.jpg")} <= names
    assert [d.record for d in drops] == ["hidden.jpg"] and stats["people"] == 5
    capped, _, _ = build_pairs(samples, band=(0.08, 0.5), max_pairs_per_image=1)
    used = [n for p in capped for n in (p.reference, p.target)]
    assert len(used) == len(set(used)) and len(capped) == 2
    assert all(p.reference_path and p.reference_size == (W, H) for p in capped)


def test_keypoints_can_come_from_a_joined_coco_file(tmp_path: Path) -> None:
    root = _root(tmp_path, [{"reference": "a.jpg", "target": "b.jpg", "img_set": 0}], {}, ["a.jpg", "b.jpg"])
    arm_up = pose(left_elbow=(50, -165), left_wrist=(55, -210))
    coco = {
        "images": [{"id": 1, "file_name": "a.jpg", "width": W, "height": H},
                   {"id": 2, "file_name": "b.jpg", "width": W, "height": H}],
        "annotations": [
            {"id": 10, "image_id": 1, "category_id": 1, "bbox": [100, 100, 200, 380], "num_keypoints": 17,
             "keypoints": pose().as_flat(), "iscrowd": 0, "area": 1.0},
            {"id": 11, "image_id": 2, "category_id": 1, "bbox": [100, 80, 200, 400], "num_keypoints": 17,
             "keypoints": arm_up.as_flat(), "iscrowd": 0, "area": 1.0},
            {"id": 12, "image_id": 2, "category_id": 1, "bbox": [0, 0, 20, 20], "num_keypoints": 3,
             "keypoints": pose(hidden=tuple(pose().layout.names[3:])).as_flat(), "iscrowd": 0, "area": 1.0},
        ],
        "categories": [{"id": 1, "name": "person"}],
    }  # fmt: skip
    (root / "annotations").mkdir()
    (root / "annotations" / "person_keypoints_val.json").write_text(json.dumps(coco))
    read = read_pose_pairs(root, "train", join_dataset="coco", join_split="val")
    assert len(read.samples) == 1 and read.stats["keypoints_from"] == "coco people"
    assert np.array_equal(read.samples[0].target_keypoints.xyv, arm_up.xyv)  # the better-seen person wins


def test_pairs_built_from_a_halpe_file(tmp_path: Path) -> None:
    root = tmp_path / "halpe"
    images, anns = [], []
    variants = [pose(), pose(left_elbow=(50, -165), left_wrist=(55, -210)), pose(right_knee=(-40, 60))]
    for i, kps in enumerate(variants):
        _image(root / "imgs" / f"{i}.jpg")
        images.append({"id": i, "file_name": f"{i}.jpg", "width": W, "height": H})
        flat = kps.as_flat() + [0.0] * (3 * (136 - 17))
        anns.append({"id": 100 + i, "image_id": i, "bbox": [100, 100, 200, 380], "keypoints": flat})
    (root / "halpe.json").write_text(json.dumps({"images": images, "annotations": anns}))
    read = read_dataset("pose_pairs", root, "imgs", build_from="halpe", keypoints="halpe.json")
    assert read.samples and read.stats["built_from"] == "halpe"
    assert all(p.reference_keypoints.layout.name == "coco17" for p in read.samples)
