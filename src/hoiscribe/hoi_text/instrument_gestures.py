"""What an instrument hand's verb does when it names no object: a gesture with no target or at someone
('waves with the other', 'points to the crowd with his left hand'), the instrument's own 'with' ('points
with his left hand' is no 'point with' a thing), a fixture of the place the hand acts on.

Why apart from :mod:`hoiscribe.hoi_text.person_claims`: each reads only the words of the verb's phrase
after the verb, while that module walks the clause and its instruments.
"""

from __future__ import annotations

from hoiscribe.hoi_text.claim_rules import cluster
from hoiscribe.hoi_text.scene_nouns import scene_fixture
from hoiscribe.hoi_text.subjects import is_person_noun

_NO_TARGETS = frozenset({"crowd", "camera", "photographer", "audience", "spectators", "onlookers", "fans", "sky",
                         "passersby", "everyone", "somebody", "someone", "lens", "viewer"})  # fmt: skip


def aimless(group: str, states: frozenset[str], rest: list[str]) -> bool:
    """A hand's gesture (point, gesture, reach) at someone or something that is no object ('to the crowd')."""
    if group != "hand" or not all(cluster("hand", s) == "gesture" for s in states):
        return False
    k = 1 if rest[:1] in (["to"], ["at"], ["toward"], ["towards"]) else 0
    words = [w for w in rest[k : k + 3] if w not in ("the", "a", "an", "his", "her", "their", "some")]
    if not words or (k == 0 and rest[:1] == words[:1]):  # a target after a preposition or a determiner
        return False
    return words[0] in _NO_TARGETS or is_person_noun(words[0], "the")  # "waves the waiter over"


GRASP = frozenset({"hold", "carry", "hold in both hands"})  # what a gesturing hand is not doing meanwhile


def instrument_particle(group: str, window: list[str], state: tuple[int, frozenset[str]]) -> frozenset[str]:
    """'points with his left hand': the 'with' is the instrument's, not the verb's particle ('point with' a
    thing), so the verb keeps its other states."""
    if window[-1:] != ["with"] or " with" not in " ".join(state[1]):
        return state[1]
    other = frozenset(st for st in state[1] if " with" not in st)
    return other or state[1]


def fixture_after(window: list[str], at: int) -> bool:
    """A fixture of the place within the verb's phrase ('holds onto the handrail', 'steadies himself against the
    wall'): the hand acts on it, not on the object."""
    words = window[at : at + 5]
    return any(scene_fixture(words[k:]) for k, w in enumerate(words) if w in _DETERMINER_WORDS)


_DETERMINER_WORDS = frozenset({"the", "a", "an", "his", "her", "their"})


def untargeted(group: str, states: frozenset[str], rest: list[str]) -> bool:
    """A hand's gesture with nothing after it but the instrument's 'with' (or 'at something'): no target."""
    if group != "hand" or not all(cluster("hand", s) == "gesture" for s in states):
        return False
    k = 1 if rest[:1] in (["to"], ["at"], ["toward"], ["towards"]) else 0
    k += 1 if rest[k : k + 1] in (["something"], ["someone"], ["somebody"]) else 0
    return rest[k:] == ["with"]
