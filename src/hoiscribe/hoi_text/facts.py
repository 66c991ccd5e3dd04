"""The structured facts of a sample: what any text about it must agree with.

One JSON-able dict, used three ways: rendered into prompts, phrased by the grounded engine,
and checked against by the grounding checker. Parts whose keypoints are all invisible are
listed as hidden (only when the sample has keypoints at all) and never described.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.core.records import Sample
from hoiscribe.datasets import codec
from hoiscribe.geometry.posecodes import posecodes
from hoiscribe.vocab.hake import PART_KEYPOINTS


def sample_facts(sample: Sample) -> dict[str, Any]:
    """Facts of one sample; cheap enough to call per sample per stage."""
    person = sample.person
    kps = person.keypoints.as_coco17() if person.keypoints is not None else None
    keypoints_known = kps is not None and kps.num_visible > 0
    hidden: list[str] = []
    if keypoints_known:
        hidden = [part for part, names in PART_KEYPOINTS.items() if not any(kps.visible(n) for n in names)]
    states, idle = [], []
    for ps in person.part_states:
        if ps.is_no_interaction:
            idle.append(ps.part)
        elif ps.part not in hidden:
            states.append({"part": ps.part, "group": ps.group, "side": ps.side, "state": ps.state})
    facts: dict[str, Any] = {
        "sample_id": sample.sample_id,
        "image_size": [sample.width, sample.height],
        "person_box": person.box.as_xyxy(),
        "people_in_image": sample.extra.get("people_in_image"),
        "interaction": None,
        "object": None,
        "part_states": states,
        "idle_parts": sorted(set(idle)) if idle else [],
        "part_states_annotated": bool(person.part_states),
        "keypoints_known": keypoints_known,
        "hidden_parts": hidden,
        "visible_keypoints": [n for n in kps.layout.names if kps.visible(n)] if keypoints_known else [],
        "posecodes": [pc.as_dict() for pc in posecodes(kps)] if keypoints_known else [],
    }
    if sample.interaction is not None:
        it = sample.interaction
        facts["interaction"] = {"hoi_id": it.hoi_id, "verb": it.verb, "object": it.object}
        if "pair_verbs" in sample.extra:
            facts["pair_verbs"] = sample.extra["pair_verbs"]
    if sample.object is not None:
        facts["object"] = {
            "category": sample.object.category,
            "box": sample.object.box.as_xyxy(),
        }
    return facts


_STATE_FACTS_MAX = 1 << 14
# packed part states -> (their facts, sorted idle parts): the same for every sample with the same states.
# The part-state dicts are shared by those samples' facts (every writer and checker only reads facts)
_STATE_FACTS: dict[tuple[tuple[int, int], ...], tuple[tuple[dict[str, Any], ...], tuple[str, ...]]] = {}


def _state_facts(packed_states: list[Any]) -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
    states, idle = [], []
    for a, b in packed_states:
        ps = codec.part_state_of(a, b)
        if ps.state == "no_interaction":
            idle.append(ps.part)
        else:  # no keypoints: no part is hidden
            states.append({"part": ps.part, "group": ps.group, "side": ps.side, "state": ps.state})
    return tuple(states), tuple(sorted(set(idle)))


def packed_state_facts(
    packed_states: list[Any],
) -> tuple[tuple[tuple[int, int], ...], tuple[dict[str, Any], ...], tuple[str, ...]]:
    """(key, part-state facts, sorted idle parts) of a packed sample's part states, memoised by the key
    (the states' ids, in order), of which they are a pure function when the sample has no keypoints."""
    key = tuple(map(tuple, packed_states))
    known = _STATE_FACTS.get(key)
    if known is None:
        if len(_STATE_FACTS) >= _STATE_FACTS_MAX:
            _STATE_FACTS.clear()
        known = _STATE_FACTS[key] = _state_facts(packed_states)
    return key, known[0], known[1]


def packed_facts(data: list[Any]) -> dict[str, Any] | None:
    """``sample_facts(unpack(data))`` read straight from a packed sample (``datasets.codec``), equal key
    for key, without building the ``Sample``; None for what this cannot read (keypoints: their
    posecodes need the arrays; anything not an "S" list), which the caller unpacks."""
    if data[0] != "S" or data[codec.KEYPOINTS] is not None:
        return None
    packed_states = data[codec.STATES]
    _key, states, idle = packed_state_facts(packed_states)
    box, extra, hoi, obj = data[codec.BOX], data[codec.EXTRA], data[codec.HOI], data[codec.OBJECT]
    facts: dict[str, Any] = {
        "sample_id": data[codec.SAMPLE_ID],
        "image_size": [data[codec.WIDTH], data[codec.HEIGHT]],
        "person_box": box[:4],
        "people_in_image": extra.get("people_in_image"),
        "interaction": None,
        "object": None,
        "part_states": list(states),
        "idle_parts": list(idle),
        "part_states_annotated": bool(packed_states),
        "keypoints_known": False,
        "hidden_parts": [],
        "visible_keypoints": [],
        "posecodes": [],
    }
    if hoi is not None:
        facts["interaction"] = {"hoi_id": hoi[0] + 1, "verb": hoi[1], "object": hoi[2]}
        if "pair_verbs" in extra:
            facts["pair_verbs"] = extra["pair_verbs"]
    if obj is not None:
        facts["object"] = {"category": obj[1], "box": obj[0][:4]}
    return facts
