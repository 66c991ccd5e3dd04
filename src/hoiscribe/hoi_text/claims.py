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
from dataclasses import replace

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.body_claims import (
    beside_and_shoulder,
    ground_stance,
    hands_free,
    kneeling,
    not_on,
    object_on_lap,
    over_head_denial,
    posture_claims,
    without_object,
)
from hoiscribe.hoi_text.claim_rules import cluster
from hoiscribe.hoi_text.claim_types import (
    AnyClaim,
    MentionClaim,
    OppositeClaim,
    PartRef,
    StateClaim,
    VerbClaim,
)
from hoiscribe.hoi_text.claim_words import (
    DETERMINERS,
    HIDDEN_WORDS,
    PREPOSITIONS,
    object_re,
    object_surfaces,
    state_words,
)
from hoiscribe.hoi_text.clause_checks import adjective, hand_states, held, intended, thing_subject
from hoiscribe.hoi_text.clause_objects import object_after, other_subject, part_object, with_near_miss
from hoiscribe.hoi_text.count_claims import count_claims
from hoiscribe.hoi_text.part_preds import (
    CONTACT_PREPS,
    contact_state,
    on_ground,
    rather_than,
    slot_noun,
)
from hoiscribe.hoi_text.part_refs import part_refs
from hoiscribe.hoi_text.pose_claims import poses, torso
from hoiscribe.hoi_text.subjects import (
    CONJUNCTIONS,
    Discourse,
    group_apart,
    inverted_subject,
    leading_phrase,
    other_person,
)

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSES = re.compile(
    r"\s*(?:[,;:]|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bas well as\b"
    r"|\band\b(?=\s+(?:the|his|her|their|its|he|she|they|it|both|one|a|an|people|others|everyone|someone|[a-z]+ing)\b)"
    r"|(?<=[a-z])\s+(?=whose\b))\s*"
)  # "... a parked bicycle whose owner sits ...": a relative clause with a subject of its own
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_SIDES = ("left", "right")
_OTHER_SIDE = {"left": "right", "right": "left"}
_LIMB_OF = {"hand": "arm", "arm": "hand", "foot": "leg", "leg": "foot"}  # "right hand ..., her other arm"


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
    disc = Discourse()
    someone_else = False
    for k, sentence in enumerate(sentences(text)):
        low = normalize(sentence)
        if k == 0:
            disc = Discourse.of(_TOKEN.findall(normalize(text)))
        disc.new_sentence(someone_else)
        someone_else = disc.carry  # "Another man walks beside him. He pushes his bike.": still the other man
        claims.extend(count_claims(sentence, low))
        claims.extend(torso(sentence, low))
        subject: PartRef | None = None
        at = 0
        for clause in _CLAUSES.split(low):
            if clause:
                pos = low.find(clause, at)
                at = max(at, pos + len(clause)) if pos >= 0 else at
                span = sentence[pos : pos + len(clause)] if pos >= 0 else sentence
                tokens = _TOKEN.findall(clause)
                np = leading_phrase(tokens)
                lead = next((i for i, t in enumerate(tokens) if t not in CONJUNCTIONS), len(tokens))
                # a verbless noun phrase after a comma or colon renames who is in focus; after "and" it adds someone
                appositive = (
                    bool(np) and len(np) == len(tokens) - lead and tokens[:lead] in ([], ["also"])
                    and low[:pos].rstrip().endswith((",", ":"))
                )  # fmt: skip
                nxt = tokens[lead + len(np)] if lead + len(np) < len(tokens) else ""
                other = other_person(np, disc, k > 0 or at > len(clause), appositive, nxt)
                if other is None and (inverted := inverted_subject(np, tokens[lead + len(np) :])):
                    other = other_person(inverted, disc, True)  # "across the table sits her husband, holding ..."
                if tokens[:1] == ["who"] and disc.last_other:
                    other = True  # "a man in a linen jacket, who holds his own glass": the one just named
                    disc.other_here = True
                if not other and group_apart(np, tokens):
                    other = True  # "two children walk ahead of her; they ...": others
                    disc.other_here = True
                disc.saw(tokens)
                someone_else = someone_else if other is None else other
                if someone_else:
                    continue  # "Another woman, on the left, raises her left hand": not the annotated person
                n = len(claims)
                claims.extend(hands_free(sentence, clause) + kneeling(sentence, clause) + not_on(sentence, clause))
                claims.extend(ground_stance(sentence, clause))
                claims.extend(object_on_lap(sentence, clause) + without_object(sentence, clause))
                subject = _clause(sentence, clause, subject, claims, memory)
                claims[n:] = [_with_span(c, span) for c in claims[n:]]
    return claims


