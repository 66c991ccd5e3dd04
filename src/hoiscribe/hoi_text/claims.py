"""Find claims in free text: who (body part or person) does what to which object, poses, counts.

Works on sentences split into clauses, and clauses split again wherever a body part starts a
new subject ("the left hand holds the handle while the right foot rests on the pedal"), so
each claim carries one subject. A part after a preposition is not a subject ("over the
head"), except the instruments "with his left hand" / "in both hands". Knows nothing of the
facts: :mod:`hoiscribe.hoi_text.checker` judges what this module finds.
Long because it is the rule tier's whole reading of a clause: parts, states, verbs, poses, counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from hoiscribe.hoi_text import phrases
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
_OTHER_SIDE = {"left": "right", "right": "left"}
_LIMB_OF = {"hand": "arm", "arm": "hand", "foot": "leg", "leg": "foot"}  # "right hand ..., her other arm"
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
    r"|(?<!not )(?<!never )(?<!hand )alone|no one else|nobody else|by (?:him|her)self|on (?:his|her) own"
    r"|(?:a|the) (?:single|lone|solitary|sole) (?:person|man|woman|rider|skier|surfer|player|figure|guest|sailor"
    r"|customer|diner|passenger|worker|child|boy|girl|kid)|the only (?:guest|one|customer|diner|man|woman|rider))\b"
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
    negated: bool = False
    span: str = ""


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
    alts: frozenset[str] = frozenset()  # every HICO verb the phrase may mean (a synonym may mean several)
    exact: bool = True  # the verb's own phrase, or a synonym that means only it: may contradict
    negated: bool = False
    span: str = ""


@dataclass(frozen=True, slots=True)
class CountClaim:
    text: str
    n: int
    at_least: bool
    span: str = ""


AnyClaim = StateClaim | PoseClaim | MentionClaim | VerbClaim | CountClaim


_PART_LABEL = re.compile(
    r"^\s*((?:(?:left|right|both) )?(?:hands?|arms?|feet|foot|legs?|head|hips?))\s*:\s*"
)  # "Left hand: holding the cup" in seed-style bullets: the part is the subject


def normalize(text: str) -> str:
    """Lower case, straight quotes, 'left-hand' -> 'left hand', 'Left hand:' -> 'left hand '; same length."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\b(left|right)-(?=[a-z])", r"\1 ", text)
    return _PART_LABEL.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)


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
    memory: dict[str, str] = {}  # group -> the side last named, for "the other hand"
    for sentence in sentences(text):
        low = normalize(sentence)
        claims.extend(_counts(sentence, low))
        claims.extend(_torso(sentence, low))
        subject: PartRef | None = None
        at = 0
        for clause in _CLAUSES.split(low):
            if clause:
                pos = low.find(clause, at)
                at = max(at, pos + len(clause)) if pos >= 0 else at
                span = sentence[pos : pos + len(clause)] if pos >= 0 else sentence
                n = len(claims)
                subject = _clause(sentence, clause, subject, claims, memory)
                claims[n:] = [_with_span(c, span) for c in claims[n:]]
    return claims


def _with_span(claim: AnyClaim, span: str) -> AnyClaim:
    """The clause a claim was read from: what the report highlights and the feedback quotes."""
    if isinstance(claim, StateClaim | VerbClaim) and not claim.span:
        return replace(claim, span=span)
    return claim


def mentions_object(text: str, category: str, object_position_only: bool = False) -> bool:
    """Is ``category`` named anywhere in ``text`` (for 'person', only after a verb or preposition)?"""
    low = normalize(text)
    for m in object_re().finditer(low):
        if category in object_surfaces()[m.group(1)] and not low.startswith("'s", m.end()):
            before = _TOKEN.findall(low[: m.start()])[-3:]
            if not object_position_only or any(w in PREPOSITIONS or w.endswith("ing") for w in before):
                return True
    return False


