"""What is not there: empty seats and containers, and "nobody" / "nothing" as a landmark.

"the empty chair", "the bench nobody sits on", "the bowl with nothing in it" (``seat_claim``,
``container_empty``; re-exported by ``spatial_scope``, where ``spatial_parse`` asks for them); "the car
that nobody is standing near" (a negated person beside it); "the books that have nothing above them",
"with nothing in front of them" (a negated relation to ``ANYTHING``, every other box).

Completeness, per claim: a negated claim is contradicted only by a box that is there (a person beside
the car, a vase over the books, a bowl overlapping a seated person and reaching lower), never by a box
that is missing, so unannotated things never make a false flag; what the boxes leave open is unknown.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.expressions.spatial_words import RELATION_WORDS

NOBODY = frozenset({"nobody", "noone"})  # and "no one": a negated person
EMPTY_WORDS = frozenset({"empty", "unoccupied", "vacant"})
# what "empty" can settle from boxes: nobody sits in or on it
SEATS = frozenset({"chair", "couch", "bench", "bed", "toilet", "boat", "car", "bus", "train", "truck", "airplane",
                   "motorcycle", "bicycle", "horse", "elephant", "skateboard", "surfboard"})  # fmt: skip


OCCUPIED_WORDS = frozenset({"occupied", "taken"})
SEAT_WORDS = EMPTY_WORDS | OCCUPIED_WORDS | NOBODY | {"no"}  # where a seat claim may start
_SEAT_VERBS = frozenset({"sit", "sits", "sitting", "sat", "seated", "use", "uses", "using", "used", "occupies",
                         "occupy", "occupying", "rides", "riding", "ride", "on", "in"})  # fmt: skip


def seat_claim(
    words: list[str], i: int, noun: tuple[frozenset[str], int] | bool | None, options: frozenset[str], people: bool
) -> tuple[bool, int] | None:
    """'empty' / 'unoccupied' (True) or 'occupied' (False) about a seat or vehicle, or 'nobody sits on it'
    (True), as (empty, end); None when the word is not about a seat or the image has no person."""
    if not people:
        return None
    kinds = noun[0] if isinstance(noun, tuple) else options
    if not kinds & SEATS:
        return None
    if words[i] in EMPTY_WORDS or words[i] in OCCUPIED_WORDS:
        return words[i] in EMPTY_WORDS, i + 1
    start = nobody_at(words, i)
    if start and options & SEATS:
        verb = next((k for k in range(i + start, min(i + start + 3, len(words))) if words[k] in _SEAT_VERBS), None)
        if verb is not None:
            return True, verb + 1
    return None


_BE = frozenset({"is", "are", "was", "were", "looks", "look", "stays", "remains", "left", "sits", "stands"})
CONTAINERS = frozenset({"bowl", "cup", "vase", "sink", "plate", "basket", "box", "bucket", "tray", "pot", "pan"})


def container_empty(
    words: list[str], i: int, noun: tuple[frozenset[str], int] | bool | None, options: frozenset[str]
) -> int:
    """The end of 'empty' before a container noun ('the empty bowl') or of 'nothing in / on / inside (it)'
    after one ('the bowl with nothing in it', 'the bowl that is empty'); 0 when neither is there."""
    if words[i] == "empty" and isinstance(noun, tuple) and noun[0] & CONTAINERS:
        return i + 1
    if words[i] == "empty" and options & CONTAINERS and i and words[i - 1] in _BE:  # "the bowl that is empty"
        return i + 1
    if words[i] == "nothing" and options & CONTAINERS and words[i + 1 : i + 2] in (["in"], ["on"], ["inside"]):
        return i + 2 + (words[i + 2 : i + 3] == ["it"])
    return 0


_AUX = frozenset({"is", "are", "was", "were", "s", "has", "been"})
_POSTURES = frozenset({"stand", "stands", "sit", "sits", "lie", "lies", "wait", "waits", "stay", "stays", "be"})
_PRONOUNS = frozenset({"it", "them", "him", "her"})
# using or handling a thing takes touching it: "the laptop nobody is using", "the dog no one is petting"
_USE = frozenset({"use", "uses", "using", "pet", "pets", "petting", "walk", "walks", "walking", "feed", "feeds",
                  "feeding", "hug", "hugs", "hugging", "push", "pushes", "pushing", "pull", "pulls", "pulling",
                  "working", "works", "playing", "plays", "typing", "types", "drinking", "eating"})  # fmt: skip
_SOMEONE = frozenset({"one", "person", "people", "man", "men", "woman", "women", "human", "humans", "rider", "riders"})
# owning and place words: "nobody has ...", "nobody in it" are not someone holding the referent
_NOT_CONTACT = frozenset({"has", "have", "having", "with", "without", "on", "in", "at", "inside", "against", "onto"})


def nobody_at(words: list[str], i: int) -> int:
    """How many words at ``i`` name a negated person: 'nobody' (1), 'no one', 'no person', 'no people' (2)."""
    if words[i] in NOBODY:
        return 1
    if words[i] in ("none", "neither") and words[i + 1 : i + 3] == ["of", "the"] and words[i + 3 : i + 4]:
        return 4 if words[i + 3] in _SOMEONE else 0  # "the umbrella none of the people is holding"
    return 2 if words[i] == "no" and words[i + 1 : i + 2] and words[i + 1] in _SOMEONE else 0


def nobody_relation(words: list[str], i: int) -> tuple[int, str, str] | None:
    """'(the car that) nobody is standing near', 'no one sits next to (it)', '(the umbrella) nobody holds',
    'no person is riding': a negated person beside the referent or holding it, as (end, kind, value) with
    kind 'next' ('near' or 'next') or 'with'; None when the words at ``i`` are not that. The caller checks
    that the clause ends there (a landmark after it would be another thing's place)."""
    k = i + nobody_at(words, i)
    if k == i:
        return None
    while k < len(words) and words[k] in _AUX:
        k += 1
    if k < len(words) and (
        (RELATION_WORDS.get(words[k]) == "with" and words[k] not in _NOT_CONTACT) or words[k] in _USE
    ):
        k += 1 + (
            words[k + 1 : k + 2] in (["on"], ["in"], ["at"], ["onto"], ["with"])
        )  # "nobody is using", "working on"
        return k + (k < len(words) and words[k] in _PRONOUNS), "with", "with"
    if k < len(words) and (words[k] in _POSTURES or words[k].endswith("ing")):
        k += 1
    if k < len(words) and words[k] in ("under", "beneath", "underneath", "below"):  # "the umbrella nobody is under"
        return k + 1 + (k + 1 < len(words) and words[k + 1] in _PRONOUNS), "relation", "top"
    depth = 1 if words[k : k + 1] == ["behind"] else 3 if words[k : k + 3] == ["in", "front", "of"] else 0
    if depth:  # "the bike nobody is standing behind": depth is not in the boxes, overlap is (as "without")
        return k + depth + (k + depth < len(words) and words[k + depth] in _PRONOUNS), "with", "with"
    two = words[k : k + 2] in (["next", "to"], ["close", "to"])
    if not two and words[k : k + 1] not in (["near"], ["beside"], ["by"], ["nearby"], ["around"]):
        return None
    k += 1 + two
    value = "near" if words[k - 1] in ("near", "nearby", "around") or words[k - 2 : k] == ["close", "to"] else "next"
    return k + (k < len(words) and words[k] in _PRONOUNS), "next", value


_PARTICIPLES = frozenset({"used", "petted", "walked", "fed", "hugged", "pushed", "pulled", "held", "carried", "ridden",
                          "touched", "worn", "played"})  # fmt: skip


_BARE = frozenset({"not", "never", "isn't", "aren't", "wasn't", "weren't"})  # denied only: "is ridden" may be a state


def passive_use(words: list[str], i: int) -> int:
    """The end of 'being used' / 'being held' at ``i`` with no agent after it ('the laptop that is not being
    used'): someone touches it; 0 when that is not there. The caller checks that the clause ends there."""
    if words[i] in _PARTICIPLES and i and words[i - 1] in _BARE:  # "the horse that is not ridden"
        return i + 1 + (words[i + 1 : i + 2] in (["on"], ["with"]))
    if words[i] != "being" or words[i + 1 : i + 2] == [] or words[i + 1] not in _PARTICIPLES:
        return 0
    return i + 2 + (words[i + 2 : i + 3] in (["on"], ["with"]))


ANYTHING = "*"  # the landmark of "nothing above them": every other box in the image
OWNING = frozenset({"has", "have", "having", "had", "with"})


def something_in_front(target: Any, objects: list[Any]) -> tuple[bool | None, str]:
    """Whether another box stands in front of ``target``: it overlaps a good part of it (30% of the smaller
    box) and reaches lower in the image (nearer the camera on a floor or a table), like a bowl before a seated
    person; None otherwise (boxes cannot tell that nothing is in front)."""
    x1, y1, x2, y2 = target.box
    for o in objects:
        if o is target:
            continue
        w = min(x2, o.box[2]) - max(x1, o.box[0])
        h = min(y2, o.box[3]) - max(y1, o.box[1])
        small = min((x2 - x1) * (y2 - y1), (o.box[2] - o.box[0]) * (o.box[3] - o.box[1]))
        if w > 0 and h > 0 and small > 0 and w * h >= 0.3 * small and o.box[3] > y2 + 0.5:
            return True, f"the {o.category} overlaps it and reaches lower: it stands in front of it"
    return None, "no box stands in front of it"
