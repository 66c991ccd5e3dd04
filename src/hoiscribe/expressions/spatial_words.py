"""The words of referring expressions: spatial word lists, tokens with offsets, category names.

Category names come from ``data/category_words.json``: for each COCO category its synonyms,
plurals and hyponyms as referring expressions use them ("mug" for cup, "guy" for person),
hypernyms that cover several categories ("the animal"), and role nouns that turn an object
word into a person ("tennis player"). An image's own category names (which may be open
vocabulary) are added per image, so "the mug" names a ``mug`` box too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

SIDE_WORDS: dict[str, str] = {
    "left": "left", "leftmost": "left", "right": "right", "rightmost": "right",
    "top": "top", "topmost": "top", "upper": "top", "uppermost": "top", "highest": "top", "higher": "top",
    "bottom": "bottom", "bottommost": "bottom", "lower": "bottom", "lowest": "bottom",
}  # fmt: skip
MIDDLE_WORDS = frozenset({"middle", "center", "centre", "central"})
SIZE_WORDS: dict[str, str] = {
    "largest": "largest", "biggest": "largest", "large": "largest", "big": "largest", "larger": "largest",
    "bigger": "largest", "smallest": "smallest", "small": "smallest", "little": "smallest", "tiny": "smallest",
    "smaller": "smallest", "tallest": "tallest", "taller": "tallest", "shortest": "shortest",
    "widest": "widest", "wider": "widest", "narrowest": "narrowest", "shorter": "shortest", "narrower": "narrowest",
    "tiniest": "smallest", "tinier": "smallest", "littlest": "smallest", "huge": "largest", "enormous": "largest",
    "giant": "largest", "massive": "largest", "thinnest": "narrowest", "thinner": "narrowest",
    "slimmest": "narrowest", "slimmer": "narrowest",
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10, "last": -1, "penultimate": -2, "final": -1,
}  # fmt: skip
RELATION_PREPS: dict[str, str] = {"above": "top", "over": "top", "below": "bottom", "under": "bottom",
                                  "beneath": "bottom", "underneath": "bottom"}  # fmt: skip
NEAR_WORDS = frozenset({"closest", "nearest", "closer", "nearer"})  # comparatives: "closer to X than the others"
FAR_WORDS = frozenset({"farthest", "furthest", "farther", "further"})
NEUTRAL_PREPS = frozenset({"near", "beside", "next", "by", "behind", "with", "between", "among", "against", "holding",
                           "wearing", "carrying", "riding", "on", "in", "at", "of", "from", "and", "or", "than",
                           "using", "eating", "watching", "pushing", "pulling", "walking", "sitting", "standing",
                           "lying", "looking", "feeding", "hugging", "petting", "throwing", "catching", "kicking",
                           "swinging", "driving", "touching", "inside", "into", "onto", "around", "across",
                           "toward", "towards", "facing", "under", "beneath", "for", "without"})  # fmt: skip
NEGATORS = frozenset({"not", "isn't", "aren't", "wasn't", "never", "nor", "neither", "non", "don't", "doesn't",
                      "didn't", "weren't", "nowhere"})  # fmt: skip
FRAME_NOUNS = frozenset({"image", "picture", "photo", "photograph", "frame", "scene", "view", "shot"})
STOPWORDS = frozenset(
    {"a", "an", "the", "on", "in", "at", "of", "to", "from", "side", "part", "corner", "area", "edge", "is", "are",
     "that", "which", "who", "whose", "one", "ones", "most", "far", "very", "located", "positioned", "placed",
     "and", "only", "single", "it", "its", "this", "there", "all", "two", "three", "four", "five", "six", "seven",
     "eight", "nine", "ten", "both", "other", "than", "others", "rest", "group", "row", "set", "object", "item",
     "thing", "furthest", "farthest", "toward", "towards", "shown", "seen", "visible", "half", "end", "position",
     "counting", "when", "starting", "s", "out", "among", "between", "next", "near", "beside", "by", "with", "up",
     "be", "being", "appears", "stands", "sits", "just", "slightly", "somewhat", "way", "over", "here", "can",
     "you", "see", "we", "his", "her", "their", "he", "she", "they", "them", "also", "right", "left"}
)  # fmt: skip
# prepositions and verbs whose landmark the boxes can weigh: kind they claim
RELATION_WORDS = {"next": "next", "beside": "next", "alongside": "next", "adjacent": "next", "near": "next",
                   "close": "next", "by": "next", "between": "between", "behind": "behind", "with": "with",
                   "holding": "with", "carrying": "with", "wearing": "with", "has": "with", "have": "with",
                   "having": "with", "holds": "with", "carries": "with", "without": "with", "on": "with", "in": "with",
                   "among": "between", "amongst": "between", "amid": "between", "amidst": "between",
                   "inside": "with", "at": "with", "against": "with", "onto": "with", "riding": "with",
                   "touching": "with", "touches": "with", "hasn't": "with", "haven't": "with",
                   "hadn't": "with", "contains": "with", "contain": "with", "containing": "with"}  # fmt: skip
# verbs of holding and wearing, every inflection ("does not carry", "holds", "held", "worn", "rides"): contact
_CONTACT_VERBS = ("hold", "carry", "wear", "ride", "touch", "grip", "grasp", "clutch")


def _contact_forms() -> dict[str, str]:
    try:
        from lemminflect import getAllInflections
    except ModuleNotFoundError as exc:  # a core dependency; the message names it for broken installs
        raise ModuleNotFoundError(
            "the spatial checker needs the package 'lemminflect': pip install lemminflect"
        ) from exc
    forms = {base: "with" for base in _CONTACT_VERBS}
    for base in _CONTACT_VERBS:
        forms.update({f: "with" for fs in getAllInflections(base, upos="VERB").values() for f in fs})
    return forms


RELATION_WORDS = {**_contact_forms(), **RELATION_WORDS}
TOUCH = frozenset({"on", "in", "inside", "at", "against", "onto"})  # 'on the table': touching it, loosely
PLAIN_SIDES = frozenset({"left", "right", "top", "bottom", "upper", "lower", "higher"})
PLAIN_SIZES = frozenset({"big", "large", "small", "little", "tiny", "huge", "enormous", "giant", "massive"})
# "the bigger cup", "the shorter man": of three or more, true of the extreme, false past the first half
COMPARATIVES = frozenset(w for w in SIZE_WORDS if w.endswith("er")) | {"closer", "nearer", "farther", "further"}
# a comparative or plain size word before a landmark noun: of two, the one it names ("next to the bigger laptop")
MARK_SIZES = {w: SIZE_WORDS[w] for w in COMPARATIVES | PLAIN_SIZES if w in SIZE_WORDS}
# a person named by what they use ("left of the batter"): the one person touching that thing is meant
TOOL = "tool:"  # a landmark spec: the landmark of its kind touching one of these categories
ROLE_TOOLS = {"batter": ("baseball bat",), "hitter": ("baseball bat",), "skier": ("skis",), "surfer": ("surfboard",),
              "skateboarder": ("skateboard",), "snowboarder": ("snowboard",), "cyclist": ("bicycle",),
              "biker": ("bicycle", "motorcycle"), "motorcyclist": ("motorcycle",), "catcher": ("baseball glove",),
              "golfer": ("golf club",)}  # fmt: skip
EXTREME = frozenset({"far", "most", "very", "furthest", "farthest", "extreme", "outermost"})
WIDE_SKIP = frozenset(ORDINALS) | frozenset(SIZE_WORDS) | frozenset(SIDE_WORDS) | {"middle", "next", "last"}
REL = frozenset({"which", "that", "who", "and", "where"})
WIDE_NO_SIDES = WIDE_SKIP - frozenset(SIDE_WORDS) - {"next", "middle"}
STRICT = frozenset({"directly", "right", "just", "straight", "immediately", "exactly"})
LANDMARK_SKIP = frozenset({"the", "a", "an", "of", "to", "that", "this", "any", "other", "two", "three", "four",
                            "and", "both", "no", "another", "either", "neither", "none"})  # fmt: skip
ADVERB_RIGHT = frozenset({"next", "beside", "by", "behind", "above", "below", "under", "in", "on", "there", "here",
                           "at", "near", "against", "between", "now", "away", "over", "after", "before"})  # fmt: skip
PEOPLE_ADJ_SKIP = frozenset({"little", "small", "young", "tiny"})
# a size word before these is part of the noun ("a little girl"), not a claim
PERSON_WORDS = frozenset({"boy", "boys", "girl", "girls", "child", "children", "kid", "kids", "baby", "babies", "one",
                          "guy", "man", "woman", "person", "lady", "toddler", "dog", "puppy", "cat"})  # fmt: skip
# "top-most" -> "topmost"; "the right-hand cup" -> "right" (a side, unlike "right-handed" or "right hand")
_MOST_SIDES = frozenset({"left", "right", "top", "bottom", "upper"})
_HAND = re.compile(r"(?i)\b(left|right)-hand\b(?!-?ed)")
_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|&#\d{1,6};")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|[0-9]+(?:st|nd|rd|th)?")


@dataclass(frozen=True, slots=True)
class Tok:
    low: str
    start: int
    end: int
    poss: bool = False  # written with "'s" ("the man's left"), which the token drops


def tokens_at(text: str) -> list[Tok]:
    """Lower-case word tokens with their character offsets; hyphens split ('top-left')."""
    norm = _MARKUP.sub(lambda m: " " * len(m.group()), text)  # same length: offsets still index ``text``
    norm = norm.replace("\u2019", "'")
    norm = _HAND.sub(lambda m: m.group(1) + " " * 5, norm)  # "the right-hand cup": a side, not a hand
    out: list[Tok] = []
    for m in _TOKEN.finditer(norm):
        low = m.group().lower()
        if low == "most" and out and out[-1].low in _MOST_SIDES and norm[out[-1].end : m.start()] == "-":
            out[-1] = Tok(out[-1].low + "most", out[-1].start, m.end())  # "left-most" -> "leftmost"
        elif low.endswith("'s") and low not in ("isn't",):
            out.append(Tok(low[:-2], m.start(), m.end() - 2, poss=True))
        else:
            out.append(Tok(low, m.start(), m.end()))
    return out


def tokens(text: str) -> list[str]:
    return [t.low for t in tokens_at(text)]


def plural(noun: str) -> str:
    """English plural of a category name's last word ('sports ball' -> 'sports balls')."""
    head, _, last = noun.rpartition(" ")
    if re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


