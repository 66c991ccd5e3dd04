"""Issue 14, item 4: a malformed field drops its record (file, record and field named) in every
reader, never a traceback; files too large or sparse fail before they are parsed; file names the
filesystem cannot hold are drops, and the report survives them."""

from __future__ import annotations

import copy
import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.core.records import RecordError
from hoiscribe.datasets import fields
from hoiscribe.datasets.base import DatasetError, safe_join
from hoiscribe.datasets.coco import read_coco
from hoiscribe.datasets.halpe import HalpeIndex
from hoiscribe.datasets.hico import read_hico
from hoiscribe.datasets.seed import seed_drop, validate_seed_record
from hoiscribe.expressions.reader import read_reallod
from hoiscribe.pose.pairing import halpe_samples
from hoiscribe.pose.reader import read_pose_pairs
from hoiscribe.report.images import image_resolver
from hoiscribe.run.rundir import RunDir
from hoiscribe.vocab.keypoints import COCO17
from tests.conftest import HAKE_SUBSET, make_hico_root
from tests.pose.helpers import pose

runner = CliRunner()
NAN, INF = float("nan"), float("inf")
LONG_NAME = "x" * 4996 + ".jpg"  # 5,000 characters

# (name, change) pairs: each plants one malformed value; None as a value deletes the key
BAD_NUMBER = [("null", None), ("string", "12"), ("bool", True), ("nan", NAN), ("inf", INF), ("list", [3])]


def _bad_box(box: list[float], xywh: bool = False) -> list[tuple[str, Any]]:
    """Malformed variants of a good box ([x1, y1, x2, y2], or [x, y, w, h] with ``xywh``): a null /
    string / bool / NaN / inf coordinate, wrong lengths, an inverted or zero-area box, the wrong
    container, missing."""
    out: list[tuple[str, Any]] = [(f"coord-{n}", [v, *box[1:]]) for n, v in BAD_NUMBER[:5]]
    a, b, c, d = box
    inverted, flat = ([a, b, -c, d], [a, b, 0, d]) if xywh else ([c, b, a, d], [a, b, a, d])
    return [*out, ("short", box[:3]), ("long", [*box, 1]), ("inverted", inverted), ("zero-area", flat),
            ("object", {"x": a}), ("string", "1,2,3,4"), ("missing", fields.MISSING)]  # fmt: skip


def _set(rec: dict, key: str, value: Any) -> dict:
    rec = copy.deepcopy(rec)
    if value is fields.MISSING:
        rec.pop(key, None)
    else:
        rec[key] = value
    return rec


# ---------------------------------------------------------------- the shared field checkers


@pytest.mark.parametrize(("name", "value"), [*BAD_NUMBER, ("missing", fields.MISSING)])
def test_number_checks_refuse_everything_but_finite_real_numbers(name: str, value: Any) -> None:
    with pytest.raises(RecordError) as exc:
        fields.number(value, "score")
    assert exc.value.field == "score"
    for check in (fields.int_field, fields.positive_int):
        with pytest.raises(RecordError):
            check(value, "width")
    assert fields.number(3, "x") == 3.0 and fields.int_field(7, "id") == 7
    assert fields.positive_int(640.0, "w", whole_floats=True) == 640
    with pytest.raises(RecordError, match="expected a positive integer"):
        fields.positive_int(640.0, "w")


@pytest.mark.parametrize(("name", "value"), _bad_box([10, 20, 110, 220]))
def test_box_checks(name: str, value: Any) -> None:
    with pytest.raises(RecordError) as exc:
        fields.box_xyxy(value, (640, 480), "human_bbox")
    assert exc.value.field == "human_bbox"
    assert fields.box_xyxy([10, 20, 110, 220], (640, 480), "b").as_xyxy() == [10, 20, 110, 220]
    assert fields.box_xyxy([-0.5, 0, 640.5, 480], (640, 480), "b").as_xyxy() == [0, 0, 640, 480]  # tolerance
    with pytest.raises(RecordError, match="outside"):
        fields.box_xyxy([-0.9, 0, -0.5, 10], (640, 480), "b")  # inside the tolerance band, empty once clipped


