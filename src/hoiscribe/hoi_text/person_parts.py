"""Which body parts HAKE lists for a person in any of their pairs: the rest acts on none of them.

Why: HAKE annotates part states per HOI label and lists only the active parts, and HICO
repeats a person once per label. A part that no label of this person lists (with this object
or any other) does nothing with any annotated object, so it is in no_interaction with the
pair's object: "her left hand also grips the umbrella" is false when only the right hand is
listed in every pair of hers. ``add_person_parts`` writes that union into each pair's facts
(``person_parts``); :func:`with_absent_parts` reads it. It also writes
``person_verbs``: the verbs any label of this person has with an object of this pair's category
("talking on her phone" is true when another pair of hers, same phone, is ``talk_on``), and the
distinct annotated objects per category of the person (``object_counts``) and of the image
(``image_object_counts``; see :mod:`hoiscribe.hoi_text.object_counts`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from hoiscribe.datasets.context import SAME_BOX_IOU, iou_matrix
from hoiscribe.hoi_text.object_counts import object_counts
from hoiscribe.vocab.hake import HAKE_PARTS


def _image_of(facts: dict[str, Any]) -> str:
    sample_id = str(facts.get("sample_id", ""))
    return sample_id.rsplit("#", 1)[0]


def add_person_parts(all_facts: list[dict[str, Any]]) -> None:
    """Set ``person_parts`` on every pair whose person has all labels part-annotated (in place).

    Pairs of one image (``sample_id`` ``<image>#<n>``) belong to the same person when their
    person boxes overlap by at least ``SAME_BOX_IOU`` (the rule ``people_in_image`` counts people
    with). A pair whose ``pair_verbs`` name a label missing from the records gets nothing.
    """
    by_image: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in all_facts:
        if isinstance(f, dict) and f.get("person_box") is not None and "#" in str(f.get("sample_id", "")):
            by_image[_image_of(f)].append(f)
    for group in by_image.values():
        boxes = np.array([f["person_box"] for f in group], dtype=np.float64)
        same = iou_matrix(boxes) >= SAME_BOX_IOU
        in_image = object_counts(group)
        for i, f in enumerate(group):
            mates = [group[j] for j in np.flatnonzero(same[i])]
            f["object_counts"], f["image_object_counts"] = object_counts(mates), dict(in_image)  # lower bounds
            category = (f.get("object") or {}).get("category")
            f["person_verbs"] = sorted({
                (m.get("interaction") or {}).get("verb") for m in mates
                if category is not None and (m.get("object") or {}).get("category") == category
            } - {None, "no_interaction"})  # fmt: skip
            if not all(m.get("part_states_annotated") for m in mates):
                continue  # some label of this person has no part states: nothing is known to be idle
            labels = {(m.get("interaction") or {}).get("verb") for m in mates}
            if not set(f.get("pair_verbs") or ()) <= labels:
                continue  # a label of this pair is not among the records: its parts are unknown
            f["person_parts"] = sorted({ps["part"] for m in mates for ps in m.get("part_states", ())})


def with_absent_parts(facts: dict[str, Any]) -> dict[str, Any]:
    """Parts HAKE leaves out of an annotated pair are in no_interaction with its object.

    With ``person_parts`` (see :mod:`hoiscribe.hoi_text.person_parts`): every part that no
    label of this person lists. Without it, only when the pair has this one label: HAKE
    annotates part states per label, and a part idle for one label of a pair (straddle) may act
    under another (ride holds the handlebars). Hidden parts are not absent, only unseen.
    """
    if not facts.get("part_states_annotated") or facts.get("interaction") is None:
        return facts
    listed = facts.get("person_parts")
    if listed is None:
        label = facts["interaction"]["verb"]
        if set(facts.get("pair_verbs") or [label]) - {label}:
            return facts
        listed = ()
    seen = {ps["part"] for ps in facts.get("part_states", ())} | set(facts.get("hidden_parts", ())) | set(listed)
    absent = [p for p, *_ in HAKE_PARTS if p not in seen and p not in facts.get("idle_parts", ())]
    return dict(facts, idle_parts=sorted({*facts.get("idle_parts", ()), *absent}), absent_parts=absent)
