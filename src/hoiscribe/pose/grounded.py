"""Grounded writer for the ``transition`` task: second-person instructions from paircodes.

Every clause phrases exactly one paircode (a change at or past its threshold), so every
instruction is true of the keypoint change by construction; the seed only picks wordings
and which changes a short summary keeps. Sides are the person's own ("your left" = COCO
``left_*``). The answer is the JSON the transition task asks a VLM for: movements, several
summaries, and the summaries of the reverse transition.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from hoiscribe.geometry.paircodes import Change, changes_from_dicts

NUM_SUMMARIES = 3
MAX_CLAUSES = 4

# (kind, part, direction) -> clause templates; {side} is the person's side, {dir} a lean/turn direction
PHRASES: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("bend", "elbow", "more"): (
        "bend your {side} elbow more",
        "bend your {side} arm more at the elbow",
        "flex your {side} elbow further",
    ),
    ("bend", "elbow", "less"): (
        "straighten your {side} arm",
        "straighten your {side} elbow",
        "extend your {side} arm further",
    ),
    ("bend", "knee", "more"): (
        "bend your {side} knee more",
        "bend your {side} leg more at the knee",
        "flex your {side} knee further",
    ),
    ("bend", "knee", "less"): (
        "straighten your {side} leg",
        "straighten your {side} knee",
        "extend your {side} knee further",
    ),
    ("height", "hand", "up"): ("raise your {side} hand", "lift your {side} arm higher", "bring your {side} hand up"),
    ("height", "hand", "down"): ("lower your {side} hand", "bring your {side} arm down", "drop your {side} hand lower"),
    ("height", "foot", "up"): ("lift your {side} foot", "raise your {side} foot higher", "bring your {side} foot up"),
    ("height", "foot", "down"): ("lower your {side} foot", "put your {side} foot down", "bring your {side} foot down"),
    ("gap", "hands", "closer"): (
        "bring your hands closer together",
        "move your hands closer to each other",
        "narrow the gap between your hands",
    ),
    ("gap", "hands", "apart"): (
        "move your hands farther apart",
        "spread your hands wider apart",
        "widen the gap between your hands",
    ),
    ("gap", "feet", "closer"): (
        "bring your feet closer together",
        "narrow your stance",
        "move your feet closer to each other",
    ),
    ("gap", "feet", "apart"): ("spread your feet farther apart", "widen your stance", "move your feet wider apart"),
    ("lean", "torso", "side"): (
        "lean your upper body to your {dir}",
        "tilt your torso toward your {dir}",
        "lean to your {dir}",
    ),
    ("lean", "torso", "further"): ("lean further to your {dir}", "tilt your torso further toward your {dir}"),
    ("lean", "torso", "forward"): ("lean forward", "tilt your upper body forward"),
    ("lean", "torso", "back"): ("lean back", "lean your upper body backward"),
    ("straighten", "torso", "upright"): (
        "straighten your upper body",
        "bring your torso back upright",
        "stand up straighter",
    ),
    ("turn", "head", "side"): (
        "turn your head to your {dir}",
        "look toward your {dir}",
        "rotate your head to your {dir}",
    ),
}
_ABOVE_HEAD = ("raise your {side} hand above your head", "lift your {side} arm over your head")
# the same change on both sides, said once
BOTH: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("bend", "elbow", "more"): ("bend both elbows more", "bend both arms more at the elbows"),
    ("bend", "elbow", "less"): ("straighten both arms", "straighten both elbows"),
    ("bend", "knee", "more"): ("bend both knees more", "bend both legs more at the knees"),
    ("bend", "knee", "less"): ("straighten both legs", "straighten both knees"),
    ("height", "hand", "up"): ("raise both hands", "lift both arms higher"),
    ("height", "hand", "above"): ("raise both hands above your head", "lift both arms over your head"),
    ("height", "hand", "down"): ("lower both hands", "bring both arms down"),
    ("height", "foot", "up"): ("lift both feet", "raise both feet higher"),
    ("height", "foot", "down"): ("lower both feet", "put both feet down"),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """What one clause says: a change, or the same change on both sides (``both``)."""

    change: Change
    both: bool = False


def _ordered(changes: list[Change]) -> list[Change]:
    """Side-specific changes by salience, then gap changes (usually a consequence of the others)."""
    return sorted(changes, key=lambda c: (c.kind == "gap", -c.salience, c.measure))


def _twins(a: Change, b: Change) -> bool:
    """The same change on the two sides of the body."""
    same = (a.kind, a.part, a.direction, a.above_head) == (b.kind, b.part, b.direction, b.above_head)
    return same and a.side is not None and b.side is not None and a.side != b.side


def units(changes: list[Change]) -> list[Unit]:
    """Side-specific changes first (most salient first), gaps last; left+right twins merged into one unit."""
    ordered = _ordered(changes)
    out: list[Unit] = []
    taken: set[int] = set()
    for i, c in enumerate(ordered):
        if i in taken:
            continue
        twin = next((j for j, o in enumerate(ordered) if j > i and j not in taken and _twins(c, o)), None)
        if twin is not None:
            taken.add(twin)
        out.append(Unit(c, twin is not None))
    return out


def clause(unit: Unit | Change, rng: random.Random) -> str:
    """One lower-case imperative clause stating a unit (or a single change)."""
    if isinstance(unit, Change):
        unit = Unit(unit)
    change = unit.change
    if unit.both:
        key = (change.kind, change.part, "above" if change.above_head else change.direction)
        return rng.choice(BOTH[key])
    if change.kind == "height" and change.above_head:
        options = _ABOVE_HEAD
    elif change.kind in ("lean", "turn") and change.direction in ("left", "right"):
        options = PHRASES[(change.kind, change.part, "further" if change.further else "side")]
    else:
        options = PHRASES[(change.kind, change.part, change.direction)]
    return rng.choice(options).format(side=change.side, dir=change.direction)


def sentence(clauses: list[str]) -> str:
    """'a', 'b', 'c' -> 'A, b and c.'"""
    text = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return text[0].upper() + text[1:] + "."


def summaries(changes: list[Change], rng: random.Random, n: int = NUM_SUMMARIES) -> list[str]:
    """``n`` distinct summaries where possible: the main changes, then shorter ones with other wordings."""
    todo = units(changes)
    if not todo:
        return []
    out: list[str] = []
    sizes = [min(len(todo), MAX_CLAUSES), min(len(todo), 2), 1]
    for i in range(n):
        size = sizes[i] if i < len(sizes) else rng.randint(1, min(len(todo), MAX_CLAUSES))
        for _ in range(6):  # a few tries for a wording not used yet
            picked = todo[:size] if i == 0 else _pick(todo, size, rng)
            text = sentence([clause(u, rng) for u in picked])
            if text not in out:
                break
        out.append(text)
    return out


def _pick(todo: list[Unit], size: int, rng: random.Random) -> list[Unit]:
    """The leading unit plus others drawn at random, in their order."""
    rest = rng.sample(todo[1:], min(size - 1, len(todo) - 1))
    return [todo[0], *sorted(rest, key=todo.index)]


def movements(changes: list[Change], rng: random.Random) -> list[str]:
    """One instruction per changing part, both sides said apart, in the order summaries use."""
    return [sentence([clause(c, rng)]) for c in _ordered(changes)]


def transition(facts: dict[str, Any], rng: random.Random) -> str:
    """The transition task's JSON answer; ``ValueError`` when no change passes a threshold."""
    forward = changes_from_dicts(facts["paircodes"])
    backward = changes_from_dicts(facts.get("reverse_paircodes", []))
    if not forward:
        raise ValueError("no pose change at or past the paircode thresholds")
    n = int(facts.get("num_descriptions", NUM_SUMMARIES))
    answer = {
        "movements": movements(forward, rng),
        "descriptions": summaries(forward, rng, n),
        "reverse": summaries(backward, rng, n),
    }
    return json.dumps(answer)
