"""A synthetic retrieval task drawn with the pose demo's body model: a tiny vocabulary of moves.

Poses are the 16 on/off states of (left arm, right arm, left leg, right leg), each drawn twice
at random placements. ``moves``: the text names one move ("raise your left arm") and the
target is the reference with that limb toggled, drawn in the other variant, so reference
and text together determine it. ``states``: the text names the whole target pose
("left arm up, right arm down, ..."), so the text alone determines the target state.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

from hoiscribe.pose.demo import BodyParams, _placed, body_points, draw_pose

PARTS = {"arm": (10.0, 150.0), "leg": (0.0, 55.0)}
SLOTS = [(part, side) for part in PARTS for side in ("left", "right")]
MOVES = {("arm", True): "raise your {s} arm", ("arm", False): "lower your {s} arm",
         ("leg", True): "lift your {s} leg", ("leg", False): "put your {s} leg down"}  # fmt: skip
STATE_WORDS = {"arm": ("down", "up"), "leg": ("down", "out")}


def _state_text(state: tuple[int, ...]) -> str:
    return ", ".join(f"{side} {part} {STATE_WORDS[part][on]}" for (part, side), on in zip(SLOTS, state, strict=True))


def write_task(root: Path, texts: str = "moves", seed: int = 0) -> Path:
    """Images, captions (train = test) and gallery of the task under ``root``; chance R@1 is 1/31."""
    rng = random.Random(seed)
    (root / "images").mkdir(parents=True, exist_ok=True)
    names: dict[tuple[tuple[int, ...], int], str] = {}
    states = list(itertools.product((0, 1), repeat=len(SLOTS)))
    for state in states:
        for variant in (0, 1):
            params = BodyParams()
            for (part, side), on in zip(SLOTS, state, strict=True):
                params = params.with_value(part, side, PARTS[part][on])
            name = "pose_" + "".join(map(str, state)) + f"_{variant}.png"
            draw_pose(_placed(body_points(params), rng)).save(root / "images" / name)
            names[state, variant] = name
    entries: list[dict[str, Any]] = []
    for state in states:
        for i, (part, side) in enumerate(SLOTS):
            new = list(state)
            new[i] = 1 - state[i]
            text = MOVES[part, bool(new[i])].format(s=side) if texts == "moves" else _state_text(tuple(new))
            for variant in (0, 1):
                entries.append({"reference": names[state, variant], "target": names[tuple(new), 1 - variant],
                                "img_set": "synthetic", "sents": [text]})  # fmt: skip
    rng.shuffle(entries)
    for split in ("train", "test"):
        for folder, data in (("captions", entries), ("image_splits", sorted(names.values()))):
            (root / folder).mkdir(exist_ok=True)
            (root / folder / f"{split}.json").write_text(json.dumps(data))
    return root