def test_keypoint_checks() -> None:
    good = [1.0, 2.0, 2] * 17
    assert fields.flat_keypoints(good, COCO17).xyv.shape == (17, 3)
    for bad in (good[:-3], [*good, 1], None, "1,2,2", {"x": 1}, [None, *good[1:]], ["1.0", *good[1:]],
                [True, *good[1:]], [NAN, *good[1:]], [INF, *good[1:]]):  # fmt: skip
        with pytest.raises(RecordError) as exc:
            fields.flat_keypoints(bad, COCO17)
        assert exc.value.field == "keypoints"


# ---------------------------------------------------------------- HICO-DET + HAKE (real subset)

FIRST = "HICO_train2015_00000001.jpg"
PLANTS: list[tuple[str, str, Any]] = (
    [(f"human_bbox/{n}", "human_bbox", v) for n, v in _bad_box([208, 33, 427, 300])]
    + [(f"object_bbox/{n}", "object_bbox", v) for n, v in _bad_box([59, 98, 572, 405])[:6]]
    + [(f"width/{n}", "width", v) for n, v in BAD_NUMBER] + [("width/missing", "width", fields.MISSING)]
    + [("width/float", "width", 640.0), ("height/zero", "height", 0), ("height/string", "height", "480")]
    + [(f"hoi_id/{n}", "hoi_id", v) for n, v in BAD_NUMBER] + [("hoi_id/missing", "hoi_id", fields.MISSING)]
    + [("action_labels/string", "action_labels", "hold"), ("action_labels/object", "action_labels", {"a": 1})]
    + [("action_labels/item", "action_labels[0]", [5]),
       ("action_labels/str-part", "action_labels[0]", [{"human_part": "4", "partstate": 0}]),
       ("action_labels/bool-part", "action_labels[0]", [{"human_part": 4, "partstate": True}]),
       ("action_labels/missing-state", "action_labels[0]", [{"human_part": 4}])]
)  # fmt: skip


def _hake(**changes: Any) -> dict:
    """The real 200-image subset with ``FIRST``'s first pair changed (key -> value)."""
    data = json.loads(HAKE_SUBSET.read_text())
    label = data[FIRST]["labels"][0]
    for key, value in changes.items():
        data[FIRST]["labels"][0] = label = _set(label, key, value)
    return data


@pytest.mark.parametrize(("case", "field", "value"), PLANTS, ids=[p[0] for p in PLANTS])
def test_hico_malformed_field_drops_that_pair(tmp_path: Path, case: str, field: str, value: Any) -> None:
    key = field.split("[")[0]
    root = make_hico_root(tmp_path, _hake(**{key: value}))  # json.dumps writes NaN/Infinity as Python does
    res = read_hico(root)
    assert len(res.samples) == 605  # the other 605 pairs of the real subset
    (drop,) = res.dropped
    assert drop.file.endswith("hico-det-training-set-instance-level.json")
    assert (drop.record, drop.field) == (f"{FIRST} labels[0]", field) and drop.reason


@pytest.mark.parametrize("entry", [[1, 2], "x", {"labels": {"0": {}}}, {"labels": None}, {"dataset": "hico-det"}])
def test_hico_malformed_image_entry_drops_that_image(tmp_path: Path, entry: Any) -> None:
    data = json.loads(HAKE_SUBSET.read_text())
    n_first = len(data[FIRST]["labels"])
    data[FIRST] = entry
    res = read_hico(make_hico_root(tmp_path, data))
    assert len(res.samples) == 606 - n_first
    (drop,) = res.dropped
    assert drop.record == FIRST and drop.field in ("record", "labels")


@pytest.mark.parametrize(
    ("name", "why"),
    [(LONG_NAME, "has a part of 5000 bytes"), ("d/" * 2100 + "x.jpg", "makes a path of"),
     ("../x.jpg", "escapes the data root"), ("é" * 200 + ".jpg", "has a part of 404 bytes")],
    ids=["5000-characters", "4205-character-path", "escape", "404-bytes-utf8"],
)  # fmt: skip
def test_file_names_the_filesystem_cannot_hold_are_drops(tmp_path: Path, name: str, why: str) -> None:
    data = json.loads(HAKE_SUBSET.read_text())
    data[name] = data[FIRST]
    res = read_hico(make_hico_root(tmp_path, data), check_images=True)
    bad = [d for d in res.dropped if d.record == name]
    assert len(bad) == 1 and bad[0].field == "file_name" and why in bad[0].reason
    assert len(bad[0].reason) < 300  # the name is shortened in the reason
    with pytest.raises(ValueError, match=why):
        safe_join(tmp_path, name)


