"""The body parts a clause names: side, quantifier ('both', 'one', 'the other') and role.

Why apart from :mod:`hoiscribe.hoi_text.claims`: finding a part is its own grammar. A part word
is not a part when it modifies a noun ("ankle boots", "knee pads", "hand rest"), when it is
clothing or a verb without a possessive ("wearing boots", "she faces"), or when a preposition
makes it a place ("over the head"); "with/in <part>" is an instrument unless a predicate
follows ("with both feet on the deck"); "one-handed" is the instrument "with one hand".
"""

from __future__ import annotations

from hoiscribe.hoi_text.claim_types import PartRef
from hoiscribe.hoi_text.claim_words import (
    DETERMINERS,
    INSTRUMENT_PREPS,
    OWNED_PART_WORDS,
    PART_MODIFIED,
    PART_WORDS,
    PREPOSITIONS,
)
from hoiscribe.hoi_text.part_preds import AIMING, CONTACT_PREPS, absolute_predicate

_SIDES = ("left", "right")
_PASSIVES = frozenset({"held", "gripped", "grasped", "clutched", "carried", "supported", "steadied", "cradled",
                       "pinched", "squeezed", "pressed", "pushed", "pulled", "lifted", "raised",
                       "touched"})  # fmt: skip
_OTHER_SIDE = {"left": "right", "right": "left"}
_LIMB_OF = {"hand": "arm", "arm": "hand", "foot": "leg", "leg": "foot"}  # "right hand ..., her other arm"


def part_refs(tokens: list[str], memory: dict[str, str] | None = None) -> list[PartRef]:
    """Every body part named in a clause's tokens, with its side, quantifier and role (subject or instrument).

    ``memory`` (group -> the side last named) resolves "the other hand" across clauses.
    """
    refs = []
    memory = {} if memory is None else memory
    for i, tok in enumerate(tokens):
        handed = tok == "handed" and i > 0 and tokens[i - 1] in ("one", "two", "single", "left", "right", "both")
        elided = _elided(tokens, i, memory) if tok in _ELIDED_WORDS else None  # "the left one", "the other"
        if tok not in PART_WORDS and not handed and elided is None:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        after_next = tokens[i + 2] if i + 2 < len(tokens) else ""
        rest_noun = (
            nxt in ("rest", "rests")
            and CONTACT_PREPS.isdisjoint(tokens[i + 2 : i + 4])
            and not after_next.endswith("ly")
        )  # "a hand rest"; not "feet rest flat on the road"
        sided = i > 0 and tokens[i - 1] in ("left", "right", "his", "her", "their", "both")
        if (
            nxt in ("of", "sides", "first", "start")
            or (nxt in ("towards", "toward") and not _aimed(tokens, i))
            or (nxt == "to" and not sided)  # "head to toe", "hand to mouth"; not "her left hand to pat it"
            or rest_noun
            or (nxt == "side" and after_next != "by")
        ):
            continue  # "left hand side", "head of the table", "head to", "head start"; not "feet side by side"
        if nxt in PART_MODIFIED or (nxt in PART_WORDS and nxt not in ("and", "or")):
            continue  # "ankle boots", "knee pads", "hand towel": a modifier, not the part
        if tok in OWNED_PART_WORDS and not _owned(tokens, i):
            continue  # "wearing boots", "he faces": clothing or a verb, unless "his boots", "her eyes"
        group, plural = PART_WORDS.get(tok) or ("hand", tokens[i - 1] in ("two", "both"))
        j = i
        side = None
        if elided is not None:
            group, plural, side, j = elided[0], False, elided[1], elided[2]
        elif j > 0 and tokens[j - 1] in _SIDES:
            side = tokens[j - 1]
            j -= 1
        elif j > 0 and tokens[j - 1] == "other" and not plural and (group in memory or _LIMB_OF.get(group) in memory):
            side = _OTHER_SIDE[memory.get(group) or memory[_LIMB_OF[group]]]  # "the other hand"
            j -= 1
        if group in ("hand", "arm", "leg", "foot"):
            memory["_last"] = group
            if side is not None:
                memory[group] = side
        both = one = one_of = False
        while j > 0 and (tokens[j - 1] in DETERMINERS or tokens[j - 1].endswith("'s") or tokens[j - 1] in ("both",
                         "of", "two", "single") or _restricted(tokens, j)):  # fmt: skip
            one_of = one_of or (tokens[j - 1] == "of" and j > 1 and tokens[j - 2] in ("one", "either"))
            both = both or tokens[j - 1] in ("both", "two")
            one = one or (tokens[j - 1] in ("one", "single") and nxt != "of")
            j -= 1
        before = tokens[j - 1] if j > 0 else ""
        if handed:
            before = "with"  # "one-handed", "two-handed": an instrument
        if before in ("with", "without") and absolute_predicate(group, tokens, i + 1):
            role = "subject"  # "with both feet on the deck", "without his hands on the wheel"
        elif (
            before in INSTRUMENT_PREPS
            or (before == "by" and j > 1 and tokens[j - 2] in _PASSIVES)
            or (before == "by" and group == "hand" and (side is not None or one or both))
        ):  # "... by one hand", "by her left hand": non-native for "with"; not "takes him by the hand"
            role = "instrument"  # "holds it in his left hand", "it is held by her left hand"
        elif before in PREPOSITIONS or before in ("raised", "lifted", "over", "above"):
            continue
        else:
            role = "subject"
        if group not in ("hand", "arm", "leg", "foot"):
            sides, mode = (None,), "single"
        elif side is not None:
            sides, mode = (side,), "single"
        elif one_of and not both:  # "one of his hands", "either of her feet": some side
            sides, mode = (None,), "either"
        elif both or plural:
            sides, mode = ("left", "right"), "both"
        else:
            sides, mode = (None,), "either"
        one = one and "each" not in tokens[i + 1 : i + 4]  # "one leg on each side": both legs
        if mode == "either" and _each_side(tokens[i + 1 : i + 5]):
            sides, mode = ("left", "right"), "both"  # "a hand on each side of it", "a foot either side": both
        refs.append(PartRef(group, sides, mode, tok, role, j, i + 1, one and mode == "either"))
    return refs


