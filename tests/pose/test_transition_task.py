import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.catalog import get_task
from hoiscribe.core.records import PosePair
from hoiscribe.engines.base import ImagePart, Sampling
from hoiscribe.pose.task import TRANSITION, TRANSITION_COMPOSITE
from hoiscribe.tasks.base import ParseError
from tests.pose.helpers import pose


def _pair(tmp_path: Path) -> PosePair:
    for name, size in (("a.jpg", (300, 400)), ("b.jpg", (150, 200))):
        Image.new("RGB", size, (90, 90, 90)).save(tmp_path / name)
    return PosePair(
        sample_id="a.jpg->b.jpg",
        reference="a.jpg",
        target="b.jpg",
        reference_keypoints=pose(),
        target_keypoints=pose(left_knee=(40, 60), left_ankle=(-5, 115)),
        reference_path=str(tmp_path / "a.jpg"),
        target_path=str(tmp_path / "b.jpg"),
        reference_size=(300, 400),
        target_size=(150, 200),
    )


def test_registered_and_facts_carry_paircodes_both_ways(tmp_path: Path) -> None:
    task = get_task("transition")
    assert task is TRANSITION and task.needs_image
    facts = task.facts(_pair(tmp_path))
    assert [(c["part"], c["side"], c["direction"]) for c in facts["paircodes"]] == [("knee", "left", "more")]
    assert [(c["part"], c["direction"]) for c in facts["reverse_paircodes"]] == [("knee", "less")]
    with pytest.raises(TypeError, match="pose pairs"):
        task.facts(object())


def test_build_sends_both_images_or_one_composite(tmp_path: Path) -> None:
    pair = _pair(tmp_path)
    facts = TRANSITION.facts(pair)
    req = TRANSITION.build(pair, facts, None, Sampling())
    parts = req.messages[0].content
    images = [p for p in parts if isinstance(p, ImagePart)]
    assert [p.path for p in images] == [pair.reference_path, pair.target_path]
    prompt = parts[-1]
    assert "REFERENCE" in prompt and "left knee bends more (" in prompt and "3 different short summaries" in prompt
    assert req.json_schema is not None and req.facts["sample_id"] == pair.sample_id
    comp = TRANSITION_COMPOSITE.build(pair, facts, None, Sampling())
    (image,) = [p for p in comp.messages[0].content if isinstance(p, ImagePart)]
    assert image.image is not None and image.image.size == (150 + 16 + 150, 200)  # both at the shorter height
    assert "left half" in comp.messages[0].content[-1]
    assert TRANSITION.identity() != TRANSITION_COMPOSITE.identity()
    # rule-based engines: no pixels loaded, the template identity in place of the prompt
    fast = TRANSITION_COMPOSITE.build(pair, facts, None, Sampling(), render=False)
    assert all(p.image is None for p in fast.messages[0].content if isinstance(p, ImagePart))
    with pytest.raises(ValueError, match="not found"):  # the run layer drops the sample with this reason
        TRANSITION_COMPOSITE.build(replace(pair, target_path=str(tmp_path / "gone.jpg")), facts, None, Sampling())


def test_parse_json_answer_adds_mirrors_and_flags_ambiguous_texts() -> None:
    raw = "Sure!\n```json\n" + json.dumps({
        "movements": ["Bend your left knee."],
        "descriptions": ["Bend your left knee more.", "Bend your left knee to a right angle."],
        "reverse": ["Straighten your left leg."],
    }) + "\n```"  # fmt: skip
    out = TRANSITION.parse(raw)
    assert out["mllm"] == ["Bend your left knee more.", "Bend your left knee to a right angle."]
    assert out["mirror"] == ["Bend your right knee more."]
    assert out["mirror-reverse"] == ["Straighten your right leg."]
    assert out["flagged"][0]["field"] == "mirror" and "right angle" in out["flagged"][0]["reason"]


def test_parse_plain_text_sections_and_errors() -> None:
    raw = """Movements:
- Raise your right arm.
Summaries:
1. Raise your right arm above your head.
2. Lift your right hand up.
Reverse summaries:
1. Lower your right arm.
"""
    out = TRANSITION.parse(raw)
    assert out["movements"] == ["Raise your right arm."]
    assert out["mllm"] == ["Raise your right arm above your head.", "Lift your right hand up."]
    assert out["reverse"] == ["Lower your right arm."] and out["mirror"][1] == "Lift your left hand up."
    with pytest.raises(ParseError):
        TRANSITION.parse('{"movements": ["x"], "descriptions": []}')
    with pytest.raises(ParseError):
        TRANSITION.parse("I cannot see the images.")
