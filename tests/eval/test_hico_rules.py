"""Hand-computed cases, one per protocol rule, on tiny in-memory sets."""

from __future__ import annotations

import numpy as np
import pytest

from hoiscribe.eval.ap import (
    THRESHOLDS_EXACT,
    THRESHOLDS_MATLAB,
    THRESHOLDS_PYTHON,
    MatchRules,
    evaluate_classes,
    matlab_colon,
    score_order,
)
from hoiscribe.eval.boxes import pairwise_iou
from hoiscribe.eval.hico import HicoOptions, class_groups, evaluate_hico
from hoiscribe.eval.reference import reference_ap
from hoiscribe.vocab.hico import hico

H = (0.0, 0.0, 9.0, 9.0)  # 10 x 10 pixels inclusive
OBJ = (20.0, 20.0, 29.0, 29.0)
FAR = (100.0, 100.0, 109.0, 109.0)
MATLAB = HicoOptions(protocol="matlab", settings=("default",))
PYTHON = HicoOptions(protocol="python", settings=("default",))


def ap_of(report, cls: int, setting: str = "default") -> float:
    return float(report.setting(setting).stats.ap[cls])


def eleven(*precisions: float) -> float:
    """11-point AP from the 11 interpolated precisions, summed in threshold order."""
    total = 0.0
    for p in precisions:
        total += p / 11.0
    return total


def test_thresholds_as_each_reference_builds_them() -> None:
    assert THRESHOLDS_MATLAB[6] == 0.6 and THRESHOLDS_MATLAB[7] == 0.7
    assert THRESHOLDS_MATLAB[3] == 0.30000000000000004  # MATLAB's colon: start + 3 * step
    assert THRESHOLDS_PYTHON[6] == 0.6000000000000001 and THRESHOLDS_PYTHON[7] == 0.7000000000000001
    assert THRESHOLDS_EXACT[3] == 0.3 and THRESHOLDS_EXACT[6] == 0.6
    assert matlab_colon(0.0, 0.1, 1.0)[0] == 0.0 and matlab_colon(0.0, 0.1, 1.0)[-1] == 1.0
    assert len(THRESHOLDS_MATLAB) == len(THRESHOLDS_PYTHON) == len(THRESHOLDS_EXACT) == 11


def test_duplicate_detection_is_a_false_positive(make_gt, make_dets) -> None:
    gt = make_gt([("a", 0, H, OBJ), ("b", 0, H, OBJ)])
    dets = make_dets(gt, [("a", 0, 0.9, H, OBJ), ("a", 0, 0.8, H, OBJ), ("b", 0, 0.7, H, OBJ)])
    report = evaluate_hico(gt, dets, MATLAB)
    stats = report.setting("default").stats
    # TP, FP, TP: recall .5 .5 1, precision 1 .5 2/3
    assert ap_of(report, 0) == pytest.approx(eleven(*[1.0] * 6, *[2 / 3] * 5), abs=1e-15)
    assert (stats.n_tp[0], stats.n_det[0]) == (2, 3)
    assert stats.recall[0] == 1.0


def test_best_pair_already_taken_gives_false_positive_without_fallback(make_gt, make_dets) -> None:
    tall = (0.0, 0.0, 9.0, 14.0)  # IoU with H = 100 / 150
    gt = make_gt([("a", 0, H, OBJ), ("a", 0, tall, OBJ)])
    dets = make_dets(gt, [("a", 0, 0.9, H, OBJ), ("a", 0, 0.8, H, OBJ)])
    assert pairwise_iou(np.array([H]), np.array([tall]), "inclusive")[0] == pytest.approx(2 / 3)
    report = evaluate_hico(gt, dets, MATLAB)
    # The second detection's best pair (the first GT) is taken: FP, although the second GT
    # overlaps it by 0.67. A fallback would give recall 1 and AP 1.
    assert report.setting("default").stats.n_tp[0] == 1
    assert ap_of(report, 0) == pytest.approx(eleven(*[1.0] * 6, *[0.0] * 5), abs=1e-15)


