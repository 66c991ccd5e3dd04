"""The fast path for hoiscribe-layout prediction files: numbers go from bytes to arrays without
becoming Python objects.

A million detections are about 11 million numbers; decoding them into Python floats and lists
costs more time and memory than the evaluation itself. Here msgspec decodes only the per-image
skeleton, keeping ``boxes`` and ``hois`` as ``Raw`` slices of the input (validated JSON, not
copied); the slices of all images are joined, brackets become line breaks and commas spaces, and
numpy's C text reader turns each ``[x1, y1, x2, y2]`` row into one array row, checking that every
row has the same width. Rows per image come from counting brackets. Anything this path does not
expect (another top level, the QPIC layout, strings or ``null`` among the numbers, a count that
does not add up) returns None, and the caller takes the general path, whose errors name the
image and field.
"""

from __future__ import annotations

import io
import warnings
from itertools import chain

import msgspec
import numpy as np

from hoiscribe.eval.prediction_formats import FIELDS, FlatPredictions

_TO_LINES = bytes.maketrans(b"[],", b" \n ")


class _Entry(msgspec.Struct, gc=False):
    file_name: str
    boxes: msgspec.Raw = msgspec.Raw()
    labels: msgspec.Raw = msgspec.Raw()
    hois: msgspec.Raw = msgspec.Raw()
    predictions: msgspec.Raw = msgspec.Raw()  # QPIC fields: present means "not this path"
    hoi_prediction: msgspec.Raw = msgspec.Raw()


_DECODER = msgspec.json.Decoder(list[_Entry])
_LABELS = msgspec.json.Decoder(list[list[int]])


def _rows(segments: list[msgspec.Raw], width: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows per segment, (n, width) float64) of segments that are each a list of number rows."""
    text = b"".join(segments)  # Raw slices join without a copy of their own
    ends = np.cumsum(np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))).tolist()
    count = text.count
    counts = np.fromiter(
        (count(b"[", a, b) - 1 if b > a else 0 for a, b in zip([0, *ends[:-1]], ends, strict=True)),
        dtype=np.int64,
        count=len(segments),
    )
    if (counts < 0).any():  # null, a number or an object where a list belongs
        return None
    total = int(counts.sum())
    if total == 0:  # only empty lists: a flat list of numbers would count no rows either
        if any(bytes(s).translate(None, b" \t\r\n") not in (b"", b"[]") for s in segments):
            return None
        return counts, np.zeros((0, width), dtype=np.float64)
    if b'"' in text or b"{" in text:
        return None
    text = text.translate(_TO_LINES, b"\r\n")  # the file's own line breaks go first: one row, one line
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an empty or ragged read is a failure, not a warning
            values = np.loadtxt(io.BytesIO(text), dtype=np.float64, ndmin=2, comments=None, encoding="latin-1")
    except (ValueError, UserWarning):
        return None
    if values.shape != (total, width):  # nested or empty rows: the lines do not match the brackets
        return None
    return counts, values


def flatten_fast(raw: bytes) -> FlatPredictions | None:
    """The hoiscribe-layout file ``raw`` as arrays, or None when only the general path can read it."""
    try:
        entries = _DECODER.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if any(e.predictions or e.hoi_prediction for e in entries):
        return None
    names = [e.file_name for e in entries]
    labelled = [bool(e.labels) for e in entries]
    has_labels = any(labelled)
    if has_labels and not all(labelled):
        return None
    boxes = _rows([e.boxes for e in entries], 4)
    if boxes is None:
        return None
    hois = _rows([e.hois for e in entries], 4)
    if hois is None:
        return None
    n_box, box_values = boxes
    n_hoi, rows = hois
    labels = np.full(len(box_values), -1, dtype=np.int64)
    if has_labels:
        try:
            lists = _LABELS.decode(b"[" + b",".join(e.labels for e in entries) + b"]")
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        if not np.array_equal(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), n_box):
            return None
        labels = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=len(box_values))
    decided = any(e.hois for e in entries)
    del entries
    return FlatPredictions("hoiscribe", names, n_box, n_hoi, box_values, labels, has_labels, rows,
                           FIELDS["hoiscribe"], decided=decided)  # fmt: skip
