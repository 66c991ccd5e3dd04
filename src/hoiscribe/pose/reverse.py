"""Reverse augmentation: the same two poses, from target back to reference.

Paircodes are recomputed with the roles swapped (not negated: a "straighten" in one
direction is a "lean" in the other). Caption fields trade places with their reverse
counterparts; human ``sents`` describe only the forward direction and are not carried over.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hoiscribe.core.records import PosePair

_FIELD_SWAP = {
    "mllm": "reverse",
    "reverse": "mllm",
    "auto": "auto-reverse",
    "auto-reverse": "auto",
    "mirror": "mirror-reverse",
    "mirror-reverse": "mirror",
}
FORWARD_ONLY = ("sents",)


def reverse_pair(pair: PosePair) -> PosePair:
    """Swap reference and target (names, paths, keypoints, sizes, boxes) and the paired caption fields."""
    captions = {_FIELD_SWAP.get(k, k): list(v) for k, v in pair.captions.items() if k not in FORWARD_ONLY}
    sid = pair.sample_id[: -len("~reverse")] if pair.sample_id.endswith("~reverse") else pair.sample_id + "~reverse"
    return replace(
        pair,
        sample_id=sid,
        reference=pair.target,
        target=pair.reference,
        reference_keypoints=pair.target_keypoints,
        target_keypoints=pair.reference_keypoints,
        reference_path=pair.target_path,
        target_path=pair.reference_path,
        reference_size=pair.target_size,
        target_size=pair.reference_size,
        reference_box=pair.target_box,
        target_box=pair.reference_box,
        captions=captions,
    )


def reverse_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Transition facts for the reversed pair: measures and paircodes trade places."""
    m = facts["measures"]
    out = dict(facts, measures={"reference": m["target"], "target": m["reference"]})
    out["paircodes"], out["reverse_paircodes"] = facts.get("reverse_paircodes", []), facts.get("paircodes", [])
    out["reference"], out["target"] = facts.get("target"), facts.get("reference")
    return out
