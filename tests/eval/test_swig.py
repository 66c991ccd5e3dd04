"""SWiG-HOI under the THID / CMD-SE protocol."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hoiscribe.eval.ap import MatchRules, evaluate_classes
from hoiscribe.eval.gt_readers import read_swig_gt
from hoiscribe.eval.predictions import read_predictions
from hoiscribe.eval.swig import SWIG_RULES, evaluate_swig, evaluate_swig_files, swig_class_space
from hoiscribe.vocab.swig import swig

H = [0.0, 0.0, 10.0, 10.0]
OB = [20.0, 20.0, 30.0, 30.0]


def three_classes() -> dict[str, int]:
    voc = swig()
    return {name: min(voc.split(name)) for name in ("unseen", "rare", "non_rare")}


def write_gt(tmp_path: Path) -> Path:
    voc = swig()
    images = []
    for name, cid in three_classes().items():
        x = voc.interactions[cid]
        images.append(
            {
                "file_name": f"{name}.jpg",
                "box_annotations": [{"bbox": H, "category_id": 0}, {"bbox": OB, "category_id": x.object_id}],
                "hoi_annotations": [{"subject_id": 0, "object_id": 1, "action_id": x.action_id}],
            }
        )
    path = tmp_path / "swig_test.json"
    path.write_text(json.dumps(images))
    return path


def test_group_means_divide_by_every_evaluated_interaction(tmp_path: Path) -> None:
    preds = [
        {"file_name": f"{name}.jpg", "boxes": [H, OB], "hois": [[0, 1, cid, 0.9]]}
        for name, cid in three_classes().items()
    ]
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    report = evaluate_swig_files(write_gt(tmp_path), tmp_path / "pred.json")
    summary = report.summary()["default"]
    n = {g: len(ids) for g, ids in report.setting("default").groups.items()}
    assert n == {"full": 5539, "unseen": 1391, "rare": 2841, "non_rare": 1307}
    for group in ("unseen", "rare", "non_rare"):
        assert summary[group] == pytest.approx(1 / n[group])
    assert summary["full"] == pytest.approx(3 / 5539)
    assert report.gt_summary["evaluated_classes_without_gt"] == 5536


def test_iou_has_no_plus_one(tmp_path: Path) -> None:
    gt = read_swig_gt(write_gt(tmp_path))
    cid = three_classes()["rare"]
    half = [0.0, 0.0, 5.0, 10.0]  # exclusive IoU exactly 0.5 against H: a hit
    narrow = [0.0, 0.0, 4.9, 10.0]
    preds = [{"file_name": "rare.jpg", "boxes": [half, OB, narrow], "hois": [[0, 1, cid, 0.9], [2, 1, cid, 0.95]]}]
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    dets = read_predictions(tmp_path / "pred.json", gt, swig_class_space())
    stats = evaluate_swig(gt, dets).setting("default").stats
    assert stats.n_tp[cid] == 1 and stats.n_det[cid] == 2
    assert stats.ap[cid] == pytest.approx(0.5)  # FP (0.49) first, then the TP


def test_qpic_style_swig_predictions(tmp_path: Path) -> None:
    gt = read_swig_gt(write_gt(tmp_path))
    voc = swig()
    cid = three_classes()["non_rare"]
    x = voc.interactions[cid]
    preds = [
        {
            "file_name": "non_rare.jpg",
            "predictions": [{"bbox": H, "category_id": 0}, {"bbox": OB, "category_id": x.object_id}],
            "hoi_prediction": [{"subject_id": 0, "object_id": 1, "category_id": x.action_id, "score": 0.5}],
        }
    ]
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    dets = read_predictions(tmp_path / "pred.json", gt, swig_class_space())
    assert dets.cls.tolist() == [cid]
    assert evaluate_swig(gt, dets).setting("default").stats.n_tp[cid] == 1


def test_at_most_19999_detections_per_class(make_gt, make_dets) -> None:
    assert SWIG_RULES.max_per_class == 19999
    cid = three_classes()["rare"]
    gt = make_gt([("a", cid, H, OB)], dataset="swig")
    far = [100.0, 100.0, 110.0, 110.0]
    rows = [("a", cid, 1.0 - i * 1e-6, far, OB) for i in range(19999)] + [("a", cid, 0.001, H, OB)]
    report = evaluate_swig(gt, make_dets(gt, rows))
    stats = report.setting("default").stats
    assert stats.n_det[cid] == 19999 and stats.n_tp[cid] == 0 and stats.ap[cid] == 0.0
    assert report.pred_summary["cut_by_max_per_class"] == 1
    rules = MatchRules("exclusive", SWIG_RULES.thresholds, max_per_class=None)
    d = make_dets(gt, rows)
    uncut = evaluate_classes(
        gt.n_classes, 1, d.cls, d.image, d.score, d.boxes, gt.pair_class, gt.pair_image, gt.pair_boxes, rules
    )
    assert uncut.n_tp[cid] == 1 and np.isclose(uncut.ap[cid], 1 / 20000)
