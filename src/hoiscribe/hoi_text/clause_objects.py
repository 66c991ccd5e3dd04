"""What a verb or a part acts on: the object named after it, a part of the object, or a near miss.

Why its own module: the claim reader (:mod:`hoiscribe.hoi_text.claims`) and the judge both need
to know whether a clause names the pair's object, another of the 80 objects, something that is
no object at all ("his knee"), or a thing of the same kind that is none of the 80 ("a camel"
for a horse: the near misses of ``hoi_text/data/hoi_objects.json``).
"""

from __future__ import annotations

from functools import cache

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import (
    DETERMINERS,
    NOT_ROLES,
    NOT_THE_OBJECT,
    PREPOSITIONS,
    object_re,
    object_surfaces,
)
from hoiscribe.hoi_text.word_alternation import WordAlternation

STOP = frozenset({"and", "or", "but", "while", "is", "are", "was", "were", "that", "which", "who", "whose", "with",
                  "as", "when", "because", "although", "though", "until", "whilst"})  # fmt: skip
NEAR = "~"  # prefix of a near-miss noun in a claim's object set: "~camel"


@cache
def near_re() -> WordAlternation:
    return WordAlternation(phrases.near_miss_table())


def near_supercategories(obj: str) -> frozenset[str]:
    """The COCO supercategories a near-miss entry ('~camel') belongs to; empty for anything else."""
    if not obj.startswith(NEAR):
        return frozenset()
    row = phrases.near_miss_table().get(obj[len(NEAR) :])
    return frozenset(row["supercategories"]) if row else frozenset()


def supercategory(category: str) -> str | None:
    return phrases.supercategory_table().get(category)


def object_after(tokens: list[str], i: int, allow_prep: bool) -> frozenset[str] | None:
    """Categories of the object named just after a verb (skipping articles and adjectives).

    None: no object named; empty: something that is not an object ("his knee"); a ``~noun``
    entry: a near miss, a thing of the kind of the 80 objects that is none of them.
    """
    words = tokens[i : i + 8]
    for k in range(min(len(words) - 1, 3)):
        if words[k : k + 2] in (["each", "other"], ["one", "another"]):
            return frozenset({"person"})  # "without touching each other": the other person
    for k, word in enumerate(words[:6]):
        leading_prep = k == 0 and allow_prep and (word in PREPOSITIONS or word == "with") and word not in BY_PREPS
        if not leading_prep and (word in STOP or (word in PREPOSITIONS and word != "of")):
            return None
        tail = " ".join(words[k:])
        m = object_re().match(tail)
        verb_next = (
            not m
            and k > 0
            and word.endswith("ing")
            and word in phrases.verb_index()
            and words[k - 1] not in DETERMINERS
        )  # not "a boarding pass", "the parking lot": after a determiner it modifies a noun
        if verb_next and not object_re().match(" ".join(words[k + 1 :])):
            return None  # "sitting in a library reading a book": the slot ends at the next verb
        owners = phrases.part_table().get(word) if not m else None
        if owners and words[k + 1 : k + 2] != ["of"] and not object_re().match(" ".join(words[k + 1 :])):
            return frozenset(owners)  # "the handlebars": a bicycle or a motorcycle (not "a screen door")
        if not m and word in ("side", "sides") and k > 0 and words[k - 1] in ("either", "each", "both"):
            continue  # "on either side (of the bike)": the sides of the object, or of the one named next
        if not m and word in WORN_THINGS and not object_re().match(" ".join(words[k + 1 : k + 2])):
            return frozenset()  # "not wearing gloves", "in boots and a helmet": clothing, none of the objects
        if not m and word in NOT_THE_OBJECT:
            if k + 1 < len(words) and object_re().match(words[k + 1]) and not near_re().match(tail):
                continue  # "a water bottle", "a hand towel": a modifier of the object noun; not "an ice pack"
            if words[k + 1 : k + 2] == ["of"] and _object_next(words[k + 2 : k + 5]):
                continue  # "on the back of the cow": a part of the object named next
            return frozenset()  # "resting on his knee": about something else
        if m and k > 0 and words[k - 1] in ("other", "another", "second", "third", "spare"):
            return frozenset()  # "a few other horses", "another bike": not the pair's object
        if m and (n := near_re().match(tail)) and n.end() > m.end():
            return frozenset({NEAR + phrases.near_miss_table()[n.group(1)]["noun"]})  # "a jet ski": not a jet
        if m:
            # "orange frisbee", "baseball glove": the head noun is the last of adjacent names
            after = tail[m.end() :].lstrip()
            m2 = object_re().match(after)
            name = m2.group(1) if m2 and m2.start() == 0 else m.group(1)
            head = (after[m2.end() :] if m2 and m2.start() == 0 else after).split(" ", 2)
            if head[0] in COMPOUND_HEADS or (head[0] == "" and head[1:2] and head[1] in COMPOUND_HEADS):
                return frozenset()  # "a basketball court", "the bike rack": a place or thing named after the object
            return object_surfaces()[name]
        n = near_re().match(tail)
        if n and (k == 0 or words[k - 1] in DETERMINERS or words[k - 1] not in PREPOSITIONS):
            return frozenset({NEAR + phrases.near_miss_table()[n.group(1)]["noun"]})
    return None


