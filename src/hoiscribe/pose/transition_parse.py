"""The language front end of the transition checker: text -> statements about body parts.

A text is cut into sentences (punctuation, line breaks, bullets) and clauses (commas and
conjunctions: and, then, while, but, as, before, ...; ``transition_segment``). Each clause is read for the parts it
moves (with their side: left, right, both, "the other", "either"), the movement it claims
(``transition_words``: verb, particle or state word), and its mode: a change ("raise"), a
keep ("keep your right leg straight", "don't move your arms") or a negated change ("don't
bend your knees", "without lifting your heels"). Parts named after a place preposition
("on your hips", "to your chest") are landmarks, not claims. Coordination carries a movement
to a following clause that only names parts ("raise your left arm and your right leg"), and
"it"/"them" to the parts of the clause before. Clauses about the reference pose ("at first",
"was", "initially") state no change and are left out. Also: "X, not Y, rises" negates Y only; "but X"
after "nothing moves" leaves X out of the rest; a clause with no part of its own that describes the
one before ("..., staying below the shoulder") takes its parts; "hold it there" right after moving it
claims no stillness. An auxiliary that stands for the predicate before ("and so do your arms", "the left
one does not", "nor do the legs") copies it; a bare ", as before" keeps the part before, not the rest.
A relative clause on the first pose ("the first image, where ...") claims nothing; a verbless comparative
on the other side's limb ("..., the left hand a bit lower") is one pose's comparison and lends its part to
a level after it, as a clause skipped at "than" lends its subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_clause import PART_WAY, Reading, Token, read_clause
from hoiscribe.pose.transition_parts import FAMILY, PartRef
from hoiscribe.pose.transition_segment import clauses, sentences, tokens

SIDES = ("left", "right")


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
    level: str | None = None  # where the hand ends ("overhead", "to shoulder height"): checked on the target
    level_only: bool = False  # "the hand is still below the shoulder": 'still' is 'yet', the level is the claim
    stative: bool = False  # "left arm down": a state of the target, true without a move if the target has it


def parse(text: str, unread: list[PartRef] | None = None) -> list[Statement]:
    """Every checkable statement of ``text``, in order. ``unread`` (when given) collects the parts of clauses
    that made no statement ("R knee 180 -> 130 deg", "Head yaw to the R"): the text still names them, so
    "no other change" leaves them out."""
    out: list[Statement] = []
    last_side: dict[str, str] = {}  # limb family (and "any") -> the side last named
    last_parts: list[PartRef] = []
    last_read: Reading | None = None  # the last clause read into a statement, in any sentence
    for sentence in sentences(tokens(text)):
        prev: Reading | None = None
        pending: list[Reading] = []
        subject: Reading | None = None  # "Left arm: raised above the head"
        side_subject: str | None = None  # "The whole left side opens up: the arm ..., the leg ..."
        contrast: list[PartRef] = []  # "X, not Y, ...": Y takes the negation of what X does
        named_here: dict[str, str] = {}  # limb family -> the side this sentence last named
        seen_here: list[list[PartRef]] = []  # the parts of each clause of this sentence read so far
        prev_at = -1  # where the statement of ``prev`` is in ``out``
        reference_end = _reference_span(sentence)  # "Before: arms down. After: ..." describes the first pose
        before: list[Token] = []  # the clause before, as written
        for toks in clauses(sentence):
            if toks[-1].end <= reference_end or (toks[0].low in _RELATIVE_LEADS and _reference_relative(before, toks)):
                before = toks
                continue  # a clause about the reference pose: no change is claimed
            before = toks
            colon = toks[-1].low == ":"
            back = subject is None and prev is not None and _refers_back(toks)
            given = subject.parts if subject is not None else _referent(prev) if back and prev is not None else None
            r = read_clause(toks, last_parts, subject=given)  # "..., staying below the shoulder": the arm before
            if r.parts:
                seen_here.append(r.parts)
            if not r.parts and r.landmarks and not r.pronoun:
                last_parts = r.landmarks  # "shift onto your right leg and raise the left one"
            if subject is not None and r.kind is not None and r.parts is not subject.parts and r.parts == subject.parts:
                r.toks = subject.toks + r.toks
            if r.skip:
                prev, pending = None, []
                last_parts = r.parts or last_parts  # "at first it hangs, now it is raised": 'it' still refers
                cut = next((k for k, t in enumerate(toks) if t.low in _COMPARING), 0)
                if r.parts and cut:  # "the left hand goes higher than the right one, ending above shoulder level"
                    subject = read_clause(toks[:cut], last_parts)  # its subject, not the part it is compared with
                    subject = subject if subject.parts else None
                continue
            if r.excepted and prev is not None and prev.mode == "keep" and out and _rest(out[-1]):
                out[-1].mentions.extend(r.parts)  # "nothing moves but the right arm": the rest leaves it out
                subject, prev = r, None
                continue
            inherit = (r.kind is None and not r.own_state) or (prev is not None and prev.mode == "keep")
            if inherit and not r.has_verb and r.parts and prev is not None and prev.kind is not None and not colon:
                if prev.mode == "keep" and r.has_verb is False:
                    own = read_clause(toks, last_parts, force_keep=True)  # "keep your leg straight and your arm down"
                    r.kind, r.direction, r.mode = "keep", own.direction, "keep"
                else:
                    r.kind, r.direction, r.mode, r.only = prev.kind, prev.direction, prev.mode, prev.only
                    if r.kind == "height" and r.direction == "up" and {t.low for t in r.toks} & PART_WAY:
                        r.level = r.level or "below_head"  # "both arms rise, the left one only partway"
                if {t.low for t in r.toks} & tw.NEGATORS and r.mode == "change" and not r.spent_negation:
                    r.mode = "negated"  # "bend your right knee, but not the left one"
            if r.kind == "ellipsis":  # "and so do your arms", "the left one does too", "nor do the legs"
                _resolve_ellipsis(r, prev or last_read)
                if r.kind is None:
                    continue
            if r.kind == "copy":  # "the left arm does the same": the movement before, on these parts
                same = prev is not None and prev.kind not in (None, "keep") and prev.mode == "change"
                r.kind, r.direction = (prev.kind, prev.direction) if same and prev is not None else (None, None)
            if (
                r.kind is None
                and subject is not None
                and r.parts
                and not r.has_verb
                and toks[0].low in ("not", "never")
            ):
                contrast += r.parts  # "the right arm, not the left, rises": the left does not
                continue
            if r.kind is None and len(toks) < 6 and out and _not_both({t.low for t in toks}):
                out[-1].only = True  # "one elbow bends, not both"
                continue
            if r.kind is None:
                if unread is not None:
                    unread.extend(r.parts)
                subject = r if r.parts else None  # "Left arm: ...", "put the arm very high, over the head"
                side_subject = next((p.side for p in r.parts if p.group == "side"), side_subject)
                if not r.parts and len(r.landmarks) == 1 and r.landmarks[0].group == "side" and toks[0].low == "on":
                    side_subject = r.landmarks[0].side  # "On the right side, neither the arm nor the leg changes"
                named_here.update((FAMILY[p.group], p.side) for p in r.parts if p.group in FAMILY and p.side in SIDES)
                continue
            if _sibling_comparison(r, prev, seen_here):
                subject = r  # "..., the left hand is a bit lower, just under the shoulder": the level is its
                continue  # "the right hand ends above the head, the left one lower": one pose, two hands
            subject = None
            anchor = prev or last_read  # "Lift your right leg. Hold it there.": the sentence before counts too
            if (
                r.mode == "keep"
                and anchor is not None
                and anchor.mode == "change"
                and (
                    ((r.pronoun or back) and r.parts == anchor.parts)
                    or (r.level is not None and _same_limbs(r.parts, anchor.parts))  # "the hand stays below ..."
                )
            ):
                if r.level is not None:  # "lift your arm a little, keeping it below shoulder height"
                    r.level_only = True
                elif not r.direction:
                    continue  # "raise your arm and hold it there": held after the move, no claim on the change
            if not r.parts and r.kind == "keep" and not r.pronoun:
                # "left arm no go up, stay down": the part before; "stay still and raise the right arm": the rest
                before = (
                    prev is not None
                    and bool(prev.parts)
                    and (
                        prev.mode != "change"
                        or r.direction is not None
                        or r.level is not None
                        or r.yet
                        or _as_before_only(toks)  # "the left arm hangs down, as before": that arm, not the rest
                        or _bare_keep(toks)  # "Left leg: straight, unchanged"
                    )
                )
                r.parts = list(prev.parts) if before and prev is not None else [PartRef("any", "rest")]
                if before and prev is not None and prev.stative and prev.mode == "change" and 0 <= prev_at < len(out):
                    st = out[prev_at]  # "Elbows: straight, as before": the state is kept, not reached
                    if st.kind in ("height", "bend") and st.direction:
                        out[prev_at] = replace(st, kind="keep", mode="keep", direction=f"{st.kind}:{st.direction}")
                r.level_only = r.level_only or (before and r.yet)  # "..., still short of the shoulder"
            if not r.parts and r.kind in ("height", "bend", "gap", "keep"):
                pending.append(r)
                continue
            if r.parts:
                resolved = []
                for p in r.parts:
                    side = p.side
                    family = FAMILY.get(p.group, "any")
                    if side == "bare":  # "the knee" after "the left leg" or "The left side: ...": that side's
                        side = named_here.get(family) or side_subject or last_side.get(family) or "any"
                    if side == "same":
                        side = last_side.get("any", "unknown")  # "the arm on the same side"
                    if side == "other":
                        named = last_side.get(family) or last_side.get("any", "")
                        side = {"left": "right", "right": "left"}.get(named, "unknown")  # no side named before
                    if side in ("left", "right"):
                        last_side[family] = last_side["any"] = named_here[family] = side
                    resolved.append(PartRef(side, p.group))
                r.parts = resolved
                last_parts = resolved
                if r.mentions and r.parts == [PartRef("any", "rest")] and r.only:
                    last_parts = list(r.mentions)  # "only the head changes: it turns left": 'it' is the head
                    for p in r.mentions:  # "the only limb that moves is the left leg, ... the foot ...": its foot
                        if p.group in FAMILY and p.side in SIDES:
                            last_side[FAMILY[p.group]] = last_side["any"] = named_here[FAMILY[p.group]] = p.side
                side_subject = next((p.side for p in resolved if p.group == "side"), side_subject)
                for q in pending:
                    out.append(_statement(q, r.parts, r.toks))
                pending = []
            prev_at = len(out)
            out.append(_statement(r, r.parts, r.toks))
            if contrast and r.mode == "change":
                out.append(_statement(replace(r, mode="negated", only=False), contrast, r.toks))
                contrast = []
            prev = last_read = r
        if prev is not None and prev.parts:  # "the leg bends and lifts out", "raise it, but not above your head"
            out.extend(_statement(q, prev.parts, q.toks) for q in pending if q.mode != "keep")
    return out


def _referent(r: Reading) -> list[PartRef]:
    """The parts a clause describing ``r`` is about: those an only-keep leaves out ("only her head moves,
    turning to the right"), else its own."""
    if r.only and r.mentions and r.parts == [PartRef("any", "rest")]:
        return r.mentions
    return r.parts


def _resolve_ellipsis(r: Reading, before: Reading | None) -> None:
    """An auxiliary standing for the predicate before ("so do your arms"): that movement and mode on these
    parts; a negated one ("the left one does not") flips it, "nor / neither do X" keeps a keep or negation."""
    if before is None or before.kind in (None, "copy", "ellipsis") or before.mode not in ("change", "keep", "negated"):
        r.kind = None
        return
    words = {t.low for t in r.toks}
    mode = before.mode
    if words & {"nor", "neither"}:
        mode = "negated" if mode == "change" else mode
    elif words & tw.NEGATORS:
        if mode == "keep":
            r.kind = None  # "the left one does not (stay)": some move, which way unsaid
            return
        mode = "negated" if mode == "change" else "change"
    r.kind, r.direction, r.mode, r.level = before.kind, before.direction, mode, before.level
    r.level_only = before.level_only


_REFERENCE_LEADS = (("image", "1"), ("image", "one"), ("image", "a"), ("picture", "1"), ("photo", "1"), ("pose", "1"),
                    ("pose", "a"), ("before",), ("reference",), ("start",), ("at", "the", "start"), ("at", "first"),
                    ("initially",), ("originally",), ("first", "pose"), ("first", "image"), ("in", "the", "first"),
                    ("the", "first", "pose"), ("the", "first", "image"), ("the", "reference"),
                    ("in", "the", "reference"), ("at", "the", "beginning"), ("beginning",), ("first", "picture"),
                    ("the", "first", "picture"), ("in", "the", "original"), ("the", "original"),
                    ("original",))  # fmt: skip
_LEAD_FIRST = frozenset(lead[0] for lead in _REFERENCE_LEADS)
_TARGET_CUES = frozenset({"after", "target", "end", "now", "then", "second", "finally", "later", "2", "two", "b"})


def _reference_span(sentence: list[Token]) -> int:
    """Where a sentence that opens on the reference pose ("Image 1:", "Before,", "At the start") hands over
    to the target ("after", "now", "image 2"): the character offset up to which it describes the first pose."""
    if sentence[0].low not in _LEAD_FIRST:
        return -1
    words = tuple(t.low for t in sentence[:4])
    if not any(words[: len(lead)] == lead for lead in _REFERENCE_LEADS):
        return -1
    for k, t in enumerate(sentence[1:], 1):
        if t.low in _TARGET_CUES and not (t.low in ("2", "two", "b") and sentence[k - 1].low not in _POSE_WORDS):
            return t.start
    return sentence[-1].end + 1


_POSE_WORDS = frozenset({"image", "picture", "photo", "pose", "frame", "panel"})
_FIRST_WORDS = frozenset({"first", "reference", "original", "initial", "starting", "earlier", "previous", "left"})


_RELATIVE_LEADS = frozenset({"where", "when", "in"})


def _reference_relative(before: list[Token], toks: list[Token]) -> bool:
    """A relative clause on the first pose: "Unlike the first image, where both arms hang down, ..."."""
    if toks[0].low not in ("where", "when", "in") or (toks[0].low == "in" and toks[1:2] and toks[1].low != "which"):
        return False
    words = [t.low for t in before[-3:]]
    if not words:
        return False
    return words[-1] == "reference" or (words[-1] in _POSE_WORDS and not _FIRST_WORDS.isdisjoint(words))


_AS_BEFORE_WORDS = frozenset({"as", "like", "same", "before", "in", "the", "first", "image", "picture", "photo", "pose",
                              "one", "at", "start", "beginning", "reference", "earlier", "previously", "originally",
                              "was", "were", "it", "they", "did", "just", "exactly", "still"})  # fmt: skip


def _as_before_only(toks: list[Token]) -> bool:
    """A clause that is only an as-before phrase (', as before', ', same as in the first image')."""
    words = {t.low for t in toks}
    return words <= _AS_BEFORE_WORDS and bool(words & {"as", "like", "same"})


_BARE_KEEP_WORDS = tw.KEEP_WORDS | _AS_BEFORE_WORDS | {"no", "change", "changes", "otherwise", "too", "also", "not",
                                                     "changed", "moved", "both", "bend", "angle", "angles", "height",
                                                     "position", "visible", "noticeable", "significant", "real",
                                                     "of"}  # fmt: skip  # ", no bend change"


def _bare_keep(toks: list[Token]) -> bool:
    """A verbless clause of keep words only (', unchanged', ', no change'): about the part before it."""
    return all(t.low in _BARE_KEEP_WORDS for t in toks)


def _not_both(words: set[str]) -> bool:
    return words >= {"not", "both"} and words <= {"not", "both", "but", "of", "them"}


def _refers_back(toks: list[Token]) -> bool:
    """A clause with no part of its own that describes the one before: "..., staying below the shoulder",
    "kept straight and down" (not "lowering himself": the body)."""
    words = [t.low for t in toks]
    forms = tw.verb_forms()
    gerund = words[0].endswith("ing") and words[0] in forms
    if not gerund and not any(w in tw.STATE_WORDS for w in words):
        return False
    if not tw.REFLEXIVES.isdisjoint(words) or any(w in tw.PARTS for w in words):
        return False
    return gerund or not any(w in forms for w in words)


_COMPARATIVES = frozenset({"higher", "lower", "further", "farther"})
_COMPARING = frozenset({"than", "as"})  # a clause skipped as one part against another still names its part


def _sibling_comparison(r: Reading, prev: Reading | None, seen: list[list[PartRef]]) -> bool:
    """A verbless clause with only a comparative, on the other side's same limb as one the sentence named before:
    right after a clause on it that has no comparative, or placed by a verb of position ("the left arm goes
    higher, ..., and the right hand ends a little lower", "the left hand is a bit lower")."""
    if r.has_verb or not r.parts:
        return False
    words = {t.low for t in r.toks}
    if not words & _COMPARATIVES or words & (set(tw.STATE_WORDS) - _COMPARATIVES):
        return False
    mine = {(FAMILY.get(p.group), {"left": "right", "right": "left"}.get(p.side)) for p in r.parts}
    if words & _POSITION_VERBS:
        return any((FAMILY.get(p.group), p.side) in mine for parts in seen for p in parts)
    if prev is None or not prev.parts or {t.low for t in prev.toks} & _COMPARATIVES:
        return False  # "the right arm higher, the left one lower": both change
    theirs = {(FAMILY.get(p.group), p.side) for p in prev.parts}
    return bool(mine & theirs)


# verbs that place a part in the target pose without moving it: "the right hand ends (up) a little lower"
_POSITION_VERBS = frozenset({"is", "are", "ends", "end", "ended", "sits", "sit", "stops", "stopped", "finishes",
                             "finished", "rests", "lies", "appears", "seems", "looks"})  # fmt: skip


def _same_limbs(parts: list[PartRef], moved: list[PartRef]) -> bool:
    """Every part is on a limb the clause before moved ("lift your left arm; the hand stays below the shoulder")."""
    if not parts:
        return False
    sides = {(FAMILY.get(p.group), p.side) for p in moved}
    return all(
        (FAMILY.get(p.group), p.side) in sides
        or (p.side in ("bare", "any") and any(f == FAMILY.get(p.group) for f, _ in sides))
        for p in parts
        if FAMILY.get(p.group)
    ) and all(FAMILY.get(p.group) for p in parts)


def _rest(st: Statement) -> bool:
    return any(p.group == "rest" for p in st.parts)


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
        r.level,
        r.level_only,
        r.stative,
    )
