import pytest

from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.checker import CONTRADICTED, SUPPORTED, UNVERIFIABLE, check_record, check_transition
from tests.pose.helpers import STAND, pose

# left knee bends (the left ankle swings in), right hand rises above the head; nothing else moves
REF = pose()
TGT = pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-40, -165), right_wrist=(-50, -210))
FACTS = transition_facts(REF, TGT)


def _types(text: str) -> list[str | None]:
    return [c.type for c in check_transition(text, FACTS).contradicted]


def test_true_texts_pass_with_every_claim_supported() -> None:
    for text in (
        "Bend your left knee more and raise your right hand above your head.",
        "Flex your left leg at the knee, then lift your right arm up.",
        "Raise your right arm higher while bending your left knee.",
        "Bend your left knee more, keeping your right leg straight.",
    ):
        report = check_transition(text, FACTS)
        assert not report.contradicted, (text, report.as_dict())
        assert len(report.supported) >= 2 or "keeping" in text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bend your right knee more.", "side"),  # side swapped
        ("Raise your left hand above your head.", "side"),
        ("Straighten your left knee.", "direction"),  # direction inverted
        ("Lower your right hand.", "direction"),
        ("Bend your left elbow more.", "no_change"),  # wrong part
        ("Straighten your right elbow.", "no_change"),
        ("Turn your head to your left.", "no_change"),
        ("Raise your right foot.", "side"),  # the left foot rose: a side error as much as a wrong part
        ("Bring your hands closer together.", "direction"),
    ],
)
def test_each_corruption_type_is_contradicted_with_its_type(text: str, kind: str) -> None:
    assert kind in _types(text)


def test_one_false_clause_in_a_long_text_is_found() -> None:
    report = check_transition("Bend your left knee more and lower your right hand.", FACTS)
    assert [c.status for c in report.claims] == [SUPPORTED, CONTRADICTED]
    d = report.as_dict()
    assert d["contradicted"] == 1 and d["contradictions"][0]["type"] == "direction"


def test_unclear_frames_and_missing_sides_are_unverifiable_not_contradicted() -> None:
    lean = {n: (x + 0.45 * -y, y) for n, (x, y) in STAND.items() if not n.endswith(("hip", "knee", "ankle"))}
    facts = transition_facts(pose(), pose(**lean))
    assert not check_transition("Lean to your left.", facts).contradicted
    assert check_transition("Lean to your right.", facts).contradicted[0].type == "direction"
    # a bare "the right" is the person's own (pose captions' convention); a head turn to the viewer's
    # side is not measured in the image frame
    assert check_transition("Lean to the right.", facts).contradicted[0].type == "direction"
    report = check_transition("Turn your head to the viewer's left.", facts)
    assert [c.status for c in report.claims] == [UNVERIFIABLE]
    report = check_transition("Bend your knee more.", FACTS)  # no side: true when some knee bends more
    assert [c.status for c in report.claims] == [SUPPORTED]
    report = check_transition("Bend your elbow more.", FACTS)  # and false when no elbow does
    assert [c.status for c in report.claims] == [CONTRADICTED]


def test_hidden_keypoints_make_claims_unverifiable() -> None:
    facts = transition_facts(pose(hidden=("left_ankle",)), pose(hidden=("left_ankle",)))
    assert check_transition("Bend your left knee more.", facts).claims[0].status == UNVERIFIABLE


def test_check_record_uses_the_right_facts_per_field() -> None:
    record = {
        "sample_id": "r",
        "reference_keypoints": REF.as_flat(),
        "target_keypoints": TGT.as_flat(),
        "reference_size": [400, 500],
        "target_size": [400, 500],
    }
    texts = {
        "mllm": ["Bend your left knee more."],
        "reverse": ["Straighten your left knee.", "Bend your left knee more."],
        "mirror": ["Bend your right knee more."],
        "mirror-reverse": ["Straighten your left knee."],
    }
    out = check_record(record, texts)
    assert out["fields"]["mllm"]["contradicted_texts"] == 0
    assert out["fields"]["reverse"]["contradicted_texts"] == 1
    assert out["fields"]["mirror"]["contradicted_texts"] == 0
    assert out["fields"]["mirror-reverse"]["contradicted_texts"] == 1
    assert out["contradicted"] == 2
