"""HICO-DET mAP: Default / Known-Object, Full / Rare / Non-rare, and zero-shot Unseen / Seen.

Two reference conventions are offered because published numbers come from both:

- ``matlab``: the official ho-rcnn MATLAB code (``VOCevaldet_bboxpair.m``): inclusive-pixel IoU,
  recall thresholds of ``0:0.1:1`` (which hold exactly 0.6 and 0.7), no per-image cut.
- ``python``: QPIC / GEN-VLKT ``hico_eval``: the same IoU except that boxes touching in a single
  pixel row count as disjoint, thresholds ``np.arange(0, 1.1, 0.1)`` (0.6000000000000001 and
  0.7000000000000001, so a recall of exactly 3/5 or 7/10 does not reach them), and by default
  the top-100 detections per image and the box-label check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from hoiscribe.eval.ap import (
    THRESHOLDS_MATLAB,
    THRESHOLDS_PYTHON,
    MatchRules,
    evaluate_classes,
    grouped_score_order,
)
from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.gt_readers import GroundTruth, read_hico_gt
from hoiscribe.eval.predictions import ClassSpace, Detections, read_predictions
from hoiscribe.eval.result import EvalReport, SettingResult
from hoiscribe.vocab.hico import ZERO_SHOT_SPLITS, hico

Protocol = Literal["matlab", "python"]
Setting = Literal["default", "known_object"]
PROTOCOLS: tuple[Protocol, ...] = ("matlab", "python")
SETTINGS: tuple[Setting, ...] = ("default", "known_object")
PYTHON_MAX_PER_IMAGE = 100


@dataclass(frozen=True)
class HicoOptions:
    """The knobs of one HICO-DET evaluation, resolved (no 'auto' left)."""

    protocol: Protocol = "matlab"
    max_per_image: int | None = None  # keep the top-N detections of each image (all classes)
    check_object_labels: bool = False  # a detection matches only if its box labels fit its class
    zero_shot: str | None = None
    settings: tuple[Setting, ...] = SETTINGS

    @classmethod
    def preset(
        cls,
        protocol: Protocol,
        *,
        max_per_image: int | Literal["auto"] | None = "auto",
        check_object_labels: bool | None = None,
        zero_shot: str | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        labels_available: bool = True,
    ) -> HicoOptions:
        """Fill 'auto' choices from the protocol: ``python`` means top-100 and the label check."""
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")
        if max_per_image == "auto":
            max_per_image = PYTHON_MAX_PER_IMAGE if protocol == "python" else None
        if max_per_image is not None and max_per_image <= 0:
            max_per_image = None
        if check_object_labels is None:
            check_object_labels = protocol == "python" and labels_available
        return cls(protocol, max_per_image, check_object_labels, zero_shot, settings)


def hico_rules(protocol: Protocol) -> MatchRules:
    """Matching rules of a HICO-DET protocol."""
    if protocol == "matlab":
        return MatchRules(iou_mode="inclusive", thresholds=THRESHOLDS_MATLAB)
    if protocol == "python":
        return MatchRules(iou_mode="inclusive_strict", thresholds=THRESHOLDS_PYTHON)
    raise ValueError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")


@cache
def hico_class_space() -> ClassSpace:
    """HICO-DET classes for the prediction readers (labels stored as COCO contiguous idx 0..79)."""
    voc = hico()
    coco_to_idx = np.full(max(voc.object_coco_ids) + 1, -1, dtype=np.int64)
    coco_to_idx[list(voc.object_coco_ids)] = np.arange(len(voc.object_coco_ids))
    table = np.full((len(voc.verbs), len(voc.objects)), -1, dtype=np.int64)
    for h in voc.hois:
        table[h.verb_idx, h.object_coco_idx] = h.hoi_idx

    def qpic_label(coco_id: np.ndarray) -> np.ndarray:
        ok = (coco_id >= 0) & (coco_id < len(coco_to_idx))
        return np.where(ok, coco_to_idx[np.where(ok, coco_id, 0)], -1)

    def qpic_class(verb_id: np.ndarray, obj: np.ndarray) -> np.ndarray:
        ok = (verb_id >= 1) & (verb_id <= len(voc.verbs)) & (obj >= 0) & (obj < len(voc.objects))
        return np.where(ok, table[np.where(ok, verb_id - 1, 0), np.where(ok, obj, 0)], -1)

    return ClassSpace(
        name="HICO-DET",
        n_classes=len(voc.hois),
        qpic_class=qpic_class,
        qpic_label=qpic_label,
        qpic_verb_range=(1, len(voc.verbs)),
        person_label=0,
    )


def top_k_per_image(image: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` best-scoring detections of each image (ties: input order)."""
    keep = np.zeros(len(image), dtype=bool)
    if len(image) == 0:
        return keep
    order = grouped_score_order(image, score)
    img_sorted = image[order]
    starts = np.flatnonzero(np.r_[True, img_sorted[1:] != img_sorted[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep[order[rank < k]] = True
    return keep


def known_object_mask(gt: GroundTruth, image: np.ndarray, cls: np.ndarray) -> np.ndarray:
    """True where the detection's image has a GT pair with the same object as its class."""
    n_obj = int(gt.class_object.max()) + 1
    present = np.zeros(max(gt.n_images, 1) * n_obj, dtype=bool)
    present[gt.pair_image * n_obj + gt.class_object[gt.pair_class]] = True
    return present[image * n_obj + gt.class_object[cls]]


def class_groups(gt: GroundTruth, zero_shot: str | None) -> dict[str, np.ndarray]:
    """Class ids per reported group; only classes with GT enter a mean (as in every reference)."""
    voc = hico()
    has_gt = gt.class_counts() > 0
    rare = np.zeros(gt.n_classes, dtype=bool)
    rare[list(voc.rare)] = True
    groups = {
        "full": np.flatnonzero(has_gt),
        "rare": np.flatnonzero(has_gt & rare),
        "non_rare": np.flatnonzero(has_gt & ~rare),
    }
    if zero_shot is not None:
        unseen = np.zeros(gt.n_classes, dtype=bool)
        unseen[list(voc.unseen(zero_shot))] = True
        groups["unseen"] = np.flatnonzero(has_gt & unseen)
        groups["seen"] = np.flatnonzero(has_gt & ~unseen)
    return groups


def evaluate_hico(gt: GroundTruth, dets: Detections, options: HicoOptions | None = None) -> EvalReport:
    """HICO-DET mAP of ``dets`` against ``gt`` under ``options`` (default: MATLAB protocol)."""
    opts = options or HicoOptions()
    if gt.dataset != "hico":
        raise EvalInputError(f"evaluate_hico needs HICO-DET ground truth, got {gt.dataset!r}")
    if opts.zero_shot is not None and opts.zero_shot not in ZERO_SHOT_SPLITS:
        raise ValueError(f"unknown zero-shot split {opts.zero_shot!r}; choose one of {', '.join(ZERO_SHOT_SPLITS)}")
    for s in opts.settings:
        if s not in SETTINGS:
            raise ValueError(f"unknown setting {s!r}; choose from {', '.join(SETTINGS)}")
    rules = hico_rules(opts.protocol)
    keep = np.ones(len(dets), dtype=bool)
    if opts.max_per_image is not None:
        keep = top_k_per_image(dets.image, dets.score, opts.max_per_image)
    can_match = None
    if opts.check_object_labels:
        if not dets.has_labels:
            raise EvalInputError("--check-object-labels needs box 'labels' in the predictions")
        voc = hico()
        hoi_obj = np.asarray([h.object_coco_idx for h in voc.hois], dtype=np.int64)
        can_match = (dets.subject_label == 0) & (dets.object_label == hoi_obj[dets.cls])
    groups = class_groups(gt, opts.zero_shot)
    results = []
    for setting in opts.settings:
        mask = keep if setting == "default" else keep & known_object_mask(gt, dets.image, dets.cls)
        stats = evaluate_classes(
            gt.n_classes,
            gt.n_images,
            dets.cls[mask],
            dets.image[mask],
            dets.score[mask],
            dets.boxes[mask],
            gt.pair_class,
            gt.pair_image,
            gt.pair_boxes,
            rules,
            None if can_match is None else can_match[mask],
        )
        results.append(SettingResult(setting, stats, groups))
    voc = hico()
    return EvalReport(
        dataset="hico-det",
        options={
            "protocol": opts.protocol,
            "iou": rules.iou_mode,
            "recall_thresholds": list(rules.thresholds),
            "min_iou": rules.min_iou,
            "max_per_image": opts.max_per_image,
            "check_object_labels": opts.check_object_labels,
            "zero_shot": opts.zero_shot,
        },
        class_names=tuple(f"{h.verb} {h.object}" for h in voc.hois),
        settings=tuple(results),
        gt_summary=_gt_summary(gt),
        pred_summary={
            "layout": dets.layout,
            "read": dets.n_read,
            "evaluated": int(keep.sum()),
            "cut_by_max_per_image": int(len(dets) - keep.sum()),
            "skipped_invalid": dets.skipped,
            "dropped_not_a_class": dets.dropped.get("not_a_class", 0),
            "box_frame": round(gt.box_origin - dets.box_shift),
            "box_shift": dets.box_shift,
        },
    )


def _gt_summary(gt: GroundTruth) -> dict[str, object]:
    counts = gt.class_counts()
    return {
        "layout": gt.layout,
        "images": gt.n_images,
        "non_empty_images": gt.non_empty_images,
        "pairs": gt.n_pairs,
        "classes_with_gt": int((counts > 0).sum()),
        "box_frame": gt.box_origin,
        "skipped_invalid": gt.skipped,
    }


def evaluate_hico_files(
    gt_path: str | Path,
    pred_path: str | Path,
    *,
    protocol: Protocol = "matlab",
    max_per_image: int | Literal["auto"] | None = "auto",
    check_object_labels: bool | None = None,
    zero_shot: str | None = None,
    settings: tuple[Setting, ...] = SETTINGS,
    skip_invalid: bool = False,
    pred_frame: int | None = None,
) -> EvalReport:
    """Read GT and predictions from disk and evaluate (what ``hoiscribe eval hico`` runs).

    ``pred_frame``: 0 or 1, the pixel frame of the predicted boxes; None means what models
    trained on the GT's layout emit, which is the layout's own frame. Detections are moved
    into the GT's frame, as the official code does."""
    gt = read_hico_gt(gt_path, skip_invalid=skip_invalid)
    if pred_frame is None:
        pred_frame = gt.box_origin
    if pred_frame not in (0, 1):
        raise ValueError(f"pred_frame must be 0 (0-based boxes) or 1 (1-based), got {pred_frame!r}")
    shift = float(gt.box_origin - pred_frame)
    dets = read_predictions(pred_path, gt, hico_class_space(), skip_invalid=skip_invalid, box_shift=shift)
    opts = HicoOptions.preset(
        protocol,
        max_per_image=max_per_image,
        check_object_labels=check_object_labels,
        zero_shot=zero_shot,
        settings=settings,
        labels_available=dets.has_labels,
    )
    return evaluate_hico(gt, dets, opts)
