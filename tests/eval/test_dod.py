"""D-cube FULL/PRES/ABS: perfect predictions, a hand-computed case, and empty subsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoiscribe.eval.dod import SUBSET_FILES, coco_subset_ap, evaluate_dod, subset_files
from hoiscribe.eval.errors import EvalInputError


def _gt() -> dict:
    images = [{"id": 1, "file_name": "a.jpg", "height": 100, "width": 100},
              {"id": 2, "file_name": "b.jpg", "height": 100, "width": 100}]  # fmt: skip
    cats = [{"id": 1, "name": "a dog with a leash"}, {"id": 2, "name": "a dog without a leash"}]
    anns = [
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 30, 30], "area": 900, "iscrowd": 0},
        {"id": 2, "image_id": 1, "category_id": 1, "bbox": [50, 50, 40, 40], "area": 1600, "iscrowd": 0},
        {"id": 3, "image_id": 2, "category_id": 2, "bbox": [0, 0, 60, 60], "area": 3600, "iscrowd": 0},
    ]
    return {"images": images, "categories": cats, "annotations": anns}


def _perfect(gt: dict) -> list[dict]:
    return [{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": a["bbox"], "score": 0.9}
            for a in gt["annotations"]]  # fmt: skip


def test_perfect_predictions_score_100() -> None:
    r = coco_subset_ap("FULL", _gt(), _perfect(_gt()))
    assert r.ap == pytest.approx(100.0) and r.ap50 == pytest.approx(100.0) and r.n_gt == 3


def test_hand_computed_precision_recall_curve() -> None:
    gt = _gt()
    gt["annotations"] = gt["annotations"][:2]
    gt["categories"] = gt["categories"][:1]
    preds = [
        {"image_id": 1, "category_id": 1, "bbox": [10, 10, 30, 30], "score": 0.9},  # TP
        {"image_id": 2, "category_id": 1, "bbox": [0, 0, 20, 20], "score": 0.8},  # FP on an image without GT
        {"image_id": 1, "category_id": 1, "bbox": [50, 50, 40, 40], "score": 0.7},  # TP
    ]
    # recall 0.5 at precision 1, recall 1 at precision 2/3: 51 thresholds read 1, 50 read 2/3
    expected = 100 * (51 * 1.0 + 50 * 2 / 3) / 101
    r = coco_subset_ap("PRES", gt, preds)
    assert r.ap == pytest.approx(expected, abs=1e-6)


def test_empty_subset_is_no_ground_truth_not_minus_one() -> None:
    gt = _gt()
    empty = {"images": gt["images"], "categories": [], "annotations": []}
    r = coco_subset_ap("ABS", empty, _perfect(gt))
    assert r.ap is None and r.as_dict()["AP"] == "no ground truth" and r.predictions_outside == 3


def test_files_and_predictions_outside_a_subset(tmp_path: Path) -> None:
    gt = _gt()
    pres = {**gt, "categories": gt["categories"][:1], "annotations": gt["annotations"][:2]}
    abs_ = {**gt, "categories": gt["categories"][1:], "annotations": gt["annotations"][2:]}
    for name, data in zip(SUBSET_FILES.values(), (gt, pres, abs_), strict=True):
        (tmp_path / name).write_text(json.dumps(data))
    preds = _perfect(gt)
    preds[2]["bbox"] = [70, 70, 10, 10]  # the ABS box missed
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    results = {r.name: r for r in evaluate_dod(subset_files(tmp_path), tmp_path / "pred.json")}
    assert results["PRES"].ap == pytest.approx(100.0) and results["PRES"].predictions_outside == 1
    assert results["ABS"].ap == pytest.approx(0.0)
    assert results["FULL"].ap == pytest.approx(50.0)  # mean over the two descriptions


def test_bad_prediction_names_the_row(tmp_path: Path) -> None:
    (tmp_path / "gt.json").write_text(json.dumps(_gt()))
    (tmp_path / "pred.json").write_text(json.dumps([{"image_id": 1, "category_id": 1, "score": 1}]))
    with pytest.raises(EvalInputError, match=r"prediction \[0\]"):
        evaluate_dod({"FULL": tmp_path / "gt.json"}, tmp_path / "pred.json")
