"""Reading the AutoComPose layout: bad entries dropped with file, entry and reason; bad files stop clearly."""

import json
from pathlib import Path
from typing import Any

import pytest

from hoiscribe.pose.cpr.data import CprDataError, read_cpr_split


def _root(
    tmp_path: Path, captions: Any, gallery: Any | None, images: tuple[str, ...] = ("a.jpg", "b.jpg", "c.jpg")
) -> Path:
    root = tmp_path / "root"
    (root / "images").mkdir(parents=True)
    for name in images:
        (root / "images" / name).write_bytes(b"x")
    (root / "captions").mkdir()
    (root / "captions" / "test.json").write_text(json.dumps(captions))
    if gallery is not None:
        (root / "image_splits").mkdir()
        (root / "image_splits" / "test.json").write_text(json.dumps(gallery))
    return root


def _entry(ref: str, tgt: str, **texts: Any) -> dict[str, Any]:
    return {"reference": ref, "target": tgt, "img_set": "test", "sents": ["move"], **texts}


def test_bad_entries_are_dropped_and_named(tmp_path: Path) -> None:
    captions = [
        _entry("a.jpg", "b.jpg", mllm=["raise it", 3], groupless="kept as text"),
        _entry("a.jpg", "missing.jpg"),  # a caption naming a missing image
        _entry("a.jpg", "b.jpg"),  # the same pair again
        _entry("c.jpg", "c.jpg"),
        "not an object",
        _entry("b.jpg", "c.jpg"),  # target not in the gallery
        {"reference": "../escape.jpg", "target": "a.jpg"},
    ]
    root = _root(tmp_path, captions, ["a.jpg", "b.jpg", "a.jpg", "nothere.jpg"])
    split = read_cpr_split(root, "test", need_gallery=True)
    assert [(e.reference, e.target) for e in split.entries] == [("a.jpg", "b.jpg")]
    assert split.entries[0].field("mllm") == ("raise it",)
    assert split.gallery == ["a.jpg", "b.jpg"]  # the duplicate and the missing gallery image dropped
    reasons = {(Path(d.file).name, d.record, d.field): d.reason for d in split.dropped}
    assert reasons["test.json", "entry 1", "target"] == "image not found: missing.jpg"
    assert reasons["test.json", "entry 2", "entry"] == "duplicate pair: same as entry 0"
    assert reasons["test.json", "entry 3", "target"].startswith("the same image as the reference")
    assert reasons["test.json", "entry 4", "entry"] == "expected an object, got str"
    assert reasons["test.json", "entry 5", "target"] == "target not in the gallery: c.jpg"
    assert "escapes the data root" in reasons["test.json", "entry 6", "reference"]
    assert reasons["test.json", "entry 0", "mllm"].startswith("texts that are not")
    assert reasons["test.json", "entry 2", "image"] == "duplicate image name 'a.jpg'"
    assert reasons["test.json", "entry 3", "image"] == "image not found: nothere.jpg"
    assert split.drop_counts()["target: image not found"] == 1


def test_training_split_needs_no_gallery_and_keeps_targets_outside_it(tmp_path: Path) -> None:
    root = _root(tmp_path, [_entry("a.jpg", "b.jpg"), _entry("b.jpg", "c.jpg")], None)
    split = read_cpr_split(root, "test")
    assert len(split.entries) == 2 and split.gallery == ["a.jpg", "b.jpg", "c.jpg"]
    with pytest.raises(CprDataError, match=r"no gallery for split 'test'.*image_splits/test.json"):
        read_cpr_split(root, "test", need_gallery=True)


def test_img_set_groups_are_read_when_they_are_lists(tmp_path: Path) -> None:
    captions = [{**_entry("a.jpg", "b.jpg"), "img_set": ["b.jpg", "c.jpg"]},
                {**_entry("b.jpg", "c.jpg"), "img_set": {"members": ["c.jpg", "a.jpg"]}},
                _entry("c.jpg", "a.jpg")]  # fmt: skip
    split = read_cpr_split(root := _root(tmp_path, captions, ["a.jpg", "b.jpg", "c.jpg"]), "test", need_gallery=True)
    assert [e.group for e in split.entries] == [("b.jpg", "c.jpg"), ("c.jpg", "a.jpg"), None]
    assert root.is_dir()


@pytest.mark.parametrize(
    ("captions", "gallery", "message"),
    [
        ([_entry("a.jpg", "b.jpg")], [], r"gallery of split 'test' is empty"),
        ([_entry("a.jpg", "b.jpg")], ["zzz.jpg"], r"gallery of split 'test' is empty"),
        ({"reference": "a.jpg"}, ["a.jpg"], r"captions/test.json: expected a list of caption entries, got dict"),
        ([_entry("a.jpg", "x.jpg")], ["a.jpg"], r"captions/test.json: no usable entries \(1 dropped; first: .*x.jpg"),
        ([_entry("a.jpg", "b.jpg")], {"a": 1}, r"image_splits/test.json: expected a list of image names"),
    ],
)
def test_files_that_stop_the_run_name_the_file(tmp_path: Path, captions: Any, gallery: Any, message: str) -> None:
    root = _root(tmp_path, captions, gallery)
    with pytest.raises(CprDataError, match=message):
        read_cpr_split(root, "test", need_gallery=True)


def test_missing_caption_file_and_flat_export_layout(tmp_path: Path) -> None:
    with pytest.raises(CprDataError, match=r"no caption file for split 'train'"):
        read_cpr_split(tmp_path, "train")
    (tmp_path / "images").mkdir()
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / "images" / name).write_bytes(b"x")
    (tmp_path / "export.json").write_text(json.dumps([_entry("a.jpg", "b.jpg")]))  # `merge --output-path export.json`
    assert len(read_cpr_split(tmp_path, "export").entries) == 1
