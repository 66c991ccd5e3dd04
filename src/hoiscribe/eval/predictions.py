"""Prediction readers: hoiscribe's own per-image layout and the QPIC/PPDM per-image output.

Both become one flat array of detections (image, class, score, human box, object box, box
labels) ordered by GT image order then file order, which is the tie-break order for equal scores.
A hoiscribe-layout file goes from bytes to arrays without Python numbers (``fast_rows``); any
other file is decoded in chunks and flattened with ``np.fromiter``. Either way a million
detections load in under a second, and per-image Python work happens only to name the record
behind an error.

The per-layout flatteners live in ``hoiscribe.eval.prediction_formats``; this module decodes,
merges and validates.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.eval.errors import EvalInputError, SkipLog
from hoiscribe.eval.fast_rows import flatten_fast
from hoiscribe.eval.gt_readers import GroundTruth
from hoiscribe.eval.json_chunks import ChunkingFailed, decode, iter_array_chunks
from hoiscribe.eval.prediction_formats import FIELDS, FlatPredictions, flatten_hoiscribe, flatten_qpic


@dataclass(frozen=True)
class ClassSpace:
    """What the readers need to know about a dataset's classes and box labels."""

    name: str
    n_classes: int
    # QPIC layout: (hoi_prediction category_id, object box stored label) -> class id or -1.
    qpic_class: Callable[[np.ndarray, np.ndarray], np.ndarray]
    # QPIC layout: box category_id -> stored label (hoiscribe convention) or -1 when unknown.
    qpic_label: Callable[[np.ndarray], np.ndarray]
    qpic_verb_range: tuple[int, int]  # valid hoi_prediction category_id values (inclusive)
    person_label: int = 0


@dataclass(frozen=True)
class Detections:
    """Flat detections, ordered by GT image then input order."""

    layout: str
    image: np.ndarray  # int64 GT image index
    cls: np.ndarray  # int64 class id
    score: np.ndarray  # float64
    boxes: np.ndarray  # float64 (n, 8): human xyxy, object xyxy
    subject_label: np.ndarray  # int64, -1 when the file gives no labels
    object_label: np.ndarray  # int64, -1 when the file gives no labels
    has_labels: bool
    n_read: int  # detections in the file before anything was skipped
    box_shift: float = 0.0  # added to every box coordinate of the file to reach the GT's frame
    skipped: dict[str, int] = field(default_factory=dict)  # invalid, skipped on request
    dropped: dict[str, int] = field(default_factory=dict)  # not evaluable by the protocol itself

    def __len__(self) -> int:
        return len(self.cls)


def _entries(data: Any, source: str) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("images"), list):
        data = data["images"]
    if not isinstance(data, list):
        raise EvalInputError(f"{source}: expected a list of per-image predictions (or {{'images': [...]}})")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("file_name"), str):
            raise EvalInputError(f"{source}: entry {i} has no file_name string")
    return data


def _detect_layout(entries: list[dict[str, Any]], source: str) -> str | None:
    """'hoiscribe' or 'qpic' from the first entry that says; an entry of the other kind is an error."""
    layout = None
    for entry in entries:
        here = "hoiscribe" if "hois" in entry else "qpic" if "hoi_prediction" in entry else None
        if here is None:
            continue
        if layout is None:
            layout = here
        elif here != layout:
            raise EvalInputError(
                f"{source}: image {entry['file_name']!r}: uses the {here} layout but earlier "
                f"images use {layout} "
                "('hois' rows vs QPIC 'hoi_prediction' objects)"
            )
    return layout


def _image_indices(names: list[str], gt: GroundTruth, log: SkipLog, counts: np.ndarray) -> np.ndarray:
    """GT image index per entry (-1 for unknown or repeated images, which are rejected)."""
    idx = np.full(len(names), -1, dtype=np.int64)
    seen: dict[int, str] = {}
    for i, name in enumerate(names):
        j = gt.lookup_image(name)
        if j is None:
            log.reject("unknown_image", int(counts[i]), f"image {name!r}: file_name is not in the GT")
            continue
        if j in seen:
            log.reject("duplicate_image", int(counts[i]), f"image {name!r}: listed twice (also as {seen[j]!r})")
            continue
        seen[j] = name
        idx[i] = j
    return idx


def _row_where(bad: np.ndarray, entry_of: np.ndarray, base: np.ndarray, names: list[str]) -> tuple[str, int, int]:
    """Image name, flat index and in-image row index of the first True in ``bad``."""
    g = int(np.flatnonzero(bad)[0])
    e = int(entry_of[g])
    return names[e], g, g - int(base[e])