# ---------------------------------------------------------------- Halpe (joined to HICO pairs)

GOOD_PAIR = {"height": 100, "width": 200, "hoi_id": 1, "human_bbox": [1, 1, 50, 90], "object_bbox": [60, 10, 150, 80]}
HALPE_KPS = [float(i % 50) for i in range(408)]


def _halpe_root(tmp_path: Path, bad_ann: dict) -> Path:
    root = make_hico_root(tmp_path, {"a.jpg": {"labels": [GOOD_PAIR, dict(GOOD_PAIR, human_bbox=[120, 1, 199, 99])]}})
    good = {"id": 1, "image_id": 7, "bbox": [2, 2, 47, 87], "keypoints": HALPE_KPS}
    halpe = {"images": [{"id": 7, "file_name": "a.jpg", "width": 200, "height": 100}],
             "annotations": [good, dict({"id": 2, "image_id": 7}, **bad_ann)]}  # fmt: skip
    (root / "Annotation" / "hico-fullbody-pose").mkdir(parents=True)
    (root / "Annotation" / "hico-fullbody-pose" / "halpe_train_v1.json").write_text(json.dumps(halpe))
    return root


HALPE_PLANTS = (
    [(f"bbox/{n}", "bbox", {"bbox": v, "keypoints": HALPE_KPS}) for n, v in _bad_box([120, 1, 79, 98], xywh=True)[:9]]
    + [(f"keypoints/{n}", "keypoints", {"bbox": [120, 1, 79, 98], "keypoints": v}) for n, v in [
        ("short", HALPE_KPS[:-3]), ("coco17", HALPE_KPS[:51]), ("null", None), ("object", {"0": 1}),
        ("null-value", [None, *HALPE_KPS[1:]]), ("string-value", ["1", *HALPE_KPS[1:]]),
        ("bool-value", [False, *HALPE_KPS[1:]]), ("nan-value", [NAN, *HALPE_KPS[1:]])]]
    + [("image_id/unknown", "image_id", {"image_id": 99}), ("image_id/string", "image_id", {"image_id": "7"}),
       ("id/repeated", "id", {"id": 1}), ("id/bool", "id", {"id": True})]
)  # fmt: skip


@pytest.mark.parametrize(("case", "field", "ann"), HALPE_PLANTS, ids=[p[0] for p in HALPE_PLANTS])
def test_halpe_malformed_person_is_a_drop_and_the_pairs_still_read(
    tmp_path: Path, case: str, field: str, ann: dict
) -> None:
    res = read_hico(_halpe_root(tmp_path, ann))
    assert len(res.samples) == 2 and res.stats["keypoints_matched"] == 1  # the good Halpe person still joins
    (drop,) = res.dropped
    assert drop.file.endswith("halpe_train_v1.json") and drop.field == field
    assert drop.record in ("annotation 2", "annotations[1]")


def test_halpe_samples_drop_malformed_people(tmp_path: Path) -> None:
    images = [{"id": 1, "file_name": "a.jpg", "width": 200, "height": 100},
              {"id": 2, "file_name": LONG_NAME, "width": 200, "height": 100},
              {"id": 3, "file_name": "c.jpg", "width": "200", "height": 100}, "not an image"]  # fmt: skip
    anns: list[Any] = [{"id": i, "image_id": i + 1, "bbox": [2, 2, 47, 87], "keypoints": HALPE_KPS} for i in range(3)]
    anns += [{"id": 9, "image_id": 1, "bbox": [None, 2, 47, 87], "keypoints": HALPE_KPS}, 17]
    path = tmp_path / "halpe.json"
    path.write_text(json.dumps({"images": images, "annotations": anns}))
    res = halpe_samples(path, tmp_path / "imgs")
    assert [s.sample_id for s in res.samples] == ["a.jpg#0"]
    got = {(d.record, d.field) for d in res.dropped}
    assert got == {("images[3]", "record"), ("annotation 1", "file_name"), ("annotation 2", "width"),
                   ("annotation 9", "bbox"), ("annotations[4]", "record")}  # fmt: skip
    index = HalpeIndex.from_file(path)
    # the index reads names (only to match them) and no sizes
    assert list(index.by_file) == ["a.jpg", LONG_NAME, "c.jpg"] and len(index.dropped) == 3