def test_best_pair_ties_go_to_the_first_gt_pair(make_gt, make_dets) -> None:
    gt = make_gt([("a", 0, H, OBJ), ("a", 0, H, OBJ)])  # duplicated GT pair
    dets = make_dets(gt, [("a", 0, 0.9, H, OBJ), ("a", 0, 0.8, H, OBJ)])
    stats = evaluate_hico(gt, dets, MATLAB).setting("default").stats
    assert stats.n_tp[0] == 1  # both pick the first copy; the second copy is never matched
    assert np.flatnonzero(stats.det_tp).tolist() == [0]


def test_inclusive_iou_at_the_half_boundary(make_gt, make_dets) -> None:
    half = (0.0, 0.0, 4.0, 9.0)  # 5 x 10 inside 10 x 10: inclusive IoU exactly 0.5
    under = (0.0, 0.0, 3.0, 9.0)  # 4 x 10: 0.4
    gt_box = np.array([H])
    assert pairwise_iou(np.array([half]), gt_box, "inclusive")[0] == 0.5
    assert pairwise_iou(np.array([half]), gt_box, "exclusive")[0] == pytest.approx(36 / 81)
    gt = make_gt([("a", 0, H, OBJ)])
    assert ap_of(evaluate_hico(gt, make_dets(gt, [("a", 0, 0.9, half, OBJ)]), MATLAB), 0) > 0.99
    assert ap_of(evaluate_hico(gt, make_dets(gt, [("a", 0, 0.9, under, OBJ)]), MATLAB), 0) == 0.0
    # Without the + 1 (SWiG-HOI convention) the same box falls below 0.5.
    d = make_dets(gt, [("a", 0, 0.9, half, OBJ)])
    rules = MatchRules(iou_mode="exclusive", thresholds=THRESHOLDS_EXACT)
    stats = evaluate_classes(
        600, 1, d.cls, d.image, d.score, d.boxes, gt.pair_class, gt.pair_image, gt.pair_boxes, rules
    )
    assert stats.n_tp[0] == 0


def test_iou_conventions_on_touching_and_single_pixel_boxes() -> None:
    a = np.array([[0.0, 0.0, 9.0, 9.0], [5.0, 5.0, 5.0, 5.0]])
    b = np.array([[9.0, 0.0, 18.0, 9.0], [5.0, 5.0, 5.0, 5.0]])
    inclusive = pairwise_iou(a, b, "inclusive")
    assert inclusive[0] == pytest.approx(10 / 190) and inclusive[1] == 1.0
    assert pairwise_iou(a, b, "inclusive_strict").tolist() == [0.0, 0.0]  # QPIC: touching = disjoint
    assert pairwise_iou(a, b, "exclusive").tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("n_gt", "n_found", "matlab", "python", "exact"),
    [
        (5, 3, 7, 6, 7),  # recall 3/5 reaches MATLAB's 0.6, not numpy's 0.6000000000000001
        (10, 7, 8, 7, 8),  # recall 7/10: same story at 0.7
        (10, 3, 3, 3, 4),  # recall 3/10 misses 0.30000000000000004 in both, reaches THID's 0.3
    ],
)
def test_recall_on_a_threshold_under_each_protocol(
    make_gt, make_dets, n_gt: int, n_found: int, matlab: int, python: int, exact: int
) -> None:
    gt = make_gt([(f"i{k}", 0, H, OBJ) for k in range(n_gt)])
    dets = make_dets(gt, [(f"i{k}", 0, 1.0 - k / 100, H, OBJ) for k in range(n_found)])
    assert ap_of(evaluate_hico(gt, dets, MATLAB), 0) == pytest.approx(matlab / 11, abs=1e-15)
    assert ap_of(evaluate_hico(gt, dets, PYTHON), 0) == pytest.approx(python / 11, abs=1e-15)
    rules = MatchRules(iou_mode="exclusive", thresholds=THRESHOLDS_EXACT)
    d = dets
    stats = evaluate_classes(
        600, gt.n_images, d.cls, d.image, d.score, d.boxes, gt.pair_class, gt.pair_image, gt.pair_boxes, rules
    )
    assert stats.ap[0] == pytest.approx(exact / 11, abs=1e-15)


