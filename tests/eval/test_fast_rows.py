"""The fast readers (hoiscribe-layout predictions, fredzzhang instances GT) give the general readers' arrays,
and hand back what they cannot read, so that the record loops name it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import orjson
import pytest

from hoiscribe.eval import gt_readers
from hoiscribe.eval.errors import EvalInputError
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


def test_indented_file_with_crlf_line_breaks() -> None:
    entries = _entries(5)
    text = json.dumps(entries, indent=1).replace("\n", "\r\n").encode()
    fast, slow = flatten_fast(text), flatten_hoiscribe(entries, "x")
    assert fast is not None
    for field in ("n_box", "n_hoi", "boxes", "labels", "rows"):
        np.testing.assert_array_equal(getattr(fast, field), getattr(slow, field), err_msg=field)


def _loop_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gt_readers, "_instances_fast", lambda *args: None)


def _read(data: dict, skip_invalid: bool = False) -> gt_readers.GroundTruth | str:
    try:
        return gt_readers.read_hico_instances(copy.deepcopy(data), "gt.json", skip_invalid)
    except EvalInputError as exc:
        return str(exc)


def _same(a: gt_readers.GroundTruth | str, b: gt_readers.GroundTruth | str) -> None:
    assert type(a) is type(b)
    if isinstance(a, str):
        assert a == b
        return
    for name in ("pair_image", "pair_class", "pair_boxes", "class_object"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    kept = (a.file_names, a.image_index, a.skipped, a.box_origin)
    assert kept == (b.file_names, b.image_index, b.skipped, b.box_origin)


def test_instances_fast_path_equals_the_record_loop(hico_gt_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = orjson.loads(hico_gt_path.read_bytes())
    fast = _read(data)
    assert gt_readers._instances_fast(data["filenames"], data["annotation"], "gt.json") is not None
    _loop_only(monkeypatch)
    _same(fast, _read(data))


def _tiny_instances() -> dict:
    hoi_object = [h.object_hicodet_idx for h in gt_readers.hico().hois]
    ann = [
        {"boxes_h": [[1, 2, 30, 40], [0.5, 1.5, 9.25, 9.75]], "boxes_o": [[5, 5, 50, 60], [2, 2, 3, 3]],
         "hoi": [10, 250], "object": [hoi_object[10], hoi_object[250]]},
        {"boxes_h": [], "boxes_o": [], "hoi": [], "object": []},
        {"boxes_h": [[3, 3, 4, 4]], "boxes_o": [[1, 1, 8, 8]], "hoi": [599], "object": [hoi_object[599]]},
    ]  # fmt: skip
    return {"filenames": ["a.jpg", "b.jpg", "c.jpg"], "annotation": ann}


def _break(path: tuple, value: object) -> dict:
    data = _tiny_instances()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD_GT = {
    "string coordinate": (("annotation", 0, "boxes_h", 1, 2), "9.25"),
    "null box": (("annotation", 0, "boxes_o", 0), None),
    "short box": (("annotation", 2, "boxes_h", 0), [3, 3, 4]),
    "nested box": (("annotation", 2, "boxes_h", 0), [[3, 3, 4, 4]]),
    "inverted box": (("annotation", 0, "boxes_o", 1), [3, 3, 2, 3]),
    "NaN coordinate": (("annotation", 0, "boxes_h", 0, 0), float("nan")),
    "hoi out of range": (("annotation", 0, "hoi", 1), 600),
    "negative hoi": (("annotation", 2, "hoi", 0), -1),
    "float hoi": (("annotation", 2, "hoi", 0), 599.0),
    "boolean hoi": (("annotation", 0, "hoi", 0), True),
    "object mismatch": (("annotation", 0, "object", 0), 3),
    "no object field": (("annotation", 2, "object"), KeyError),
    "no hoi field": (("annotation", 1, "hoi"), KeyError),
    "lengths differ": (("annotation", 2, "boxes_o"), []),
    "duplicate image": (("filenames", 2), "a.jpg"),
    "annotation not an object": (("annotation", 1), [1, 2]),
}


def test_tiny_instances_take_the_fast_path() -> None:
    data = _tiny_instances()
    assert gt_readers._instances_fast(data["filenames"], data["annotation"], "gt.json") is not None


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize("name", sorted(BAD_GT))
def test_malformed_instances_read_as_the_record_loop_reads_them(
    name: str, skip_invalid: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _break(*BAD_GT[name])
    if name != "duplicate image":  # well formed records, one name twice: _finish raises on both paths
        assert gt_readers._instances_fast(data["filenames"], copy.deepcopy(data["annotation"]), "gt.json") is None
    fast = _read(data, skip_invalid)
    _loop_only(monkeypatch)
    _same(fast, _read(data, skip_invalid))
