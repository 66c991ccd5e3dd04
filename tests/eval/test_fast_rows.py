"""The fast hoiscribe-layout reader gives the general reader's arrays, and hands back what it cannot read."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hoiscribe.eval.fast_rows import flatten_fast
from hoiscribe.eval.hico import hico_class_space
from hoiscribe.eval.prediction_formats import flatten_hoiscribe


def _entries(seed: int = 3) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(40):
        n = int(rng.integers(0, 5))
        boxes = np.round(rng.random((2 * n, 4)) * 600, int(rng.integers(0, 6))).tolist()
        hois = [[2 * k, 2 * k + 1, int(rng.integers(0, 600)), float(rng.random())] for k in range(n)]
        entry = {"file_name": f"img_{i}.jpg", "boxes": boxes, "labels": [0, 7] * n, "hois": hois}
        if i % 7 == 0:
            entry["extra"] = {"note": "ignored [not a box]"}
        out.append(entry)
    return out


@pytest.mark.parametrize("indent", [None, 2])
def test_fast_path_equals_the_general_path(indent: int | None) -> None:
    entries = _entries()
    fast = flatten_fast(json.dumps(entries, indent=indent).encode())
    slow = flatten_hoiscribe(entries, "x")
    assert fast is not None
    assert fast.names == slow.names and fast.has_labels and fast.decided
    for field in ("n_box", "n_hoi", "boxes", "labels", "rows"):
        np.testing.assert_array_equal(getattr(fast, field), getattr(slow, field), err_msg=field)


def test_unlabelled_and_empty_files() -> None:
    entries = [{"file_name": "a", "boxes": [[1, 2, 3, 4], [0, 0, 5, 5]], "hois": [[0, 1, 3, 0.5]]}, {"file_name": "b"}]
    fast = flatten_fast(json.dumps(entries).encode())
    assert fast is not None and not fast.has_labels and list(fast.n_box) == [2, 0]
    assert fast.labels.tolist() == [-1, -1]
    empty = flatten_fast(b"[]")
    assert empty is not None and empty.boxes.shape == (0, 4) and not empty.decided


BAD = {
    "string coordinate": [{"file_name": "a", "boxes": [[1, 2, "3", 4]], "hois": []}],
    "short row": [{"file_name": "a", "boxes": [[1, 2, 3]], "hois": []}],
    "ragged rows": [{"file_name": "a", "boxes": [[1, 2, 3], [1, 2, 3, 4, 5]], "hois": []}],
    "nested rows": [{"file_name": "a", "boxes": [[[1, 2, 3, 4]]], "hois": []}],
    "empty row": [{"file_name": "a", "boxes": [[1, 2, 3, 4], []], "hois": []}],
    "flat boxes": [{"file_name": "a", "boxes": [1, 2, 3, 4], "hois": []}],
    "null boxes": [{"file_name": "a", "boxes": None, "hois": []}],
    "boolean": [{"file_name": "a", "boxes": [[1, 2, 3, True]], "hois": []}],
    "labels on some images": [{"file_name": "a", "boxes": [], "labels": []}, {"file_name": "b", "boxes": []}],
    "label count": [{"file_name": "a", "boxes": [[1, 2, 3, 4]], "labels": [0, 1]}],
    "float label": [{"file_name": "a", "boxes": [[1, 2, 3, 4]], "labels": [0.5]}],
    "qpic layout": [{"file_name": "a", "predictions": [], "hoi_prediction": []}],
    "no file name": [{"boxes": []}],
    "wrapped": {"images": []},
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_what_the_fast_path_cannot_read_goes_to_the_general_path(name: str) -> None:
    assert flatten_fast(json.dumps(BAD[name]).encode()) is None
    assert flatten_fast(b'[{"file_name": "a", "boxes": [[NaN, 1, 2, 3]]}]') is None  # not JSON: general path
    assert hico_class_space().n_classes == 600  # the general path's class space is untouched
