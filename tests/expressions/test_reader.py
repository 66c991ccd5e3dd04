import json
from pathlib import Path

import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.datasets.base import DatasetError
from hoiscribe.expressions.reader import clean_expression, read_reallod

FIXTURE = Path(__file__).parent / "data" / "demo_annotations.jsonl"


def test_real_lod_fixture_reads_all_items_with_xyxy_boxes() -> None:
    read = read_reallod(FIXTURE, require_images=False)
    assert read.stats["items"] == 9 and len(read.samples) == 9 and not read.dropped
    first = read.samples[0]
    # [x, y, w, h] = [473.79, 156.40, 109.63, 60.60] -> xyxy, converted once
    assert first.chosen.box.as_xyxy() == pytest.approx([473.7913818545, 156.4006347776, 583.4172363, 217.0036621])
    assert (first.width, first.height) == (769, 512)
    assert first.raw_expression == "a trumpet"  # the quotes the VLM wrapped it in are gone
    # two items share image and object but not expression: distinct, stable ids
    assert len({s.sample_id for s in read.samples}) == 9
    assert read_reallod(FIXTURE, require_images=False).samples[1].sample_id == read.samples[1].sample_id
    rec = first.as_record()
    assert rec["bbox"] == pytest.approx([473.79, 156.4, 583.42, 217.0]) and rec["file_name"].endswith(".jpg")


def test_missing_images_are_dropped_with_a_reason_when_required() -> None:
    read = read_reallod(FIXTURE)
    assert not read.samples and read.stats["missing_images"] == 9
    assert all(d.field == "image_path" and "image not found" in d.reason for d in read.dropped)


def test_clean_expression() -> None:
    assert clean_expression("  '\"the red cup\"' ") == "the red cup"
    assert clean_expression("a  cup\non the left") == "a cup on the left"


def _item(chosen: dict, others: list | None = None, image: str = "a.png", **kw: object) -> dict:
    item = {"image_path": image, "height": 100, "width": 200, "raw_expression": "the cup", "global_caption": "",
            "object_locations": {"chosen_object": chosen, "other_objects": others or []}}  # fmt: skip
    item.update(kw)
    return item


def test_bad_items_are_dropped_per_item_and_the_rest_is_read(tmp_path: Path) -> None:
    cup = {"id": 0, "category": "cup", "bbox": [10, 10, 20, 20]}
    ball = {"id": 1, "category": "sports ball", "bbox": [100, 50, 30, 30]}
    items = [
        _item(cup, [ball]),  # 0 ok
        _item({"id": 0, "category": "cup", "bbox": [190, 10, 50, 20]}),  # 1 outside the image
        _item({"id": 0, "category": "cup", "bbox": [10, 10, 0, 20]}),  # 2 zero-area
        _item(cup, [{"id": 7}]),  # 3 unknown id (no item of a.png defines 7)
        _item(cup, [{"id": 1}]),  # 4 id-only reference, defined by item 0: resolved
        _item(cup, [dict(ball, id=0)]),  # 5 repeated id
        _item({"id": "x", "category": "cup", "bbox": [1, 1, 5, 5]}),  # 6 unknown id type
        _item(cup, image="missing.png"),  # 7 missing image
        _item(dict(cup, bbox=[50, 50, 10, 10])),  # 8 id 0 of a.png redefined differently
        "not an object",  # 9
    ]
    (tmp_path / "ann.json").write_text(json.dumps(items))
    (tmp_path / "a.png").write_bytes(b"png")
    read = read_dataset("reallod", tmp_path / "ann.json")  # the registered reader, given the file itself
    assert [s.index for s in read.samples] == [0, 4]
    assert [o.category for o in read.samples[1].others] == ["sports ball"]
    reasons = {int(d.record.split()[1]): (d.field, d.reason) for d in read.dropped}
    assert set(reasons) == {1, 2, 3, 5, 6, 7, 8, 9}
    assert "outside" in reasons[1][1] and reasons[1][0].endswith("chosen_object.bbox")
    assert "zero-area" in reasons[2][1]
    assert "unknown id 7" in reasons[3][1] and reasons[3][0] == "object_locations.other_objects[0].id"
    assert "more than once" in reasons[5][1]
    assert "unknown id 'x'" in reasons[6][1]
    assert "image not found" in reasons[7][1]
    assert "different object" in reasons[8][1]
    assert read.stats["dropped"] == 8 and sum(read.drop_summary().values()) == 8


def test_json_lines_input_and_missing_file(tmp_path: Path) -> None:
    item = _item({"id": 3, "category": "cup", "bbox": [1, 2, 3, 4]})
    (tmp_path / "annotations.json").write_text(json.dumps(item) + "\n" + json.dumps(item) + "\n")
    read = read_dataset("reallod", tmp_path, require_images=False)
    assert len(read.samples) == 2 and read.samples[0].chosen.box.as_xyxy() == [1.0, 2.0, 4.0, 6.0]
    assert read.samples[0].sample_id != read.samples[1].sample_id
    with pytest.raises(DatasetError, match="not found"):
        read_reallod(tmp_path / "nope.json")