def _clause(
    sentence: str, clause: str, prev: PartRef | None, out: list[AnyClaim], memory: dict[str, str]
) -> PartRef | None:
    """Claims of one clause; returns the subject a following verb-only clause inherits."""
    tokens = _TOKEN.findall(clause)
    refs = _part_refs(tokens, memory)
    for ref in refs:  # "only the left hand": the other one does nothing with the object
        near = [*tokens[max(0, ref.start - 3) : ref.start], *tokens[ref.end : ref.end + 1]]
        if ref.mode == "single" and ref.sides[0] in _SIDES and ("only" in near or "alone" in near):
            other = _OTHER_SIDE[ref.sides[0]]
            other_ref = PartRef(ref.group, (other,), "single", ref.word, "subject", ref.start, ref.end)
            out.append(StateClaim(sentence, other_ref, frozenset({"no_interaction"}), None))
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
        n = len(out)
        _part_segment(sentence, tokens[ref.end : end], ref, out)
        if any(t in ("neither", "no", "none") for t in tokens[max(0, ref.start - 2) : ref.end]):  # "neither hand"
            out[n:] = [replace(c, negated=not c.negated) if isinstance(c, StateClaim) else c for c in out[n:]]
    return subject


def _starts_with_verb(tokens: list[str]) -> bool:
    first = tokens[0]
    return first in ("is", "are", "holds", "rests") or first.endswith("ing") or first in _all_state_words()


def _all_state_words() -> set[str]:
    return {w for words in state_words().values() for w in words}


def _part_refs(tokens: list[str], memory: dict[str, str] | None = None) -> list[PartRef]:
    refs = []
    memory = {} if memory is None else memory
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
        elif j > 0 and tokens[j - 1] == "other" and not plural and (group in memory or _LIMB_OF.get(group) in memory):
            side = _OTHER_SIDE[memory.get(group) or memory[_LIMB_OF[group]]]  # "the other hand"
            j -= 1
        if side is not None and group in ("hand", "arm", "leg", "foot"):
            memory[group] = side
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
    matches = [m for m in phrases.find(pred, phrases.state_index(ref.group)) if m.start < 8]
    if state is not None and not (matches and matches[0].start <= state[0]):
        negated = phrases.negated_at(pred, state[0])
        out.append(StateClaim(sentence, ref, state[1], _object_after(pred, state[0] + 1, allow_prep=True), negated))
        found = True
    elif matches:
        m = matches[0]
        states = frozenset(v.split(":", 1)[1] for v in m.values)
        objects = None if states == {"no_interaction"} else _object_after(pred, m.end, allow_prep=True)
        out.append(StateClaim(sentence, ref, states, objects, m.negated))
        found = True
    elif pred[:1] == ["off"] or pred[:2] in (["are", "off"], ["is", "off"]):  # "hands off the handlebars"
        out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), None))
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
    verbs: list[str] = []
    for vm in phrases.find(tokens, phrases.verb_index()):
        before = tokens[: vm.start]
        if _thing_subject(before) or _other_subject(before) or _adjective(tokens, vm.start):
            continue
        if any(r.end == vm.start for r in instruments):
            continue  # "with both hands resting on its edge": the hands' state, not the person's verb
        after = tokens[vm.end :]
        verb = sorted(vm.values)[0]
        objects = _object_after(after, 0, allow_prep=any("_" in v for v in vm.values))
        if objects is None and not vm.negated and not _part_object(after):
            continue
        exact = vm.exact or len(vm.values) == 1
        out.append(VerbClaim(sentence, verb, objects, vm.values, exact, vm.negated))
        verbs.extend(sorted(vm.values))
    if not instruments:
        _person_states(sentence, tokens, out)
    _beside_and_shoulder(sentence, text, bool(verbs), out)
    for ref in instruments:
        state = _state_in(ref.group, tokens[: ref.start])
        if state is not None:
            objects = _object_after(tokens[: ref.start], state[0] + 1, allow_prep=True)
            out.append(StateClaim(sentence, ref, state[1], objects, phrases.negated_at(tokens, state[0])))
        elif verbs and ref.group == "hand" and (implied := _hand_states(verbs)):
            out.append(StateClaim(sentence, ref, implied, None))  # "tipping it up with his left hand"
        elif HIDDEN_WORDS.search(text) is None:
            out.append(MentionClaim(sentence, ref, False))


