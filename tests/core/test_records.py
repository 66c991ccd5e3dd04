import numpy as np
import pytest

from hoiscribe.core.records import Box, Keypoints, RecordError
from hoiscribe.vocab import COCO17, HALPE136


def test_box_validation_names_the_field() -> None:
    with pytest.raises(RecordError, match="human_bbox: x2 < x1"):
        Box.from_xyxy([50, 10, 40, 20], (100, 100), "human_bbox")
    with pytest.raises(RecordError, match=r"object_bbox: box .* lies outside the 100x80 image"):
        Box.from_xyxy([0, 0, 150, 20], (100, 80), "object_bbox")
    with pytest.raises(RecordError, match="expected 4 numbers"):
        Box.from_xyxy([1, 2, 3], (100, 100))
    with pytest.raises(RecordError, match="non-finite"):
        Box.from_xyxy([0, 0, float("nan"), 5], (100, 100))


def test_box_within_one_pixel_is_clipped_not_rejected() -> None:
    b = Box.from_xyxy([0, 0, 101, 80], (100, 80))
    assert b.x2 == 100.0


def test_box_frames_round_trip() -> None:
    b = Box.from_xywh([10, 20, 30, 40], (200, 100))
    assert b.as_xyxy() == [10, 20, 40, 60]
    assert b.as_xywh() == [10, 20, 30, 40]
    n = b.as_normalized(1000)
    assert Box.from_normalized(n, (200, 100), 1000).as_xyxy() == pytest.approx(b.as_xyxy())
    assert b.iou(b) == pytest.approx(1.0)
    assert b.iou(Box.from_xyxy([40, 60, 50, 70], (200, 100))) == 0.0


def test_keypoints_length_checked_per_layout() -> None:
    with pytest.raises(RecordError, match="keypoints: expected 51 numbers"):
        Keypoints.from_flat([0.0] * 50)
    k = Keypoints.from_flat(list(np.arange(408, dtype=float)), HALPE136)
    c = k.as_coco17()
    assert c.layout is COCO17 and c.xyv.shape == (17, 3)
    assert c.as_flat()[:3] == [0.0, 1.0, 2.0]
