"""Find verb and state phrases of the generated lexicons in a clause's tokens, with their negation.

Why a token matcher and not one big regex: real prose puts words inside a phrase ("lying
flat on", "looking up at", "hangs loosely at her side"), so each phrase is matched word by
word with up to two filler tokens (adverbs, pronouns, determiners) between its words. The
tables come from ``hoi_text/data`` (see :mod:`hoiscribe.hoi_text.lexicon_build`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILLERS = frozenset({"his", "her", "their", "its", "the", "a", "an", "it", "them", "up", "down", "out", "actually",
                     "just", "really", "still", "also", "firmly", "loosely", "lightly", "gently", "tightly", "flat",
                     "both", "one", "own", "back", "over", "away", "him", "each", "this", "that", "by", "upright",
                     "cross", "legged", "crosslegged", "barefoot", "sidesaddle",  # "sits cross-legged on"
                     "straight", "there", "sideways", "forward", "astride", "alone", "together", "quietly",
                         "empty", "loose",
                     "free", "limp", "idle", "relaxed", "clear", "lazily", "casually", "big", "small", "large",
                     "little", "quick", "long", "deep", "well", "high", "stretched", "curled", "right",
                     "partly", "halfway", "tall", "steady", "firm", "left"})  # fmt: skip
NEGATORS = frozenset({"not", "never", "without", "neither", "nor", "cannot", "no", "don't", "doesn't", "isn't",
                      "aren't", "wasn't", "weren't", "won't", "can't", "didn't", "none", "nowhere",
                          "nobody"})  # fmt: skip
# nouns for a part of an object ("the handlebars"): a claim about them is about the pair's object
OBJECT_PARTS = frozenset({"handlebar", "handlebars", "handle", "handles", "pedal", "pedals", "saddle", "seat", "reins",
                          "bridle", "strap", "straps", "peg", "pegs", "footrest", "footrests", "wheel", "bristles",
                          "keys", "lid", "string", "leash", "grip", "deck", "oar", "oars", "paddle", "brim", "cap",
                          "it", "them", "shaft", "trunk", "mane", "collar", "frame", "screen", "edge", "rim",
                          "stem", "neck", "spout", "sail", "tiller", "throttle", "controls", "buttons", "pages",
                          "cover", "crust", "slice", "piece", "bite", "side", "back", "top", "gunwale", "hull",
                          "stern", "cockpit", "tank", "stirrup", "stirrups", "fender", "kickstand", "door",
                          "steering", "page", "spine", "laces", "binding", "bindings", "fleece", "wool",
                          "udder", "horns", "ears", "barrel", "blade", "tip",
                          # plurals and short names of the same parts ("both hands on the grips")
                          "grips", "handgrip", "handgrips", "wheels", "seats", "footpeg", "footpegs", "lids",
                          "edges", "rims", "tips", "blades", "sails", "doors"})  # fmt: skip
_DETS = frozenset({"his", "her", "their", "its", "the", "a", "an", "one", "one's"})


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # token index of the phrase's first word
    end: int  # token index after its last word
    values: frozenset[str]  # HICO verbs, or "group:state" keys
    exact: bool  # the verb's own label phrase (not a synonym)
    negated: bool
    loose: bool = False  # a manner synonym of every verb it may mean: supports, never contradicts
    opposed: bool = False  # read from a phrase that denies its states ("ride sidesaddle": not straddle)


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def verb_table() -> dict[str, dict]:
    return _load("hoi_verbs.json")["verbs"]


@cache
def state_table() -> dict:
    return _load("hoi_states.json")


@cache
def object_table() -> dict[str, list[str]]:
    return _load("hoi_objects.json")["objects"]


@cache
def near_miss_table() -> dict[str, dict]:
    """Surface -> {"noun", "supercategories"}: things of the objects' kinds that are none of the 80."""
    return _load("hoi_objects.json")["near_misses"]


@cache
def part_table() -> dict[str, list[str]]:
    """Surface of an object part -> the objects that have it ('handlebars' -> bicycle, motorcycle)."""
    return _load("hoi_objects.json")["parts"]


@cache
def supercategory_table() -> dict[str, str]:
    return _load("hoi_objects.json")["supercategories"]


def _index(entries: dict[str, set[str]]) -> dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]:
    out: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
    for surface, values in entries.items():
        words = tuple(w for w in surface.split(" ") if w not in _DETS)
        if words:
            out.setdefault(words[0], []).append((words[1:], frozenset(values)))
    for v in out.values():
        v.sort(key=lambda e: -len(e[0]))
    return out


