"""The structured facts of a sample: what any text about it must agree with.

One JSON-able dict, used three ways: rendered into prompts, phrased by the grounded engine,
and checked against by the grounding checker. Parts whose keypoints are all invisible are
listed as hidden (only when the sample has keypoints at all) and never described.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.core.records import Sample
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
