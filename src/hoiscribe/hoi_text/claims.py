"""Find claims in free text: who (body part or person) does what to which object, poses, counts.

Works on sentences split into clauses, and clauses split again wherever a body part starts a
new subject ("the left hand holds the handle while the right foot rests on the pedal"), so
each claim carries one subject. A part after a preposition is not a subject ("over the
head"), except the instruments "with his left hand" / "in both hands". Knows nothing of the
facts: :mod:`hoiscribe.hoi_text.checker` judges what this module finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoiscribe.hoi_text.claim_words import (
    AT_LEAST_WORDS,
    DETERMINERS,
    HIDDEN_WORDS,
    INSTRUMENT_PREPS,
    NEGATIONS,
    NOT_THE_OBJECT,
    NUMBER_WORDS,
    PART_WORDS,
    PEOPLE_NOUNS,
    PREPOSITIONS,
    hico_verb_forms,
    hico_verb_re,
    object_re,
    object_surfaces,
    state_words,
)

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSES = re.compile(
    r"\s*(?:[,;:]|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bas well as\b"
    r"|\band\b(?=\s+(?:the|his|her|their|its|he|she|they|it|both|one|a|an|[a-z]+ing)\b))\s*"
)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_SIDES = ("left", "right")
_STOP = frozenset({"and", "or", "but", "while", "is", "are", "was", "were", "that", "which", "who", "whose"})
_BENDS = (("sharply bent", "sharply bent"), ("slightly bent", "slightly bent"), ("fully extended", "straight"),
          ("extended straight", "straight"), ("held straight", "straight"), ("is straight", "straight"),
          ("are straight", "straight"), ("bent", "bent"), ("flexed", "bent"))  # fmt: skip
_LIMB_WORDS = frozenset({"arm", "arms", "elbow", "elbows", "forearm", "forearms", "leg", "legs", "knee", "knees"})
_SPREAD = (("close together", "close together"), ("far apart", "far apart"), ("wide apart", "wide apart"))
_TORSO = (
    ("left side of the image", "leaning image-left"),
    ("right side of the image", "leaning image-right"),
    ("roughly horizontal", "horizontal"),
    ("horizontal", "horizontal"),
    ("upright", "upright"),
)
_COUNT_RE = re.compile(
    r"\b(" + "|".join(sorted({*NUMBER_WORDS, *AT_LEAST_WORDS} - {"one"}, key=len, reverse=True)) + r"|\d+)"
    r"\s+(other\s+|more\s+|different\s+|young\s+|adult\s+)?(" + "|".join(PEOPLE_NOUNS) + r")\b"
)
_ALONE_RE = re.compile(
    r"\b(only one (?:person|man|woman|child)|the only (?:person|one)|no one else|nobody else|no other (?:people|person)"
    r"|(?:is|stands|sits) alone)\b"
)
_ANOTHER_RE = re.compile(r"\banother (person|man|woman|child|kid|boy|girl|player)\b")


@dataclass(frozen=True, slots=True)
class PartRef:
    """One body part named in a clause: group, the sides it covers and how it was named."""

    group: str
    sides: tuple[str | None, ...]  # ("left",), ("left", "right"), (None,) for hip/head or unspecified
    mode: str  # "single", "both" or "either" (side not given)
    word: str
    role: str  # "subject" or "instrument"
    start: int  # token index where its noun phrase starts
    end: int  # token index after the part word


@dataclass(frozen=True, slots=True)
class StateClaim:
    text: str
    part: PartRef
    states: frozenset[str]
    objects: frozenset[str] | None  # HICO categories named; None: no object named; empty: not an object


@dataclass(frozen=True, slots=True)
class PoseClaim:
    text: str
    code: str  # elbow, knee, hand_height, hands, feet, torso
    side: str | None
    value: str
    part: PartRef | None


@dataclass(frozen=True, slots=True)
class MentionClaim:
    """A part named as a subject with no checkable predicate; matters when that part is hidden."""

    text: str
    part: PartRef
    says_hidden: bool


@dataclass(frozen=True, slots=True)
class VerbClaim:
    text: str
    verb: str  # HICO verb, or "no_interaction"
    objects: frozenset[str] | None  # as in StateClaim


@dataclass(frozen=True, slots=True)
class CountClaim:
    text: str
    n: int
    at_least: bool


AnyClaim = StateClaim | PoseClaim | MentionClaim | VerbClaim | CountClaim


def normalize(text: str) -> str:
    """Lower case, straight quotes, 'left-hand' -> 'left hand'."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\b(left|right)-(?=[a-z])", r"\1 ", text)


def sentences(text: str) -> list[str]:
    out = []
    for raw in _SENTENCES.split(text):
        s = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s*", "", raw).strip()
        if s:
            out.append(s)
    return out


def extract(text: str) -> list[AnyClaim]:
    """All claims of a text, in reading order."""
    claims: list[AnyClaim] = []
    for sentence in sentences(text):
        low = normalize(sentence)
        claims.extend(_counts(sentence, low))
        claims.extend(_torso(sentence, low))
        subject: PartRef | None = None
        for clause in _CLAUSES.split(low):
            if clause:
                subject = _clause(sentence, clause, subject, claims)
    return claims


