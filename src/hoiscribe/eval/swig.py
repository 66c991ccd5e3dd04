"""SWiG-HOI mAP under the THID / CMD-SE protocol.

Facts reproduced from the reference evaluator: IoU without the ``+ 1`` (widths ``x2 - x1``),
a detection is a true positive when the min IoU of its best pair is >= 0.5 and the pair is
unmatched, recall thresholds ``i / 10`` (exactly 0.6 and 0.7), at most the 19,999 best
detections per interaction, and means over *every* evaluated interaction (5,539 of them;
one without test GT scores 0), reported as Full / Unseen (zero-shot) / Rare / Non-rare.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from hoiscribe.eval.ap import THRESHOLDS_EXACT, MatchRules, evaluate_classes
from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.gt_readers import GroundTruth, read_swig_gt
from hoiscribe.eval.predictions import ClassSpace, Detections, read_predictions
from hoiscribe.eval.result import EvalReport, SettingResult
from hoiscribe.vocab.swig import swig

SWIG_MAX_PER_CLASS = 19999
SWIG_RULES = MatchRules(iou_mode="exclusive", thresholds=THRESHOLDS_EXACT, max_per_class=SWIG_MAX_PER_CLASS)


@cache
def swig_class_space() -> ClassSpace:
    """SWiG-HOI classes for the prediction readers (labels are SWiG object ids, 0 = person)."""
    voc = swig()
    table = np.full((len(voc.actions), len(voc.objects)), -1, dtype=np.int64)
    for x in voc.interactions:
        table[x.action_id, x.object_id] = x.id

    def qpic_class(action: np.ndarray, obj: np.ndarray) -> np.ndarray:
        ok = (action >= 0) & (action < len(voc.actions)) & (obj >= 0) & (obj < len(voc.objects))
        return np.where(ok, table[np.where(ok, action, 0), np.where(ok, obj, 0)], -1)

    return ClassSpace(
        name="SWiG-HOI",
        n_classes=len(voc.interactions),
        qpic_class=qpic_class,
        qpic_label=lambda cat: cat,
        qpic_verb_range=(0, len(voc.actions) - 1),
        person_label=0,
    )


def swig_groups() -> dict[str, np.ndarray]:
    """Evaluated interaction ids per reported group (all of them enter the mean, GT or not)."""
    voc = swig()
    return {
        "full": np.asarray(sorted(voc.evaluated), dtype=np.int64),
        "unseen": np.asarray(sorted(voc.split("unseen")), dtype=np.int64),
        "rare": np.asarray(sorted(voc.split("rare")), dtype=np.int64),
        "non_rare": np.asarray(sorted(voc.split("non_rare")), dtype=np.int64),
    }


def evaluate_swig(gt: GroundTruth, dets: Detections) -> EvalReport:
    """SWiG-HOI mAP of ``dets`` against ``gt`` (THID / CMD-SE protocol)."""
    if gt.dataset != "swig":
        raise EvalInputError(f"evaluate_swig needs SWiG-HOI ground truth, got {gt.dataset!r}")
    stats = evaluate_classes(
        gt.n_classes,
        gt.n_images,
        dets.cls,
        dets.image,
        dets.score,
        dets.boxes,
        gt.pair_class,
        gt.pair_image,
        gt.pair_boxes,
        SWIG_RULES,
    )
    groups = swig_groups()
    counts = gt.class_counts()
    return EvalReport(
        dataset="swig-hoi",
        options={
            "protocol": "thid",
            "iou": SWIG_RULES.iou_mode,
            "recall_thresholds": list(SWIG_RULES.thresholds),
            "min_iou": SWIG_RULES.min_iou,
            "max_per_class": SWIG_RULES.max_per_class,
        },
        class_names=tuple(x.name for x in swig().interactions),
        settings=(SettingResult("default", stats, groups),),
        gt_summary={
            "layout": gt.layout,
            "images": gt.n_images,
            "non_empty_images": gt.non_empty_images,
            "pairs": gt.n_pairs,
            "pairs_of_evaluated_classes": int(counts[groups["full"]].sum()),
            "evaluated_classes_without_gt": int((counts[groups["full"]] == 0).sum()),
            "skipped_invalid": gt.skipped,
        },
        pred_summary={
            "layout": dets.layout,
            "read": dets.n_read,
            "evaluated": int(stats.det_evaluated.sum()),
            "cut_by_max_per_class": int(len(dets) - stats.det_evaluated.sum()),
            "skipped_invalid": dets.skipped,
            "dropped_not_a_class": dets.dropped.get("not_a_class", 0),
        },
    )


def evaluate_swig_files(gt_path: str | Path, pred_path: str | Path, *, skip_invalid: bool = False) -> EvalReport:
    """Read GT and predictions from disk and evaluate (what ``hoiscribe eval swig`` runs)."""
    gt = read_swig_gt(gt_path, skip_invalid=skip_invalid)
    dets = read_predictions(pred_path, gt, swig_class_space(), skip_invalid=skip_invalid)
    return evaluate_swig(gt, dets)
