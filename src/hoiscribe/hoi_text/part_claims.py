"""Claims of a clause whose subject is one body part: "the left hand holds the handle", "feet on the pegs",
"his right hand controls the kite", "head facing forward".

Why apart from :mod:`hoiscribe.hoi_text.claims`: that module cuts a clause at each part it names; this one
reads what is said after the part's name (a state, a verb that implies one, a contact, a bare object).
"""

from __future__ import annotations

from dataclasses import replace

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_rules import cluster
from hoiscribe.hoi_text.claim_types import AnyClaim, MentionClaim, PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import HIDDEN_WORDS
from hoiscribe.hoi_text.clause_objects import object_after, part_object
from hoiscribe.hoi_text.part_preds import bare_object, beside_thing, contact_state, on_ground, rather_than
from hoiscribe.hoi_text.person_claims import state_in
from hoiscribe.hoi_text.placed_parts import any_contact, tucked_into
from hoiscribe.hoi_text.pose_claims import poses
from hoiscribe.hoi_text.scene_nouns import slot_noun


def part_segment(sentence: str, pred: list[str], ref: PartRef, out: list[AnyClaim]) -> None:
    """Claims whose subject is one body part; ``pred`` is the clause after the part's name."""
    pred = _main_clause(pred)
    text = " ".join(pred)
    if pred[:1] in _WEARS and ref.group in _NO_WEAR_STATE:  # "his right foot wears a red boot": clothing
        out.append(MentionClaim(sentence, ref, bool(HIDDEN_WORDS.search(text))))
        return
    found = False
    state = state_in(ref.group, pred)
    matches = [m for m in phrases.find(pred, phrases.state_index(ref.group)) if m.start < 8]
    end = None
    denial = False  # an opposite of a state ("eyes closed"): no aimless gaze, it denies looking at anything
    if state is not None and not (matches and matches[0].start <= state[0]):
        end = state[0] + 1
        negated = phrases.negated_at(pred, state[0]) != (pred[end : end + 1] == ["nothing"])  # "holds nothing"
        out.append(StateClaim(sentence, ref, state[1], object_after(pred, state[0] + 1, allow_prep=True), negated))
        found = True
    elif matches:
        m = matches[0]
        end = m.end
        states = frozenset(v.split(":", 1)[1] for v in m.values)
        objects = None if states == {"no_interaction"} else object_after(pred, m.end, allow_prep=True)
        if m.start > 0 and _someone_elses(pred[m.start - 1]):
            objects = frozenset({"person"})  # "her arm around her daughter's shoulders": another person's body
        if objects is None and pred[m.start : m.end] in _CLASPED and pred[m.end : m.end + 1] not in _AROUND:
            states = frozenset({"no_interaction"})  # "hands clasped in front of her": they hold each other
        if states == {"no_interaction"} and ref.group == "leg" and _astride(ref, pred[m.end : m.end + 6]):
            states = frozenset({"straddle"})  # "legs hanging down on either side (of the horse)": astride it
            objects = _side_owner(pred[m.end : m.end + 9])
        if states == {"no_interaction"} and (inside := tucked_into(pred, m.end)):
            states, objects = any_contact(ref.group), inside  # "his hand tucked into the glove": in it
        if states <= _LIFTS and pred[m.end : m.end + 1] in (["toward"], ["towards"], ["at"]):
            objects = frozenset()  # "hands raised toward the screen": a direction, not what they lift
        out.append(StateClaim(sentence, ref, states, objects, m.negated != (pred[m.end : m.end + 1] == ["nothing"])))
        found, denial = True, m.opposed
    elif pred[:1] == ["off"] or pred[:2] in (["are", "off"], ["is", "off"]):  # "hands off the handlebars"
        out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), None))
        found = True
    elif (contact := contact_state(ref.group, pred, ref.word)) is not None:  # "feet on the pegs", "eyes on it"
        out.append(StateClaim(sentence, ref, *contact))
        found = True
    elif (implied := _verb_states(ref.group, pred)) is not None:  # "his right hand controls the kite"
        out.append(StateClaim(sentence, ref, *implied))
        found = True
    elif (bare := bare_object(ref.group, pred)) is not None:  # "- Left hand: the phone": the hand has it
        out.append(StateClaim(sentence, ref, any_contact(ref.group), bare))
        found = True
    if found and isinstance(out[-1], StateClaim) and out[-1].states != {"no_interaction"}:
        out[-1] = replace(out[-1], objects=slot_noun(pred, out[-1].objects, end))
        lifted = part_object(pred[end or 0 :]) or {"it", "them"}.intersection(pred[: (end or 0) + 1])
        if out[-1].states <= _LIFTS and out[-1].objects is None and not lifted:
            out[-1] = replace(out[-1], objects=frozenset())  # "with both hands raised": a pose, nothing lifted
        out[-1] = on_ground(out[-1], pred, end)
        if (instead := rather_than(pred)) is not None:  # "her eyes on the guests rather than on the glass"
            out.append(StateClaim(sentence, ref, out[-1].states, instead, True))
        elif _placed_by(out[-1]) and (by := beside_thing(pred)) is not None and not by & out[-1].objects:
            out.append(StateClaim(sentence, ref, out[-1].states, by, True))  # "on the table beside the bottle"
    if found and ref.word in _FISTS and _empty_fist(out[-1], pred, end):
        out.pop()  # "his fist is clenched": a pose, nothing said to be in it
        found = False
    if found and not denial and _aimless_gaze(out[-1], pred):
        aimless = out.pop()  # "head facing forward", "looking down": a gaze with no target says nothing of the object
        found = False
        if ref.group == "hand" and not aimless.negated:  # "her right hand gestures": it holds nothing meanwhile
            out.append(replace(aimless, states=GRASP, negated=True))
            found = True
    found |= poses(sentence, f"{ref.word} {text}", ref, out)
    if not found:
        out.append(MentionClaim(sentence, ref, bool(HIDDEN_WORDS.search(text))))


