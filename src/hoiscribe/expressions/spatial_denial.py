"""Denials the boxes can contradict, in the shapes prose gives them.

"the person who isn't holding anything", "the man carrying nothing" (no thing in the hands: a small
box held over the body, ``held_nothing`` and ``holdable``); "the truck with no car on either side" (a
negated "next to", ``either_side``); "the book with no cup on top", "has nothing on it" (a negated
"below", ``on_top``); "the horse that is not ridden" (a person on it, read in ``spatial_absence``);
"riding" is sitting on the animal or vehicle, so its boxes must overlap, not only touch (``RIDE``).

Completeness, as for every negated claim: a denial is contradicted only by a box that is there and
placed so, never by a box that is missing; what the boxes leave open stays unknown.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.expressions.spatial_absence import ANYTHING, CONTAINERS
from hoiscribe.expressions.spatial_placed import placed_relation
from hoiscribe.expressions.spatial_relations import behind, box_gap, contained, shared, x_overlap, y_overlap
from hoiscribe.expressions.spatial_words import RELATION_WORDS, TOUCH

FLIP = {"top": "bottom", "bottom": "top"}  # "the boat the bird flies above": the boat is below the bird
RIDE = frozenset({"ride", "rides", "riding", "rode", "ridden"})
_OWNING = frozenset({"has", "have", "having", "had", "with", "without"})
_THING = {"anything": False, "nothing": True}  # the word itself denies: "carries nothing"
_SIDES = frozenset({"either", "each", "any"})
_IT = frozenset({"it", "them", "him", "her"})
# what no hand holds: furniture, vehicles and other large things a person stands against or sits on
_NOT_HELD = frozenset({"person", "dining table", "couch", "bed", "bench", "chair", "car", "bus", "truck", "train",
                       "boat", "airplane", "motorcycle", "bicycle", "horse", "elephant", "cow", "bear", "giraffe",
                       "zebra", "toilet", "refrigerator", "oven", "sink", "tv", "potted plant", "fire hydrant",
                       "stop sign", "parking meter", "traffic light", "dog", "cat", "sheep", "bird"})  # fmt: skip
# carried at the side or overhead, so the boxes only touch: an umbrella, a board; not below the holder's feet
_HANDHELD = frozenset({"umbrella", "surfboard", "skateboard", "tennis racket", "baseball bat", "baseball glove", "skis",
                       "snowboard", "frisbee", "handbag", "backpack"})  # fmt: skip
# what stands on the ground however small its box: its bottom is its feet or wheels
_GROUNDED = frozenset({"person", "dog", "cat", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "bird",
                       "bicycle", "motorcycle", "car", "bench", "chair", "fire hydrant", "suitcase"})  # fmt: skip
_SURFACES = frozenset({"dining table", "desk", "table"})  # a thing on the table before a diner is not in the hand


def held_nothing(words: list[str], i: int) -> tuple[int, bool] | None:
    """'holding anything', 'carries nothing' at a contact verb ``i``: (end, whether the word denies), or None."""
    t = words[i]
    if RELATION_WORDS.get(t) != "with" or t in TOUCH or t in _OWNING or t in ("by", "at"):
        return None
    nxt = words[i + 1 : i + 2]
    return (i + 2, _THING[nxt[0]]) if nxt and nxt[0] in _THING else None


def read_held_nothing(reading: Any, i: int) -> int:
    """At a contact verb of ``reading`` ('isn't holding anything', 'carries nothing'): add the claim that nothing
    small is in its hands (negated) and return where the reading goes on; 0 when the words are not that."""
    found = held_nothing(reading.words, i)
    if found is None:
        return 0
    if found[1]:  # "carries nothing": the word itself denies
        reading.negation.update(until=i, at=i, start=reading.toks[i].start)
    reading.add("with", "with", i, found[0], landmark=ANYTHING, attached="referent")
    return found[0]


def either_side(words: list[str], k: int) -> int:
    """The end of 'on either side (of it)' / 'on each side' / 'at any side' / 'at its side' at ``k``, else 0."""
    own = words[k : k + 1] in (["at"], ["by"]) and words[k + 1 : k + 2] in (["its"], ["his"], ["her"], ["their"])
    if not own and (
        words[k : k + 1] not in (["on"], ["at"], ["to"]) or words[k + 1 : k + 2] == [] or words[k + 1] not in _SIDES
    ):
        return 0
    if words[k + 2 : k + 3] not in (["side"], ["sides"]):
        return 0
    end = k + 3
    return end + 2 if words[end : end + 1] == ["of"] and words[end + 1 : end + 2] and words[end + 1] in _IT else end


def on_top(words: list[str], k: int) -> tuple[str, str, bool, int] | None:
    """'(no cup) on it', 'on top', 'on top of it', 'on its back' at ``k``: the referent is right under it, as a placed
    relation (kind, value, strict, end); None otherwise."""
    if words[k : k + 1] != ["on"]:
        return None
    if words[k + 1 : k + 2] and words[k + 1] in _IT:
        return "relation", "bottom", True, k + 2
    if k + 1 == len(words) or words[k + 1] in ("and", "but", "which", "that"):  # "which there is nothing on"
        return "relation", "bottom", True, k + 1
    if words[k + 1 : k + 2] == ["top"] and words[k + 2 : k + 3] != ["of"]:
        return "relation", "bottom", True, k + 2
    if words[k + 1 : k + 2] in (["its"], ["his"], ["her"], ["their"]) and words[k + 2 : k + 3] in (["back"], ["top"]):
        return "relation", "bottom", True, k + 3  # "with nobody on its back": a rider, not someone beside it
    return None


def off_every(target: Any, marks: list[Any]) -> bool:
    """'on the couch', 'with a rider on it': the boxes must meet; True when the target is
    clear of every landmark by more than a few pixels (a tenth of the shortest side of the two, 3 at least)."""
    return bool(marks) and all(box_gap(target, m) > max(3.0, 0.1 * min(_short(target), _short(m))) for m in marks)


def meets_on(target: Any, mark: Any) -> bool:
    """Whether the target may be on ``mark``: the boxes overlap, or the target stands on its top edge (its bottom
    at the mark's top, in line across: a teddy bear on a bed drawn above it, oranges on a bowl's rim)."""
    if not x_overlap(target, mark):
        return False
    tol = max(3.0, 0.1 * min(_short(target), _short(mark)))
    return y_overlap(target, mark) or abs(target.box[3] - mark.box[1]) <= tol


def held_in(thing: Any, container: Any) -> bool:
    """'the empty bowl' is false when a smaller thing lies inside its box (80%) or rests on its rim: its bottom at
    the container's top edge, its centre over the container."""
    if contained(thing, container):
        return True
    over = container.box[0] < thing.cx < container.box[2] and _area(thing) < _area(container)
    return over and abs(thing.box[3] - container.box[1]) <= max(3.0, 0.1 * (container.box[3] - container.box[1]))


def over_another_thing(target: Any, marks: list[Any], objects: list[Any], value: str) -> bool:
    """'the traffic light above the car' while it is clear across of every car and right over a bus: it is above
    the bus, not the car (``value`` 'top': the target above; 'bottom': below)."""
    sign = 1.0 if value == "top" else -1.0
    return any(
        x_overlap(target, o) and sign * target.cy < sign * o.cy
        for o in objects
        if o is not target and o not in marks and o.category != target.category
        and not any(contained(m, o) for m in marks)
    )  # fmt: skip  # the dog at a man's feet is below his handbag too: the bag is on him


def _short(o: Any) -> float:
    return min(o.box[2] - o.box[0], o.box[3] - o.box[1])


def nothing_placed(words: list[str], i: int, options: frozenset[str]) -> tuple[str, str, bool, int] | None:
    """'(has) nothing above them', 'nothing on it' at ``i`` ('nothing'), as ``placed_relation``; 'nothing on it'
    of a container is its emptiness, read elsewhere."""
    return placed_relation(words, i + 1) or (on_top(words, i + 1) if not options & CONTAINERS else None)


def depth(
    negated: bool, target: Any, group: list[Any], marks: list[Any], size: tuple[int, int], claim: Any = None
) -> tuple[bool | None, str]:
    """'behind' / 'in front of' X, as ``spatial_relations.behind``; denied ('not in front of the car', 'the bike the
    man is not standing behind'), it is also true when the target overlaps X by a good part (30% of the smaller
    box) and no other of its kind meets X: one stands in line with the other, whichever is nearer."""
    lower = _nearer(claim, target, marks, size) if claim is not None and not negated else None
    if lower is not None:
        return lower
    if negated:
        for m in marks:
            alone = not any(x_overlap(o, m) and y_overlap(o, m) for o in group if o is not target)
            if alone and shared(target, m) >= 0.3:
                return True, f"it overlaps the {m.category}, alone of its kind: one stands in line with the other"
    return behind(target, group, marks, size)


def _nearer(claim: Any, target: Any, marks: list[Any], size: tuple[int, int]) -> tuple[bool, str] | None:
    """'standing right in front of the calf' while in line with it and standing further back (its feet higher in
    the image than the landmark's, by 2% of the image height): false; the mirror for 'behind'. Only for the plain
    phrase ('in front of X', 'behind X'), not a stranded one ('the bike the man stands behind'), and only for a
    landmark standing on the ground like the target (at least half its height, not a laptop on a desk); of several
    landmarks, those it is in line with (across) are weighed."""
    words = claim.span.lower().split()
    lead = next((w for w in words if w not in ("right", "just", "directly", "standing", "sitting", "is")), "")
    if lead not in ("in", "behind") or words[-1] in ("of", "behind") or not marks:
        return None  # a stranded "in front of" ("the person the dog is sitting in front of") is weighed both ways
    marks = [m for m in marks if x_overlap(target, m)]  # "in front of the giraffe": the one it is in line with
    if not marks:
        return None
    if any(m.box[3] - m.box[1] < 0.5 * (target.box[3] - target.box[1]) and m.category not in _GROUNDED for m in marks):
        return None  # a laptop on a desk before a seated man: its feet are not on the floor (a calf's are)
    tol = 0.02 * size[1]
    front = claim.value == "front"
    if all((target.box[3] < m.box[3] - tol) if front else (target.box[3] > m.box[3] + tol) for m in marks):
        return False, "in line with it, its feet are " + (
            "further back" if front else "nearer"
        ) + " than the landmark's"
    return None


def rests(claim: Any, target: Any, mark: Any) -> bool:
    """'with no bird on it', 'no cup on top of it': a denied 'on' is about a thing resting on the target, so a
    landmark far over it (a bird flying high above the boat) does not count; True for every other claim."""
    if not claim.strict or "on" not in claim.span.lower().split():
        return True
    return box_gap(target, mark) <= 0.1 * (target.box[3] - target.box[1])


def _area(o: Any) -> float:
    return max(0.0, o.box[2] - o.box[0]) * max(0.0, o.box[3] - o.box[1])


def _inside(a: Any, b: Any) -> bool:
    """Most of ``a`` (60%) lies in ``b``: a glass standing on the table."""
    w = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    h = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return _area(a) > 0 and max(0.0, w) * max(0.0, h) >= 0.6 * _area(a)


def holdable(target: Any, marks: list[Any], objects: list[Any]) -> list[Any]:
    """The boxes that 'holding anything' may mean: smaller than the referent, of a kind a hand holds (no
    animal: a dog at a person's feet overlaps the legs), most of it over the referent's box or a thing carried at
    the side or overhead (an umbrella, a surfboard; no lower than the feet), and not standing on a table (a glass
    before a diner); a cup before a seated man, reaching below his box, is not in his hands."""
    tables = [o for o in objects if o.category in _SURFACES]
    return [
        m
        for m in marks
        if m.category not in _NOT_HELD
        and m.category != target.category
        and _area(m) < _area(target)
        and (_inside(m, target) or (m.category in _HANDHELD and m.box[3] <= target.box[3] + 2))
        and not any(_inside(m, s) for s in tables)
    ]


def feet_below(claim: Any, target: Any, marks: list[Any]) -> bool:
    """'the person riding the elephant' whose feet are lower than every elephant's (by 5% of its height): standing
    in front of it, not on it."""
    if claim.negated or target.category != "person" or not marks or not RIDE & set(claim.span.lower().split()):
        return False
    return all(target.box[3] > m.box[3] + 0.05 * (m.box[3] - m.box[1]) for m in marks)


def _meets(a: Any, b: Any) -> bool:
    return x_overlap(a, b) and y_overlap(a, b)


def _stands_by(person: Any, mount: Any) -> bool:
    """Its box meets the mount's with its feet level with the mount's bottom or lower: on the ground beside or
    behind it (a rider's feet are higher, on the pegs or the animal's flanks)."""
    return _meets(person, mount) and person.box[3] >= mount.box[3] - 0.08 * (mount.box[3] - mount.box[1])


def _sits_on(person: Any, mount: Any) -> bool:
    """A rider: its centre over the mount and its feet well above the mount's bottom."""
    h = mount.box[3] - mount.box[1]
    return (
        _meets(person, mount) and mount.box[0] < person.cx < mount.box[2] and person.box[3] <= mount.box[3] - 0.15 * h
    )


def riding(claim: Any, target: Any, group: list[Any], marks: list[Any]) -> tuple[bool | None, str] | None:
    """'riding the motorcycle', 'the motorcycle being ridden', 'with a rider on it': whether the boxes settle it
    (before negation), or None to weigh it as contact. Everyone meeting the mount stands by it, feet on the ground:
    not ridden by them; false when another of its kind is clearly ridden (or rides), unknown otherwise."""
    words = set(claim.span.lower().split())
    if not (RIDE | _RIDERS) & words or not marks:
        return None
    if target.category == "person":
        met = [m for m in marks if _meets(target, m)]
        rival = any(_sits_on(o, m) for o in group if o is not target for m in marks)
        if not met and rival and not claim.negated and RIDE & words:  # beside the horse while another rides one
            return False, "its box meets none of them while another of its kind sits on one"
        if not met or not all(_stands_by(target, m) for m in met):
            return None
        return (False if rival and not claim.negated else None), "its feet are on the ground beside it: it is not on it"
    met = [m for m in marks if _meets(m, target)]
    if not met or not all(_stands_by(m, target) for m in met):
        return None
    rival = any(_sits_on(m, o) for o in group if o is not target for m in marks)
    return (False if rival and not claim.negated else None), "whoever meets it stands beside it, feet on the ground"


_RIDERS = frozenset({"rider", "riders", "jockey", "driver", "biker", "bikers", "cyclist", "motorcyclist"})
