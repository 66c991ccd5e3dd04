"""Builders for tiny in-memory GT / detection sets, shared by the eval tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from hoiscribe.eval.gt_readers import GroundTruth
from hoiscribe.eval.predictions import Detections
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.swig import swig

DATA = Path(__file__).resolve().parents[1] / "data"
HICO_GT = DATA / "hico" / "instances_test2015.json"

Box = Sequence[float]
GtRow = tuple[str, int, Box, Box]  # image, class, human box, object box
DetRow = tuple[str, int, float, Box, Box]  # image, class, score, human box, object box


def build_gt(rows: Sequence[GtRow], images: Sequence[str] = (), dataset: str = "hico") -> GroundTruth:
    """A GroundTruth of the given pairs; ``images`` adds (possibly empty) images in that order."""
    names = list(dict.fromkeys([*images, *(r[0] for r in rows)]))
    index = {n: i for i, n in enumerate(names)}
    if dataset == "hico":
        class_object = np.asarray([h.object_coco_idx for h in hico().hois], dtype=np.int64)
    else:
        class_object = np.asarray([x.object_id for x in swig().interactions], dtype=np.int64)
    return GroundTruth(
        dataset=dataset,
        layout="test",
        file_names=tuple(names),
        pair_image=np.asarray([index[r[0]] for r in rows], dtype=np.int64),
        pair_class=np.asarray([r[1] for r in rows], dtype=np.int64),
        pair_boxes=np.asarray([[*r[2], *r[3]] for r in rows], dtype=np.float64).reshape(-1, 8),
        n_classes=len(class_object),
        class_object=class_object,
        image_index=index,
    )


def build_dets(gt: GroundTruth, rows: Sequence[DetRow], labels: Sequence[tuple[int, int]] | None = None) -> Detections:
    """Detections in reader order (GT image order, then row order); ``labels``: (subject, object)."""
    img = np.asarray([gt.image_index[r[0]] for r in rows], dtype=np.int64)
    order = np.argsort(img, kind="stable")
    lab = np.asarray(labels if labels is not None else [(-1, -1)] * len(rows), dtype=np.int64).reshape(-1, 2)
    return Detections(
        layout="test",
        image=img[order],
        cls=np.asarray([r[1] for r in rows], dtype=np.int64)[order],
        score=np.asarray([r[2] for r in rows], dtype=np.float64)[order],
        boxes=np.asarray([[*r[3], *r[4]] for r in rows], dtype=np.float64).reshape(-1, 8)[order],
        subject_label=lab[order, 0],
        object_label=lab[order, 1],
        has_labels=labels is not None,
        n_read=len(rows),
    )


@pytest.fixture
def make_gt() -> Callable[..., GroundTruth]:
    return build_gt


@pytest.fixture
def make_dets() -> Callable[..., Detections]:
    return build_dets


@pytest.fixture(scope="session")
def hico_gt_path() -> Path:
    return HICO_GT
