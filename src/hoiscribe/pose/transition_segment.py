"""Cutting a pose-transition text into tokens, sentences and clauses.

The segmentation of ``pose.transition_parse``: markup blanked (offsets keep), sentences cut at
punctuation, line breaks and bullets (not at ":"), and clauses at commas and conjunctions (and,
then, while, but, as, before, ...), with the phrases that stay one clause: "left and right", "as
high as", "the right arm and leg", "lifted out and up", "up until shoulder height".
"""

from __future__ import annotations

import re

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_clause import Token
from hoiscribe.pose.transition_cues import DO_AUX
from hoiscribe.pose.transition_parts import POSSESSIVE

_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|&#\d{1,6};|[*_`#~]")  # "|" stays: it separates cells
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+|[^\w\s]|\n")
_SENTENCE_END = frozenset({".", "!", "?", ";", "\n", "•"})  # not ":": "Left arm: up" is one clause
_SPLITTERS = frozenset({",", "(", ")", "\u2014", "\u2013", ":", "&", "+", "|", "with", "without"})
_OUT_WORDS = frozenset({"out", "outward", "outwards", "sideways", "in", "inward", "inwards"})
# "Left arm and right leg both go out": two subjects of one verb, one clause
_JOIN_NEXT = frozenset({"left", "right", "the", "your", "his", "her", "their", "both"}) | frozenset(tw.PARTS)
_PARTICLES = frozenset({"out", "up", "down", "forward", "forwards", "back", "backward", "backwards", "outward",
                        "outwards", "upward", "upwards", "downward", "downwards", "sideways", "over", "across", "away",
                        "in", "inward", "inwards"})  # fmt: skip
_LEVEL_NOUNS = frozenset({"shoulder", "shoulders", "head", "horizontal", "overhead"})  # "up until shoulder height"
_AS_KEEPS = frozenset(
    {
        "it",
        "they",
        "before",
        "is",
        "are",
        "was",
        "were",
        "well",
        "much",
        "far",
        "high",
        "low",
        "possible",
        "usual",
        "shown",
        "if",
        "though",
        "such",
        "in",
    }
)  # "as it is": no new clause