_NOT_PLURALS = frozenset({("does",)})  # a verb, never the plural of "doe"


def _plural_of(word: str) -> str:
    """A singular synonym's plural ("teddy" -> "teddies", "calf" -> "calves"); '' when it is plural already."""
    head, _, last = word.rpartition(" ")
    if (last.endswith("s") and not last.endswith(("ss", "us"))) or last in _IRREGULAR_PLURALS:
        return ""
    from lemminflect import getInflection

    forms = getInflection(last, tag="NNS")
    return f"{head} {forms[0] if forms else plural(last)}".strip()


_IRREGULAR_PLURALS = frozenset({"men", "women", "people", "children", "gentlemen", "policemen", "fishermen", "sheep",
                                "deer", "feet", "geese", "mice", "cattle", "luggage", "someone", "oxen"})  # fmt: skip


def ordinal_word(rank: int) -> str:
    words = {v: k for k, v in ORDINALS.items() if k.isalpha() and v > 0}
    return words.get(rank, f"{rank}th")


@cache
def _lexicon() -> dict[str, object]:
    path = resources.files("hoiscribe.expressions").joinpath("data/category_words.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def global_forms() -> dict[tuple[str, ...], frozenset[str]]:
    """Token sequence -> the COCO categories it can name (synonyms, plurals, hypernyms)."""
    lex = _lexicon()
    out: dict[tuple[str, ...], set[str]] = {}
    for cat, words in lex["categories"].items():  # type: ignore[union-attr]
        for w in {cat, plural(cat), *words}:
            out.setdefault(tuple(tokens(w)), set()).add(cat)
    for cat, words in lex["categories"].items():  # type: ignore[union-attr]
        for w in words:  # "teddies", "farmers", "mountain bikes": a synonym's plural names its category too
            form = tuple(tokens(_plural_of(w)))
            if form and form not in out and form not in _NOT_PLURALS:
                out[form] = {cat}
    for word, cats in lex["hypernyms"].items():  # type: ignore[union-attr]
        out.setdefault(tuple(tokens(word)), set()).update(cats)
    return {k: frozenset(v) for k, v in out.items() if k}


@cache
def hypernym_forms() -> frozenset[tuple[str, ...]]:
    """Token sequences of group nouns ('the fruit', 'the animals'): they name every category of the group."""
    return frozenset(tuple(tokens(w)) for w in _lexicon()["hypernyms"])  # type: ignore[union-attr]


@cache
def role_nouns() -> frozenset[str]:
    return frozenset(_lexicon()["role_nouns"])  # type: ignore[arg-type]


@cache
def canonical(category: str) -> frozenset[str]:
    """The COCO categories an image's category name is (itself when it is one; 'mug' -> cup)."""
    forms = global_forms()
    toks = tuple(tokens(category))
    if toks in forms and len(forms[toks]) <= 2:
        return forms[toks] | {category}
    if toks and (toks[-1],) in forms and len(forms[(toks[-1],)]) == 1:
        return forms[(toks[-1],)] | {category}
    return frozenset({category})


@cache
def known(category: str) -> bool:
    """Whether the lexicon knows the category (so a different noun can contradict it)."""
    return len(canonical(category)) > 1 or tuple(tokens(category)) in global_forms()


@cache
def image_forms(categories: tuple[str, ...]) -> dict[tuple[str, ...], frozenset[str]]:
    """Forms naming the image's categories: the global table mapped onto them, plus their own names."""
    out: dict[tuple[str, ...], set[str]] = {}
    by_coco: dict[str, set[str]] = {}
    for cat in categories:
        for coco in canonical(cat):
            by_coco.setdefault(coco, set()).add(cat)
    for form, cocos in global_forms().items():
        cats = {c for coco in cocos for c in by_coco.get(coco, ())}
        out[form] = cats | set(cocos)
    heads: dict[str, set[str]] = {}
    for cat in categories:
        toks = tuple(tokens(cat))
        if not toks:
            continue
        for form in (toks, tuple(tokens(plural(cat)))):
            out.setdefault(form, set()).add(cat)
        heads.setdefault(toks[-1], set()).add(cat)
    for head, cats in heads.items():
        if len(cats) == 1 and (head,) not in out:
            out[(head,)] = set(cats)
            out[tuple(tokens(plural(head)))] = set(cats)
    return {k: frozenset(v) for k, v in out.items()}