# restrictive adverbs inside a part's noun phrase ("with just one hand", "in only her left hand"): the
# preposition before them still makes the part an instrument
_RESTRICTIVE = frozenset({"just", "only", "merely", "solely", "simply"})


def _aimed(tokens: list[str], i: int) -> bool:
    """'raises both hands toward the screen': hands a verb moves toward a target (not 'heads toward')."""
    return PART_WORDS[tokens[i]][0] == "hand" and any(t in AIMING for t in tokens[max(0, i - 4) : i])


def _restricted(tokens: list[str], j: int) -> bool:
    """'with just one hand', 'in only her left hand': a restrictive adverb after an instrument's preposition."""
    return tokens[j - 1] in _RESTRICTIVE and j > 1 and tokens[j - 2] in INSTRUMENT_PREPS


_ELIDED_WORDS = frozenset({"one", "other", "left", "right"})  # the only words ``_elided`` reads a limb from
_AFTER_BARE_SIDE = frozenset({"", "and", "while", "as", "but", "so", "then", "now", "too"})


def _each_side(words: list[str]) -> bool:
    """'(a hand) on each side', 'either side of the saddle': one of the part on every side, so both."""
    return any(words[k] in ("each", "either") and words[k + 1] == "side" for k in range(len(words) - 1))


def _elided(tokens: list[str], i: int, memory: dict[str, str]) -> tuple[str, str, int] | None:
    """(group, side, start) when ``tokens[i]`` stands for a limb named before: 'the left one', 'the other
    (one)' (the side opposite the one named last), 'her left' before a verb ('her left does nothing')."""
    group = memory.get("_last")
    if group is None:  # "holds it in his left" with no limb named before: the hand
        if tokens[i] not in _SIDES or i < 2 or tokens[i - 1] not in ("his", "her", "their"):
            return None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        return ("hand", tokens[i], i - 1) if tokens[i - 2] in ("in", "with") and nxt in _AFTER_BARE_SIDE else None
    tok, prev = tokens[i], tokens[i - 1] if i > 0 else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if nxt in PART_WORDS or nxt in ("one", "side", "of", "hand", "end"):
        return None
    if tok == "one" and prev in _SIDES:
        return group, prev, i - 1
    if (tok == "other" and prev == "the") or (tok == "one" and prev == "other" and i > 1 and tokens[i - 2] == "the"):
        start = i - (1 if tok == "other" else 2)
        side = memory.get(group)
        by = tokens[start - 1] if start > 0 else ""
        if side and (by in ("in", "with", "using") or nxt.endswith("ing")):  # "in the other", "the other holding"
            return group, _OTHER_SIDE[side], start
        return None  # "the other stands": another person
    if tok in _SIDES and prev in ("his", "her", "their") and (nxt.endswith("s") or nxt in ("is", "does", "rests")):
        return group, tok, i
    if tok in _SIDES and prev in ("his", "her", "their", "the") and i > 1 and tokens[i - 2] in ("in", "with"):
        return (group, tok, i - 1) if nxt in _AFTER_BARE_SIDE else None  # "in his right hand and in his left"
    if tok in _SIDES and prev == "the" and (i < 2 or tokens[i - 2] not in PREPOSITIONS) and nxt.endswith("s"):
        return group, tok, i - 1  # "while the left steadies it": the limb named last, on that side
    return None


def _owned(tokens: list[str], i: int) -> bool:
    """A possessive within two words before ``tokens[i]`` ('his boots', 'her left shoe'), or the clause's
    first word ('eyes on the screen', 'boots in the stirrups': a subject); 'faces ...' is a verb; 'both boots'
    are the person's feet."""
    if i == 0 and tokens[0] not in ("face", "faces"):
        return True
    if i == 1 and tokens[0] in _SIDES and tokens[1] not in ("face", "faces"):
        return True  # "right boot on the footpeg": a sided subject opening the clause
    if tokens[i - 1] == "both" and tokens[i] not in ("face", "gaze"):
        return True
    return any(t in ("his", "her", "their", "my", "your") for t in tokens[max(0, i - 3) : i])