_NOT_OWNERS = frozenset({"it's", "he's", "she's", "that's", "there's", "what's", "who's", "one's", "here's"})


def _someone_elses(word: str) -> bool:
    """A possessive noun ('her daughter's', 'a friend's'): what follows belongs to someone else."""
    return word.endswith("'s") and word not in _NOT_OWNERS


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


_SUBORDINATORS = frozenset({"as", "when", "because", "until", "after", "before", "since", "whenever", "once"})
_CLAUSE_SUBJECTS = frozenset({"it", "he", "she", "they", "the", "his", "her", "its", "their", "a", "an"})


def _main_clause(pred: list[str]) -> list[str]:
    """The predicate up to a subordinate clause with a subject of its own ('controls the ball as it comes up off
    the asphalt'): what follows is said of the ball, not of the part."""
    for k in range(1, len(pred) - 1):
        if pred[k] in _SUBORDINATORS and pred[k + 1] in _CLAUSE_SUBJECTS:
            return pred[:k]
    return pred


_BOTH_SIDES = (["either", "side"], ["both", "sides"], ["each", "side"], ["its", "sides"], ["opposite", "sides"])


def _astride(ref: PartRef, words: list[str]) -> bool:
    """Legs hanging 'on either side', 'down both sides', 'down its sides' (one leg on each side), or one leg
    hanging down a side: astride the thing, not off it."""
    if ref.mode == "single" and ref.sides[0] is not None:
        return any(w in ("side", "flank") for w in words)
    return any(words[k : k + 2] in _BOTH_SIDES for k in range(len(words) - 1))


def _side_owner(words: list[str]) -> frozenset[str] | None:
    """What the sides belong to ('of the horse'), None when unnamed or 'it' (the object in focus)."""
    k = next((i for i, w in enumerate(words) if w in ("side", "sides")), None)
    if k is None or words[k + 1 : k + 2] != ["of"]:
        return None
    return object_after(words, k + 2, allow_prep=False)


_FISTS = frozenset({"fist", "fists"})


def _empty_fist(claim: AnyClaim, pred: list[str], end: int | None) -> bool:
    """A fist clenched or raised with no object read and none referred to ('around it', 'on the grip')."""
    if not isinstance(claim, StateClaim) or claim.objects is not None or claim.negated:
        return False
    return phrases.OBJECT_PARTS.isdisjoint(pred[end or 0 :])


_WEARS = (["wears"], ["wear"], ["wearing"])
_NO_WEAR_STATE = frozenset({"foot", "leg", "arm", "hip"})  # groups with no HAKE state "wear": what they wear is dress
_CLASPED = (["clasped"], ["interlaced"], ["interlocked"], ["laced"])
_AROUND = (["around"], ["round"], ["on"], ["onto"], ["over"], ["it"], ["them"])
_LIFTS = frozenset({"lift", "raise(over head)", "raise"})
_AIMLESS = {"head": "look", "hand": "gesture", "arm": "swing"}  # "his left arm swings for balance": a motion
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


def _placed_by(claim: StateClaim) -> bool:
    """A contact with something other than the pair's object, in a state that places the part on it (not 'sit
    beside', whose own preposition names where the person is)."""
    return (
        claim.objects is not None
        and not claim.negated
        and not any(w in s for s in claim.states for w in ("beside", "near", "next", "close"))
    )