@cache
def verb_index() -> dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]:
    entries: dict[str, set[str]] = {}
    for verb, row in verb_table().items():
        for s in row["surfaces"]:
            entries.setdefault(s, set()).add(verb)
    return _index(entries)


@cache
def exact_surfaces() -> dict[str, frozenset[str]]:
    """Surfaces of each verb's own label ('sits on', 'riding'), which name exactly that verb."""
    out: dict[str, set[str]] = {}
    for verb, row in verb_table().items():
        for s in row["label_surfaces"]:
            out.setdefault(s, set()).add(verb)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def opposite_index() -> dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]:
    """Phrases that undo a HICO verb ('closing' undoes open), indexed like ``verb_index``."""
    entries: dict[str, set[str]] = {}
    for verb, row in verb_table().items():
        for s in row.get("opposite_surfaces", ()):
            entries.setdefault(s, set()).add(verb)
    return _index(entries)


@cache
def loose_surfaces() -> frozenset[str]:
    """Surfaces that are loose synonyms of every verb they may mean ('lounging on', 'moving')."""
    loose: dict[str, bool] = {}
    for row in verb_table().values():
        for s in row["surfaces"]:
            loose[s] = loose.get(s, True) and s in row["loose_surfaces"]
    return frozenset(s for s, ok in loose.items() if ok)


@cache
def state_index(group: str) -> dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]:
    entries: dict[str, set[str]] = {}
    table = state_table()
    for key, row in table["states"].items():
        if key.startswith(group + ":"):
            for s in row["surfaces"]:
                entries.setdefault(s, set()).add(key)
    for s in table["idle"].get(group, ()):
        entries.setdefault(s, set()).add(f"{group}:no_interaction")
    for key, row in table["states"].items():  # "legs draped over one side": not straddling (see ``find``)
        if key.startswith(group + ":"):
            for s in row.get("opposed_by", ()):
                entries.setdefault(s, set()).add(f"{group}:{OPPOSED}{key.split(':', 1)[1]}")
    return _index(entries)


@cache
def person_state_index(group: str) -> dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]:
    """The part of ``state_index`` said of a whole person: a leg's opposites ("rides sidesaddle"), a hip's
    idle phrases ("rising out of the saddle")."""
    table = state_table()
    entries: dict[str, set[str]] = {}
    if group == "hip":
        for s in table["idle"].get(group, ()):
            entries.setdefault(s, set()).add(f"{group}:no_interaction")
    for key, row in table["states"].items():
        if key.startswith(group + ":"):
            for s in row.get("opposed_by", ()):
                entries.setdefault(s, set()).add(f"{group}:{OPPOSED}{key.split(':', 1)[1]}")
    return _index(entries)


_OPPOSED_MARK = ":!"
OPPOSED = "!"  # marks a state phrase that denies a state ("ride sidesaddle" for straddle): read as that state, negated


_INNER_NEGATORS = frozenset({"not", "never", "n't"})


def _match_rest(tokens: list[str], i: int, rest: tuple[str, ...]) -> int | None:
    """Index after ``rest`` matched from ``i`` with up to two fillers before each word; None if absent.

    'not' / 'never' may stand inside a phrase ("is not under it"); ``find`` marks such a match negated.
    """
    n = len(tokens)
    for word in rest:
        skipped = 0
        while True:
            if i >= n:
                return None
            tok = tokens[i]
            if tok == word:
                break
            if tok.endswith("'s"):
                i += 1  # "draped over the horse's left side": a possessive noun is a determiner, no filler
            elif skipped < 2 and (tok in FILLERS or tok in _INNER_NEGATORS or tok.endswith("ly")):
                i += 1
                skipped += 1
            else:
                return None
        i += 1
    return i


_STOPPED = frozenset({"stopped", "stops", "stop", "stopping", "quit", "quits", "ceased", "ceases"})


_OR = frozenset({"or", "nor"})
# verbs and words that deny the verb after "to" ("fails to hold") or the -ing verb after them ("avoids touching")
_FAILED = frozenset({"fail", "fails", "failed", "failing", "unable", "refuse", "refuses", "refused", "refusing",
                     "neglects", "neglected", "forgets", "forgot", "forgotten", "declines", "declined", "yet",
                     "reluctant"})  # fmt: skip
_AVOIDS = frozenset({"avoid", "avoids", "avoided", "avoiding", "without"})


