"""Nouns after a part's or a verb's predicate that name something other than the pair's object.

Why apart from :mod:`hoiscribe.hoi_text.part_preds`: these read the noun phrase after a state (a
determiner and an unknown noun, a fixture of the place, a possessor, 'the X of Y') to say the part acts
on something else ('holds a lantern', 'rests on the window frame', 'grabs a friend's arm'), while that
module reads the bare contact prepositions and the ground.
"""

from __future__ import annotations

from hoiscribe.hoi_text.part_preds import GROUND

_DETS = frozenset({"a", "an", "the", "his", "her", "their", "some", "two", "several", "its"})


def slot_noun(pred: list[str], objects: frozenset[str] | None, start: int | None = None) -> frozenset[str] | None:
    """No object found, but a determiner and an unknown noun follow ('holds a lantern'): something else.

    Only when the determiner comes right after the predicate's words (within three tokens), so
    'grips it tightly as the bus turns' keeps its object.
    """
    if objects is not None:
        return objects
    from hoiscribe.hoi_text.claim_words import NOT_THE_OBJECT, PREPOSITIONS, object_re
    from hoiscribe.hoi_text.clause_objects import MODIFIER_PARTS, modifies
    from hoiscribe.hoi_text.phrases import FILLERS, OBJECT_PARTS, verb_index

    if start is not None:  # "holding trekking poles": a bare plural noun right after the state
        words = [w for w in pred[start : start + 3] if w not in FILLERS]
        for k, w in enumerate(words[:2]):
            last = k + 1 == len(words) or words[k + 1] in ("and", "or", "while", "as", "in", "on", "with", "to")
            if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) and last and (
                w not in verb_index() and w not in OBJECT_PARTS and w not in PREPOSITIONS and w not in NOT_THE_OBJECT
                and not object_re().match(w)
            ):  # fmt: skip
                return frozenset()

    for k, w in enumerate(pred[:6]):
        if w.endswith("'s") and w not in _NOT_OWNERS and k + 1 < len(pred):
            return owner_of(w[:-2])  # "grabs a friend's arm", "the horse's mane"
        if w == "its" and k + 1 < len(pred) and not scene_fixture(pred[k : k + 3]):
            return None  # "supporting its base", "grips its neck": a part of the thing 'it' is, the object
        if w in _DETS and k + 1 < len(pred):
            nxt = pred[k + 1]
            if scene_fixture(pred[k : k + 3]) and not object_re().match(" ".join(pred[k + 1 : k + 3])):
                return frozenset()  # "rests on the window frame", "leans on the old stone wall"
            modifier = nxt in MODIFIER_PARTS and modifies(pred[k + 2 : k + 3])  # "the top rail"
            if nxt in OBJECT_PARTS and not modifier and pred[k + 2 : k + 3] == ["of"]:
                return _part_of(pred[k + 3 : k + 7])  # "the brim of his hat": the part of what is named next
            if (
                (nxt in OBJECT_PARTS and not modifier)
                or object_re().match(" ".join(pred[k + 1 :]))
                or nxt in PREPOSITIONS
            ):
                return None
            ing_mod = nxt.endswith("ing") and _noun_word(pred[k + 2 : k + 3])  # "a boarding pass": a modifier
            ends = pred[k + 2 : k + 3] in ([], ["of"], ["and"], ["or"], ["in"], ["with"], ["as"], ["while"])
            if w in ("a", "an") and nxt in verb_index() and not nxt.endswith(("ing", "ed", "ly")) and ends:
                return frozenset()  # "not holding a drink", "takes a bite": a verb's noun after "a", no object
            if (
                not modifier
                and not ing_mod
                and nxt not in SCENE_ING_NOUNS
                and (nxt.endswith(("ly", "ing")) or nxt in verb_index() or nxt in NOT_THE_OBJECT)
            ):
                return None
            if k > 0 and pred[k - 1] in PREPOSITIONS and pred[k - 1] not in _CONTACT_PLACES:
                return None  # "in the air", "by the rail": a place, not what the part acts on
            return frozenset() if _unknown_phrase(pred[k + 1 :]) else None
    return None


_NOT_OWNERS = frozenset({"it's", "he's", "she's", "that's", "there's", "what's", "who's", "one's", "here's"})
# people named by their tie to the person ("her daughter's hand"); person surfaces of the lexicon count too
_KIN = frozenset({"friend", "daughter", "son", "wife", "husband", "partner", "mother", "father", "brother",
                  "sister", "child", "kid", "baby", "teammate", "companion", "neighbor", "neighbour", "someone",
                  "somebody", "stranger", "dad", "mom", "mum", "grandmother", "grandfather", "girlfriend",
                  "boyfriend", "owner", "grandson", "granddaughter", "toddler", "opponent"})  # fmt: skip


def owner_of(noun: str) -> frozenset[str] | None:
    """What a possessive noun makes the next noun part of: an object's part (None: the object may be the pair's),
    another person's body, or something else's ('the statue's base')."""
    from hoiscribe.hoi_text.claim_words import object_surfaces

    cats = object_surfaces().get(noun)
    if noun in _KIN or (cats is not None and "person" in cats):
        return frozenset({"person"})
    return None if cats is not None else frozenset()