def _with_span(claim: AnyClaim, span: str) -> AnyClaim:
    """The clause a claim was read from: what the report highlights and the feedback quotes."""
    if isinstance(claim, StateClaim | VerbClaim | OppositeClaim) and not claim.span:
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
    refs = part_refs(tokens, memory)
    for ref in refs:  # "only the left hand": the other one does nothing with the object
        near = [*tokens[max(0, ref.start - 3) : ref.start], *tokens[ref.end : ref.end + 1]]
        if ref.mode == "single" and ref.sides[0] in _SIDES and {"only", "alone", "just", "solely"} & set(near):
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
        if any(t in ("neither", "no", "none", "without") for t in tokens[max(0, ref.start - 2) : ref.end]):
            out[n:] = [replace(c, negated=not c.negated) if isinstance(c, StateClaim) else c for c in out[n:]]
    return subject


def _starts_with_verb(tokens: list[str]) -> bool:
    """A clause that goes on with the last subject: '..., resting on the pedals', '..., not on the reins'."""
    first = tokens[0]
    if first in ("not", "nowhere") or (first in CONTACT_PREPS and len(tokens) > 1) or tokens[:2] == ["away", "from"]:
        return True
    return first in ("is", "are", "holds", "rests") or first.endswith("ing") or first in _all_state_words()


def _all_state_words() -> set[str]:
    return {w for words in state_words().values() for w in words}


def _part_segment(sentence: str, pred: list[str], ref: PartRef, out: list[AnyClaim]) -> None:
    """Claims whose subject is one body part; ``pred`` is the clause after the part's name."""
    text = " ".join(pred)
    found = False
    state = _state_in(ref.group, pred)
    matches = [m for m in phrases.find(pred, phrases.state_index(ref.group)) if m.start < 8]
    end = None
    if state is not None and not (matches and matches[0].start <= state[0]):
        end = state[0] + 1
        negated = phrases.negated_at(pred, state[0])
        out.append(StateClaim(sentence, ref, state[1], object_after(pred, state[0] + 1, allow_prep=True), negated))
        found = True
    elif matches:
        m = matches[0]
        end = m.end
        states = frozenset(v.split(":", 1)[1] for v in m.values)
        objects = None if states == {"no_interaction"} else object_after(pred, m.end, allow_prep=True)
        out.append(StateClaim(sentence, ref, states, objects, m.negated))
        found = True
    elif pred[:1] == ["off"] or pred[:2] in (["are", "off"], ["is", "off"]):  # "hands off the handlebars"
        out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), None))
        found = True
    elif (contact := contact_state(ref.group, pred, ref.word)) is not None:  # "feet on the pegs", "eyes on it"
        out.append(StateClaim(sentence, ref, *contact))
        found = True
    elif (implied := _verb_states(ref.group, pred)) is not None:  # "his right hand controls the kite"
        out.append(StateClaim(sentence, ref, *implied))
        found = True
    if found and isinstance(out[-1], StateClaim) and out[-1].states != {"no_interaction"}:
        out[-1] = replace(out[-1], objects=slot_noun(pred, out[-1].objects, end))
        out[-1] = on_ground(out[-1], pred, end)
        if (instead := rather_than(pred)) is not None:  # "her eyes on the guests rather than on the glass"
            out.append(StateClaim(sentence, ref, out[-1].states, instead, True))
    if found and _aimless_gaze(out[-1], pred):
        aimless = out.pop()  # "head facing forward", "looking down": a gaze with no target says nothing of the object
        found = False
        if ref.group == "hand" and not aimless.negated:  # "her right hand gestures": it holds nothing meanwhile
            out.append(replace(aimless, states=GRASP, negated=True))
            found = True
    found |= poses(sentence, f"{ref.word} {text}", ref, out)
    if not found:
        out.append(MentionClaim(sentence, ref, bool(HIDDEN_WORDS.search(text))))


