"""Box frames: each GT layout knows its frame, and 0-based predictions score the same against both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.eval.gt_readers import read_hico_gt
from hoiscribe.eval.hico import evaluate_hico_files
from hoiscribe.vocab.hico import hico


def _ppdm_from_instances(gt_path: Path, out: Path) -> None:
    """The same test set in the PPDM/QPIC layout, 0-based as PPDM converted it (every coordinate - 1)."""
    data = orjson.loads(gt_path.read_bytes())
    voc = hico()
    images = []
    for name, ann in zip(data["filenames"], data["annotation"], strict=True):
        boxes, hois = [], []
        for h_box, o_box, hoi in zip(ann["boxes_h"], ann["boxes_o"], ann["hoi"], strict=True):
            cls = voc.hois[hoi]
            boxes.append({"bbox": [v - 1 for v in h_box], "category_id": 1})
            boxes.append({"bbox": [v - 1 for v in o_box], "category_id": voc.object_coco_ids[cls.object_coco_idx]})
            hois.append({"subject_id": len(boxes) - 2, "object_id": len(boxes) - 1, "category_id": cls.verb_idx + 1})
        images.append({"file_name": name, "annotations": boxes, "hoi_annotation": hois})
    out.write_bytes(orjson.dumps(images))


def _zero_based_predictions(gt_path: Path, out: Path, seed: int = 18) -> None:
    """Jittered GT pairs in 0-based pixels (what PPDM-trained models emit), many near IoU 0.5."""
    gt = read_hico_gt(gt_path)
    rng = np.random.default_rng(seed)
    boxes = gt.pair_boxes - 1.0
    size = np.maximum(np.concatenate([boxes[:, 2:4] - boxes[:, 0:2], boxes[:, 6:8] - boxes[:, 4:6]], axis=1), 1.0)
    boxes = boxes + rng.normal(0.0, 0.12, boxes.shape) * np.repeat(size, 2, axis=1)[:, [0, 1, 0, 1, 2, 3, 2, 3]]
    boxes[:, [2, 3, 6, 7]] = np.maximum(boxes[:, [2, 3, 6, 7]], boxes[:, [0, 1, 4, 5]])
    boxes = np.round(boxes, 2)
    score = rng.random(len(boxes))
    entries: dict[int, dict] = {}
    for k in range(len(boxes)):
        e = entries.setdefault(int(gt.pair_image[k]), {"file_name": gt.file_names[gt.pair_image[k]],
                                                       "boxes": [], "hois": []})  # fmt: skip
        j = len(e["boxes"])
        e["boxes"] += [boxes[k, :4].tolist(), boxes[k, 4:].tolist()]
        e["hois"].append([j, j + 1, int(gt.pair_class[k]), float(score[k])])
    out.write_bytes(orjson.dumps(list(entries.values())))


@pytest.fixture(scope="module")
def files(hico_gt_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("frames")
    _ppdm_from_instances(hico_gt_path, root / "test_hico.json")
    _zero_based_predictions(hico_gt_path, root / "pred.json")
    return hico_gt_path, root / "test_hico.json", root / "pred.json"


def test_each_layout_knows_its_frame(files: tuple[Path, Path, Path]) -> None:
    instances, ppdm, _ = files
    a, b = read_hico_gt(instances), read_hico_gt(ppdm)
    assert (a.box_origin, b.box_origin) == (1, 0)
    np.testing.assert_array_equal(a.pair_boxes - 1, b.pair_boxes)  # the same pairs, one pixel apart


def test_zero_based_predictions_score_the_same_against_both_layouts(files: tuple[Path, Path, Path]) -> None:
    instances, ppdm, pred = files
    on_instances = evaluate_hico_files(instances, pred, pred_frame=0, settings=("default",))
    on_ppdm = evaluate_hico_files(ppdm, pred, settings=("default",))  # the PPDM layout's default frame is 0
    ap_a, ap_b = on_instances.setting("default").stats.ap, on_ppdm.setting("default").stats.ap
    np.testing.assert_array_equal(ap_a, ap_b)
    assert on_instances.summary() == on_ppdm.summary()
    assert on_instances.pred_summary["box_shift"] == 1.0 and on_ppdm.pred_summary["box_shift"] == 0.0
    # the trap the frame closes: the same files compared unshifted score differently
    unshifted = evaluate_hico_files(instances, pred, settings=("default",))  # default for instances: 1-based
    assert unshifted.pred_summary["box_frame"] == 1
    changed = int((unshifted.setting("default").stats.ap != ap_a).sum())
    assert changed > 10, changed


def test_cli_prints_the_frames_and_takes_pred_frame(files: tuple[Path, Path, Path]) -> None:
    instances, _, pred = files
    runner = CliRunner()
    default = runner.invoke(app, ["eval", "hico", "--gt", str(instances), "--pred", str(pred), "--setting", "default"])
    assert default.exit_code == 0, default.output
    assert "GT 1-based (instances layout), predictions 1-based" in default.output and "no shift" in default.output
    shifted = runner.invoke(
        app, ["eval", "hico", "--gt", str(instances), "--pred", str(pred), "--setting", "default", "--pred-frame", "0"]
    )
    assert shifted.exit_code == 0, shifted.output
    assert "predictions 0-based (--pred-frame)" in shifted.output and "shifted by +1" in shifted.output
    bad = runner.invoke(app, ["eval", "hico", "--gt", str(instances), "--pred", str(pred), "--pred-frame", "2"])
    assert bad.exit_code != 0
