"""The two prediction layouts flattened to arrays: hoiscribe's ``boxes``/``hois`` rows and QPIC/PPDM objects.

Each flattener turns one decoded chunk of per-image entries into a ``FlatPredictions`` with
``np.fromiter`` (the fast path) and, only when that fails, walks the entries to name the first
malformed record. They are kept apart from ``hoiscribe.eval.predictions``, which decodes the
file, merges chunks and validates the rows against the GT, because each layout's field rules
are their own concern; ``predictions`` imports this module (the ``ClassSpace`` import here is
for annotations only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter, pos
from typing import TYPE_CHECKING, Any

import numpy as np

from hoiscribe.eval.errors import EvalInputError

if TYPE_CHECKING:
    from hoiscribe.eval.predictions import ClassSpace

FIELDS = {
    "hoiscribe": {
        "class": "hois[{k}][2] (class index)",
        "subject": "hois[{k}][0] (subject index)",
        "score": "hois[{k}][3] (score)",
        "box": "boxes[{j}]",
    },
    "qpic": {
        "class": "hoi_prediction[{k}].category_id",
        "subject": "hoi_prediction[{k}].subject_id",
        "score": "hoi_prediction[{k}].score",
        "box": "predictions[{j}].bbox",
    },
}


@dataclass
class FlatPredictions:
    """A prediction file flattened to arrays, with only the image names kept from the JSON tree."""

    layout: str
    names: list[str]
    n_box: np.ndarray  # boxes per entry
    n_hoi: np.ndarray  # hois per entry
    boxes: np.ndarray  # (sum n_box, 4)
    labels: np.ndarray  # (sum n_box,) stored label or -1
    has_labels: bool
    rows: np.ndarray  # (sum n_hoi, 4): subject index, object index, class or verb id, score
    fields: dict[str, str]  # how to name each column in an error message
    decided: bool = True  # False when no entry had hois, so the layout was a guess
    first_unlabelled: str | None = None  # first image with boxes but no labels


def _floats(values: Iterable[Any], count: int) -> np.ndarray | None:
    """Flatten numbers into float64; None when any is not a number or the count is off.

    ``operator.pos`` refuses strings and ``null`` in C, which ``np.fromiter`` alone would read as
    numbers (``"7"``) or NaN (``None``)."""
    try:
        arr = np.fromiter(map(pos, values), dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr if len(arr) == count else None


def _locate_bad_rows(
    entries: list[dict[str, Any]], key: str, width: int, source: str, row_is_dict: bool = False
) -> EvalInputError:
    """Find the first malformed row of ``key`` and describe it (the slow path after a fast failure)."""
    for entry in entries:
        rows = entry.get(key)
        name = entry["file_name"]
        if rows is None:
            continue
        if not isinstance(rows, list):
            return EvalInputError(f"{source}: image {name!r}: field {key!r} must be a list")
        for k, row in enumerate(rows):
            if row_is_dict:
                if not isinstance(row, dict):
                    return EvalInputError(f"{source}: image {name!r}: {key}[{k}] must be an object")
                continue
            if not isinstance(row, list | tuple) or len(row) != width:
                return EvalInputError(f"{source}: image {name!r}: {key}[{k}] must be a list of {width} numbers")
            for j, v in enumerate(row):
                if isinstance(v, bool) or not isinstance(v, int | float):
                    return EvalInputError(f"{source}: image {name!r}: {key}[{k}][{j}] = {v!r} is not a number")
    return EvalInputError(f"{source}: malformed field {key!r}")


def flatten_hoiscribe(entries: list[dict[str, Any]], source: str) -> FlatPredictions:
    """One chunk of hoiscribe-layout entries as arrays (fast path; slow path only to name errors)."""
    for entry in entries:
        for key in ("boxes", "hois"):
            if not isinstance(entry.get(key, []), list):
                raise EvalInputError(f"{source}: image {entry['file_name']!r}: field {key!r} must be a list")
    n_box = np.fromiter((len(e.get("boxes") or ()) for e in entries), dtype=np.int64, count=len(entries))
    n_hoi = np.fromiter((len(e.get("hois") or ()) for e in entries), dtype=np.int64, count=len(entries))
    boxes = _floats(chain.from_iterable(chain.from_iterable(e.get("boxes") or () for e in entries)), 4 * n_box.sum())
    if boxes is None:
        raise _locate_bad_rows(entries, "boxes", 4, source)
    rows = _floats(chain.from_iterable(chain.from_iterable(e.get("hois") or () for e in entries)), 4 * n_hoi.sum())
    if rows is None:
        raise _locate_bad_rows(entries, "hois", 4, source)
    boxes = boxes.reshape(-1, 4)
    rows = rows.reshape(-1, 4)
    has_labels = any("labels" in e for e in entries)
    first_unlabelled = next((e["file_name"] for e in entries if e.get("boxes") and "labels" not in e), None)
    labels = np.full(len(boxes), -1, dtype=np.int64)
    if has_labels:
        for e, nb in zip(entries, n_box.tolist(), strict=True):
            lab = e.get("labels", [])
            if not isinstance(lab, list) or len(lab) != nb:
                raise EvalInputError(
                    f"{source}: image {e['file_name']!r}: 'labels' must be a list with one label per box "
                    "(give labels for every image or for none)"
                )
        flat = _floats(chain.from_iterable(e.get("labels", ()) for e in entries), len(boxes))
        if flat is None or not np.array_equal(flat, np.floor(flat)):
            raise _locate_bad_label(entries, source)
        labels = flat.astype(np.int64)
    names = [e["file_name"] for e in entries]
    return FlatPredictions(
        "hoiscribe", names, n_box, n_hoi, boxes, labels, has_labels, rows, FIELDS["hoiscribe"],
        decided=any("hois" in e for e in entries), first_unlabelled=first_unlabelled,
    )  # fmt: skip


def _locate_bad_label(entries: list[dict[str, Any]], source: str) -> EvalInputError:
    for e in entries:
        for k, v in enumerate(e.get("labels", ())):
            if isinstance(v, bool) or not isinstance(v, int):
                return EvalInputError(f"{source}: image {e['file_name']!r}: labels[{k}] = {v!r} is not an integer")
    return EvalInputError(f"{source}: malformed field 'labels'")


def flatten_qpic(entries: list[dict[str, Any]], source: str, space: ClassSpace) -> FlatPredictions:
    """One chunk of QPIC-layout entries as arrays; box labels mapped to hoiscribe's convention."""
    for entry in entries:
        for key in ("predictions", "hoi_prediction"):
            if not isinstance(entry.get(key, []), list):
                raise EvalInputError(f"{source}: image {entry['file_name']!r}: field {key!r} must be a list")
    n_box = np.fromiter((len(e.get("predictions") or ()) for e in entries), dtype=np.int64, count=len(entries))
    n_hoi = np.fromiter((len(e.get("hoi_prediction") or ()) for e in entries), dtype=np.int64, count=len(entries))
    try:
        # map(itemgetter) over chained rows keeps the per-row work in C.
        preds = [e.get("predictions") or () for e in entries]
        hois = [e.get("hoi_prediction") or () for e in entries]
        boxes = _floats(chain.from_iterable(map(itemgetter("bbox"), chain.from_iterable(preds))), 4 * n_box.sum())
        cats = _floats(map(itemgetter("category_id"), chain.from_iterable(preds)), n_box.sum())
        fields = itemgetter("subject_id", "object_id", "category_id", "score")
        rows = _floats(chain.from_iterable(map(fields, chain.from_iterable(hois))), 4 * n_hoi.sum())
    except (KeyError, TypeError):
        rows = boxes = cats = None
    if boxes is None or cats is None:
        raise _locate_bad_qpic(entries, "predictions", ("bbox", "category_id"), source)
    if rows is None:
        raise _locate_bad_qpic(entries, "hoi_prediction", ("subject_id", "object_id", "category_id", "score"), source)
    boxes = boxes.reshape(-1, 4)
    rows = rows.reshape(-1, 4)
    cats_int = np.where(np.isfinite(cats) & (cats == np.floor(cats)), cats, -1).astype(np.int64)
    labels = space.qpic_label(cats_int)
    names = [e["file_name"] for e in entries]
    return FlatPredictions("qpic", names, n_box, n_hoi, boxes, labels, True, rows, FIELDS["qpic"])


def _locate_bad_qpic(entries: list[dict[str, Any]], key: str, fields: tuple[str, ...], source: str) -> EvalInputError:
    for e in entries:
        for k, row in enumerate(e.get(key) or ()):
            where = f"{source}: image {e['file_name']!r}: {key}[{k}]"
            if not isinstance(row, dict):
                return EvalInputError(f"{where} must be an object")
            for f in fields:
                if f not in row:
                    return EvalInputError(f"{where} has no {f!r}")
                v = row[f]
                if f == "bbox":
                    if not isinstance(v, list) or len(v) != 4 or not all(isinstance(x, int | float) for x in v):
                        return EvalInputError(f"{where}.bbox = {v!r} must be [x1, y1, x2, y2]")
                elif isinstance(v, bool) or not isinstance(v, int | float):
                    return EvalInputError(f"{where}.{f} = {v!r} is not a number")
    return EvalInputError(f"{source}: malformed field {key!r}")