def _verb_states(group: str, pred: list[str]) -> tuple[frozenset[str], frozenset[str] | None, bool] | None:
    """A HICO verb said of a part: the part states of that group the verb implies (lexicon ``implies``).

    Only a verb that opens the predicate (after at most two words) and names the object or 'it'.
    """
    for vm in phrases.find(pred[:6], phrases.verb_index()):
        if vm.start > 2:
            return None
        states = {key.split(":", 1)[1] for v in vm.values for key in phrases.verb_table()[v]["implies"]
                  if key.startswith(group + ":")}  # fmt: skip
        objects = object_after(pred, vm.end, allow_prep=True)
        if not states or vm.loose or (objects is None and not part_object(pred[vm.end :])):
            return None
        return frozenset(states), objects, vm.negated
    return None


_FOOT_PARTS = frozenset({"pedal", "pedals", "stirrup", "stirrups", "peg", "pegs", "footpeg", "footpegs", "footrest",
                         "footrests"})  # fmt: skip
_AIMLESS = {"head": "look", "hand": "gesture"}
GRASP = frozenset(
    {"hold", "carry", "hold in both hands"}
)  # what a gesturing hand is not doing meanwhile  # a gaze or a gesture needs a target to be about the object


def _aimless_gaze(claim: AnyClaim, pred: list[str]) -> bool:
    """A gaze (head, look cluster) or a gesture (hand: point, gesture, reach) whose target is neither
    named nor 'it' / a part of the object: "her right hand gestures as she talks" says nothing of it."""
    if not isinstance(claim, StateClaim) or claim.part.group not in _AIMLESS or claim.objects is not None:
        return False
    if not all(cluster(claim.part.group, s) == _AIMLESS[claim.part.group] for s in claim.states):
        return False
    return not any(part_object(pred[k:]) for k in range(len(pred)))


def _state_in(group: str, tokens: list[str], last: bool = False) -> tuple[int, frozenset[str]] | None:
    """Index and claimed HAKE states of the first (or ``last``) state word of ``group`` in ``tokens``."""
    words = state_words().get(group, {})
    order = range(len(tokens) - 1, -1, -1) if last else range(len(tokens))
    for i in order:
        tok = tokens[i]
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