# ---------------------------------------------------------------- COCO (pycocotools)

COCO_KPS = [100.0, 100.0, 2.0] * 17
COCO_GOOD = {"id": 1, "image_id": 9, "category_id": 1, "bbox": [10, 20, 100, 200], "keypoints": COCO_KPS,
             "num_keypoints": 17, "iscrowd": 0, "area": 1.0}  # fmt: skip
COCO_PLANTS = (
    [(f"num_keypoints/{n}", "num_keypoints", v) for n, v in [*BAD_NUMBER, ("missing", fields.MISSING)]]
    + [("iscrowd/string", "iscrowd", "0"), ("iscrowd/two", "iscrowd", 2)]
    + [(f"bbox/{n}", "bbox", v) for n, v in _bad_box([10, 20, 100, 200], xywh=True)]
    + [(f"keypoints/{n}", "keypoints", v) for n, v in [("short", COCO_KPS[:-3]), ("null", None),
        ("string-value", ["100", *COCO_KPS[1:]]), ("nan-value", [NAN, *COCO_KPS[1:]]), ("missing", fields.MISSING)]]
)  # fmt: skip


def _coco(root: Path, anns: list, images: list | None = None) -> None:
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    images = images or [{"id": 9, "file_name": "000000000009.jpg", "width": 640, "height": 480}]
    data = {"images": images, "annotations": anns, "categories": [{"id": 1, "name": "person"}]}
    (root / "annotations" / "person_keypoints_val2017.json").write_text(json.dumps(data))


@pytest.mark.parametrize(("case", "key", "value"), COCO_PLANTS, ids=[p[0] for p in COCO_PLANTS])
def test_coco_malformed_field_drops_that_person(tmp_path: Path, case: str, key: str, value: Any) -> None:
    _coco(tmp_path, [COCO_GOOD, _set(dict(COCO_GOOD, id=2), key, value)])
    res = read_coco(tmp_path, "val2017")
    assert [s.instance_id for s in res.samples] == [1]
    (drop,) = res.dropped
    assert drop.file.endswith("person_keypoints_val2017.json")
    assert (drop.record, drop.field) == ("image 9 annotation 2", key)


def test_coco_malformed_images_and_entries_are_drops(tmp_path: Path) -> None:
    images = [{"id": 9, "file_name": "000000000009.jpg", "width": 640, "height": 480},
              {"id": 10, "file_name": LONG_NAME, "width": 640, "height": 480},
              {"id": 11, "file_name": "b.jpg", "width": "640", "height": 480},
              {"id": "12", "file_name": "c.jpg", "width": 640, "height": 480}, [1]]  # fmt: skip
    anns = [COCO_GOOD, dict(COCO_GOOD, id=2, image_id=10), dict(COCO_GOOD, id=3, image_id=11),
            dict(COCO_GOOD, id=4, image_id=12), dict(COCO_GOOD, id="5"), dict(COCO_GOOD, id=1), "x"]  # fmt: skip
    _coco(tmp_path, anns, images)
    res = read_coco(tmp_path, "val2017")
    assert [s.instance_id for s in res.samples] == [1]
    assert {(d.record, d.field) for d in res.dropped} == {
        ("images[3]", "id"), ("images[4]", "record"), ("image 10 annotation 2", "file_name"),
        ("image 11 annotation 3", "width"), ("image 12 annotation 4", "image_id"), ("annotations[4]", "id"),
        ("annotations[5]", "id"), ("annotations[6]", "record"),
    }  # fmt: skip


# ---------------------------------------------------------------- pose pairs (AutoComPose layout)