def test_class_without_detections_counts_as_zero(make_gt, make_dets) -> None:
    gt = make_gt([("a", 0, H, OBJ), ("b", 1, H, OBJ)])
    dets = make_dets(gt, [("a", 0, 0.9, H, OBJ), ("b", 2, 0.9, H, OBJ)])  # class 2 has no GT
    report = evaluate_hico(gt, dets, MATLAB)
    assert ap_of(report, 1) == 0.0
    assert report.summary()["default"]["full"] == pytest.approx(0.5)
    assert report.setting("default").groups["full"].tolist() == [0, 1]  # class 2 is not averaged
    classes = report.to_dict()["settings"]["default"]["classes"]
    assert [(c["class_id"], c["n_det"], c["n_tp"]) for c in classes] == [(0, 1, 1), (1, 0, 0)]


def test_known_object_keeps_detections_only_where_the_object_is_annotated(make_gt, make_dets) -> None:
    voc = hico()
    c1 = 0
    c3 = next(h.hoi_idx for h in voc.hois if h.object == voc.hois[c1].object and h.hoi_idx != c1)
    c2 = next(h.hoi_idx for h in voc.hois if h.object != voc.hois[c1].object)
    gt = make_gt([("a", c1, H, OBJ), ("b", c2, H, OBJ), ("c", c3, H, OBJ)])
    dets = make_dets(
        gt,
        [("b", c1, 0.95, H, OBJ), ("c", c1, 0.9, H, OBJ), ("a", c1, 0.8, H, OBJ)],
    )
    report = evaluate_hico(gt, dets, HicoOptions(protocol="matlab"))
    # Default: FP, FP, TP -> precision 1/3 at recall 1.
    assert ap_of(report, c1, "default") == pytest.approx(eleven(*[1 / 3] * 11), abs=1e-15)
    # Known-Object drops image b (no such object there) but keeps image c (same object, other verb).
    assert ap_of(report, c1, "known_object") == pytest.approx(eleven(*[1 / 2] * 11), abs=1e-15)
    assert report.setting("known_object").stats.n_det[c1] == 2


def test_zero_shot_split_means(make_gt, make_dets) -> None:
    voc = hico()
    unseen = min(voc.unseen("rare_first"))
    seen = min(h.hoi_idx for h in voc.hois if h.hoi_idx not in voc.unseen("rare_first") and not h.rare)
    gt = make_gt([("a", unseen, H, OBJ), ("b", seen, H, OBJ)])
    dets = make_dets(gt, [("a", unseen, 0.9, H, OBJ)])
    summary = evaluate_hico(gt, dets, HicoOptions(zero_shot="rare_first")).summary()["default"]
    assert summary["unseen"] == pytest.approx(1.0)
    assert summary["seen"] == 0.0
    assert summary["full"] == pytest.approx(0.5)
    assert summary["rare"] == pytest.approx(1.0) and summary["non_rare"] == 0.0  # rare_first is rare


def test_zero_shot_groups_on_every_split(make_gt) -> None:
    voc = hico()
    gt = make_gt([(f"i{c}", c, H, OBJ) for c in range(600)])
    for split, n_unseen in [
        ("rare_first", 120),
        ("non_rare_first", 120),
        ("unseen_object", 100),
        ("unseen_verb", 84),
    ]:
        groups = class_groups(gt, split)
        assert len(groups["unseen"]) == n_unseen and len(groups["seen"]) == 600 - n_unseen
        assert set(groups["unseen"].tolist()) == voc.unseen(split)
    assert len(class_groups(gt, None)["rare"]) == 138


def test_top_k_per_image_and_protocol_presets(make_gt, make_dets) -> None:
    gt = make_gt([("a", 0, H, OBJ)])
    dets = make_dets(gt, [("a", 0, 0.9, FAR, OBJ), ("a", 5, 0.8, FAR, OBJ), ("a", 0, 0.7, H, OBJ)])
    assert ap_of(evaluate_hico(gt, dets, MATLAB), 0) == pytest.approx(eleven(*[1 / 2] * 11))
    cut = HicoOptions(protocol="matlab", max_per_image=2, settings=("default",))
    assert ap_of(evaluate_hico(gt, dets, cut), 0) == 0.0  # the TP is third in its image
    assert HicoOptions.preset("python") == HicoOptions("python", 100, True)
    assert HicoOptions.preset("python", labels_available=False).check_object_labels is False
    assert HicoOptions.preset("matlab") == HicoOptions("matlab", None, False)
    assert HicoOptions.preset("python", max_per_image=0).max_per_image is None