def _person_segment(sentence: str, tokens: list[str], instruments: list[PartRef], out: list[AnyClaim]) -> None:
    """Person-level claims: 'is riding a bicycle', 'holds a cup with both hands', 'not interacting with'."""
    text = " ".join(tokens)
    m = re.search(r"\bnot (?:\w+ )?interact(?:s|ing)?\b|\bno interaction\b", text)
    if m:
        after = _TOKEN.findall(text[m.end() :])
        out.append(VerbClaim(sentence, "no_interaction", object_after(after, 0, allow_prep=True)))
        return
    verbs: list[str] = []
    verb_starts: list[tuple[int, str]] = []  # where each verb was read, for the instruments after it
    all_starts: set[int] = set()  # where any verb phrase starts: there no person-level state is read
    for vm in phrases.find(tokens, phrases.verb_index()):
        all_starts.add(vm.start)
        before = tokens[: vm.start]
        if thing_subject(before) or other_subject(before) or adjective(tokens, vm.start):
            continue
        if any(r.end == vm.start for r in instruments):
            continue  # "with both hands resting on its edge": the hands' state, not the person's verb
        if intended(tokens, vm.start):
            continue  # "ready to throw it", "about to board": not (yet) done
        after = tokens[vm.end :]
        verb = sorted(vm.values)[0]
        objects = object_after(after, 0, allow_prep=any("_" in v for v in vm.values))
        if objects is None and not vm.negated and not part_object(after):
            continue
        if _FOOT_PARTS.intersection(after[:4]):
            continue  # "pushing the left pedal down": what a foot does to a part of the object, no HICO verb
        exact = vm.exact or (len(vm.values) == 1 and not vm.loose)
        negated = vm.negated or after[:1] == ["no"]  # "holds no umbrella"
        if not (vm.negated and any(r.start >= vm.end for r in instruments)):  # "isn't holding it with her left
            out.append(VerbClaim(sentence, verb, objects, vm.values, exact, negated))  # hand": the hand's denial
        verbs.extend(sorted(vm.values))
        verb_starts.extend((vm.start, v) for v in sorted(vm.values))
    for om in phrases.find(tokens, phrases.opposite_index()):  # "closing the fridge", "steps off the board"
        before, after = tokens[: om.start], tokens[om.end :]
        if om.negated or intended(tokens, om.start) or other_subject(before) or thing_subject(before):
            continue
        bare = om.end - om.start == 1 and not tokens[om.start].endswith("ed")
        if bare and after[:1] and (after[0] in phrases.OBJECT_PARTS or after[0] in object_surfaces()):
            continue  # "drop handlebars", "shut doors": a bare word before a bare noun is its modifier
        objects = object_after(after, 0, allow_prep=False)
        if objects is not None or part_object(after):
            out.append(OppositeClaim(sentence, om.values, objects))
    if not verbs and (near := with_near_miss(tokens)):  # "a toddler with a hairbrush": what he has
        out.append(VerbClaim(sentence, "hold", near, frozenset({"hold"}), False))
    _person_states(
        sentence, tokens, out, all_starts, head_only=bool(instruments)
    )  # "holds it in both hands and looks away"
    beside_and_shoulder(sentence, text, bool(verbs), out)
    out.extend(posture_claims(sentence, tokens))
    out.extend(over_head_denial(sentence, text))
    lo = 0
    for ref in instruments:  # each instrument takes the nearest state before it, after the previous one
        window = tokens[lo : ref.start]
        near_verbs = [v for at, v in verb_starts if lo <= at < ref.start]
        if all(
            t in ("and", "then", "but", "so") for t in tokens[: ref.start - 1]
        ):  # "with her left hand she strokes it"
            near_verbs = [v for at, v in verb_starts if ref.end <= at < _next_start(instruments, ref, len(tokens))]
        lo = ref.end
        state = _state_in(ref.group, window, last=True)
        paraphrase = [m for m in phrases.find(window, phrases.state_index(ref.group))
                      if f"{ref.group}:no_interaction" not in m.values or _objectless(window, m.end)]  # fmt: skip
        if paraphrase and (state is None or paraphrase[-1].start > state[0]):
            m = paraphrase[-1]  # "keeps the phone near her ear with her left hand"
            states = frozenset(v.split(":", 1)[1] for v in m.values)
            out.append(StateClaim(sentence, ref, states, object_after(window, m.end, allow_prep=True), m.negated))
        elif state is not None:
            objects = object_after(window, state[0] + 1, allow_prep=True)
            out.append(StateClaim(sentence, ref, state[1], objects, phrases.negated_at(window, state[0])))
        elif ref.group == "hand" and tokens[max(0, ref.start - 2) : ref.start] == ["nothing", "in"]:
            out.append(
                StateClaim(sentence, ref, frozenset({"no_interaction"}), None)
            )  # "with nothing in his left hand"
        elif ref.group == "hand" and tokens[ref.start - 1 : ref.start] == ["in"] and (owned := held(window)):
            negated = phrases.negated_at(tokens, ref.start - 1)  # "the cup isn't in her hand"
            out.append(
                StateClaim(sentence, ref, frozenset({"hold"}), owned[0], negated)
            )  # "toothbrush in his left hand"
        elif near_verbs and ref.group == "hand" and (implied := hand_states(near_verbs)):
            out.append(StateClaim(sentence, ref, implied, None))  # "tipping it up with his left hand"
        elif HIDDEN_WORDS.search(text) is None:
            out.append(MentionClaim(sentence, ref, False))