_OTHERS = frozenset({"another", "other", "others", "spectators", "onlookers", "crowd", "audience", "bystanders",
                     "passersby", "fans", "people", "everyone", "else", "teammates", "friends",
                     "men", "women", "children", "kids", "players", "they", "its"})  # fmt: skip


_PERSON_PARTS = {"hand": PartRef("hand", (None,), "either", "hand", "subject", 0, 0),
                 "head": PartRef("head", (None,), "single", "head", "subject", 0, 0)}  # fmt: skip


def _person_states(sentence: str, tokens: list[str], out: list[AnyClaim]) -> None:
    """'without touching it', 'looking away from it': a hand or head state said of the person."""
    verbs = {m.start for m in phrases.find(tokens, phrases.verb_index())}
    for group, ref in _PERSON_PARTS.items():
        for m in phrases.find(tokens, phrases.state_index(group)):
            states = frozenset(v.split(":", 1)[1] for v in m.values)
            if m.start in verbs or _other_subject(tokens[: m.start]) or _thing_subject(tokens[: m.start]):
                continue
            after = tokens[m.end :]
            if states == {"no_interaction"}:
                if group != "head" or m.negated or not after or after[0] not in ("from", "at"):
                    continue  # only "looks away from it" says, of the person, that a part leaves the object
                out.append(StateClaim(sentence, ref, states, None))
            elif m.negated and (_object_after(after, 0, allow_prep=True) is not None or _part_object(after)):
                out.append(StateClaim(sentence, ref, states, _object_after(after, 0, allow_prep=True), True))


_BESIDE = re.compile(
    r"\b(?:stand|stands|standing|stood|wait|waits|waiting)\s+(?:right |just )?"
    r"(?:beside|next to|alongside|behind|in front of)\s+(.*)"
)
_SHOULDER = re.compile(r"\b(?:on|over|across) (?:only )?(?:his|her|their|the) (left|right) shoulder\b")


def _beside_and_shoulder(sentence: str, text: str, has_verb: bool, out: list[AnyClaim]) -> None:
    """'stands beside his motorcycle': feet and hip are not on it; 'carries it on his left shoulder': that arm."""
    m = _BESIDE.search(text)
    if m and not _other_subject(_TOKEN.findall(text[: m.start()])):
        objects = _object_after(_TOKEN.findall(m.group(1)), 0, allow_prep=False)
        if objects:
            for ref in (PartRef("foot", ("left", "right"), "both", "feet", "subject", 0, 0),
                        PartRef("hip", (None,), "single", "hip", "subject", 0, 0)):  # fmt: skip
                out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), objects))
    s = _SHOULDER.search(text)
    if s and has_verb:
        ref = PartRef("arm", (s.group(1),), "single", "arm", "subject", 0, 0)
        out.append(StateClaim(sentence, ref, frozenset({"shoulder carry"}), None))


def _adjective(tokens: list[str], i: int) -> bool:
    """'parked bikes', 'a closed book': a participle right before its noun describes, it does not act."""
    word, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
    prev = tokens[i - 1] if i > 0 else ""
    participle = word.endswith(("ed", "en")) or prev in DETERMINERS or prev.endswith("ly")
    return participle and nxt in object_surfaces()


def _other_subject(before: list[str]) -> bool:
    """'spectators in the stands are watching': the clause is about someone else."""
    return any(w in _OTHERS for w in before[-6:]) and not any(w in ("he", "she", "him", "her") for w in before[-3:])


def _part_object(after: list[str]) -> bool:
    """A part of the object (or 'it') right after the verb ('grips the handlebars'): the pair's object."""
    words = [w for w in after[:4] if w not in DETERMINERS and not w.endswith("ly")]
    return bool(words) and words[0] in phrases.OBJECT_PARTS


def _hand_states(verbs: list[str]) -> frozenset[str]:
    out = set()
    for v in verbs:
        for key in phrases.verb_table()[v]["implies"]:
            group, _, state = key.partition(":")
            if group == "hand":
                out.add(state)
    return frozenset(out)


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
