"""The language front end of the transition checker: text -> statements about body parts.

A text is cut into sentences (punctuation, line breaks, bullets) and clauses (commas and
conjunctions: and, then, while, but, as, before, ...). Each clause is read for the parts it
moves (with their side: left, right, both, "the other", "either"), the movement it claims
(``transition_words``: verb, particle or state word), and its mode: a change ("raise"), a
keep ("keep your right leg straight", "don't move your arms") or a negated change ("don't
bend your knees", "without lifting your heels"). Parts named after a place preposition
("on your hips", "to your chest") are landmarks, not claims. Coordination carries a movement
to a following clause that only names parts ("raise your left arm and your right leg"), and
"it"/"them" to the parts of the clause before. Clauses about the reference pose ("at first",
"was", "initially") state no change and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_clause import FAMILY, POSSESSIVE, PartRef, Reading, Token, read_clause

_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|&#\d{1,6};|[*_`#|~]")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+|[^\w\s]|\n")
_SENTENCE_END = frozenset({".", "!", "?", ";", "\n", "•"})  # not ":": "Left arm: up" is one clause
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


@dataclass
class Statement:
    """One movement claim read from a clause, with the character span it was read from."""

    start: int
    end: int
    kind: str  # height bend lean turn gap straighten keep
    direction: str | None
    parts: list[PartRef] = field(default_factory=list)
    mode: str = "change"  # change | keep | negated
    frame: str | None = None  # lean/turn left-right: your | unclear | image
    above_head: bool = False
    only: bool = False  # "only the left arm": the other side did not make this move
    mentions: list[PartRef] = field(default_factory=list)  # parts a "rest" keep leaves out ("only X moves")
    soft: bool = False  # "slightly": a move under the still threshold is unverifiable, not a wrong part


def blank_markup(text: str) -> str:
    """HTML tags, entities and markdown marks replaced by spaces of the same length (offsets keep)."""
    text = text.replace("&amp;", " and ")  # same length
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def tokens(text: str) -> list[Token]:
    norm = blank_markup(text).replace("\u2019", "'").replace("\u2018", "'")
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
    has_part = has_verb = False
    for i, t in enumerate(sentence):
        if not out[-1]:
            has_part = has_verb = False
        prev = sentence[i - 1].low if i else ""
        nxt = sentence[i + 1].low if i + 1 < len(sentence) else ""
        if (t.low == "and" and prev in ("left", "right") and nxt in ("left", "right")) or (
            t.low == "as" and nxt in _AS_KEEPS
        ):
            out[-1].append(t)
        elif (
            has_verb
            and out[-1]
            and (t.low == "without" or (t.low == "with" and (nxt in POSSESSIVE or nxt in tw.PARTS)))
        ):
            out.append([t])  # "lean left without moving your legs", "bend sideways with arms relaxed": own scope
            has_part = has_verb = False
            continue
        elif has_part and has_verb and nxt in POSSESSIVE and t.low in forms and t.low not in tw.STATE_WORDS:
            out.append([t])  # a second imperative, no conjunction: "raise your arm bend your knee"
            has_part, has_verb = False, True
            continue
        elif t.low in (",", "(", ")", "\u2014", "\u2013", ":", "&", "+") or t.low in tw.CLAUSE_WORDS:
            out.append([])
            if t.low in ("instead", "rather") and nxt in ("of", "than"):
                out[-1].append(Token("not", t.start, t.end))
        else:
            out[-1].append(t)
        has_part = has_part or t.low in tw.PARTS
        has_verb = has_verb or t.low in forms
    return [c for c in out if c]


def parse(text: str) -> list[Statement]:
    """Every checkable statement of ``text``, in order."""
    out: list[Statement] = []
    last_side: dict[str, str] = {}  # limb family (and "any") -> the side last named
    last_parts: list[PartRef] = []
    for sentence in sentences(tokens(text)):
        prev: Reading | None = None
        pending: list[Reading] = []
        subject: Reading | None = None  # "Left arm: raised above the head"
        for toks in clauses(sentence):
            r = read_clause(toks, last_parts, subject=subject.parts if subject is not None else None)
            if subject is not None and r.kind is not None and r.parts is not subject.parts and r.parts == subject.parts:
                r.toks = subject.toks + r.toks
            if r.skip:
                prev, pending = None, []
                last_parts = r.parts or last_parts  # "at first it hangs, now it is raised": 'it' still refers
                continue
            inherit = r.kind is None or (prev is not None and prev.mode == "keep")
            if inherit and not r.has_verb and r.parts and prev is not None and prev.kind is not None:
                if prev.mode == "keep" and r.has_verb is False:
                    own = read_clause(toks, last_parts, force_keep=True)  # "keep your leg straight and your arm down"
                    r.kind, r.direction, r.mode = "keep", own.direction, "keep"
                else:
                    r.kind, r.direction, r.mode, r.only = prev.kind, prev.direction, prev.mode, prev.only
                if {t.low for t in r.toks} & tw.NEGATORS and r.mode == "change":
                    r.mode = "negated"  # "bend your right knee, but not the left one"
            if r.kind is None:
                subject = r if r.parts and not r.has_verb else None
                continue
            subject = None
            if not r.parts and r.kind in ("height", "bend", "gap", "keep"):
                pending.append(r)
                continue
            if r.parts:
                resolved = []
                for p in r.parts:
                    side = p.side
                    family = FAMILY.get(p.group, "any")
                    if side == "other":
                        named = last_side.get(family) or last_side.get("any", "")
                        side = {"left": "right", "right": "left"}.get(named, "unknown")  # no side named before
                    if side in ("left", "right"):
                        last_side[family] = last_side["any"] = side
                    resolved.append(PartRef(side, p.group))
                r.parts = resolved
                last_parts = resolved
                for q in pending:
                    out.append(_statement(q, r.parts, r.toks))
                pending = []
            out.append(_statement(r, r.parts, r.toks))
            prev = r
    return out


def _statement(r: Reading, parts: list[PartRef], span_toks: list[Token]) -> Statement:
    start = min(r.toks[0].start, span_toks[0].start)
    end = max(r.toks[-1].end, span_toks[-1].end)
    return Statement(
        start,
        end,
        r.kind or "",
        r.direction,
        list(parts),
        r.mode,
        r.frame,
        r.above_head,
        r.only,
        list(r.mentions),
        r.soft,
    )