def mentions_object(text: str, category: str, object_position_only: bool = False) -> bool:
    """Is ``category`` named anywhere in ``text`` (for 'person', only after a verb or preposition)?"""
    low = normalize(text)
    for m in object_re().finditer(low):
        if category in object_surfaces()[m.group(1)] and not low.startswith("'s", m.end()):
            before = _TOKEN.findall(low[: m.start()])[-3:]
            if not object_position_only or any(w in PREPOSITIONS or w.endswith("ing") for w in before):
                return True
    return False


def _clause(sentence: str, clause: str, prev: PartRef | None, out: list[AnyClaim]) -> PartRef | None:
    """Claims of one clause; returns the subject a following verb-only clause inherits."""
    tokens = _TOKEN.findall(clause)
    refs = _part_refs(tokens)
    subjects = [r for r in refs if r.role == "subject"]
    cuts = [r.start for r in subjects]
    if not cuts or cuts[0] > 0:
        head = tokens[: cuts[0]] if cuts else tokens
        inherit = prev if prev is not None and head and _starts_with_verb(head) else None
        instruments = [r for r in refs if r.role == "instrument" and (not cuts or r.start < cuts[0])]
        if inherit is not None:
            _part_segment(sentence, head, inherit, out)
        else:
            _person_segment(sentence, head, instruments, out)
    subject = prev if not subjects else subjects[-1]
    for i, ref in enumerate(subjects):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(tokens)
        _part_segment(sentence, tokens[ref.end : end], ref, out)
    return subject


def _starts_with_verb(tokens: list[str]) -> bool:
    first = tokens[0]
    return first in ("is", "are", "holds", "rests") or first.endswith("ing") or first in _all_state_words()


def _all_state_words() -> set[str]:
    return {w for words in state_words().values() for w in words}


def _part_refs(tokens: list[str]) -> list[PartRef]:
    refs = []
    for i, tok in enumerate(tokens):
        if tok not in PART_WORDS:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt in ("side", "of", "sides", "rest", "first", "start", "towards", "toward", "to"):
            continue  # "left hand side", "head of the table", "head to", "head start"
        group, plural = PART_WORDS[tok]
        j = i
        side = None
        if j > 0 and tokens[j - 1] in _SIDES:
            side = tokens[j - 1]
            j -= 1
        both = False
        while j > 0 and (tokens[j - 1] in DETERMINERS or tokens[j - 1].endswith("'s") or tokens[j - 1] in ("both",
                         "of", "two")):  # fmt: skip
            both = both or tokens[j - 1] in ("both", "two")
            j -= 1
        before = tokens[j - 1] if j > 0 else ""
        if before in INSTRUMENT_PREPS:
            role = "instrument"
        elif before in PREPOSITIONS or before in ("raised", "lifted", "over", "above"):
            continue
        else:
            role = "subject"
        if group not in ("hand", "arm", "leg", "foot"):
            sides, mode = (None,), "single"
        elif side is not None:
            sides, mode = (side,), "single"
        elif both or plural:
            sides, mode = ("left", "right"), "both"
        else:
            sides, mode = (None,), "either"
        refs.append(PartRef(group, sides, mode, tok, role, j, i + 1))
    return refs


def _negated(tokens: list[str], upto: int) -> bool:
    return any(t in NEGATIONS or t.endswith("n't") for t in tokens[:upto])


def _part_segment(sentence: str, pred: list[str], ref: PartRef, out: list[AnyClaim]) -> None:
    """Claims whose subject is one body part; ``pred`` is the clause after the part's name."""
    text = " ".join(pred)
    found = False
    state = _state_in(ref.group, pred)
    if state is not None and not _negated(pred, state[0]):
        out.append(StateClaim(sentence, ref, state[1], _object_after(pred, state[0] + 1, allow_prep=True)))
        found = True
    found |= _poses(sentence, f"{ref.word} {text}", ref, out)
    if not found:
        out.append(MentionClaim(sentence, ref, bool(HIDDEN_WORDS.search(text))))


def _state_in(group: str, tokens: list[str]) -> tuple[int, frozenset[str]] | None:
    """Index and claimed HAKE states of the first state word of ``group`` in ``tokens``."""
    words = state_words().get(group, {})
    for i, tok in enumerate(tokens):
        claimed = words.get(tok)
        if claimed is None or (i > 0 and (tokens[i - 1] in DETERMINERS or tokens[i - 1] in PREPOSITIONS)):
            continue  # "on the pedal", "a step": a noun, not the verb
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok == "close" and nxt not in ("to", "with", "by"):
            continue
        if group == "hip" and nxt in ("next", "near", "by"):
            nxt = "beside"
        # the particle picks among states of one verb: "pointing to" vs "pointing with"
        narrowed = frozenset(st for st in claimed if st.split(" ")[1:2] == [nxt])
        return i, narrowed or claimed
    return None