def _part_of(words: list[str]) -> frozenset[str] | None:
    """'(the brim) of his hat', 'of the wall': a part of a thing that is none of the objects, or None."""
    from hoiscribe.hoi_text.claim_words import object_re

    rest = words[1:] if words[:1] and words[0] in _DETS else words
    if not rest or object_re().match(" ".join(rest)) or rest[0] in ("it", "them"):
        return None
    if rest[0].endswith("'s"):
        return owner_of(rest[0][:-2])
    return frozenset() if _unknown_phrase(rest) else None


# nouns that name a piece of a structure: before "of", the thing named next is what the part touches
_PIECES = frozenset({"rail", "rails", "railing", "bar", "bars", "rung", "rungs", "post", "posts", "step", "steps",
                     "ledge", "corner", "base", "arm", "armrest", "back", "top", "edge", "side", "frame",
                     "wall"})  # fmt: skip
_PHRASE_END = frozenset(
    {"and", "or", "while", "as", "with", "to", "next", "that", "which", "who", "where", "so", "for"}
)


# -ing words that are nouns of the scene after a determiner ("grips the railing", "leans on the awning")
SCENE_ING_NOUNS = frozenset({"railing", "railings", "building", "buildings", "ceiling", "awning", "landing",
                             "siding", "clothing", "painting", "paintings", "bedding", "padding", "fencing",
                             "decking", "scaffolding", "carving", "drawing", "drawings", "sapling",
                             "dumpling"})  # fmt: skip
# fixtures of a place that are no part of any of the 80 objects: a part resting on them acts on none of them
SCENE_NOUNS = frozenset({"fence", "fences", "wall", "walls", "railing", "railings", "handrail", "handrails",
                         "banister", "doorframe", "doorway", "counter", "countertop", "windowsill", "sill", "ledge",
                         "lamppost", "tree", "branch", "rock", "boulder", "column", "pillar", "gate", "shelf", "desk",
                         "staircase", "balustrade", "parapet", "window", "mantel", "mantelpiece"})  # fmt: skip


def scene_fixture(words: list[str]) -> bool:
    """'the fence', 'the old stone wall', 'the window frame': the first noun after the determiner is a fixture."""
    rest = words[1:] if words[:1] and words[0] in _DETS else words
    return any(w in SCENE_NOUNS for w in rest[:2]) and not (rest[:1] and rest[0] in _NOT_FIXTURE)


_NOT_FIXTURE = frozenset({"it", "them"})
# prepositions of contact: the noun after them is what the part touches ("pressed against the window")
_CONTACT_PLACES = frozenset({"on", "onto", "upon", "atop", "around", "at", "to", "against"})


def _unknown_phrase(words: list[str]) -> bool:
    """The noun phrase after a determiner ('a low footstool', 'the counter next to ...') names no object.

    Up to three words before its end (a preposition, a conjunction, the clause end), none of them
    an object, a part of one, a verb or an adverb: something else, not the pair's object.
    """
    from hoiscribe.hoi_text.claim_words import PREPOSITIONS, object_re
    from hoiscribe.hoi_text.clause_objects import MODIFIER_PARTS
    from hoiscribe.hoi_text.phrases import OBJECT_PARTS, verb_index

    end = next((i for i, w in enumerate(words) if w in PREPOSITIONS or w in _PHRASE_END), len(words))
    phrase = words[:end]
    if len(phrase) > 1 and phrase[0] in MODIFIER_PARTS:
        phrase = phrase[1:]  # "the top rail": "top" modifies
    if words[end : end + 1] == ["of"] and 1 <= len(phrase) <= 3 and phrase[-1] in _PIECES:
        return _part_of(words[end + 1 : end + 5]) == frozenset()  # "the top rail of the fence": the fence's
    if not 1 <= len(phrase) <= 3 or words[end : end + 1] == ["of"] or GROUND & set(phrase):
        return False  # "a handful of hay for the cow": the head is later; "the pavement": the ground rule
    return not any(
        w in OBJECT_PARTS or object_re().match(w) or w == "it"
        or ((w in verb_index() or w.endswith(("ly", "ing"))) and not (w.endswith("ing") and j + 1 < len(phrase))
            and w not in SCENE_ING_NOUNS)
        for j, w in enumerate(phrase)
    )  # fmt: skip  # an -ing word before the phrase's noun modifies it ("a boarding pass")


def _noun_word(words: list[str]) -> bool:
    """A plain word that can end a noun phrase: no preposition, conjunction, adverb, participle or verb."""
    from hoiscribe.hoi_text.claim_words import PREPOSITIONS
    from hoiscribe.hoi_text.phrases import verb_index

    w = words[0] if words else ""
    return (
        w.isalpha()
        and w not in PREPOSITIONS
        and w not in _PHRASE_END
        and not w.endswith(("ly", "ing", "ed"))
        and (w not in verb_index())
    )