# prepositions that place the person by a landmark: the verb does not act on it ("sits beside a student")
BY_PREPS = frozenset({"beside", "behind", "near", "next", "past", "alongside", "opposite", "across"})
# clothing and gear that is none of the 80 objects ("gloves" too: a baseball glove is one mitt)
WORN_THINGS = frozenset({"gloves", "mittens", "goggles", "sunglasses", "sneakers", "sandals", "socks", "jeans"})


# nouns that, right after an object's name, make the phrase a place, a structure, an event or a holder of
# the object's kind ("a basketball court", "the bike lane", "a horse trailer", "the boat ramp"): not the object
COMPOUND_HEADS = frozenset({
    "court", "courts", "field", "fields", "pitch", "park", "lot", "lane", "lanes", "path", "track", "rink",
    "ramp", "rack", "racks", "shop", "store", "station", "stop", "dock", "stable", "stables", "stall", "pen",
    "trailer", "hoop", "net", "case", "cage", "crate", "kennel", "tournament", "league", "festival", "slope",
    "lift", "resort", "garage", "shed", "depot", "terminal", "yard", "arena", "stadium", "poster", "painting",
    "statue", "pole", "poles", "boot", "boots", "jacket", "suit", "goggles", "instructor", "instructors",
})  # fmt: skip


def _object_next(words: list[str]) -> bool:
    """An object noun right after 'of' (skipping articles): 'the back of the cow', not 'of his head'."""
    rest = [w for w in words if w not in DETERMINERS]
    return bool(rest) and bool(object_re().match(rest[0]))


def part_object(after: list[str]) -> bool:
    """A part of the object (or 'it') right after the verb ('grips the handlebars'): the pair's object."""
    words = [w for w in after[:4] if w not in DETERMINERS and not w.endswith("ly")]
    if words[:1] and words[0] in MODIFIER_PARTS and modifies(words[1:2]):
        return False  # "the top rail", "the side door": a part word that modifies another noun
    if after[:1] in _WEARERS and words[:1] and words[0] in _CLOTHES:
        return False  # "wears a cap", "a top", "adjusts his cap": clothing, not a part of the pair's object
    if words[:1] and words[0] in _PLACE_WORDS and words[1:2] and words[1] in phrases.OBJECT_PARTS:
        words = words[1:]  # "its front wheels", "the left pedal", "the rear seat": a part by its place
    return bool(words) and words[0] in phrases.OBJECT_PARTS and words[1:2] not in _MODIFIED


_CLOTHES = frozenset({"cap", "top", "collar", "cover"})
_WEARERS = (["a"], ["an"], ["his"], ["her"], ["their"])
_PLACE_WORDS = frozenset({"front", "rear", "back", "left", "right", "lower", "upper", "near", "far", "inner",
                          "outer", "top", "bottom", "middle", "nearest"})  # fmt: skip
# part words that are as often a modifier of another noun ("the top rail" of a fence, "a side table")
MODIFIER_PARTS = frozenset({"top", "side", "back", "front", "edge", "bottom", "cover", "frame"})


def modifies(nxt: list[str]) -> bool:
    """Is the word after a part word a noun it modifies (not a preposition, verb, adverb or the end)?"""
    if not nxt:
        return False
    w = nxt[0]
    return not (
        w in PREPOSITIONS or w in STOP or w in DETERMINERS or w.endswith(("ly", "ing", "ed"))
        or w in phrases.verb_index() or w in phrases.OBJECT_PARTS or w in ("too", "again", "now", "as", "so", "then")
    )  # fmt: skip