def _object_after(tokens: list[str], i: int, allow_prep: bool) -> frozenset[str] | None:
    """Categories of the object named just after a verb (skipping articles and adjectives)."""
    rest = " ".join(tokens[i : i + 8])
    words = rest.split()
    for k, word in enumerate(words[:6]):
        leading_prep = k == 0 and allow_prep and word in PREPOSITIONS
        if not leading_prep and (word in _STOP or (word in PREPOSITIONS and word != "of")):
            return None
        tail = " ".join(words[k:])
        m = object_re().match(tail)
        if not m and word in NOT_THE_OBJECT:
            return frozenset()  # "resting on his knee": about something else
        if m:
            # "orange frisbee", "baseball glove": the head noun is the last of adjacent names
            after = tail[m.end() :].lstrip()
            m2 = object_re().match(after)
            name = m2.group(1) if m2 and m2.start() == 0 else m.group(1)
            return object_surfaces()[name]
    return None


def _poses(sentence: str, text: str, ref: PartRef, out: list[AnyClaim]) -> bool:
    found = False
    if ref.word in _LIMB_WORDS:
        code = "elbow" if ref.group == "arm" else "knee"
        for phrase, value in _BENDS:
            if re.search(r"\b" + phrase + r"\b", text) and not re.search(r"\bnot (?:\w+ )?" + phrase, text):
                for side in ref.sides:
                    out.append(PoseClaim(sentence, code, side, value, ref))
                found = True
                break
    if ref.group in ("hand", "arm") and re.search(r"\b(raised|lifted|held up|(?:is|are) above)\b", text):
        value = None
        if re.search(r"\b(above|over) (?:the |his |her |their )?head\b|\boverhead\b", text):
            value = "above head"
        elif re.search(r"\bshoulder", text):
            value = "above shoulder"
        if value is not None:
            for side in ref.sides:
                out.append(PoseClaim(sentence, "hand_height", side, value, ref))
            found = True
    if ref.word in ("hands", "feet") and ref.mode == "both":
        for phrase, value in _SPREAD:
            if phrase in text:
                out.append(PoseClaim(sentence, ref.word, None, value, ref))
                found = True
    return found


def _torso(sentence: str, low: str) -> list[AnyClaim]:
    if not re.search(r"\b(upper body|torso|the body|his body|her body|their body)\b", low):
        return []
    for phrase, value in _TORSO:
        if phrase in low:
            return [PoseClaim(sentence, "torso", None, value, None)]
    return []


def _person_segment(sentence: str, tokens: list[str], instruments: list[PartRef], out: list[AnyClaim]) -> None:
    """Person-level claims: 'is riding a bicycle', 'holds a cup with both hands', 'not interacting with'."""
    text = " ".join(tokens)
    m = re.search(r"\bnot (?:\w+ )?interact(?:s|ing)?\b|\bno interaction\b", text)
    if m:
        after = _TOKEN.findall(text[m.end() :])
        out.append(VerbClaim(sentence, "no_interaction", _object_after(after, 0, allow_prep=True)))
        return
    for vm in hico_verb_re().finditer(text):
        before = _TOKEN.findall(text[: vm.start()])
        if _negated(before[-4:], len(before[-4:])) or _thing_subject(before):
            continue
        after = _TOKEN.findall(text[vm.end() :])
        verb = hico_verb_forms()[vm.group(1)]
        objects = _object_after(after, 0, allow_prep="_" in verb)
        if objects is not None:
            out.append(VerbClaim(sentence, verb, objects))
    for ref in instruments:
        state = _state_in(ref.group, tokens[: ref.start])
        if state is not None and not _negated(tokens, state[0]):
            objects = _object_after(tokens[: ref.start], state[0] + 1, allow_prep=True)
            out.append(StateClaim(sentence, ref, state[1], objects))
        elif HIDDEN_WORDS.search(text) is None:
            out.append(MentionClaim(sentence, ref, False))


def _thing_subject(before: list[str]) -> bool:
    """'a dog is chasing a frisbee': the verb's subject is a named non-person thing."""
    words = [w for w in before if w not in ("is", "are", "also", "was", "were")]
    if not words:
        return False
    cats = object_surfaces().get(words[-1])
    return cats is not None and "person" not in cats


def _counts(sentence: str, low: str) -> list[AnyClaim]:
    out: list[AnyClaim] = []
    for m in _COUNT_RE.finditer(low):
        word, extra = m.group(1), m.group(2) or ""
        if word.isdigit():
            n, at_least = int(word), False
        elif word in AT_LEAST_WORDS:
            n, at_least = AT_LEAST_WORDS[word], True
        else:
            n, at_least = NUMBER_WORDS[word], False
        if extra.strip() in ("other", "more"):
            n += 1  # "two other people" besides the subject
        out.append(CountClaim(sentence, n, at_least))
    if _ALONE_RE.search(low):
        out.append(CountClaim(sentence, 1, False))
    if _ANOTHER_RE.search(low):
        out.append(CountClaim(sentence, 2, True))
    return out
