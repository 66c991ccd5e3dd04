"""Prediction layouts, bad-input errors and --skip-invalid counts, and chunked JSON decoding."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import orjson
import pytest

from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.hico import HicoOptions, evaluate_hico, hico_class_space
from hoiscribe.eval.json_chunks import ChunkingFailed, element_spans, iter_array_chunks
from hoiscribe.eval.predictions import read_predictions
from hoiscribe.vocab.hico import hico

H = [0.0, 0.0, 9.0, 9.0]
OB = [20.0, 20.0, 29.0, 29.0]


@pytest.fixture
def gt(make_gt):
    return make_gt([("a.jpg", 0, H, OB), ("b.jpg", 1, H, OB)], images=["a.jpg", "b.jpg", "c.jpg"])


def hoiscribe_preds() -> list[dict]:
    obj0, obj1 = hico().hois[0].object_coco_idx, hico().hois[1].object_coco_idx
    return [
        {"file_name": "b.jpg", "boxes": [H, OB], "labels": [0, obj1], "hois": [[0, 1, 1, 0.8]]},
        {
            "file_name": "a.jpg",
            "boxes": [H, OB, H],
            "labels": [0, obj0, 0],
            "hois": [[0, 1, 0, 0.9], [2, 1, 0, 0.3]],
        },
    ]


def write(tmp_path: Path, data: object, name: str = "pred.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))  # the stdlib writes NaN as a bare token, as users' files do
    return path


def test_hoiscribe_layout_is_ordered_by_gt_image(gt, tmp_path: Path) -> None:
    dets = read_predictions(write(tmp_path, hoiscribe_preds()), gt, hico_class_space())
    assert dets.layout == "hoiscribe" and dets.has_labels
    assert dets.image.tolist() == [0, 0, 1]  # a.jpg first, as in the GT
    assert dets.cls.tolist() == [0, 0, 1]
    assert dets.score.tolist() == [0.9, 0.3, 0.8]
    assert dets.boxes[0].tolist() == H + OB
    summary = evaluate_hico(gt, dets).summary()["default"]
    assert summary["full"] == pytest.approx(1.0)


def to_qpic(entries: list[dict]) -> list[dict]:
    voc = hico()
    out = []
    for e in entries:
        preds = [
            {"bbox": b, "category_id": voc.object_coco_ids[lab]} for b, lab in zip(e["boxes"], e["labels"], strict=True)
        ]
        hois = [
            {"subject_id": s, "object_id": o, "category_id": voc.hois[c].verb_idx + 1, "score": sc}
            for s, o, c, sc in e["hois"]
        ]
        out.append({"file_name": e["file_name"], "predictions": preds, "hoi_prediction": hois})
    return out


def test_qpic_layout_gives_the_same_detections(gt, tmp_path: Path) -> None:
    ours = read_predictions(write(tmp_path, hoiscribe_preds()), gt, hico_class_space())
    qpic = read_predictions(write(tmp_path, to_qpic(hoiscribe_preds()), "qpic.json"), gt, hico_class_space())
    assert qpic.layout == "qpic"
    for field in ("image", "cls", "score", "boxes", "subject_label", "object_label"):
        assert np.array_equal(getattr(ours, field), getattr(qpic, field)), field


def test_qpic_combinations_that_are_not_classes_are_dropped_and_counted(gt, tmp_path: Path) -> None:
    entries = to_qpic(hoiscribe_preds())
    entries[0]["predictions"][1]["category_id"] = 2  # bicycle: the verb of hoi 1 has no such class
    entries[1]["predictions"][0]["category_id"] = 3  # the first subject of a.jpg is a car
    dets = read_predictions(write(tmp_path, entries), gt, hico_class_space())
    assert dets.score.tolist() == [0.3]  # only a.jpg's second pair (person subject) survives
    assert dets.dropped == {"not_a_class": 2} and dets.skipped == {}


@pytest.mark.parametrize(
    ("mutate", "message", "reason"),
    [
        (
            lambda p: p[0].update(file_name="zzz.jpg"),
            r"image 'zzz\.jpg': file_name is not in the GT",
            "unknown_image",
        ),
        (
            lambda p: p[1]["boxes"].__setitem__(2, [9, 0, 0, 9]),
            r"image 'a\.jpg': hois\[1\]\[0\].*boxes\[2\]",
            "invalid_box",
        ),
        (
            lambda p: p[1]["hois"][0].__setitem__(3, float("nan")),
            r"image 'a\.jpg': hois\[0\]\[3\] \(score\) = nan",
            "invalid_score",
        ),
        (
            lambda p: p[1]["hois"][1].__setitem__(2, 600),
            r"image 'a\.jpg': hois\[1\]\[2\] \(class index\) = 600 is not in 0\.\.599",
            "class_out_of_range",
        ),
        (
            lambda p: p[0]["hois"][0].__setitem__(1, 5),
            r"image 'b\.jpg': hois\[0\]\[0\].*has 2 boxes",
            "box_index_out_of_range",
        ),
        (lambda p: p.append(dict(p[0])), r"image 'b\.jpg': listed twice", "duplicate_image"),
    ],
    ids=["unknown-image", "x2<x1", "nan-score", "class-range", "box-index", "duplicate"],
)
def test_bad_input_names_image_and_field_or_is_skipped(gt, tmp_path: Path, mutate, message: str, reason: str) -> None:
    preds = hoiscribe_preds()
    mutate(preds)
    path = write(tmp_path, preds)
    with pytest.raises(EvalInputError, match=message):
        read_predictions(path, gt, hico_class_space())
    dets = read_predictions(path, gt, hico_class_space(), skip_invalid=True)
    assert list(dets.skipped) == [reason]
    assert len(dets) == dets.n_read - sum(dets.skipped.values()) < dets.n_read


def test_malformed_rows_are_located(gt, tmp_path: Path) -> None:
    preds = hoiscribe_preds()
    preds[1]["hois"][1] = [2, 1, 0]
    with pytest.raises(EvalInputError, match=r"image 'a\.jpg': hois\[1\] must be a list of 4 numbers"):
        read_predictions(write(tmp_path, preds), gt, hico_class_space())
    preds = hoiscribe_preds()
    preds[0]["boxes"][0] = [0, 0, "x", 9]
    with pytest.raises(EvalInputError, match=r"image 'b\.jpg': boxes\[0\]\[2\] = 'x' is not a number"):
        read_predictions(write(tmp_path, preds), gt, hico_class_space())
    preds = hoiscribe_preds()
    del preds[1]["labels"]
    with pytest.raises(EvalInputError, match=r"labels"):
        read_predictions(write(tmp_path, preds), gt, hico_class_space())
    with pytest.raises(EvalInputError, match="not valid JSON"):
        read_predictions(_raw(tmp_path, b"[{]"), gt, hico_class_space())


def _raw(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "raw.json"
    path.write_bytes(data)
    return path


def test_label_check_needs_labels(gt, tmp_path: Path) -> None:
    preds = [{k: v for k, v in e.items() if k != "labels"} for e in hoiscribe_preds()]
    dets = read_predictions(write(tmp_path, preds), gt, hico_class_space())
    assert not dets.has_labels
    with pytest.raises(EvalInputError, match="labels"):
        evaluate_hico(gt, dets, HicoOptions(protocol="python", check_object_labels=True))


def test_jsonl_and_wrapped_layouts(gt, tmp_path: Path) -> None:
    lines = "\n".join(json.dumps(e) for e in hoiscribe_preds())
    (tmp_path / "p.jsonl").write_text(lines + "\n")
    a = read_predictions(tmp_path / "p.jsonl", gt, hico_class_space())
    b = read_predictions(write(tmp_path, {"images": hoiscribe_preds()}), gt, hico_class_space())
    assert a.cls.tolist() == b.cls.tolist() == [0, 0, 1]


def test_chunked_decoding_matches_a_whole_decode() -> None:
    items = [
        {"file_name": 'we"ird{name}.jpg', "boxes": [[1, 2, 3, 4]], "hois": [], "x": {"nested": [{"a": "}"}]}},
        {"file_name": "back\\slash\\", "boxes": [], "hois": [[0, 0, 1, 0.5]]},
        {"file_name": "plain.jpg"},
        {"file_name": 'lone { brace and \\" quote\\'},
    ] * 3
    raw = json.dumps(items, indent=1).encode()
    spans = element_spans(raw)
    assert spans is not None and len(spans) == len(items)
    chunks = list(iter_array_chunks(raw, chunk=2))
    assert [len(c) for c in chunks] == [2, 2, 2, 2, 2, 2]
    assert [x for c in chunks for x in c] == orjson.loads(raw)
    assert element_spans(b'{"images": []}') is None
    assert list(iter_array_chunks(b"[]")) == []
    with pytest.raises(ChunkingFailed):
        list(iter_array_chunks(b'[{"a": 1} {"b": 2}, {"c": 3}]', chunk=1))


def test_invalid_json_is_reported_as_such(gt, tmp_path: Path) -> None:
    for raw in (b'[{"file_name": "a.jpg"} {"file_name": "b.jpg"}]', b"[{]", b'[{"file_name": "a.jpg",}]'):
        with pytest.raises(EvalInputError, match="not valid JSON"):
            read_predictions(_raw(tmp_path, raw), gt, hico_class_space())