def _pose_root(tmp_path: Path, entry_b: Any, records: list | None = None) -> Path:
    root = tmp_path / "acp"
    for name in ("a.jpg", "b.jpg"):
        (root / "images").mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (400, 500)).save(root / "images" / name)
    (root / "captions").mkdir()
    records = records or [{"reference": "a.jpg", "target": "b.jpg"}, {"reference": "b.jpg", "target": "a.jpg"},
                          {"reference": "a.jpg", "target": "a.jpg"}]  # fmt: skip
    (root / "captions" / "train.json").write_text(json.dumps(records))
    (root / "keypoints").mkdir()
    entries = {"a.jpg": {"width": 400, "height": 500, "keypoints": pose().as_flat()}, "b.jpg": entry_b}
    (root / "keypoints" / "train.json").write_text(json.dumps({"layout": "coco17", "images": entries}))
    return root


GOOD_ENTRY = {"width": 400, "height": 500, "keypoints": pose().as_flat(), "bbox": [100, 100, 200, 380]}
POSE_PLANTS = (
    [(f"keypoints/{n}", _set(GOOD_ENTRY, "keypoints", v)) for n, v in [("short", GOOD_ENTRY["keypoints"][:-3]),
        ("null", None), ("string-value", ["1", *GOOD_ENTRY["keypoints"][1:]]), ("missing", fields.MISSING),
        ("nan-value", [NAN, *GOOD_ENTRY["keypoints"][1:]]), ("object", {"a": 1})]]
    + [(f"width/{n}", _set(GOOD_ENTRY, "width", v)) for n, v in BAD_NUMBER[1:]]
    + [(f"bbox/{n}", _set(GOOD_ENTRY, "bbox", v)) for n, v in _bad_box([100, 100, 200, 380], xywh=True)[:-1]]
    + [("entry/list", [1, 2]), ("entry/null", None)]
)  # fmt: skip


@pytest.mark.parametrize(("case", "entry"), POSE_PLANTS, ids=[p[0] for p in POSE_PLANTS])
def test_pose_pair_with_a_malformed_keypoint_entry_is_dropped(tmp_path: Path, case: str, entry: Any) -> None:
    res = read_pose_pairs(_pose_root(tmp_path, entry), "train", min_visible=1)
    assert [p.sample_id for p in res.samples] == ["a.jpg->a.jpg"]
    assert [(d.record, d.field) for d in res.dropped] == [("pair 0", "keypoints"), ("pair 1", "keypoints")]
    assert all(d.file.endswith("captions/train.json") and "b.jpg" in d.reason for d in res.dropped)


def test_pose_pair_records_with_malformed_names_are_dropped(tmp_path: Path) -> None:
    good = {"reference": "a.jpg", "target": "b.jpg"}
    records = [good, dict(good, reference=None), {"target": "b.jpg"}, dict(good, reference=LONG_NAME),
               dict(good, reference=["a.jpg"]), dict(good, sents="x")]  # fmt: skip
    res = read_pose_pairs(_pose_root(tmp_path, GOOD_ENTRY, records), "train", min_visible=1)
    assert [p.sample_id for p in res.samples] == ["a.jpg->b.jpg"]
    assert [(d.record, d.field) for d in res.dropped] == [
        ("pair 1", "reference"), ("pair 2", "reference"), ("pair 3", "reference"), ("pair 4", "reference"),
        ("pair 5", "sents")]  # fmt: skip
    root = _pose_root(tmp_path / "l", GOOD_ENTRY)
    (root / "keypoints" / "train.json").write_text(json.dumps({"layout": ["coco17"], "images": {}}))
    with pytest.raises(DatasetError, match="layout must be one of"):
        read_pose_pairs(root, "train")


# ---------------------------------------------------------------- Real-LOD


def _item(**change: Any) -> dict:
    item = {"image_path": "a.png", "height": 100, "width": 200, "raw_expression": "the cup", "global_caption": "",
            "object_locations": {"chosen_object": {"id": 0, "category": "cup", "bbox": [10, 10, 20, 20]},
                                 "other_objects": []}}  # fmt: skip
    for key, value in change.items():
        if key.startswith("chosen."):
            item["object_locations"]["chosen_object"] = _set(item["object_locations"]["chosen_object"], key[7:], value)
        else:
            item = _set(item, key, value)
    return item


