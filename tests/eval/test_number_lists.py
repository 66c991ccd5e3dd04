"""The simdjson number path (``fast_rows.number_lists``, ``instances_bytes``): numbers read as
Python's ``float()`` reads them, shapes checked from the structure bytes, and everything else
handed back to the general readers, which name the file, image and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import orjson
import pytest

from hoiscribe.eval import fast_rows, gt_readers
from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.fast_rows import flatten_fast, number_lists
from hoiscribe.eval.hico import hico_class_space
from hoiscribe.eval.instances_bytes import instances_arrays
from hoiscribe.eval.prediction_formats import flatten_hoiscribe
from hoiscribe.eval.predictions import read_predictions


def _tokens(rng: np.random.Generator, n: int) -> list[str]:
    """Number spellings that are hard to round: 17 digits, long tails, exponents, subnormals, big ints."""
    kinds = [
        lambda: repr(float(rng.random() * 10.0 ** rng.integers(-5, 5))),
        lambda: f"{rng.random():.25f}",
        lambda: f"{rng.random() * 1e3:.3e}".replace("e+0", "E"),
        lambda: f"{rng.integers(1, 10)}.{rng.integers(0, 10**9)}e-{rng.integers(300, 324)}",
        lambda: str(int(rng.integers(0, 2**63 - 1)) * int(rng.integers(1, 2))),
        lambda: f"-{rng.random() * 640:.2f}",
        lambda: str(int(rng.integers(0, 640))),
        lambda: "-0.0",
        lambda: "18446744073709551615",
        lambda: "9007199254740993",
    ]
    return [kinds[int(k)]() for k in rng.integers(0, len(kinds), n)]


def test_numbers_are_rounded_as_python_rounds_them() -> None:
    rng = np.random.default_rng(7)
    tokens = _tokens(rng, 4000)
    segments = [f"[[{','.join(tokens[i : i + 4])}]]".encode() for i in range(0, len(tokens), 4)]
    got = number_lists(segments, 4, "d")
    assert got is not None
    counts, values = got
    assert counts.tolist() == [1] * len(segments)
    expected = np.asarray([float(t) for t in tokens]).reshape(-1, 4)
    np.testing.assert_array_equal(values.view(np.int64), expected.view(np.int64))  # bit for bit, -0.0 too
    assert np.signbit(values[values == 0]).sum() >= 100  # the "-0.0" spellings were drawn


def test_chunks_join_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_rows, "CHUNK", 3)
    segments = [json.dumps([[i, j, 0.5, 1e-3] for j in range(i % 4)]).encode() for i in range(11)]
    counts, values = number_lists(segments, 4, "d")  # type: ignore[misc]
    assert counts.tolist() == [i % 4 for i in range(11)]
    assert values[:, 0].tolist() == [float(i) for i in range(11) for _ in range(i % 4)]
    ints = number_lists([b"[1, 2]", b"[]", b"[3]", b"[-4,5,6]"], 0, "i")
    assert ints is not None and ints[0].tolist() == [2, 0, 1, 3] and ints[1].tolist() == [1, 2, 3, -4, 5, 6]


SHAPES = {
    "ragged rows, same total": b"[[1,2,3],[4,5,6,7,8]]",
    "a number inside an object": b'[[1,{"a":2},3,4]]',
    "an object for a row": b'[{"a":1,"b":2,"c":3,"d":4}]',
    "an empty list in a row": b"[[1,2,3,4,[]]]",
    "a nested row": b"[[[1,2,3,4]]]",
    "a flat list": b"[1,2,3,4]",
    "null": b"null",
    "a number": b"5",
    "a string": b'[[1,2,3,"4"]]',
    "a boolean": b"[[1,2,3,true]]",
    "an integer past 64 bits": b"[[18446744073709551616,2,3,4]]",
    "an exponent past the double range": b"[[1e400,2,3,4]]",
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_anything_but_rows_of_four_numbers_is_handed_back(name: str) -> None:
    assert number_lists([b"[[0,0,1,1]]", SHAPES[name]], 4, "d") is None


def test_integer_lists_refuse_floats_and_booleans() -> None:
    assert number_lists([b"[1, 2.0]"], 0, "i") is None
    assert number_lists([b"[1, false]"], 0, "i") is None
    assert number_lists([b"[[1]]"], 0, "i") is None
    assert number_lists([b"[9223372036854775808]"], 0, "i") is None


def _entries(n_images: int) -> list[dict]:
    rng = np.random.default_rng(11)
    out = []
    for i in range(n_images):
        n = int(rng.integers(0, 4))
        out.append(
            {
                "file_name": f"img_{i}.jpg",
                "boxes": np.round(rng.random((2 * n, 4)) * 500, 2).tolist(),
                "labels": [0, 3] * n,
                "hois": [[2 * k, 2 * k + 1, int(rng.integers(0, 600)), float(rng.random())] for k in range(n)],
            }
        )
    return out


def test_without_simdjson_every_file_takes_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _entries(30)
    raw = json.dumps(entries).encode()
    fast = flatten_fast(raw)
    monkeypatch.setattr(fast_rows, "simdjson", None)
    assert flatten_fast(raw) is None and number_lists([b"[]"], 0) is None
    slow = flatten_hoiscribe(entries, "x")
    assert fast is not None
    for field in ("n_box", "n_hoi", "boxes", "labels", "rows"):
        np.testing.assert_array_equal(getattr(fast, field), getattr(slow, field), err_msg=field)


def _gt_of(entries: list[dict]) -> gt_readers.GroundTruth:
    return gt_readers._finish(
        "hico", "test", [e["file_name"] for e in entries], [], [], np.zeros((0, 8)), 600,
        np.zeros(600, np.int64), gt_readers.SkipLog(False, "gt"),
    )  # fmt: skip


@pytest.mark.parametrize("value", ["x", "7", None])
def test_a_bad_value_past_the_first_chunk_is_named(
    value: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast_rows, "CHUNK", 4)
    entries = _entries(40)
    entries[29] |= {"boxes": [[1, 2, 3, 4], [5, 6, value, 8]], "labels": [0, 3], "hois": [[0, 1, 5, 0.5]]}
    path = tmp_path / "preds.json"
    path.write_text(json.dumps(entries))
    message = rf"preds\.json: image 'img_29\.jpg': boxes\[1\]\[2\] = {re.escape(repr(value))} is not a number"
    with pytest.raises(EvalInputError, match=message):  # a numeric string is not read as its number
        read_predictions(path, _gt_of(entries), hico_class_space())


def test_qpic_strings_among_numbers_are_named(tmp_path: Path) -> None:
    entries = [
        {"file_name": "a.jpg", "predictions": [{"bbox": [1, 2, 3, 4], "category_id": 1},
                                                {"bbox": [1, 2, "30", 40], "category_id": 15}],
         "hoi_prediction": [{"subject_id": 0, "object_id": 1, "category_id": 88, "score": 0.5}]},
    ]  # fmt: skip
    path = tmp_path / "preds.json"
    path.write_text(json.dumps(entries))
    with pytest.raises(EvalInputError, match=r"image 'a\.jpg': predictions\[1\]\.bbox = \[1, 2, '30', 40\]"):
        read_predictions(path, _gt_of(entries), hico_class_space())
    entries[0]["predictions"][1] |= {"bbox": [1, 2, 30, 40], "category_id": "15"}
    path.write_text(json.dumps(entries))
    with pytest.raises(EvalInputError, match=r"predictions\[1\]\.category_id = '15' is not a number"):
        read_predictions(path, _gt_of(entries), hico_class_space())


def test_instances_bytes_give_the_record_loops_gt(hico_gt_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = hico_gt_path.read_bytes()
    assert instances_arrays(raw) is not None
    fast = gt_readers.read_hico_gt(hico_gt_path)
    monkeypatch.setattr(gt_readers, "_instances_from_bytes", lambda *args: None)
    monkeypatch.setattr(gt_readers, "_instances_fast", lambda *args: None)
    loop = gt_readers.read_hico_gt(hico_gt_path)
    for name in ("pair_image", "pair_class", "pair_boxes", "class_object"):
        x, y = getattr(fast, name), getattr(loop, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    assert (fast.file_names, fast.image_index, fast.box_origin) == (loop.file_names, loop.image_index, loop.box_origin)


def _tiny() -> dict:
    hoi_object = [h.object_hicodet_idx for h in gt_readers.hico().hois]
    ann = [
        {"boxes_h": [[1, 2, 30, 40]], "boxes_o": [[5, 5, 50, 60]], "hoi": [10], "object": [hoi_object[10]],
         "verb": [3]},
        {"boxes_h": [], "boxes_o": [], "hoi": [], "object": []},
    ]  # fmt: skip
    return {"filenames": ["a.jpg", "b.jpg"], "annotation": ann, "size": [[640, 480], [640, 480]]}


BAD_GT = {
    "string coordinate": lambda d: d["annotation"][0]["boxes_h"][0].__setitem__(2, "30"),
    "ragged box": lambda d: d["annotation"][0]["boxes_o"].__setitem__(0, [5, 5, 50]),
    "inverted box": lambda d: d["annotation"][0]["boxes_o"].__setitem__(0, [5, 5, 4, 60]),
    "hoi out of range": lambda d: d["annotation"][0]["hoi"].__setitem__(0, 600),
    "object mismatch": lambda d: d["annotation"][0]["object"].__setitem__(0, 79),
    "no object": lambda d: d["annotation"][1].pop("object"),
    "lengths differ": lambda d: d["annotation"][0]["boxes_o"].append([1, 1, 2, 2]),
    "counts differ": lambda d: d["filenames"].append("c.jpg"),
}


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize("name", sorted(BAD_GT))
def test_bad_instances_are_read_by_the_record_loop(
    name: str, skip_invalid: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _tiny()
    raw = orjson.dumps(data)
    assert gt_readers._instances_from_bytes(raw, "gt.json") is not None  # the good file takes this path
    BAD_GT[name](data)
    path = tmp_path / "gt.json"
    path.write_bytes(orjson.dumps(data))
    assert gt_readers._instances_from_bytes(path.read_bytes(), str(path)) is None

    def read() -> tuple | str:
        try:
            gt = gt_readers.read_hico_gt(path, skip_invalid)
        except EvalInputError as exc:
            return str(exc)
        return gt.pair_class.tolist(), gt.pair_boxes.tolist(), gt.skipped

    got = read()
    monkeypatch.setattr(gt_readers, "_instances_fast", lambda *args: None)
    assert got == read()
    if not skip_invalid and isinstance(got, str):
        assert str(path) in got
    if name == "string coordinate":  # a numeric string is not a number (float() would take it)
        if skip_invalid:
            assert isinstance(got, tuple) and got[0] == [] and got[2] == {"invalid_box": 1}
        else:
            assert "image 'a.jpg': boxes_h[0]: box coordinates must be numbers" in str(got)