_MODIFIED = [[w] for w in ("top", "tops", "shirt", "belt", "belts", "light", "lights", "bag", "sign", "post")]


def instrument_after(after: list[str], values: frozenset[str]) -> tuple[frozenset[str] | None, frozenset[str]] | None:
    """'cutting paper with scissors': for a verb that may be a HICO '<verb>_with', the tool named after a
    'with' just past a thing that is none of the 80 objects; (the tool's categories, None for 'it' / 'them',
    the '_with' verbs)."""
    table = phrases.verb_table()
    tools = frozenset(
        v if v.endswith("_with") else f"{v}_with" for v in values if v.endswith("_with") or f"{v}_with" in table
    )
    if not tools:
        return None
    for k, word in enumerate(after[:6]):
        if word == "with":
            if after[k + 1 : k + 2] in (["it"], ["them"]):
                return None, tools  # "cutting a sheet of paper with them": the pair's object
            found = object_after(after, k + 1, allow_prep=False)
            return (found, tools) if found and "person" not in found else None
        if word in STOP or (word in PREPOSITIONS and word != "of"):
            return None
    return None


def with_near_miss(tokens: list[str], worn: bool = False) -> frozenset[str] | None:
    """'a toddler with a hairbrush': the near-miss thing a person is said to have, if any.

    ``worn``: only one on the back or over a shoulder ('standing on the sidewalk with a guitar case on her
    back'), which the person carries whatever the clause's verb.
    """
    for k, tok in enumerate(tokens):
        if tok == "with":
            found = object_after(tokens, k + 1, allow_prep=False)
            if found and all(o.startswith(NEAR) for o in found) and (not worn or _on_back(tokens[k + 2 : k + 9])):
                return found
    return None


def _on_back(words: list[str]) -> bool:
    """'(a guitar case) on her back', 'slung over his shoulder': a place on the body where a thing is carried."""
    for i, w in enumerate(words[:-2]):
        if w in ("on", "over", "across") and words[i + 1] in ("his", "her", "their", "one", "both"):
            return words[i + 2] in ("back", "shoulder", "shoulders")
    return False


OTHERS = frozenset({"another", "other", "others", "spectators", "onlookers", "crowd", "audience", "bystanders",
                    "passersby", "fans", "people", "everyone", "else", "teammates", "friends",
                    "men", "women", "children", "kids", "players", "they", "its"})  # fmt: skip


def other_subject(before: list[str]) -> bool:
    """'spectators in the stands are watching': the clause is about someone else."""
    return any(w in OTHERS for w in before[-6:]) and not any(w in ("he", "she") for w in before[-3:])


_AUX = frozenset({"is", "are", "was", "were", "also", "still", "now", "just", "who", "calmly", "simply", "then",
                  # hedges before the verb: "he appears to be standing", "she seems to be"
                  "appears", "appear", "seems", "seem", "to", "be", "has", "have", "been", "might", "may", "could",
                  "must", "probably", "likely", "perhaps", "maybe"})  # fmt: skip
_PRONOUNS = frozenset({"he", "she", "i"})
_ANOTHER = frozenset({"one", "second", "another", "other", "third", "some", "two", "three", "several", "many"})


_MODIFIER_PREPS = frozenset({"with", "in", "on", "from", "of", "at", "wearing", "carrying", "holding", "dressed"})


def person_head(before: list[str]) -> bool:
    """``person_subject`` of the head noun phrase: 'a biker in a black jacket is' is about the biker."""
    words = [w for w in before if w not in _AUX and not w.endswith("ly")]
    cut = next((k for k, w in enumerate(words) if w in _MODIFIER_PREPS and k > 0), None)
    return person_subject(words[:cut] if cut is not None else words)


def person_subject(before: list[str]) -> bool:
    """Is the verb after ``before`` said of the annotated person ('he stands', 'a rider stands', or no subject)?

    Not of 'a lamp stands', 'one man stands', 'a second person stands': things and other people.
    """
    words = [w for w in before if w not in _AUX and not w.endswith("ly")]
    if not words:
        return True
    last = words[-1]
    if last in _PRONOUNS:
        return True
    if other_subject(words):
        return False
    cats = object_surfaces().get(last)
    role = cats is None and last.endswith(("er", "or", "ist", "ian")) and len(last) > 4 and last not in NOT_ROLES
    if not (role or (cats is not None and "person" in cats)):
        return False
    return not (len(words) > 1 and words[-2] in _ANOTHER)