CHOSEN = "object_locations.chosen_object"
LOD_PLANTS = (
    [(f"width/{n}", "width", {"width": v}) for n, v in BAD_NUMBER]
    + [("height/missing", "height", {"height": fields.MISSING})]
    + [(f"bbox/{n}", f"{CHOSEN}.bbox", {"chosen.bbox": v}) for n, v in _bad_box([10, 10, 20, 20], xywh=True)]
    + [("id/bool", f"{CHOSEN}.id", {"chosen.id": True}), ("id/missing", f"{CHOSEN}.id", {"chosen.id": fields.MISSING}),
       ("category/number", f"{CHOSEN}.category", {"chosen.category": 5}),
       ("global_caption/number", "global_caption", {"global_caption": 5}),
       ("raw_expression/null", "raw_expression", {"raw_expression": None}),
       ("image_path/long", "image_path", {"image_path": LONG_NAME}),
       ("object_locations/list", "object_locations", {"object_locations": []})]
)  # fmt: skip


@pytest.mark.parametrize(("case", "field", "change"), LOD_PLANTS, ids=[p[0] for p in LOD_PLANTS])
def test_reallod_malformed_field_drops_that_item(tmp_path: Path, case: str, field: str, change: dict) -> None:
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps([_item(), _item(**change), _item(raw_expression="a red cup")]))
    res = read_reallod(path, require_images=False)
    assert [s.index for s in res.samples] == [0, 2]
    (drop,) = res.dropped
    assert (drop.file, drop.record, drop.field) == ("annotations.json", "item 1", field)


# ---------------------------------------------------------------- seed format


def test_seed_records_are_checked_field_by_field(tmp_path: Path) -> None:
    good = read_hico(make_hico_root(tmp_path)).samples[0].as_record()
    validate_seed_record(good)
    for key, value in [("human_bbox", [1, 2, "3", 4]), ("width", True), ("keypoints", [0.0] * 50),
                       ("vis", [2] * 51), ("file_name", LONG_NAME), ("image_id", None), ("hoi_id", "153"),
                       ("object_bbox", [5, 5, 1, 1]), ("action_labels", [{"human_part": 4}])]:  # fmt: skip
        drop = seed_drop(_set(good, key, value), "merged.json", "record 0")
        assert drop is not None and drop.field.split("[")[0] == key, (key, drop)
        with pytest.raises(ValueError, match=key):
            validate_seed_record(_set(good, key, value))


# ---------------------------------------------------------------- file size caps and sparse files


def _sparse(path: Path, size: int = 2 * 1024**3) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.truncate(size)  # no disk used
    return path


def _fails_fast(read: Any, match: str) -> str:
    t0 = time.perf_counter()
    with pytest.raises(DatasetError, match=match) as exc:
        read()
    assert time.perf_counter() - t0 < 2.0
    return str(exc.value)


