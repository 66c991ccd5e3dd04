"""Judging pose claims (bends, hand height, spread, torso) against keypoints, and person counts.

Why apart from :mod:`hoiscribe.hoi_text.checker`: these claims are settled by geometry and by
the number of annotated people, not by HAKE part states or HICO verbs.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim
from hoiscribe.hoi_text.claim_rules import (
    BEND_SCALE,
    HEIGHT_SCALE,
    POSE_TOLERANCE,
    SPREAD_SCALE,
    TORSO_CLASH,
    actual_pose,
    part_name,
)
from hoiscribe.hoi_text.claim_types import CountClaim, PoseClaim

_OTHER = {"left": "right", "right": "left"}


def _pose_part(code: str, side: str | None) -> str:
    return part_name({"elbow": "arm", "knee": "leg", "hand_height": "hand"}[code], side)


def judge_pose(claim: PoseClaim, facts: dict[str, Any]) -> Claim:
    text = claim.text
    if claim.code in ("hands", "feet", "torso"):
        return _judge_whole_body(claim, facts)
    if claim.side is None:
        return Claim(text, "pose", UNVERIFIABLE, "no side given")
    part = _pose_part(claim.code, claim.side)
    if part in facts.get("hidden_parts", ()):
        return Claim(text, "pose", CONTRADICTED, f"the {part} is not visible", "invisible_part")
    scale = BEND_SCALE if claim.code in ("elbow", "knee") else HEIGHT_SCALE
    want = scale[claim.value]

    def agrees(actual: set[int] | None) -> bool | None:
        return None if actual is None else any(abs(a - want) <= POSE_TOLERANCE for a in actual)

    mine = agrees(actual_pose(facts, claim.code, claim.side))
    if mine is None:
        return Claim(text, "pose", UNVERIFIABLE)
    if mine:
        return Claim(text, "pose", SUPPORTED)
    other = _OTHER[claim.side]
    if _pose_part(claim.code, other) not in facts.get("hidden_parts", ()) and agrees(
        actual_pose(facts, claim.code, other)
    ):
        return Claim(text, "pose", CONTRADICTED, f"it is the {other} side that is {claim.value}", "left_right_swap")
    return Claim(text, "pose", CONTRADICTED, f"keypoints rule out {claim.value} for the {part}", "pose")


def _judge_whole_body(claim: PoseClaim, facts: dict[str, Any]) -> Claim:
    codes = {pc["code"]: pc["value"] for pc in facts.get("posecodes", ()) if pc["side"] is None}
    actual = codes.get(claim.code)
    if claim.code == "torso":
        if actual is None:
            return Claim(claim.text, "pose", UNVERIFIABLE)
        if (claim.value, actual) in TORSO_CLASH:
            return Claim(claim.text, "pose", CONTRADICTED, f"keypoints show the body {actual}", "pose")
        return Claim(claim.text, "pose", SUPPORTED if actual == claim.value else UNVERIFIABLE)
    scale = SPREAD_SCALE[claim.code]
    if actual is None:
        joint = "wrist" if claim.code == "hands" else "ankle"
        visible = set(facts.get("visible_keypoints", ()))
        needed = {f"left_{joint}", f"right_{joint}", "left_shoulder", "right_shoulder", "left_hip", "right_hip"}
        actual = "between" if needed <= visible else None
    if actual is None:
        return Claim(claim.text, "pose", UNVERIFIABLE)
    if abs(scale[actual] - scale[claim.value]) > POSE_TOLERANCE:
        return Claim(claim.text, "pose", CONTRADICTED, f"keypoints show the {claim.code} {actual}", "pose")
    return Claim(claim.text, "pose", SUPPORTED)


def judge_count(claim: CountClaim, facts: dict[str, Any]) -> Claim:
    """Annotated people are a lower bound: only 'alone' / 'nobody else' or an upper bound below it can be false."""
    known = facts.get("people_in_image")
    if known is None:
        return Claim(claim.text, "count", UNVERIFIABLE, "people in the image unknown")
    if (facts.get("object") or {}).get("category") == "person":
        known = max(known, 2)  # the pair's object is a second person
    if claim.n == 1 and not claim.at_least and known >= 2:
        return Claim(claim.text, "count", CONTRADICTED, f"{known} annotated persons, text says alone", "person_count")
    if claim.at_most is not None and known > claim.at_most:
        why = f"{known} annotated persons, text says at most about {claim.n}"
        return Claim(claim.text, "count", CONTRADICTED, why, "person_count")
    if known >= claim.n:
        return Claim(claim.text, "count", SUPPORTED)
    return Claim(claim.text, "count", UNVERIFIABLE, f"{known} annotated; HICO-DET does not annotate everyone")
