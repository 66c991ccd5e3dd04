"""Both HICO-DET GT layouts on the real test set, the SWiG-HOI layout, and GT validation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import orjson
import pytest

from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.gt_readers import GroundTruth, read_hico_gt, read_swig_gt
from hoiscribe.vocab._data import load_json, load_tsv
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.swig import swig


@pytest.fixture(scope="module")
def instances_gt(hico_gt_path: Path) -> GroundTruth:
    return read_hico_gt(hico_gt_path)


def to_ppdm_layout(path: Path) -> list[dict]:
    """The fredzzhang GT rewritten as PPDM/QPIC ``test_hico.json`` (one box per pair side)."""
    voc = hico()
    data = orjson.loads(path.read_bytes())
    images = []
    for name, ann in zip(data["filenames"], data["annotation"], strict=True):
        boxes, hois = [], []
        for h_box, o_box, hoi in zip(ann["boxes_h"], ann["boxes_o"], ann["hoi"], strict=True):
            cls = voc.hois[hoi]
            hois.append(
                {
                    "subject_id": len(boxes),
                    "object_id": len(boxes) + 1,
                    "category_id": cls.verb_idx + 1,
                    "hoi_category_id": cls.hoi_id,
                }
            )
            boxes += [{"bbox": h_box, "category_id": 1}, {"bbox": o_box, "category_id": cls.object_coco_id}]
        images.append({"file_name": name, "annotations": boxes, "hoi_annotation": hois})
    return images


def test_real_gt_counts(instances_gt: GroundTruth) -> None:
    counts = instances_gt.class_counts()
    assert instances_gt.n_images == 9658
    assert instances_gt.n_pairs == 33405
    assert instances_gt.non_empty_images == 9546
    assert (counts > 0).sum() == 600
    expected = np.asarray([r["test_pairs"] for r in load_json("hoi_600.json")])
    assert np.array_equal(counts, expected)


def test_ppdm_layout_reads_back_identically(instances_gt: GroundTruth, hico_gt_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "test_hico.json"
    path.write_bytes(orjson.dumps(to_ppdm_layout(hico_gt_path)))
    ppdm = read_hico_gt(path)
    assert ppdm.layout == "ppdm" and instances_gt.layout == "instances"
    assert ppdm.n_pairs == 33405 and ppdm.non_empty_images == 9546
    assert np.array_equal(ppdm.class_counts(), instances_gt.class_counts())
    assert np.array_equal(ppdm.pair_image, instances_gt.pair_image)
    assert np.array_equal(ppdm.pair_class, instances_gt.pair_class)
    assert np.array_equal(ppdm.pair_boxes, instances_gt.pair_boxes)


def _ppdm_image(verb_id: int, obj_coco: int, hoi_id: int | None = None, o_box: list | None = None) -> dict:
    hoi = {"subject_id": 0, "object_id": 1, "category_id": verb_id}
    if hoi_id is not None:
        hoi["hoi_category_id"] = hoi_id
    return {
        "file_name": "x.jpg",
        "annotations": [
            {"bbox": [0, 0, 10, 10], "category_id": 1},
            {"bbox": o_box or [5, 5, 20, 20], "category_id": obj_coco},
        ],
        "hoi_annotation": [hoi],
    }


def test_ppdm_validation_names_image_and_field(tmp_path: Path) -> None:
    board_airplane = hico().hois[0]
    path = tmp_path / "gt.json"
    path.write_text(json.dumps([_ppdm_image(board_airplane.verb_idx + 1, board_airplane.object_coco_id, 2)]))
    with pytest.raises(EvalInputError, match=r"x\.jpg.*hoi_annotation\[0\].*hoi_category_id 2"):
        read_hico_gt(path)
    path.write_text(json.dumps([_ppdm_image(board_airplane.verb_idx + 1, 2)]))  # board + bicycle
    with pytest.raises(EvalInputError, match="not a HICO-DET class"):
        read_hico_gt(path)
    path.write_text(json.dumps([_ppdm_image(board_airplane.verb_idx + 1, 5, o_box=[20, 5, 5, 20])]))
    with pytest.raises(EvalInputError, match=r"x\.jpg.*annotations\[1\]\.bbox"):
        read_hico_gt(path)
    gt = read_hico_gt(path, skip_invalid=True)
    assert gt.n_pairs == 0 and gt.skipped == {"invalid_box": 1}


def test_instances_validation(tmp_path: Path) -> None:
    data = {
        "filenames": ["a.jpg"],
        "annotation": [{"boxes_h": [[0, 0, 5, 5]], "boxes_o": [[1, 1, 6, 6]], "hoi": [0], "object": [7]}],
    }
    path = tmp_path / "gt.json"
    path.write_text(json.dumps(data))
    with pytest.raises(EvalInputError, match=r"a\.jpg.*object\[0\] = 7"):
        read_hico_gt(path)
    data["annotation"][0]["object"] = [0]
    data["annotation"][0]["hoi"] = [600]
    path.write_text(json.dumps(data))
    with pytest.raises(EvalInputError, match=r"a\.jpg.*hoi\[0\] = 600"):
        read_hico_gt(path)
    path.write_text(json.dumps({"something": 1}))
    with pytest.raises(EvalInputError, match="not a HICO-DET GT file"):
        read_hico_gt(path)


def swig_gt_file(tmp_path: Path) -> Path:
    voc = swig()
    unseen = min(voc.split("unseen"))
    x = voc.interactions[unseen]
    images = [
        {
            "file_name": "s1.jpg",
            "box_annotations": [
                {"bbox": [0, 0, 10, 10], "category_id": 0},
                {"bbox": [20, 20, 30, 30], "category_id": x.object_id},
            ],
            "hoi_annotations": [{"subject_id": 0, "object_id": 1, "action_id": x.action_id}],
        },
        {"file_name": "s2.jpg", "box_annotations": [], "hoi_annotations": []},
    ]
    path = tmp_path / "swig_test.json"
    path.write_text(json.dumps(images))
    return path


def test_swig_reader_maps_action_and_object_to_interaction(tmp_path: Path) -> None:
    gt = read_swig_gt(swig_gt_file(tmp_path))
    assert gt.dataset == "swig" and gt.n_images == 2 and gt.n_pairs == 1
    assert gt.pair_class.tolist() == [min(swig().split("unseen"))]
    assert gt.pair_boxes.tolist() == [[0, 0, 10, 10, 20, 20, 30, 30]]
    bad = json.loads(swig_gt_file(tmp_path).read_text())
    bad[0]["hoi_annotations"][0]["action_id"] = 10_000
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(EvalInputError, match=r"s1\.jpg.*not a SWiG-HOI interaction"):
        read_swig_gt(path)


def test_swig_vocab_matches_shipped_splits() -> None:
    voc = swig()
    splits = load_json("swig_eval_splits.json")
    for name in ("unseen", "rare", "non_rare"):
        assert voc.split(name) == frozenset(splits[name])
    assert len(voc.evaluated) == 5539 and len(voc.interactions) == 14130
    row = load_tsv("swig_interactions.tsv")[0]
    assert voc.interaction_id(int(row[1]), int(row[2])) == int(row[0])
    with pytest.raises(KeyError, match="action_id=0 object_id=999"):
        voc.interaction_id(0, 999)