def blank_markup(text: str) -> str:
    """HTML tags, entities and markdown marks replaced by spaces of the same length (offsets keep)."""
    text = text.replace("&amp;", " and ")  # same length
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def tokens(text: str) -> list[Token]:
    norm = blank_markup(text).replace("\u2019", "'").replace("\u2018", "'")
    low = norm.lower()
    if len(low) == len(norm):  # lower-cased once (offsets keep); tuples made without the NamedTuple call
        new = tuple.__new__
        return [new(Token, (m.group(), *m.span())) for m in _TOKEN.finditer(low)]
    return [Token(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]


def sentences(toks: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in toks:
        if t.low in _SENTENCE_END:
            out.append([])
        else:
            out[-1].append(t)
    return [s for s in out if s]


def clauses(sentence: list[Token]) -> list[list[Token]]:
    """Split at commas and clause words; 'left and right' stays one phrase."""
    out: list[list[Token]] = [[]]
    forms = tw.verb_forms()
    has_part = has_verb = has_state = False
    resume: list[Token] | None = None  # the clause a parenthesis interrupted
    asides: dict[int, list[list[Token]]] = {}  # id of such a clause -> the clauses inside the parenthesis
    for i, t in enumerate(sentence):
        if not out[-1]:
            has_part = has_verb = has_state = False
        low = t.low
        nxt = sentence[i + 1].low if i + 1 < len(sentence) else ""
        if low not in _SPLITTERS and low not in tw.CLAUSE_WORDS and low != "rather":  # the common case: no cue
            if has_part and has_verb and nxt in POSSESSIVE and low in forms and low not in tw.STATE_WORDS:
                out.append([t])  # a second imperative, no conjunction: "raise your arm bend your knee"
                has_part, has_verb = False, True
                continue
            out[-1].append(t)
            has_part = has_part or low in tw.PARTS
            has_verb = has_verb or (low in forms and low not in DO_AUX)  # "does not leave": one verb
            has_state = (
                has_state or low in tw.STATE_WORDS or low in _OUT_WORDS or (low in _PLACES and _placed(sentence, i))
            )
            continue
        prev = sentence[i - 1].low if i else ""
        if (
            (t.low == "and" and prev in ("left", "right") and nxt in ("left", "right"))
            or (t.low == "as" and (nxt in _AS_KEEPS or (i > 1 and sentence[i - 2].low == "as")))  # "as high as"
            or (t.low == "before" and prev in ("as", "like", "than", "from"))  # "as before": no new clause
            or (t.low == "before" and nxt in ("", ",", ")", "\u2014", "\u2013"))  # "hanging before, ...": its state
            or (t.low == "and" and prev in tw.PARTS and nxt in tw.PARTS)  # "the right arm and leg": one phrase
            or (t.low == "and" and prev in _PARTICLES and nxt in _PARTICLES)  # "lifted out and up": one path
            or (t.low in ("until", "till") and {x.low for x in sentence[i + 1 : i + 4]} & _LEVEL_NOUNS)
            or (t.low in ("also", "then") and has_part and not has_verb and nxt in forms)  # "the leg also lifts"
            or (t.low == "and" and has_part and not has_verb and not has_state and nxt in _JOIN_NEXT)
        ):
            out[-1].append(t)
        elif (
            has_verb
            and out[-1]
            and (t.low == "without" or (t.low == "with" and (nxt in POSSESSIVE or nxt in tw.PARTS)))
            and not (t.low == "with" and {x.low for x in out[-1]} & {"nothing", "no"})  # "nothing changes with X"
            and prev != "level"  # "level with the shoulder"
            and not _companion(sentence, i)  # "moving with the torso": the part is carried, one clause
        ):
            out.append([t])  # "lean left without moving your legs", "bend sideways with arms relaxed": own scope
            has_part = has_verb = has_state = False
            continue
        elif has_part and has_verb and nxt in POSSESSIVE and t.low in forms and t.low not in tw.STATE_WORDS:
            out.append([t])  # a second imperative, no conjunction: "raise your arm bend your knee"
            has_part, has_verb = False, True
            continue
        elif (
            t.low in (",", "(", ")", "\u2014", "\u2013", ":", "&", "+", "|")
            or t.low in tw.CLAUSE_WORDS
            or (low == "rather" and nxt == "than")  # "above the head rather than beside it": a new clause
        ):
            if t.low == "(":
                resume = out[-1] or None  # "the arms (both raised) remain straight": the clause goes on after ')'
            elif t.low == ")" and resume is not None and nxt and nxt not in _SPLITTERS and nxt not in tw.CLAUSE_WORDS:
                k = next(k for k, c in enumerate(out) if c is resume)
                asides[id(resume)] = asides.get(id(resume), []) + out[k + 1 :]  # read after the clause it interrupts
                del out[k + 1 :]
                has_part = any(x.low in tw.PARTS for x in resume)
                has_verb = any(x.low in forms for x in resume)
                has_state = any(x.low in tw.STATE_WORDS or x.low in _OUT_WORDS for x in resume)
                resume = None
                continue
            if (
                t.low == ":"
                and out[-1]
                and out[-1][-1].low in forms
                and all(x.low in _VERB_LEADS for x in out[-1][:-1])
            ):
                out[-1].append(t)  # "Lean: right", "- Body tilt: left": the verb and its direction are one clause
                continue
            if t.low == ":" and out[-1]:
                out[-1].append(t)  # "Left arm:" names the subject of what follows; it inherits nothing
            out.append([])
            # kept as the clause's first word: "stay still but the right arm" (maybe an exception), "and so do
            # your arms" (an ellipsis), "bent now, before straight" (the reference state)
            if (
                (t.low == "but" and (nxt in POSSESSIVE or nxt in tw.PARTS))
                or (t.low in ("so", "as") and nxt in DO_AUX)
                or (t.low == "before" and nxt and nxt not in forms and nxt not in POSSESSIVE)
            ):
                out[-1].append(t)
            if t.low in ("instead", "rather") and nxt in ("of", "than"):
                out[-1].append(Token("not", t.start, t.end))
        else:
            out[-1].append(t)
        has_part = has_part or t.low in tw.PARTS
        has_verb = has_verb or t.low in forms
        has_state = has_state or t.low in tw.STATE_WORDS or t.low in _OUT_WORDS
    if asides:
        out = [x for c in out for x in [c, *asides.get(id(c), [])]]
    return [c for c in out if c]


_VERB_LEADS = frozenset({"-", "body", "torso", "trunk", "upper", "head"})  # before a lone verb and its colon
_COMPANIONS = frozenset({"torso", "body", "trunk", "lean", "tilt", "chest", "shoulders", "shoulder"})


def _companion(sentence: list[Token], i: int) -> bool:
    """'with the torso' / 'with the upper body' closing its clause: what carries the part, not a new clause."""
    k = i + 1
    if k < len(sentence) and sentence[k].low in POSSESSIVE:
        k += 1
    if k < len(sentence) and sentence[k].low == "upper":
        k += 1
    if k >= len(sentence) or sentence[k].low not in _COMPANIONS:
        return False
    return k + 1 == len(sentence) or sentence[k + 1].low in _SPLITTERS or sentence[k + 1].low in tw.CLAUSE_WORDS


_LEVEL_PREPS = frozenset({"above", "below", "over", "under", "beneath", "at", "near", "past", "around", "about", "to"})


_PLACES = frozenset({"overhead", "horizontal", "head", "shoulder", "shoulders"})


def _placed(sentence: list[Token], i: int) -> bool:
    """A level named at word ``i`` ('above the head', 'at shoulder height', 'overhead'): the clause places a hand,
    so a following 'and the right hand ...' is a new clause, not a second subject."""
    low = sentence[i].low
    if low in ("overhead", "horizontal"):
        return True
    if low not in ("head", "shoulder", "shoulders"):
        return False
    k = i - 1
    while k >= 0 and sentence[k].low in POSSESSIVE:
        k -= 1
    return k >= 0 and sentence[k].low in _LEVEL_PREPS
