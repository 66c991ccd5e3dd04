from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hoiscribe.core.records import Box, Keypoints, PosePair
from hoiscribe.geometry.paircodes import measures
from hoiscribe.pose.mirror import (
    AmbiguousSideError,
    mirror_image,
    mirror_keypoints,
    mirror_pair,
    mirror_text,
    mirror_texts,
)
from hoiscribe.pose.reverse import reverse_pair
from hoiscribe.vocab.keypoints import COCO17
from tests.pose.helpers import pose


@pytest.mark.parametrize(
    ("text", "mirrored"),
    [
        ("Raise your left hand.", "Raise your right hand."),
        ("Left knee: bend it more.", "Right knee: bend it more."),
        ("LEFT ARM UP, RIGHT LEG DOWN", "RIGHT ARM UP, LEFT LEG DOWN"),
        ("Use your left-hand side.", "Use your right-hand side."),
        ("Move to the leftmost spot.", "Move to the rightmost spot."),
        ("Shift rightwards, then turn clockwise.", "Shift leftwards, then turn counterclockwise."),
        ("Stand upright and stay bright.", "Stand upright and stay bright."),  # no side words inside words
        ("Lean to the left, left hand on the right knee.", "Lean to the right, right hand on the left knee."),
    ],
)
def test_word_level_mapping_keeps_case_and_is_an_involution(text: str, mirrored: str) -> None:
    assert mirror_text(text) == mirrored
    assert mirror_text(mirrored) == text


@pytest.mark.parametrize(
    "text",
    [
        "Bend your right elbow to a right angle.",
        "Keep the arm that is left by your side.",
        "Step right in front of the chair.",
        "Rotate your head anticlockwise.",
        "Raise your lEft hand.",
        "All right, lift your left foot.",
    ],
)
def test_left_right_ambiguous_texts_are_flagged_not_mirrored(text: str) -> None:
    with pytest.raises(AmbiguousSideError) as info:
        mirror_text(text)
    assert info.value.reasons
    result = mirror_texts([text, "Raise your left hand."])
    assert result.texts == ["Raise your right hand."]
    assert result.flagged[0]["text"] == text and result.flagged[0]["reason"]


def test_mirror_keypoints_twice_is_exact_on_the_reading_grid() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        xyv = np.zeros((17, 3))
        xyv[:, 0] = np.round(rng.uniform(0, 1919.99, 17), 2)
        xyv[:, 1] = np.round(rng.uniform(0, 1079.99, 17), 2)
        xyv[:, 2] = rng.integers(0, 3, 17)
        kps = Keypoints(xyv, COCO17)
        once = mirror_keypoints(kps, 1920)
        assert np.array_equal(mirror_keypoints(once, 1920).xyv, xyv)
        assert not np.array_equal(once.xyv, xyv)


def test_mirror_swaps_sides_and_flips_x() -> None:
    kps = pose()
    m = mirror_keypoints(kps, 400)
    li, ri = COCO17.index("left_wrist"), COCO17.index("right_wrist")
    assert m.xyv[li, 0] == 400 - kps.xyv[ri, 0] and m.xyv[li, 1] == kps.xyv[ri, 1]
    # measures of the mirror: sides trade places, the person still faces the camera
    a = measures(pose(left_wrist=(40, -150), left_elbow=(36, -170)))
    b = measures(mirror_keypoints(pose(left_wrist=(40, -150), left_elbow=(36, -170)), 400))
    assert b["facing"] == "front"
    assert b["right_hand_height"] == pytest.approx(a["left_hand_height"])
    assert b["left_elbow_angle"] == pytest.approx(a["right_elbow_angle"])


def test_image_flip_twice_is_identity() -> None:
    arr = np.random.default_rng(1).integers(0, 255, (20, 30, 3), dtype=np.uint8)
    img = Image.fromarray(arr)
    assert np.array_equal(np.asarray(mirror_image(mirror_image(img))), arr)
    assert np.array_equal(np.asarray(mirror_image(img)), arr[:, ::-1])


def _pair() -> PosePair:
    return PosePair(
        sample_id="a.jpg->b.jpg",
        reference="a.jpg",
        target="b.jpg",
        reference_keypoints=pose(),
        target_keypoints=pose(left_knee=(40, 60), left_ankle=(-5, 115)),
        reference_size=(400, 500),
        target_size=(400, 500),
        reference_box=Box(150, 100, 260, 460, 400, 500),
        captions={"mllm": ["Bend your left knee more."], "mirror": ["Bend your right knee more."],
                  "sents": ["Flex the left leg."], "reverse": ["Straighten your left leg."]},
    )  # fmt: skip


def test_mirror_pair_twice_and_reverse_twice_restore_the_pair() -> None:
    pair = _pair()
    once = mirror_pair(pair)
    assert once.reference == "mirror/a.jpg" and once.captions["mllm"] == ["Bend your right knee more."]
    assert once.captions["sents"] == ["Flex the right leg."]
    assert once.captions["mirror-reverse"] == ["Straighten your left leg."]
    twice = mirror_pair(once)
    assert twice.sample_id == pair.sample_id and twice.reference == pair.reference
    assert np.array_equal(twice.reference_keypoints.xyv, pair.reference_keypoints.xyv)
    assert np.array_equal(twice.target_keypoints.xyv, pair.target_keypoints.xyv)
    assert twice.reference_box == pair.reference_box
    assert twice.captions == pair.captions
    rev = reverse_pair(pair)
    assert rev.reference == "b.jpg" and rev.captions["mllm"] == ["Straighten your left leg."]
    assert "sents" not in rev.captions  # human text describes the forward direction only
    back = reverse_pair(rev)
    assert back.sample_id == pair.sample_id and back.target == "b.jpg"
    assert np.array_equal(back.target_keypoints.xyv, pair.target_keypoints.xyv)


def test_mirror_pair_writes_flipped_images(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name, colour in (("a.png", (255, 0, 0)), ("b.png", (0, 0, 255))):
        img = Image.new("RGB", (400, 500), (255, 255, 255))
        img.paste(colour, (0, 0, 50, 500))  # a stripe on the left edge
        img.save(src / name)
    pair = replace(_pair(), reference_path=str(src / "a.png"), target_path=str(src / "b.png"))
    out = mirror_pair(pair, image_dir=tmp_path / "out")
    flipped = np.asarray(Image.open(out.reference_path)).astype(int)
    assert out.reference_path.endswith("mirror/a.jpg")
    assert np.abs(flipped[250, 395] - (255, 0, 0)).max() < 8  # the stripe moved to the right edge
    assert np.abs(flipped[250, 5] - (255, 255, 255)).max() < 8
    with pytest.raises(ValueError, match="sizes"):
        mirror_pair(replace(pair, target_size=None))
