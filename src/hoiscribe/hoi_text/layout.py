"""The layout of a text: sentences, and the markdown / numbered headings they sit under.

Why apart from :mod:`hoiscribe.hoi_text.claims`: VLM answers come as markdown ("**Left hand:**
holding the cup", a bold "**Hands and arms**" line with bullets under it, "1. **Gaze**: fixed on
the page"), and a heading is part of the grammar of the lines under it. A body-part heading is
the subject of a line that names none ("**Feet**: on the pedals" = "feet on the pedals",
"**Hands**: both on the bars" = "both hands on the bars"); a heading about other people or the
scene ("**Spectators**", "**Background**") makes its lines claims about them, not the person.
Each segment's text is a substring of the input, so a report can still highlight it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoiscribe.hoi_text.claim_words import PART_WORDS, object_re, object_surfaces

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+|^\s*#{1,6}\s*")
# a label: "**Hands:**", "**Hands**:", "__Hands__ -", "Hands:" (then at most five words), "### Hands"
_LABEL = re.compile(
    r"^(?:(?P<mark>\*\*|__)(?P<bold>[^*_\n]{1,40}?)\s*:?\s*(?P=mark)\s*(?::|\s-|\u2013|\u2014)?"
    r"|(?P<plain>[A-Za-z][A-Za-z' ]{0,30}?)\s*:)\s*"
)
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|`")


def _unmarked(text: str) -> str:
    """``text`` without its markdown marks (only a text with a '*', '_' or '`' has any)."""
    return _MARKUP.sub("", text) if "*" in text or "_" in text or "`" in text else text


# words that make a heading about someone other than the person, or about the scene
_OTHERS = frozenset({"crowd", "spectator", "spectators", "audience", "bystander", "bystanders", "onlooker",
                     "onlookers", "others", "passersby", "companion", "companions"})  # fmt: skip
_OTHER_MODIFIERS = frozenset({"other", "another", "second", "third", "background", "nearby", "surrounding"})
_SCENE = frozenset({"setting", "background", "scene", "surroundings", "where", "environment", "location",
                    "weather", "lighting", "light", "mood", "atmosphere", "backdrop", "place"})  # fmt: skip
_GAZE = frozenset({"gaze", "eyes", "eye", "looking", "look", "attention", "focus"})
_QUANTIFIERS = ("both", "one", "neither", "either", "each", "left", "right")


@dataclass(frozen=True)
class Segment:
    """One sentence of the text (a substring of it) and what its heading says about its subject.

    ``part``: the body part a heading names ("hands", "left hand", "eyes"), the subject of a line
    that names none; ``apart``: the heading is about other people or the scene.
    """

    text: str
    part: str = ""
    apart: bool = False
    thing: bool = False  # the heading names a thing ("Horse:", "**Object**"): its lines are the thing's


def segments(text: str) -> list[Segment]:
    """Sentences in reading order, each with its heading's subject; list markers and labels stripped."""
    out: list[Segment] = []
    block = Segment("")  # the heading of the lines below a heading line
    for line in text.split("\n"):
        if line.strip().startswith("|"):
            out.extend(_table_row(line, block))  # "| Left hand | grips the rail |"
            continue
        body = _BULLET.sub("", line, count=1)
        m = _LABEL.match(body)
        label = (m.group("bold") or m.group("plain") or "") if m else ""
        rest = body[m.end() :] if m else body
        if m and _known(label, bool(m.group("bold"))) and not _unmarked(rest).strip(" .:*_\t"):
            block = _heading(label)
            continue
        if not m and _is_heading_line(line, bare := _unmarked(body).strip(" :\t")):
            block = _heading(bare)
            continue
        known = bool(m) and _known(label, bool(m.group("bold")))
        here = _heading(label) if known else block
        if known and block.part and _words(label) and set(_words(label)) <= _SIDE_WORDS:
            here = Segment("", part=_sided(block.part, _words(label)))  # "**Hands**" / "- Left: gripping ..."
        if m and not known:
            rest = body  # "Note: he ..." stays as written
        for raw in _SENTENCES.split(rest):
            s = raw.strip().strip("*_").strip()
            s = _BULLET.sub("", s, count=1).strip()
            if s and any(ch.isalnum() for ch in s):
                apart = here.apart or (here.thing and not _PERSONAL.search(s.lower()))  # "Horse: brown, standing"
                out.append(Segment(s, here.part, apart))
    return out


_SIDE_WORDS = frozenset({"left", "right", "both", "one", "other", "the"})


def _sided(part: str, words: list[str]) -> str:
    """A side label under a part heading: 'Left' under 'Hands' is the left hand, 'Both' both hands."""
    noun = part.split()[-1]
    if "both" in words:
        return _plural(noun)
    side = next((w for w in words if w in ("left", "right")), "")
    return f"{side} {_singular(noun)}".strip() if side else part


