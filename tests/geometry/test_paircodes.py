import json
import random

import pytest

from hoiscribe.geometry.paircodes import THRESHOLDS, measures, pair_changes, transition_facts
from hoiscribe.pose.checker import check_transition
from hoiscribe.pose.grounded import summaries, transition
from tests.pose.helpers import STAND, pose


def _codes(ref, tgt) -> set[tuple[str, str, str | None, str]]:
    return {(c.kind, c.part, c.side, c.direction) for c in pair_changes(measures(ref), measures(tgt))}


def test_left_knee_bend_is_the_persons_left_and_nothing_else_changes() -> None:
    ref = pose()
    tgt = pose(left_knee=(40, 60), left_ankle=(-5, 115))  # COCO left_* = the person's left
    assert _codes(ref, tgt) == {("bend", "knee", "left", "more")}
    assert _codes(tgt, ref) == {("bend", "knee", "left", "less")}


def test_hand_raised_above_head_and_hands_apart() -> None:
    tgt = pose(right_elbow=(-50, -165), right_wrist=(-55, -210))
    codes = _codes(pose(), tgt)
    assert ("height", "hand", "right", "up") in codes
    assert ("bend", "elbow", "right", "less") not in codes  # the arm stays straight
    change = next(c for c in pair_changes(measures(pose()), measures(tgt)) if c.kind == "height")
    assert change.above_head
    text = summaries([change], random.Random(0), 1)[0]
    assert "right" in text and ("above your head" in text or "over your head" in text)


def test_gaps_lean_and_head_turn() -> None:
    feet_wide = pose(left_knee=(40, 70), left_ankle=(70, 138), right_knee=(-40, 70), right_ankle=(-70, 138))
    assert ("gap", "feet", None, "apart") in _codes(pose(), feet_wide)
    # torso leaning toward image right = the person's left when they face the camera
    lean = {n: (x + 0.45 * -y, y) for n, (x, y) in STAND.items() if not n.endswith(("hip", "knee", "ankle"))}
    assert ("lean", "torso", None, "left") in _codes(pose(), pose(**lean))
    assert ("straighten", "torso", None, "upright") in _codes(pose(**lean), pose())
    turned = pose(nose=(12, -160), left_eye=(16, -166), right_eye=(4, -166))
    assert _codes(pose(), turned) == {("turn", "head", None, "left")}


def test_back_view_swaps_the_image_direction_of_left() -> None:
    # seen from behind, the person's left shoulder is on the image's left
    back = {n: (-x, y) for n, (x, y) in STAND.items()}
    m = measures(pose(**back))
    assert m["facing"] == "back"
    lean = {n: (x - 0.45 * -y, y) for n, (x, y) in back.items() if not n.endswith(("hip", "knee", "ankle"))}
    assert ("lean", "torso", None, "left") in _codes(pose(**back), pose(**lean))


def test_small_moves_and_hidden_parts_give_no_code() -> None:
    assert _codes(pose(), pose(left_wrist=(40, -26))) == set()
    hidden = pose(hidden=("left_wrist", "left_ankle"))
    moved = pose(left_wrist=(38, -150), left_elbow=(36, -170))
    assert not any(c[2] == "left" and c[1] == "hand" for c in _codes(hidden, moved))
    with pytest.raises(KeyError):
        measures(hidden)["left_hand_height"]


def test_thresholds_live_in_one_table() -> None:
    assert set(THRESHOLDS) >= {"angle", "height", "gap", "lean", "head"}
    for family in ("angle", "height", "gap", "lean", "head"):
        change, still = THRESHOLDS[family]
        assert change > still > 0


@pytest.mark.parametrize("seed", range(6))
def test_grounded_writer_varies_with_seed_and_is_always_true(seed: int) -> None:
    ref = pose()
    tgt = pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-50, -165), right_wrist=(-55, -210))
    facts = dict(transition_facts(ref, tgt), sample_id="p")
    answer = json.loads(transition(facts, random.Random(seed)))
    assert len(answer["descriptions"]) == 3 and len(set(answer["descriptions"])) == 3
    for text in answer["descriptions"] + answer["movements"]:
        report = check_transition(text, facts)
        assert report.supported and not report.contradicted, text
        assert "your" in text.lower()
    assert any("left knee" in t or "left leg" in t for t in answer["movements"])
    reverse_facts = {"measures": {"reference": facts["measures"]["target"], "target": facts["measures"]["reference"]}}
    assert all(not check_transition(t, reverse_facts).contradicted for t in answer["reverse"])


def test_wording_differs_across_seeds() -> None:
    facts = transition_facts(pose(), pose(left_knee=(40, 60), left_ankle=(-5, 115)))
    texts = {json.loads(transition(facts, random.Random(s)))["descriptions"][0] for s in range(12)}
    assert len(texts) >= 2


def test_no_change_is_an_error_not_an_empty_text() -> None:
    with pytest.raises(ValueError, match="no pose change"):
        transition(transition_facts(pose(), pose()), random.Random(0))