def test_object_label_check(make_gt, make_dets) -> None:
    obj = hico().hois[0].object_coco_idx
    gt = make_gt([("a", 0, H, OBJ)])
    rows = [("a", 0, 0.9, H, OBJ)]
    for labels, expected in [((0, obj), 1), ((0, obj + 1), 0), ((3, obj), 0)]:
        dets = make_dets(gt, rows, labels=[labels])
        checked = HicoOptions(protocol="python", check_object_labels=True, settings=("default",))
        assert evaluate_hico(gt, dets, checked).setting("default").stats.n_tp[0] == expected
        assert evaluate_hico(gt, dets, MATLAB).setting("default").stats.n_tp[0] == 1


def test_equal_scores_keep_image_then_input_order(make_gt, make_dets) -> None:
    assert score_order(np.array([0.5, 0.7, 0.5, 0.7, 0.1])).tolist() == [1, 3, 0, 2, 4]
    rows = [("b", 0, 0.5, H, OBJ), ("a", 0, 0.5, FAR, OBJ)]
    first_fp = make_gt([("b", 0, H, OBJ)], images=["a", "b"])
    first_tp = make_gt([("b", 0, H, OBJ)], images=["b", "a"])
    assert ap_of(evaluate_hico(first_fp, make_dets(first_fp, rows), MATLAB), 0) == pytest.approx(0.5)
    assert ap_of(evaluate_hico(first_tp, make_dets(first_tp, rows), MATLAB), 0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "rules",
    [
        MatchRules("inclusive", THRESHOLDS_MATLAB),
        MatchRules("inclusive_strict", THRESHOLDS_PYTHON),
        MatchRules("exclusive", THRESHOLDS_EXACT, max_per_class=40),
    ],
    ids=["matlab", "python", "thid"],
)
def test_vectorised_path_equals_the_literal_loop(rules: MatchRules) -> None:
    rng = np.random.default_rng(7)
    n_cls, n_img, n_gt, n_det = 30, 20, 120, 3000
    grid = rng.integers(0, 6, size=(n_gt, 8)).astype(float) * 4
    gt_boxes = np.concatenate([grid[:, :2], grid[:, :2] + 8 + grid[:, 2:4], grid[:, 4:6], grid[:, 4:6] + 8], axis=1)
    gt_cls, gt_img = rng.integers(0, n_cls, n_gt), rng.integers(0, n_img, n_gt)
    src = rng.integers(0, n_gt, n_det)
    det_boxes = gt_boxes[src] + rng.integers(-3, 4, size=(n_det, 8))
    det_boxes[:, 2:4] = np.maximum(det_boxes[:, 2:4], det_boxes[:, 0:2])
    det_boxes[:, 6:8] = np.maximum(det_boxes[:, 6:8], det_boxes[:, 4:6])
    mixed = rng.random(n_det) < 0.5
    det_cls = np.where(mixed, rng.integers(0, n_cls, n_det), gt_cls[src])
    det_img = np.where(rng.random(n_det) < 0.2, rng.integers(0, n_img, n_det), gt_img[src])
    det_score = np.round(rng.random(n_det), 2)  # many equal scores
    order = np.argsort(det_img, kind="stable")  # reader order: by image, then input
    args = (det_cls[order], det_img[order], det_score[order], det_boxes[order], gt_cls, gt_img, gt_boxes)
    fast = evaluate_classes(n_cls, n_img, *args, rules)
    ap, rec = reference_ap(n_cls, *args, rules)
    assert np.array_equal(fast.ap, ap)
    assert np.array_equal(fast.recall, rec)
    assert fast.ap.max() > 0.2  # the case is not degenerate