_PERSON_PARTS = {"hand": PartRef("hand", (None,), "either", "hand", "subject", 0, 0),
                 "head": PartRef("head", (None,), "single", "head", "subject", 0, 0),
                 "leg": PartRef("leg", ("left", "right"), "both", "legs", "subject", 0, 0),
                 "hip": PartRef("hip", (None,), "single", "hip", "subject", 0, 0)}  # fmt: skip


def _person_states(
    sentence: str, tokens: list[str], out: list[AnyClaim], verbs: set[int], head_only: bool = False
) -> None:
    """'without touching it', 'looking away from it': a hand or head state said of the person.

    ``head_only`` when the clause names a hand as an instrument: its states are the instrument's.
    ``verbs``: where the clause's HICO verbs start (a verb there is the person's verb, not a state).
    """
    words = set(tokens)
    for group, ref in _PERSON_PARTS.items():
        if head_only and group != "head":
            continue
        index = phrases.state_index(group) if group in ("hand", "head") else phrases.person_state_index(group)
        if index.keys().isdisjoint(words):
            continue
        for m in phrases.find(tokens, index):
            states = frozenset(v.split(":", 1)[1] for v in m.values)
            if group == "leg" and not m.opposed:
                continue  # of the legs, only "riding sidesaddle" is said of the person
            after = tokens[m.end :]
            if after[1:2] == ["of"] and after[:1] and after[0] in ("either", "both", "each", "any", "neither"):
                after = after[2:]  # "not touching either of them": them
            if group == "hip":  # "rising out of the saddle": the hip leaves the named object
                if (
                    states == {"no_interaction"}
                    and not m.negated
                    and (part_object(after) or object_after(after, 0, True))
                ):
                    out.append(StateClaim(sentence, ref, states, object_after(after, 0, allow_prep=True)))
                continue
            if (
                (m.start in verbs and not m.opposed)
                or other_subject(tokens[: m.start])
                or thing_subject(tokens[: m.start])
            ):
                continue
            if states == {"no_interaction"}:
                if group != "head" or m.negated or not after or after[0] not in ("from", "at"):
                    continue  # only "looks away from it" says, of the person, that a part leaves the object
                out.append(StateClaim(sentence, ref, states, None))
            elif m.negated and (
                object_after(after, 0, allow_prep=True) is not None or part_object(after) or group == "leg"
            ):  # "riding sidesaddle (on the seat)": the legs' opposite needs no object named
                out.append(StateClaim(sentence, ref, states, object_after(after, 0, allow_prep=True), True))


def _objectless(window: list[str], end: int) -> bool:
    """An idle phrase right before the instrument, with no object of its own: 'let go with one hand'
    (not 'dangling it from his right hand', where the hand holds what dangles)."""
    rest = window[end:]
    return (not rest or rest in (["with"], ["using"], ["in"])) and object_after(window, end, allow_prep=False) is None


def _next_start(instruments: list[PartRef], ref: PartRef, default: int) -> int:
    """Where the instrument after ``ref`` starts (the end of the clause if none)."""
    later = [r.start for r in instruments if r.start > ref.start]
    return min(later) if later else default