def _integers_in(values: np.ndarray, lo: int | np.ndarray, hi: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int64 values, and whether each was an integral number in lo..hi); -1 where it was not."""
    with np.errstate(invalid="ignore"):  # NaN, infinities and huge values cast to garbage, then fail ==
        ints = values.astype(np.int64)
    ok = (ints == values) & (ints >= lo) & (ints <= hi)
    ints[~ok] = -1
    return ints, ok


def _kept_in_gt_order(ok: np.ndarray, image: np.ndarray) -> np.ndarray | slice:
    """Indices of the kept rows, ordered by GT image, ties in file order (a stable sort).

    A file already in GT order with nothing rejected, the common case, keeps every row in place:
    a slice, so the columns are not gathered a second time."""
    if ok.all() and (len(image) < 2 or (image[1:] >= image[:-1]).all()):
        return slice(None)
    keep = np.flatnonzero(ok)
    return keep[np.argsort(image[keep], kind="stable")]


def read_predictions(
    path: str | Path, gt: GroundTruth, space: ClassSpace, skip_invalid: bool = False, box_shift: float = 0.0
) -> Detections:
    """Read a prediction file in either layout (picked from its fields) against ``gt``'s images.

    ``box_shift`` is added to every box coordinate: ``gt.box_origin`` minus the predictions'
    frame, which moves them into the GT's frame (the official MATLAB code adds 1 to 0-based
    detections before comparing them with its 1-based GT)."""
    source = str(path)
    raw = Path(path).read_bytes()
    pieces: list[FlatPredictions] = []
    # Decoding builds millions of small lists; the cyclic GC would rescan them again and again
    # (2-3x the decode time) although decoded JSON has no cycles, so it is paused while chunks
    # are decoded and flattened; each chunk's tree is freed by refcount before the next one.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        fast = None if source.endswith(".jsonl") else flatten_fast(raw)
        try:
            if fast is not None:
                pieces = [fast]
            else:
                pieces = _flatten_chunks(iter_array_chunks(raw, lines=source.endswith(".jsonl")), source, space)
        except ChunkingFailed:
            pieces = _flatten_chunks([decode(raw)], source, space)  # real JSON errors surface here
    except ValueError as exc:
        if isinstance(exc, EvalInputError):
            raise
        raise EvalInputError(f"{source}: not valid JSON: {exc}") from None
    finally:
        if gc_was_enabled:
            gc.enable()
    del raw
    return _assemble(_merge(pieces, source), gt, space, SkipLog(skip_invalid, source), box_shift)


def _flatten_chunks(chunks: Iterable[Any], source: str, space: ClassSpace) -> list[FlatPredictions]:
    """Flatten each decoded chunk to arrays, dropping its Python objects before the next one."""
    pieces: list[FlatPredictions] = []
    for chunk in chunks:
        entries = _entries(chunk, source)
        if _detect_layout(entries, source) == "qpic":
            pieces.append(flatten_qpic(entries, source, space))
        else:
            pieces.append(flatten_hoiscribe(entries, source))
        del chunk, entries
    return pieces


def _merge(pieces: list[FlatPredictions], source: str) -> FlatPredictions:
    """Concatenate per-chunk arrays, checking that all chunks agree on layout and labels."""
    decided = {p.layout for p in pieces if p.decided}
    if len(decided) > 1:
        raise EvalInputError(f"{source}: mixes the hoiscribe ('hois') and QPIC ('hoi_prediction') layouts")
    layout = decided.pop() if decided else "hoiscribe"
    pieces = [p for p in pieces if p.layout == layout] + [p for p in pieces if p.layout != layout]
    has_labels = any(p.has_labels for p in pieces)
    if has_labels:
        for p in pieces:
            if p.first_unlabelled is not None:
                raise EvalInputError(
                    f"{source}: image {p.first_unlabelled!r} has boxes but no 'labels' "
                    "(give labels for every image or for none)"
                )
    if len(pieces) == 1:  # one piece (the fast path): nothing to concatenate or copy
        return pieces[0]
    if not pieces:
        return FlatPredictions(layout, [], *(np.zeros(0, np.int64),) * 2, np.zeros((0, 4)), np.zeros(0, np.int64),
                     False, np.zeros((0, 4)), FIELDS[layout])  # fmt: skip
    return FlatPredictions(
        layout=layout,
        names=[n for p in pieces for n in p.names],
        n_box=np.concatenate([p.n_box for p in pieces]),
        n_hoi=np.concatenate([p.n_hoi for p in pieces]),
        boxes=np.concatenate([p.boxes for p in pieces]),
        labels=np.concatenate([p.labels for p in pieces]),
        has_labels=has_labels,
        rows=np.concatenate([p.rows for p in pieces]),
        fields=FIELDS[layout],
    )


def _assemble(
    flat: FlatPredictions, gt: GroundTruth, space: ClassSpace, log: SkipLog, box_shift: float = 0.0
) -> Detections:
    """Validate flat rows, reject or skip bad ones, and order the rest by GT image."""
    n_box, n_hoi, boxes, labels, names = flat.n_box, flat.n_hoi, flat.boxes, flat.labels, flat.names
    sub, obj, cls_raw, score = flat.rows[:, 0], flat.rows[:, 1], flat.rows[:, 2], flat.rows[:, 3]
    qpic = flat.layout == "qpic"
    class_field, sub_field = flat.fields["class"], flat.fields["subject"]
    score_field, box_field = flat.fields["score"], flat.fields["box"]
    n = len(sub)
    entry_img = _image_indices(names, gt, log, n_hoi)
    entry_of = np.repeat(np.arange(len(names)), n_hoi)
    hoi_base = np.cumsum(n_hoi) - n_hoi
    box_base = np.cumsum(n_box) - n_box
    image = entry_img[entry_of]
    ok = image >= 0

    def reject(reason: str, bad: np.ndarray, describe: Callable[[int, int], str]) -> None:
        nonlocal ok
        bad = bad & ok
        if bad.any():
            name, g, k = _row_where(bad, entry_of, hoi_base, names)
            log.reject(reason, int(bad.sum()), f"image {name!r}: {describe(g, k)}")
            ok = ok & ~bad

    # category_id is the verb/action id in the QPIC layout; its class is looked up later with the
    # object label.
    lo, hi = space.qpic_verb_range if qpic else (0, space.n_classes - 1)
    cls, in_range = _integers_in(cls_raw, lo, hi)
    reject(
        "class_out_of_range",
        ~in_range,
        lambda g, k: f"{class_field.format(k=k)} = {cls_raw[g]:g} is not in {lo}..{hi}",
    )

    nb = n_box[entry_of]
    sub_i, sub_ok = _integers_in(sub, 0, nb - 1)
    obj_i, obj_ok = _integers_in(obj, 0, nb - 1)
    idx_ok = sub_ok & obj_ok
    reject(
        "box_index_out_of_range",
        ~idx_ok,
        lambda g, k: (
            f"{sub_field.format(k=k)} / object index = {sub[g]:g} / {obj[g]:g}, but the image has {nb[g]} boxes"
        ),
    )
    base = box_base[entry_of]
    s_glob = np.where(idx_ok, sub_i + base, 0)
    o_glob = np.where(idx_ok, obj_i + base, 0)
    del base, sub_i, obj_i, sub_ok, obj_ok

    box_bad = ~np.isfinite(boxes).all(axis=1) | (boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1])

    def _bad_box(g: int) -> int:
        return int(s_glob[g] if box_bad[s_glob[g]] else o_glob[g]) - int(box_base[entry_of[g]])

    pair_bad = idx_ok & (box_bad[s_glob] | box_bad[o_glob]) if len(boxes) else np.zeros(n, dtype=bool)
    reject(
        "invalid_box",
        pair_bad,
        lambda g, k: (
            f"{sub_field.format(k=k)} points at {box_field.format(j=_bad_box(g))} = "
            f"{boxes[box_base[entry_of[g]] + _bad_box(g)].tolist()}, not a box with finite x1 <= x2, y1 <= y2"
        ),
    )
    reject(
        "invalid_score",
        ~np.isfinite(score),
        lambda g, k: f"{score_field.format(k=k)} = {score[g]} is not a finite number",
    )

    dropped: dict[str, int] = {}
    if flat.has_labels and len(labels):
        sub_label = np.where(idx_ok, labels[s_glob], -1)
        obj_label = np.where(idx_ok, labels[o_glob], -1)
    else:  # no labels: every stored label is -1
        sub_label, obj_label = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    if qpic:
        cls = np.where(ok, space.qpic_class(cls, obj_label), -1)
        cls = np.where(sub_label == space.person_label, cls, -1)
        not_class = ok & (cls < 0)
        if not_class.any():
            # QPIC/PPDM skip (verb, object) combinations that are not classes; so do we, silently.
            dropped["not_a_class"] = int(not_class.sum())
            ok &= ~not_class

    keep = _kept_in_gt_order(ok, image)
    det_boxes = np.empty((n if isinstance(keep, slice) else len(keep), 8), dtype=np.float64)
    if len(det_boxes):
        np.take(boxes, s_glob[keep], axis=0, out=det_boxes[:, :4], mode="clip")  # indices checked above
        np.take(boxes, o_glob[keep], axis=0, out=det_boxes[:, 4:], mode="clip")
    if box_shift:
        det_boxes += box_shift  # a fresh array: shifted in place
    return Detections(
        layout=flat.layout,
        image=image[keep],
        cls=cls[keep],
        score=np.ascontiguousarray(score[keep]),  # not a view that keeps the whole rows array alive
        boxes=det_boxes,
        subject_label=sub_label[keep].astype(np.int64, copy=False),
        object_label=obj_label[keep].astype(np.int64, copy=False),
        has_labels=flat.has_labels,
        n_read=n,
        box_shift=float(box_shift),
        skipped=log.as_dict(),
        dropped=dropped,
    )