def test_a_sparse_2gb_annotation_file_fails_fast_with_the_cap(tmp_path: Path) -> None:
    root = make_hico_root(tmp_path / "hico")
    _sparse(root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json")
    msg = _fails_fast(lambda: read_hico(root), "over the cap of 1.0 GiB")
    assert "hico-det-training-set-instance-level.json" in msg and "2,147,483,648 bytes" in msg
    # at exactly the 2 GiB default cap (Halpe), the holes give it away
    root = make_hico_root(tmp_path / "hico2")
    _sparse(root / "Annotation" / "hico-fullbody-pose" / "halpe_train_v1.json")
    msg = _fails_fast(lambda: read_hico(root), "sparse file")
    assert "cap 2.0 GiB" in msg and "halpe_train_v1.json" in msg
    _sparse(tmp_path / "coco" / "annotations" / "person_keypoints_val2017.json")
    _fails_fast(lambda: read_coco(tmp_path / "coco", "val2017"), "over the cap")
    _sparse(tmp_path / "lod" / "annotations.json")
    _fails_fast(lambda: read_reallod(tmp_path / "lod", require_images=False), "sparse file")
    _sparse(tmp_path / "acp" / "captions" / "train.json")
    _fails_fast(lambda: read_pose_pairs(tmp_path / "acp", "train"), "sparse file")
    (tmp_path / "halpe").mkdir()
    _fails_fast(lambda: halpe_samples(_sparse(tmp_path / "halpe" / "h.json"), tmp_path), "sparse file")


def test_max_file_bytes_is_a_reader_option(tmp_path: Path) -> None:
    root = make_hico_root(tmp_path)
    assert read_hico(root, max_file_bytes=10**8).samples
    with pytest.raises(DatasetError, match=r"over the cap of 1\.0 KiB"):
        read_hico(root, max_file_bytes=1024)
    with pytest.raises(DatasetError, match="max_file_bytes must be a positive integer"):
        read_hico(root, max_file_bytes=-1)
    out = tmp_path / "run"
    args = ["annotate", "--dataset", "hico", "--data-root", str(root), "--engine", "grounded", "--out", str(out),
            "--set", "reader.max_file_bytes=1024"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code != 0 and "over the cap" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- through the CLI, and the report


def test_drops_reach_reader_drops_json_and_the_report_survives_a_5000_character_name(tmp_path: Path) -> None:
    data = json.loads(HAKE_SUBSET.read_text())
    names = list(data)
    data[names[0]]["labels"][0]["human_bbox"] = [None, 33, 427, 300]
    data[names[1]]["labels"][0]["width"] = "640"
    data[names[2]]["labels"][0]["object_bbox"] = [1, 1, NAN, 5]
    data = {LONG_NAME: data[names[3]], **data}  # first, so that --max-samples reaches it
    root = make_hico_root(tmp_path / "hico", data)
    size = {"width": 640, "height": 480}
    halpe = {"images": [dict(size, id=1, file_name=names[0])],
             "annotations": [{"id": 5, "image_id": 1, "bbox": [None, 1, 2, 3], "keypoints": HALPE_KPS},
                             {"id": 6, "image_id": 1, "bbox": [1, 1, 2, 3], "keypoints": HALPE_KPS[:-1]}]}  # fmt: skip
    (root / "Annotation" / "hico-fullbody-pose").mkdir(parents=True)
    (root / "Annotation" / "hico-fullbody-pose" / "halpe_train_v1.json").write_text(json.dumps(halpe))
    out = tmp_path / "run"
    args = ["annotate", "--dataset", "hico", "--data-root", str(root), "--engine", "grounded", "--out", str(out),
            "--max-samples", "30"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    dropped = {(d["record"], d["field"]): d for d in RunDir(out).reader_drops()["dropped"]}
    assert set(dropped) == {(f"{names[0]} labels[0]", "human_bbox"), (f"{names[1]} labels[0]", "width"),
                            (f"{names[2]} labels[0]", "object_bbox"), (LONG_NAME, "file_name"),
                            ("annotation 5", "bbox"), ("annotation 6", "keypoints")}  # fmt: skip
    assert dropped[("annotation 6", "keypoints")]["file"].endswith("halpe_train_v1.json")
    assert "expected 408 numbers" in dropped[("annotation 6", "keypoints")]["reason"]
    # a run whose rows name an image by a 5,000-character name (an older reader let it through, and
    # an older run kept each seed record in its first-stage row rather than in the unit's records file)
    for path in (out / "stages").rglob("u*.jsonl"):
        records_file = path.parent / f"records-{path.name}"
        records = RunDir.unit_records(records_file)
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        for r in rows:
            r["record"] = dict(records[r["sample_id"]], file_name=LONG_NAME, image_path=str(tmp_path / LONG_NAME))
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        records_file.unlink()
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    resolve = image_resolver(out, RunDir(out).manifest)
    assert resolve({"file_name": LONG_NAME, "image_path": "/" + "y" * 5000}) is None
    assert resolve({"file_name": "a/" * 2100 + "b.jpg"}) is None


def test_nan_written_by_python_json_is_a_per_record_drop_not_a_file_error(tmp_path: Path) -> None:
    assert math.isnan(json.loads(json.dumps(NAN)))  # what json.dump writes, and orjson refuses
    root = make_hico_root(tmp_path, _hake(human_bbox=[NAN, 33, 427, 300]))
    res = read_hico(root)
    assert len(res.samples) == 605 and res.dropped[0].field == "human_bbox"
    assert "finite" in res.dropped[0].reason
    bad = root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json"
    bad.write_text('{"a.jpg": {"labels": [NaN')  # broken JSON stays one clear error
    with pytest.raises(DatasetError, match="not readable JSON"):
        read_hico(root)