def negated_at(tokens: list[str], i: int, window: int = 4) -> bool:
    """A negator within ``window`` tokens before ``i`` (not across 'but'/'only'), or 'no longer'; a verb of
    stopping right before an -ing verb ("has stopped pedalling")."""
    if i > 0 and tokens[i - 1] in _STOPPED and tokens[i].endswith("ing"):
        return True
    if i > 1 and tokens[i - 1] == "to" and tokens[i - 2] in _FAILED:  # "fails to hold", "is unable to reach it"
        return not any(t in NEGATORS or t.endswith("n't") for t in tokens[max(0, i - 5) : i - 2])  # "never fails to"
    if i > 0 and tokens[i - 1] in _AVOIDS and tokens[i].endswith("ing"):
        return True  # "avoids touching it"
    if ("or" in tokens or "nor" in tokens) and not _OR.isdisjoint(tokens[max(0, i - 4) : i]):
        window += 4  # "isn't standing on it or holding it", "not feeding, petting or herding them": one negation
    for k in range(i - 1, max(-1, i - window - 3), -1):
        t = tokens[k]
        if t in ("but", "only", "instead", "just", "rather"):
            return False
        if i - k > window:  # "neither of them is actually looking": a negated subject reaches its verb
            if t in ("neither", "none", "nobody"):
                return True
            continue
        if t in NEGATORS or t.endswith("n't") or (t == "longer" and k > 0 and tokens[k - 1] == "no"):
            return True
    return False


def _compound_noun(tokens: list[str], i: int, rest: tuple[str, ...], exact: dict) -> bool:
    """'a chopping board', 'the surf board': a one-word verb that also names an object, second in a noun phrase."""
    if not exact or rest or i < 2 or tokens[i - 2] not in _DETS:
        return False
    if i + 1 < len(tokens) and tokens[i + 1] in _DETS:
        return False  # "a person ties a boat": a verb with its object
    from hoiscribe.hoi_text.claim_words import object_surfaces

    return tokens[i] in object_surfaces() and tokens[i - 1] not in object_surfaces()


def find(tokens: list[str], index: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]) -> list[Match]:
    """Every non-overlapping phrase of ``index`` in ``tokens``, longest first at each position."""
    if index.keys().isdisjoint(tokens):
        return []  # no phrase starts here (the common case)
    out, i = [], 0
    exact = exact_surfaces() if index is verb_index() else {}
    present = set(tokens)  # a phrase whose last word is absent cannot match: skip it unread
    opposites, get, n = index is opposite_index(), index.get, len(tokens)
    while i < n:
        entries = get(tokens[i])
        if entries is None:
            i += 1  # no phrase starts with this word
            continue
        best = None
        for rest, values in entries:
            if rest and rest[-1] not in present:
                continue
            end = _match_rest(tokens, i + 1, rest)
            if end is not None and (best is None or end > best[0]):
                best = (end, values, rest)
        if (
            best is None
            or (i > 0 and tokens[i - 1] in _DETS and not (opposites and _participle_before_noun(tokens, i)))
            or _compound_noun(tokens, i, best[2], exact)
        ):
            i += 1  # "a slice", "a chopping board": a noun, not the verb ("a closed book": the state)
            continue
        end, values, rest = best
        if tokens[i] in _KEEP and "from" in tokens[end : end + 4]:
            i = end  # "keeps the pages from flipping": prevents, holds nothing
            continue
        surface = " ".join((tokens[i], *rest))
        named = exact.get(surface)
        loose = bool(exact) and named is None and surface in loose_surfaces()
        negated = negated_at(tokens, i) or any(t in _INNER_NEGATORS for t in tokens[i + 1 : end])
        opposed = _OPPOSED_MARK in next(iter(values)) and all(_OPPOSED_MARK in v for v in values)
        if opposed:  # an opposite of a state: that state, negated
            values, negated = frozenset(v.replace(OPPOSED, "", 1) for v in values), not negated
        out.append(Match(i, end, named or values, named is not None, negated, loose, opposed))
        i = end
    # "have let go of", "has picked it up": a lone 'have' right before another phrase is its auxiliary
    return [m for k, m in enumerate(out)
            if not (m.end - m.start == 1 and tokens[m.start] in _AUX_HAVE and k + 1 < len(out)
                    and out[k + 1].start <= m.end + 1)]  # fmt: skip


def _participle_before_noun(tokens: list[str], i: int) -> bool:
    """'a closed book', 'the shut fridge': a participle between a determiner and an object noun."""
    from hoiscribe.hoi_text.claim_words import object_surfaces

    word = tokens[i]
    return (word.endswith("ed") or word == "shut") and i + 1 < len(tokens) and tokens[i + 1] in object_surfaces()


_KEEP = frozenset({"keep", "keeps", "kept", "keeping"})
_AUX_HAVE = frozenset({"have", "has", "had", "having"})
