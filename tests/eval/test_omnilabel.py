"""OmniLabel AP: perfect predictions, pooled hand-computed AP, negatives, and the final mean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoiscribe.eval.omnilabel import evaluate_omnilabel, evaluate_omnilabel_data

DESCR = {"type": "object_description"}
CATEG = {"type": "category"}


def _gt() -> dict:
    return {
        "images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"}],
        "descriptions": [
            {"id": 1, "text": "dog", "image_ids": [1, 2], "anno_info": CATEG},
            {"id": 2, "text": "the dog on the left", "image_ids": [1], "anno_info": DESCR},
            {"id": 3, "text": "a dog wearing a hat", "image_ids": [1, 2], "anno_info": DESCR},  # negative on 1
        ],
        "annotations": [
            {"id": 1, "image_id": 1, "bbox": [10, 10, 30, 30], "description_ids": [1, 2]},
            {"id": 2, "image_id": 1, "bbox": [60, 10, 30, 30], "description_ids": [1]},
            {"id": 3, "image_id": 2, "bbox": [0, 0, 50, 50], "description_ids": [1, 3]},
        ],
    }


def _perfect() -> list[dict]:
    return [{"image_id": a["image_id"], "bbox": a["bbox"], "description_ids": a["description_ids"],
             "scores": [0.9] * len(a["description_ids"])} for a in _gt()["annotations"]]  # fmt: skip


def test_perfect_predictions_score_100() -> None:
    r = evaluate_omnilabel_data(_gt(), _perfect_flat())
    assert r.final == pytest.approx(100.0)
    assert r.ap == {"categ": pytest.approx(100.0), "descr": pytest.approx(100.0), "descr-pos": pytest.approx(100.0)}
    assert r.n_gt == {"categ": 3, "descr": 2, "descr-pos": 2}


def _perfect_flat() -> list[dict]:
    return [{"image_id": p["image_id"], "category_id": d, "bbox": p["bbox"], "score": s}
            for p in _perfect() for d, s in zip(p["description_ids"], p["scores"], strict=True)]  # fmt: skip


def test_negative_description_costs_descr_but_not_descr_pos_or_categ() -> None:
    preds = _perfect_flat()
    # a confident box for "a dog wearing a hat" on image 1, where no dog wears a hat
    preds.append({"image_id": 1, "category_id": 3, "bbox": [10, 10, 30, 30], "score": 0.95})
    r = evaluate_omnilabel_data(_gt(), preds)
    assert r.ap["categ"] == pytest.approx(100.0) and r.ap["descr-pos"] == pytest.approx(100.0)
    # pooled descr ranking: FP (0.95), TP, TP -> precision 1/2 at recall 1/2, 2/3 at recall 1
    expected = 100 * (51 * 2 / 3 + 50 * 2 / 3) / 101
    assert r.ap["descr"] == pytest.approx(expected, abs=1e-6)
    assert r.final == pytest.approx(2 * 100 * expected / (100 + expected), abs=1e-6)


def test_pooled_not_averaged_per_description() -> None:
    # one category hit on each image, ranked TP(0.9) FP(0.8) TP(0.7), with one GT box missed
    preds = [
        {"image_id": 1, "category_id": 1, "bbox": [10, 10, 30, 30], "score": 0.9},
        {"image_id": 2, "category_id": 1, "bbox": [80, 80, 10, 10], "score": 0.8},
        {"image_id": 2, "category_id": 1, "bbox": [0, 0, 50, 50], "score": 0.7},
    ]
    r = evaluate_omnilabel_data(_gt(), preds)
    # 3 GT: recall 1/3 @ P 1, 2/3 @ P 2/3 -> thresholds <= 1/3 (34) read 1, (1/3, 2/3] (33) read 2/3, rest 0
    expected = 100 * (34 * 1.0 + 33 * 2 / 3) / 101
    assert r.ap["categ"] == pytest.approx(expected, abs=1e-6)
    assert r.ap["descr"] == pytest.approx(0.0) and r.final == pytest.approx(0.0)


def test_outside_label_space_is_not_scored_and_empty_group_is_no_ground_truth(tmp_path: Path) -> None:
    gt = _gt()
    gt["descriptions"] = gt["descriptions"][:1]  # categories only
    for a in gt["annotations"]:
        a["description_ids"] = [1]
    preds = _perfect()
    (tmp_path / "gt.json").write_text(json.dumps(gt))
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    r = evaluate_omnilabel(tmp_path / "gt.json", tmp_path / "pred.json")
    assert r.ap["categ"] == pytest.approx(100.0) and r.ap["descr"] is None
    assert r.final is None and r.as_dict()["AP"] == "no ground truth"
    assert r.predictions_outside == 2  # descriptions 2 and 3 are not in this label space