def _table_row(line: str, block: Segment) -> list[Segment]:
    """A markdown table row: its first cell labels the others (a part, others, the scene)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if not cells or all(set(c) <= set("-: ") for c in cells):
        return []  # the "|---|---|" rule under the header
    here = _heading(cells[0]) if len(cells) > 1 else block
    return [Segment(c, here.part, here.apart) for c in cells[1:] if any(ch.isalnum() for ch in c)]


def _is_heading_line(line: str, bare: str) -> bool:
    """'**Rider**', '### Pose', 'Details:' alone on a line: a heading with nothing after it."""
    stripped = line.strip()
    if not bare or len(bare.split()) > 5 or bare[-1:] in ".!?":
        return False
    return stripped.startswith(("**", "__", "#")) or stripped.endswith(":")


def _known(label: str, bold: bool) -> bool:
    """A label ends at its colon: any bold one; a plain one of one to three words that opens with a capital
    and is no clause ("He holds two things: a cup and a plate" keeps its words)."""
    words = _words(label)
    if bold:
        return bool(words) and len(words) <= 6
    return 0 < len(words) <= 3 and label[:1].isupper() and _CLAUSE_WORDS.isdisjoint(words)


_CLAUSE_WORDS = frozenset({"he", "she", "they", "it", "we", "i", "there", "this", "the", "a", "an", "his", "her",
                           "is", "are", "its", "their"})  # fmt: skip


def _words(label: str) -> list[str]:
    return re.findall(r"[a-z]+", _unmarked(label).lower())


def _heading(label: str) -> Segment:
    """What a heading says of the lines under it."""
    words = _words(label)
    if not words:
        return Segment("")
    if _OTHERS.intersection(words) or (
        _OTHER_MODIFIERS.intersection(words) and any(w in ("person", "people", "man", "woman") for w in words)
    ):
        return Segment("", apart=True)
    if words[0] in _SCENE:
        return Segment("", apart=True)
    if words[0] in _GAZE:
        return Segment("", part="eyes")
    for i, w in enumerate(words):
        if (w in PART_WORDS and PART_WORDS[w][0] != "head") or w == "head":
            side = words[i - 1] if i > 0 and words[i - 1] in ("left", "right", "both") else ""
            return Segment("", part=f"{side} {w}".strip())
    if len(words) <= 3 and (words[-1] in _THINGS or _names_thing(words[-1])):
        return Segment("", thing=True)
    return Segment("")


_THINGS = frozenset({"object", "objects", "animal", "animals", "item", "items", "prop", "props", "equipment",
                     "gear", "vehicle", "mount"})  # fmt: skip
# a line under a thing heading that names the person or a part of theirs is still about the person
_PERSONAL = re.compile(
    r"\b(?:he|she|him|his|her|hers|they|them|their|rider|person|man|woman|boy|girl|nobody|no one|"
    r"anyone|anybody|someone|everyone|neither|none|" + "|".join(sorted(PART_WORDS, key=len, reverse=True)) + r")\b"
)


def _names_thing(word: str) -> bool:
    """'Horse', 'Bike', 'Umbrella': a heading word that is one of the objects (not a person)."""
    m = object_re().fullmatch(word)
    return bool(m) and "person" not in object_surfaces()[word]


def with_heading(low: str, part: str) -> tuple[str, int]:
    """``low`` with the heading's part as its subject when the line names none; and how much was added.

    "both on the bars" -> "both hands on the bars"; "only the left on the reins" -> "only the left hand
    on the reins"; "on the pedals" -> "feet on the pedals". A line that opens with a determiner, a pronoun
    or a part of its own has a subject already.
    """
    words = list(re.finditer(r"[a-z]+", low[:80]))
    tokens = [w.group(0) for w in words]
    if not part or not tokens or _names_part(tokens):
        return low, 0
    noun = part.split()[-1]
    i = 0
    while i < len(tokens) - 1 and tokens[i] in ("only", "just", "also", "the"):
        i += 1
    if tokens[i] in _QUANTIFIERS and not (i + 1 < len(tokens) and tokens[i + 1] == "of"):
        plural = tokens[i] == "both"
        word = _plural(noun) if plural else _singular(noun)
        at = words[i].end()
        return low[:at] + f" {word}" + low[at:], len(word) + 1
    if tokens[0] in _HAS_SUBJECT and not _object_only(tokens):
        return low, 0
    prefix = f"{part} "
    return prefix + low, len(prefix)


def _object_only(tokens: list[str]) -> bool:
    """'her phone', 'the red cup': a determiner and an object's name, nothing else (what the part has)."""
    if tokens[0] not in ("the", "a", "an", "his", "her", "their") or len(tokens) > 4:
        return False
    return any(object_re().fullmatch(" ".join(tokens[k:])) is not None for k in (1, 2))


def _names_part(tokens: list[str]) -> bool:
    """The line's first three words name a part ("both hands grip", "his left hand")."""
    return any(t in PART_WORDS for t in tokens[:4])


_HAS_SUBJECT = frozenset({"the", "a", "an", "his", "her", "their", "its", "he", "she", "they", "it", "this",
                          "that", "these", "those", "there", "someone", "nobody", "none", "another"})  # fmt: skip
_SINGULAR = {"hands": "hand", "arms": "arm", "feet": "foot", "legs": "leg", "hips": "hip", "knees": "knee"}


def _singular(noun: str) -> str:
    return _SINGULAR.get(noun, noun)


def _plural(noun: str) -> str:
    return noun if noun in ("eyes", "head") else {v: k for k, v in _SINGULAR.items()}.get(noun, noun)
