"""Pose claims in a clause: bends ("his left arm is bent"), hand height, hands/feet spread, torso.

Why apart from :mod:`hoiscribe.hoi_text.claims`: pose words are read with phrase lists of their
own and judged against keypoints (:mod:`hoiscribe.hoi_text.pose_judge`), not part states.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, PoseClaim

_BENDS = (("sharply bent", "sharply bent"), ("slightly bent", "slightly bent"), ("fully extended", "straight"),
          ("extended straight", "straight"), ("held straight", "straight"), ("is straight", "straight"),
          ("are straight", "straight"), ("bent", "bent"), ("flexed", "bent"))  # fmt: skip
_LIMB_WORDS = frozenset({"arm", "arms", "elbow", "elbows", "forearm", "forearms", "leg", "legs", "knee", "knees"})
_SPREAD = (("close together", "close together"), ("far apart", "far apart"), ("wide apart", "wide apart"))
_TORSO = (
    ("left side of the image", "leaning image-left"),
    ("right side of the image", "leaning image-right"),
    ("roughly horizontal", "horizontal"),
    ("horizontal", "horizontal"),
    ("upright", "upright"),
)


def poses(sentence: str, text: str, ref: PartRef, out: list[AnyClaim]) -> bool:
    found = False
    if ref.word in _LIMB_WORDS:
        code = "elbow" if ref.group == "arm" else "knee"
        for phrase, value in _BENDS:
            if re.search(r"\b" + phrase + r"\b", text) and not re.search(r"\bnot (?:\w+ )?" + phrase, text):
                for side in ref.sides:
                    out.append(PoseClaim(sentence, code, side, value, ref))
                found = True
                break
    if ref.group in ("hand", "arm") and re.search(r"\b(raised|lifted|held up|(?:is|are) above)\b", text):
        value = None
        if re.search(r"\b(above|over) (?:the |his |her |their )?head\b|\boverhead\b", text):
            value = "above head"
        elif re.search(r"\bshoulder", text):
            value = "above shoulder"
        if value is not None:
            for side in ref.sides:
                out.append(PoseClaim(sentence, "hand_height", side, value, ref))
            found = True
    if ref.word in ("hands", "feet") and ref.mode == "both":
        for phrase, value in _SPREAD:
            if phrase in text:
                out.append(PoseClaim(sentence, ref.word, None, value, ref))
                found = True
    return found


_TORSO_WORDS = re.compile(r"\b(upper body|torso|the body|his body|her body|their body)\b")


def torso(sentence: str, low: str) -> list[AnyClaim]:
    if ("body" not in low and "torso" not in low) or not _TORSO_WORDS.search(low):
        return []
    for phrase, value in _TORSO:
        if phrase in low:
            return [PoseClaim(sentence, "torso", None, value, None)]
    return []
