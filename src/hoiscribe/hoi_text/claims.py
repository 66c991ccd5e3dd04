"""Find claims in free text: who (body part or person) does what to which object, poses, counts.

Works on sentences split into clauses, and clauses split again wherever a body part starts a
new subject ("the left hand holds the handle while the right foot rests on the pedal"), so
each claim carries one subject. A part after a preposition is not a subject ("over the
head"), except the instruments "with his left hand" / "in both hands". Knows nothing of the
facts: :mod:`hoiscribe.hoi_text.checker` judges what this module finds. The layout (headings,
list items) is :mod:`hoiscribe.hoi_text.layout`'s; a clause about the person as a whole is read by
:mod:`hoiscribe.hoi_text.person_claims`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.body_claims import (
    empty_seat,
    ground_stance,
    hands_free,
    kneeling,
    not_on,
    object_on_lap,
    passenger_or_outside,
    without_object,
)
from hoiscribe.hoi_text.body_holds import away_from_head, held_to_ear, under_arm, worn_on_hand
from hoiscribe.hoi_text.body_places import object_at_body
from hoiscribe.hoi_text.claim_types import (
    AnyClaim,
    OppositeClaim,
    PartRef,
    RoleClaim,
    StateClaim,
    VerbClaim,
)
from hoiscribe.hoi_text.claim_words import TOKEN, all_state_words
from hoiscribe.hoi_text.clause_checks import future_guess
from hoiscribe.hoi_text.count_claims import count_claims
from hoiscribe.hoi_text.crowd_claims import besides_named, placed_people
from hoiscribe.hoi_text.layout import Segment, segments, with_heading
from hoiscribe.hoi_text.let_go import let_object_go
from hoiscribe.hoi_text.object_counts import object_count_claims
from hoiscribe.hoi_text.part_claims import part_segment
from hoiscribe.hoi_text.part_preds import (
    CONTACT_PREPS,
    aimed_gesture,
)
from hoiscribe.hoi_text.part_refs import part_refs
from hoiscribe.hoi_text.person_claims import person_segment
from hoiscribe.hoi_text.person_words import ROLE_VERBS
from hoiscribe.hoi_text.placed_parts import (
    acted_with_part,
    moved_to_hand,
    part_pressed_against,
    placed_on_part,
)
from hoiscribe.hoi_text.pose_claims import torso
from hoiscribe.hoi_text.seat_claims import on_seat
from hoiscribe.hoi_text.subject_places import depicted, group_apart, inverted_subject, placed_by_person
from hoiscribe.hoi_text.subjects import (
    CONJUNCTIONS,
    Discourse,
    leading_phrase,
    main_person,
    other_person,
)

_CLAUSES = re.compile(
    r"(?=[\s,;:wba])"  # what every separator starts with: the other positions are skipped unread
    r"\s*(?:[,;:]|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bas well as\b"
    r"|\band\b(?=\s+(?:the|his|her|their|its|he|she|they|it|both|one|a|an|people|others|everyone|someone|[a-z]+ing)\b)"
    r"|(?<=[a-z])\s+(?=whose\b|who\b))\s*"
)  # "... a parked bicycle whose owner sits ...": a relative clause with a subject of its own
_HEDGE = re.compile(
    r"(?:it (?:looks|seems|appears) (?:like|as if|as though|that)|it seems|it appears|i think|perhaps|maybe|"
    r"apparently|probably)\s+(?=he\b|she\b|they\b|the\b|his\b|her\b|a\b|an\b)"
)
_FRONTED = re.compile(r"(?:in|with|using) (?:his|her|their|the|one|both) (?:left |right |other )?(?:hand|hands),")
_ING_LIST = re.compile(r"(?<=[a-z]ing),(?= [a-z]+ing(?:, [a-z]+ing)* (?:or|nor) [a-z]+ing\b)")
_UNSURE = frozenset({"whether", "if", "unclear", "unsure", "uncertain"})  # the clause asks, it does not claim
_SIDES = ("left", "right")
_OTHER_SIDE = {"left": "right", "right": "left"}
_LIMB_OF = {"hand": "arm", "arm": "hand", "foot": "leg", "leg": "foot"}  # "right hand ..., her other arm"


_PART_LABEL = re.compile(
    r"^\s*((?:(?:left|right|both) )?(?:hands?|arms?|feet|foot|legs?|head|hips?))\s*:\s*"
)  # "Left hand: holding the cup" in seed-style bullets: the part is the subject


_SIDE_HYPHEN = re.compile(r"\b(left|right)-(?=[a-z])")


def normalize(text: str) -> str:
    """Lower case, straight quotes, 'left-hand' -> 'left hand', 'Left hand:' -> 'left hand '; same length."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("*", " ").replace("`", " ")
    if "-" in text:
        text = _SIDE_HYPHEN.sub(r"\1 ", text)
    if ":" not in text:  # what the part label needs: the common case reads no further
        return text
    return _PART_LABEL.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)


def extract(text: str) -> list[AnyClaim]:
    """All claims of a text, in reading order."""
    claims: list[AnyClaim] = []
    memory: dict[str, str] = {}  # group -> the side last named, for "the other hand"
    disc = Discourse()
    someone_else = False
    segs = segments(text)
    for k, seg in enumerate(segs):
        sentence = seg.text
        low, shift = with_heading(normalize(sentence), seg.part)  # "**Feet**: on the pedals": the feet
        if low[:1] in "iwu" and (fronted := _FRONTED.match(low)):  # "In his left hand, he holds ...": one clause
            low = low[: fronted.end() - 1] + " " + low[fronted.end() :]
        if k == 0:  # the person is the first one the prose names, not a heading ("Person:", "**Rider**")
            disc = _discourse(segs)
            if disc.main in ROLE_VERBS:  # "The driver sits at the wheel": the person is the one who drives
                claims.append(RoleClaim(sentence, disc.main, ROLE_VERBS[disc.main]))
        disc.new_sentence(someone_else)
        disc.backdrop = bool(_BACKDROP.match(low))
        someone_else = disc.carry  # "Another man walks beside him. He pushes his bike.": still the other man
        claims.extend(besides_named(count_claims(sentence, low), low, disc))
        if seg.apart:
            continue  # under "**Spectators**" or "**Background**": not the person
        claims.extend(torso(sentence, low))
        subject: PartRef | None = None
        at = 0
        if "ing," in low:  # "not feeding, petting or herding them": one clause, one negation
            low = _ING_LIST.sub(" ", low)
        alone = False  # the last clause was the person's noun phrase and nothing else ("a father")
        for clause in _CLAUSES.split(low):
            if clause:
                gap, pos = at, low.find(clause, at)
                at = max(at, pos + len(clause)) if pos >= 0 else at
                lo = max(0, pos - shift)
                span = sentence[lo : max(lo, pos - shift + len(clause))] if pos >= 0 else sentence
                span = span or sentence
                if clause[:1] in "ipma" and (hedge := _HEDGE.match(clause)):
                    clause = clause[hedge.end() :]  # "it looks like she has tucked it away": she has tucked it away
                if "other " in clause and (rel := _OTHER_REL.search(clause)):
                    clause = clause[: rel.start(1)]  # "another bike nearby that no one is using": the other one's
                tokens = TOKEN.findall(clause)
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
                rest = tokens[lead + len(np) :]
                if other is False and k > 0 and placed_by_person(np, rest, disc, _by_front(low, pos)):
                    other = True  # "A child stands nearby", "a boy sits next to him": someone by the person
                if _DEPICT_HINT.search(clause) and depicted(np, nxt):
                    other = True  # "The TV in the corner shows a man riding a bike": someone in a picture
                if tokens[:1] in (["who"], ["whose"]) and disc.last_other:
                    other = True  # "a man in a linen jacket, who holds his own glass": the one just named
                    disc.other_here = True
                if not other and group_apart(np, tokens):
                    other = True  # "two children walk ahead of her; they ...": others
                    disc.other_here = True
                if alone and other and pos > gap and low[gap:pos].strip() == "and":
                    other = False  # "a father and his daughter pose ...": a subject of two, the person one of them
                alone = other is False and bool(np) and len(np) == len(tokens) - lead
                disc.saw(tokens)
                someone_else = someone_else if other is None else other
                claims.extend(object_count_claims(sentence, clause, not someone_else))
                if someone_else or _unsure(tokens) or future_guess(tokens, lead + len(np)):  # no claim either way
                    continue  # "Another woman, on the left, raises her left hand": not the annotated person
                n = len(claims)
                _body_claims(sentence, clause, tokens, claims)
                subject = _clause(sentence, clause, subject, claims, memory)
                claims[n:] = [_with_span(c, span) for c in claims[n:]]
    return placed_people(claims, normalize(text))


def _body_claims(sentence: str, c: str, tokens: list[str], out: list[AnyClaim]) -> None:
    """The person-level body claims of a clause, each read only when a word it needs is there (speed)."""
    if "hand" in c or "folded" in c or "crossed" in c:
        out.extend(hands_free(sentence, c))
    if "kneel" in c:
        out.extend(kneeling(sentence, c))
    if "not " in c or "no longer " in c or "never " in c:
        out.extend(not_on(sentence, c))
    if "stand" in c:
        out.extend(ground_stance(sentence, c))
    if "empty" in c or "vacant" in c or "unoccupied" in c:
        out.extend(empty_seat(sentence, c))
    if "passenger" in c or "seat" in c or "outside" in c:
        out.extend(passenger_or_outside(sentence, c))
    if "knee" in c or "lap" in c or "thigh" in c:
        out.extend(object_on_lap(sentence, c))
    if "without " in c or " no " in c:
        out.extend(without_object(sentence, c))
    if "arm" in c and ("under" in c or "beneath" in c):
        out.extend(under_arm(sentence, c))
    if "hand" in c:
        out.extend(worn_on_hand(sentence, c))
    if "away from " in c:
        out.extend(away_from_head(sentence, c))
    if " ear" in c:
        out.extend(held_to_ear(sentence, c))
    if "saddle" in c or "seat" in c:
        out.extend(on_seat(sentence, c))
    out.extend(object_at_body(sentence, tokens))


_OTHER_REL = re.compile(r"\b(?:another|other)\b[^,;]*?\b(that|which)\b")
_DEPICT_HINT = re.compile(r"show|depict|displ|featur|portray")  # a fast test before subject_places.depicted
_BACKDROP = re.compile(r"^(?:in the (?:background|distance)|far behind|further back|in the back)\b")


def _discourse(segs: list[Segment]) -> Discourse:
    """Who the text is about: its first person, not one it places in the background ("In the background, a
    man stands by the window. At the table, a woman sits ..."), unless nobody else is named."""
    disc = Discourse.of(TOKEN.findall(normalize(" ".join(s.text for s in segs))))
    backdrop = [bool(_BACKDROP.match(s.text.lower())) for s in segs]
    if disc.main is None or not any(backdrop):
        return disc
    front_tokens = TOKEN.findall(normalize(" ".join(s.text for s, b in zip(segs, backdrop, strict=True) if not b)))
    main = main_person(front_tokens)
    return replace(Discourse.of(front_tokens), group_first=disc.group_first) if main and main != disc.main else disc


_FRONT_BY = re.compile(
    r"^(?:(?:just |right |immediately )?(?:to|on|at) (?:his|her) (?:left|right)(?: side)?|(?:just |right )?"
    r"(?:behind|beside|next to|near|in front of|across from|opposite|ahead of|alongside) (?:him|her))\s*,"
)


def _by_front(low: str, pos: int) -> bool:
    """'To his left, a boy sits ...', 'Behind him, a woman ...': the sentence opens on a place by the person."""
    return pos > 0 and low[:1] in "tobnaij" and bool(_FRONT_BY.match(low)) and low.find(",") < pos


def _unsure(tokens: list[str]) -> bool:
    """'so it is unclear whether she holds the reins', 'if he lets go': the clause asks, it does not claim
    ('as if to set off' is an intention, read where its verb is)."""
    if _UNSURE.isdisjoint(tokens):
        return False
    return any(
        t in _UNSURE and (t != "if" or tokens[k - 1 : k] not in (["as"], ["even"])) for k, t in enumerate(tokens)
    )


def _with_span(claim: AnyClaim, span: str) -> AnyClaim:
    """The clause a claim was read from: what the report highlights and the feedback quotes."""
    if isinstance(claim, StateClaim) and not claim.span:  # built whole: dataclasses.replace is slow
        c = claim
        return StateClaim(c.text, c.part, c.states, c.objects, c.negated, span, c.implicit)
    if isinstance(claim, VerbClaim | OppositeClaim) and not claim.span:
        return replace(claim, span=span)
    return claim


def _clause(
    sentence: str, clause: str, prev: PartRef | None, out: list[AnyClaim], memory: dict[str, str]
) -> PartRef | None:
    """Claims of one clause; returns the subject a following verb-only clause inherits."""
    tokens = TOKEN.findall(clause)
    if "n't" in clause:
        tokens = _uncontracted(tokens)
    refs = part_refs(tokens, memory)
    for ref in refs:  # "only the left hand": the other one does nothing with the object
        near = tokens[max(0, ref.start - 3) : ref.end + 1]  # the span holds "with just her left hand"
        if ref.mode == "single" and ref.sides[0] in _SIDES and {"only", "alone", "just", "solely"} & set(near):
            other = _OTHER_SIDE[ref.sides[0]]
            other_ref = PartRef(ref.group, (other,), "single", ref.word, "subject", ref.start, ref.end)
            out.append(StateClaim(sentence, other_ref, frozenset({"no_interaction"}), None))
    out.extend(placed_on_part(sentence, tokens))  # "propped the book on his knees": the legs touch it
    out.extend(acted_with_part(sentence, tokens))  # "pinning it down with his knee": the leg touches it
    out.extend(part_pressed_against(sentence, tokens))  # "his right knee pushed against the door"
    out.extend(let_object_go(sentence, tokens))  # "letting the kite go": no hand holds it
    if "hand" in tokens and ("to" in tokens or "into" in tokens):
        out.extend(moved_to_hand(sentence, tokens))  # "switches the umbrella to his left hand": that hand has it
    subjects = [r for r in refs if r.role == "subject"]
    cuts = [r.start for r in subjects]
    if not cuts or cuts[0] > 0:
        head = tokens[: cuts[0]] if cuts else tokens
        inherit = prev if prev is not None and head and _starts_with_verb(head) else None
        instruments = [r for r in refs if r.role == "instrument" and (not cuts or r.start < cuts[0])]
        if prev is not None and head[:1] == ["it"] and prev.mode != "both" and len(head) > 1:
            part_segment(sentence, head[1:], prev, out)  # "her right hand is free; it does not touch ...": the hand
        elif prev is not None and prev.mode == "both" and head[1:3] == ["of", "them"] and head[0] in _OF_THEM:
            n = len(out)  # "both hands raised, both of them reaching for the ball": the hands
            part_segment(sentence, head[3:], prev, out)
            if head[0] == "neither":
                out[n:] = [replace(c, negated=not c.negated) if isinstance(c, StateClaim) else c for c in out[n:]]
        elif inherit is not None:
            part_segment(sentence, head, inherit, out)
        else:
            person_segment(sentence, head, instruments, out)
    subject = prev if not subjects else subjects[-1]
    for i, ref in enumerate(subjects):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(tokens)
        n = len(out)
        pred = tokens[ref.end : end]
        if pred and set(pred) <= _TOO and (prior := _prior_state(out, ref)) is not None:
            out.append(StateClaim(sentence, ref, prior.states, prior.objects, prior.negated))
            continue  # "Right hand holds the bottle, left hand too": the same state, the other part
        if ref.start > 0 and (aimed := aimed_gesture(ref.group, tokens[ref.start - 1], pred)):
            pred = [*aimed, *pred]  # "waving / raising both hands at the screen": the hands gesture to it
        part_segment(sentence, pred, ref, out)
        if i + 1 < len(subjects) and pred and (body := _body_acted_on(tokens[end : subjects[i + 1].end])) is not None:
            out[n:] = [_on_body(c, body) for c in out[n:]]  # "his left hand scratches his head": not the object
        before = ref.start - 1  # "doesn't have her hand on it": the negated verb that places the part
        placed = before >= 0 and tokens[before] in _PLACING and phrases.negated_at(tokens, before)
        if placed or any(t in ("neither", "no", "none", "without") for t in tokens[max(0, ref.start - 2) : ref.end]):
            out[n:] = [replace(c, negated=not c.negated) if isinstance(c, StateClaim) else c for c in out[n:]]
    return subject


_OF_THEM = frozenset({"both", "each", "neither"})
_TOO = frozenset({"too", "also", "as", "well", "likewise", "does", "is", "the", "same"})


def _prior_state(out: list[AnyClaim], ref: PartRef) -> StateClaim | None:
    """The last state said of another part of the same group ('right hand holds it, left hand too')."""
    for claim in reversed(out[-6:]):
        if isinstance(claim, StateClaim) and claim.part.group == ref.group and claim.part.sides != ref.sides:
            return claim
    return None


_OWNERS = frozenset({"his", "her", "their"})
_NOT_OWNERS = frozenset({"it's", "he's", "she's", "that's", "there's", "what's", "who's", "one's", "here's"})


def _body_acted_on(phrase: list[str]) -> frozenset[str] | None:
    """The body part a part's predicate runs into, as the thing it acts on: 'his head' (the person's own: no
    object), 'a friend's arm' (someone else's: a person); None when the phrase is no such body part."""
    if any(t.endswith("'s") and t not in _NOT_OWNERS for t in phrase):
        return frozenset({"person"})
    return frozenset() if phrase[:1] and phrase[0] in _OWNERS else None


def _on_body(claim: AnyClaim, body: frozenset[str]) -> AnyClaim:
    """A part acting on a body part ('rubs her neck', 'grabs a friend's arm') acts on no object of the pair's."""
    if isinstance(claim, StateClaim) and claim.objects is None and claim.states != {"no_interaction"}:
        return replace(claim, objects=body)
    return claim


_PLACING = frozenset({"have", "has", "had", "having", "keep", "keeps", "kept", "keeping", "put", "puts", "place",
                      "places", "placed", "rest", "rests", "lay", "lays", "set", "sets",
                      "take", "takes", "took", "taking", "lift", "lifts", "move", "moves", "moving"})  # fmt: skip
# (the verbs that move it: "never takes his eyes off it", "doesn't lift her feet off the pedals")


_CONTRACTED = {f"{w}n't": w for w in ("is", "are", "was", "were", "does", "do", "did", "has", "have", "had")}


def _uncontracted(tokens: list[str]) -> list[str]:
    """'isn't under it' -> 'is not under it': a phrase with 'is' matches, and the 'not' negates it."""
    out: list[str] = []
    for t in tokens:
        if t in _CONTRACTED:
            out += (_CONTRACTED[t], "not")
        else:
            out.append(t)
    return out


def _starts_with_verb(tokens: list[str]) -> bool:
    """A clause that goes on with the last subject: '..., resting on the pedals', '..., not on the reins'."""
    first = tokens[0]
    if first in ("not", "nowhere") or (first in CONTACT_PREPS and len(tokens) > 1) or tokens[:2] == ["away", "from"]:
        return True
    return first in ("is", "are", "holds", "rests") or first.endswith("ing") or first in all_state_words()
