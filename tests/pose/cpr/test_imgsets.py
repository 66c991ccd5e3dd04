"""img-sets: each group is the target plus its K nearest gallery poses, the reference never among them."""

import json
from pathlib import Path

import numpy as np
import pytest

from hoiscribe.pose.cpr.data import CprDataError, read_cpr_split
from hoiscribe.pose.cpr.imgsets import fill_img_sets
from hoiscribe.pose.demo import write_pose_demo
from hoiscribe.pose.pairing import normalized_pose
from hoiscribe.pose.reader import _KeypointSource


def _brute_force(root: Path, entry: dict, k: int) -> list[str]:
    source = _KeypointSource.from_file(root / "keypoints" / "test.json")
    gallery = json.loads((root / "image_splits" / "test.json").read_text())
    target = normalized_pose(source.get(entry["target"])[0])
    scored = []
    for name in gallery:
        if name in (entry["target"], entry["reference"]):
            continue
        other = normalized_pose(source.get(name)[0])
        both = ~np.isnan(target[:, 0]) & ~np.isnan(other[:, 0])
        scored.append((float(np.linalg.norm(target[both] - other[both], axis=1).mean()), name))
    return [entry["target"], *(n for _, n in sorted(scored)[:k])]


def test_groups_are_the_nearest_poses(tmp_path: Path) -> None:
    root = write_pose_demo(tmp_path / "demo")
    before = json.loads((root / "captions" / "test.json").read_text())
    counts = fill_img_sets(root, "test", k=4)
    after = json.loads((root / "captions" / "test.json").read_text())
    assert counts["filled"] == len(after) == 6 and counts["gallery"] == 12
    for old, new in zip(before, after, strict=True):
        assert new["img_set"] == _brute_force(root, old, 4)
        assert {k: v for k, v in new.items() if k != "img_set"} == {k: v for k, v in old.items() if k != "img_set"}
    split = read_cpr_split(root, "test", need_gallery=True)
    assert all(e.group is not None and len(e.group) == 5 and e.reference not in e.group for e in split.entries)


def test_output_elsewhere_and_bad_input(tmp_path: Path) -> None:
    root = write_pose_demo(tmp_path / "demo")
    out = tmp_path / "with_groups.json"
    fill_img_sets(root, "test", k=2, output=out)
    assert all(len(e["img_set"]) == 3 for e in json.loads(out.read_text()))
    assert json.loads((root / "captions" / "test.json").read_text())[0]["img_set"] == "test"  # untouched
    with pytest.raises(ValueError, match="k must be 1 or more"):
        fill_img_sets(root, "test", k=0)
    (root / "keypoints" / "test.json").unlink()
    with pytest.raises(CprDataError, match=r"keypoint file, not found: .*keypoints/test.json"):
        fill_img_sets(root, "test")
