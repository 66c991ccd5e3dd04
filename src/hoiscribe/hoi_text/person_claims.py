"""Person-level claims of a clause: what the person does ("is riding a bicycle", "holds a cup with both
hands", "not interacting with"), and the part states said of the whole person ("without touching it").

Why apart from :mod:`hoiscribe.hoi_text.claims`: that module reads a clause's subjects and parts; this
one reads a clause whose subject is the person, with the hands it names as instruments.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.body_claims import beside_and_shoulder, posture_claims
from hoiscribe.hoi_text.body_holds import over_head_denial
from hoiscribe.hoi_text.claim_types import AnyClaim, MentionClaim, OppositeClaim, PartRef, StateClaim, VerbClaim
from hoiscribe.hoi_text.claim_words import DETERMINERS, HIDDEN_WORDS, PREPOSITIONS, TOKEN, object_surfaces, state_words
from hoiscribe.hoi_text.clause_checks import adjective, hand_states, held, intended, thing_subject
from hoiscribe.hoi_text.clause_objects import (
    instrument_after,
    modifies,
    object_after,
    other_subject,
    part_object,
    with_near_miss,
)
from hoiscribe.hoi_text.instrument_gestures import GRASP, aimless, fixture_after, instrument_particle, untargeted
from hoiscribe.hoi_text.part_preds import ground_seat, rather_than
from hoiscribe.hoi_text.person_states import PERSON_PARTS, person_states
from hoiscribe.hoi_text.person_verb_filters import no_heed, noun_before_participle, others_participle
from hoiscribe.hoi_text.placed_parts import any_contact
from hoiscribe.hoi_text.scene_nouns import slot_noun
from hoiscribe.hoi_text.verb_filters import (
    ABOARD,
    aboard_near_miss,
    another_thing,
    by_others,
    noun_after_word,
    noun_before_of,
)

_CARRIED_AT = frozenset({"back", "shoulder", "shoulders"})  # where a thing 'with' the person is carried
_ON_FEET = frozenset({"stand_on", "ride"})  # verbs the feet do on the object
_SEATS = frozenset({"sit_on", "lie_on"})  # verbs the hip does on the object
_SITTING = frozenset({"sit on", "sit in"})
_STAND = frozenset({"stand on"})
_ONE_FOOT = PartRef("foot", (None,), "either", "foot", "subject", 0, 0, True)
_ONE_SUPPORT = (["one", "foot"], ["one", "leg"])
_ONE_SKI = (["one", "ski"], ["a", "single", "ski"])
_SHIFTS = frozenset({"weight", "lean", "leans", "leaning", "leaned", "pressure"})
_SKI_NOUNS = [[w] for w in ("lift", "lifts", "pole", "poles", "boot", "boots", "run", "slope", "chair", "rack")]


def _one_support(after: list[str]) -> frozenset[str] | None:
    """'balancing on one foot on the board': exactly one foot stands on the object named after it."""
    one = next((p for p in _ONE_SUPPORT if after[: len(p)] == p), None)
    return None if one is None else object_after(after, len(one), allow_prep=True) or None


_SIDED = (["left"], ["right"])
_HANGING = frozenset({"dangle", "dangles", "dangling", "dangled", "hang", "hangs", "hanging", "hung", "swing",
                      "swings", "swinging", "swung", "suspended"})  # fmt: skip


def _hung_from_hand(tokens: list[str]) -> tuple[PartRef, frozenset[str] | None] | None:
    """'dangling it from his right hand', 'a bag hangs from her left hand': that hand holds the thing."""
    for k, tok in enumerate(tokens):
        if tok != "from" or not any(t in _HANGING for t in tokens[max(0, k - 4) : k]):
            continue
        rest = tokens[k + 1 : k + 4]
        if rest[:1] in (["his"], ["her"], ["their"], ["one"]) or (rest[:1] == ["the"] and rest[1:2] in _SIDED):
            rest = rest[1:]  # "from his hand", "from the right hand"
        side = rest[0] if rest[:1] in (["left"], ["right"]) else None
        if rest[1 if side else 0 : 2 if side else 1] not in (["hand"], ["hands"]):
            return None
        verb = max(i for i in range(max(0, k - 4), k) if tokens[i] in _HANGING)
        if phrases.negated_at(tokens, verb):
            return None
        ref = PartRef("hand", (side,), "single", "hand", "subject", 0, 0) if side else PERSON_PARTS["hand"]
        if tokens[verb + 1 : verb + 2] in (["it"], ["them"]):
            return ref, None
        named = next((o for i in range(verb) if (o := object_after(tokens, i, allow_prep=False))), None)
        return (ref, named) if named else None
    return None


def _one_ski(tokens: list[str]) -> frozenset[str] | None:
    """'gliding down the slope on one ski': exactly one foot stands on a ski."""
    for k, tok in enumerate(tokens):
        one = next((p for p in _ONE_SKI if tok in ("on", "upon") and tokens[k + 1 : k + 1 + len(p)] == p), None)
        after = tokens[k + 1 + len(one) : k + 2 + len(one)] if one else []
        compound = modifies(after) or after[:1] in _SKI_NOUNS  # "on one ski lift": another noun
        compound |= k > 0 and tokens[k - 1] in _SHIFTS  # "his weight on one ski", "leaning on one ski": both on
        if one and not compound and not phrases.negated_at(tokens, k):
            return object_after(tokens, k + 1, allow_prep=False) or None
    return None


def _foot_verb_at(verb_starts: list[tuple[int, str]], lo: int, hi: int) -> int | None:
    """Where the last verb the feet do on the object starts between ``lo`` and ``hi``."""
    return max((at for at, v in verb_starts if lo <= at < hi and v in _ON_FEET), default=None)


_OWNERS = frozenset({"the", "a", "an", "his", "her", "their", "its"})


_LIMBS = frozenset({"hand", "arm", "foot", "leg"})  # the groups an instrument "with her elbow" acts with
_TOOL_WORDS = frozenset({"knee", "knees", "foot", "feet"})  # placed_parts.acted_with_part reads these
_NOTHING = frozenset({""})  # what ``_acted_on`` returns when the verb acts on nothing named


def _acted_on(window: list[str]) -> frozenset[str] | None:
    """The object a verb acts on before an instrument hand ('slaps the ball down'): a named object right after a
    word that is no preposition nor determiner; None for 'it' or a part of it ('stroking its neck'), the pair's
    object; ``_NOTHING`` when none is named."""
    for k in range(1, len(window)):
        before = window[k - 1]
        pronoun = window[k] in ("it", "its") and before not in PREPOSITIONS and before not in DETERMINERS
        if pronoun and (window[k] == "it" or part_object(window[k + 1 :]) or window[k + 1 : k + 2] in _ANIMAL_PARTS):
            return None
        if (
            window[k] in _OWNERS
            and before not in PREPOSITIONS
            and before not in DETERMINERS
            and (objects := object_after(window, k, allow_prep=False))
        ):
            return objects
    return _NOTHING


_ANIMAL_PARTS = [["neck"], ["head"], ["back"], ["side"], ["nose"], ["muzzle"], ["flank"], ["fur"], ["coat"]]


_LEANING = frozenset({"lean", "leans", "leaned", "leaning", "leant"})
_LEAN_PREPS = frozenset({"against", "on", "onto", "upon"})
_LEAN_SKIP = frozenset({"back", "forward", "over", "in", "casually", "lazily", "slightly", "heavily", "gently"})


def _leaned_on(after: list[str]) -> frozenset[str] | None:
    """What 'leaning (back) against ...' puts the person on: the object named after the preposition."""
    k = 0
    while k < min(len(after), 3) and after[k] in _LEAN_SKIP:
        k += 1
    return object_after(after, k, allow_prep=True) if after[k : k + 1] and after[k] in _LEAN_PREPS else None


_FOOT_PARTS = frozenset({"pedal", "pedals", "stirrup", "stirrups", "peg", "pegs", "footpeg", "footpegs", "footrest",
                         "footrests"})  # fmt: skip


def state_in(group: str, tokens: list[str], last: bool = False) -> tuple[int, frozenset[str]] | None:
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


_NO_INTERACTION = re.compile(r"\bnot (?:\w+ )?interact(?:s|ing)?\b|\bno interaction\b")


def person_segment(sentence: str, tokens: list[str], instruments: list[PartRef], out: list[AnyClaim]) -> None:
    """Person-level claims: 'is riding a bicycle', 'holds a cup with both hands', 'not interacting with'."""
    text = " ".join(tokens)
    named_any = False  # a verb of the clause named what it acts on
    m = _NO_INTERACTION.search(text) if "interact" in text else None
    if m:
        after = TOKEN.findall(text[m.end() :])
        out.append(VerbClaim(sentence, "no_interaction", object_after(after, 0, allow_prep=True)))
        return
    verbs: list[str] = []
    verb_starts: list[tuple[int, str]] = []  # where each verb was read, for the instruments after it
    all_starts: set[int] = set()  # where any verb phrase starts: there no person-level state is read
    for vm in phrases.find(tokens, phrases.verb_index()):
        all_starts.add(vm.start)
        before = tokens[: vm.start]
        if thing_subject(before) or other_subject(before) or adjective(tokens, vm.start) or another_thing(before):
            continue
        if noun_after_word(tokens, vm.start) or noun_before_of(tokens, vm):
            continue  # "glasses of water", "with the water": a noun after a preposition or article, no verb
        if any(r.end == vm.start for r in instruments):
            continue  # "with both hands resting on its edge": the hands' state, not the person's verb
        if intended(tokens, vm.start) or noun_before_participle(tokens, vm) or others_participle(tokens, vm.start):
            continue  # "ready to throw it", "about to board": not (yet) done; "Cook cutting a pizza": a noun
        after = tokens[vm.end :]
        if tokens[vm.start] in _LEANING and (leaned := _leaned_on(after)):
            # "leaning (back) against the car door": a contact with it (no HICO verb; false of a no_interaction pair)
            out.append(VerbClaim(sentence, "lean_on", leaned, frozenset({"lean_on"}), False, vm.negated))
        verb = sorted(vm.values)[0]
        objects = object_after(after, 0, allow_prep=any("_" in v for v in vm.values))
        values, tool = vm.values, objects is None and instrument_after(after, vm.values)
        if tool:  # "cutting paper with scissors", "cutting a sheet of paper with them"
            objects, values = tool
            verb = sorted(values)[0]
        off = objects is None and after[:1] in (["off"], ["away"]) and "ride" in vm.values  # "rides off"
        if objects is None and not vm.negated and not part_object(after) and not tool and not off:
            continue
        if _FOOT_PARTS.intersection(after[:4]):
            continue  # "pushing the left pedal down": what a foot does to a part of the object, no HICO verb
        exact = vm.exact or (len(vm.values) == 1 and not vm.loose)
        negated = vm.negated or after[:1] == ["no"] or no_heed(after)  # "holds no umbrella", "pays it no heed"
        if negated and by_others(after[:6]):
            continue  # "it is not being used by anyone else": a denial about the others
        if negated and objects is None:
            if after[:1] == ["anything"] and {"hold", "carry"} & vm.values:  # "isn't holding anything": no hand
                out.append(StateClaim(sentence, PERSON_PARTS["hand"], frozenset({"hold", "carry"}), None, True))
                continue
            if after[:1] in (["a"], ["an"]):  # "is not holding a lantern": something else, not the object
                objects = slot_noun(after, None, 0)  # (not "isn't brushing his teeth": brush_with the brush)
            elif (
                after[:1] == ["the"] or (after[:1] and after[0] in PREPOSITIONS and after[1:2] in _ARTICLES)
            ) and not any(
                v.endswith("_with") for v in vm.values
            ):  # "isn't looking at the camera": something else (not "is not brushing the teeth": with the brush)
                objects = slot_noun(after, None)
        if not negated and vm.values & _SEATS and objects == frozenset() and (kinds := ground_seat(after)):
            out.append(StateClaim(sentence, PERSON_PARTS["hip"], _SITTING, None, True, implicit=kinds))
            # "sits on the floor (beside the couch)": the hip is on the ground, not on the object
        if not negated and vm.values & _ON_FEET and (one := _one_support(after)):
            out.append(StateClaim(sentence, _ONE_FOOT, _STAND, one, implicit=one))  # "standing on one foot on it"
        if not (vm.negated and any(r.start >= vm.end for r in instruments)):  # "isn't holding it with her left
            out.append(VerbClaim(sentence, verb, objects, values, exact, negated))  # hand": the hand's denial
            named_any = named_any or bool(objects)
            if not negated and (instead := rather_than(after[:8])) is not None:  # "a tablet rather than a book"
                out.append(VerbClaim(sentence, verb, instead, values, exact, True))
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
    if "from" in tokens and (hung := _hung_from_hand(tokens)) is not None:
        out.append(StateClaim(sentence, hung[0], frozenset({"hold", "carry"}), hung[1]))  # "dangling from his hand"
    if "ski" in tokens and (one_ski := _one_ski(tokens)) is not None:
        out.append(StateClaim(sentence, _ONE_FOOT, _STAND, one_ski, implicit=one_ski))  # "standing on one ski"
    if not verbs and (near := with_near_miss(tokens)):  # "a toddler with a hairbrush": what he has
        out.append(VerbClaim(sentence, "hold", near, frozenset({"hold"}), False))
    elif (
        "with" in tokens and not _CARRIED_AT.isdisjoint(tokens) and (worn := with_near_miss(tokens, worn=True))
    ):  # "with a guitar case on her back"
        out.append(VerbClaim(sentence, "carry", worn, frozenset({"carry", "wear"}), False))
    elif not named_any and (aboard := aboard_near_miss(tokens)):
        out.append(VerbClaim(sentence, "ride", aboard, ABOARD, False))  # "a man on a quad bike": what he is on
    person_states(
        sentence, tokens, out, all_starts, head_only=bool(instruments)
    )  # "holds it in both hands and looks away"
    beside_and_shoulder(sentence, text, bool(verbs), out)
    out.extend(posture_claims(sentence, tokens))
    out.extend(over_head_denial(sentence, text))
    lo = 0
    lead = _thing_first(tokens)  # "the phone is pressed to her ear with her left hand": the hand has the phone
    last: StateClaim | None = None  # the claim of the instrument before, which a coordinated one shares
    for ref in instruments:  # each instrument takes the nearest state before it, after the previous one
        start, window = lo, tokens[lo : ref.start]
        if last is not None and last.part.group == ref.group and _coordinated(window):
            out.append(StateClaim(sentence, ref, last.states, last.objects, last.negated))
            lo = ref.end  # "holds it in his right hand and in his left": the same state
            continue
        n = len(out)
        near_verbs = [v for at, v in verb_starts if lo <= at < ref.start]
        fronted_at = None  # where the verb after a fronted instrument starts
        if all(
            t in ("and", "then", "but", "so") for t in tokens[: ref.start - 1]
        ):  # "with her left hand she strokes it"
            after_ref = [(at, v) for at, v in verb_starts if ref.end <= at < _next_start(instruments, ref, len(tokens))]
            near_verbs = [v for _, v in after_ref]
            fronted_at = after_ref[0][0] if after_ref else None
        lo = ref.end
        state = state_in(ref.group, window, last=True)
        paraphrase = [m for m in phrases.find(window, phrases.state_index(ref.group))
                      if f"{ref.group}:no_interaction" not in m.values or _objectless(window, m.end)]  # fmt: skip
        if paraphrase and (state is None or paraphrase[-1].start > state[0]):
            m = paraphrase[-1]  # "keeps the phone near her ear with her left hand"
            states = frozenset(v.split(":", 1)[1] for v in m.values)
            objects = _or_lead(object_after(window, m.end, allow_prep=True), lead)
            negated = m.negated
            if (
                objects is None and states != {"no_interaction"}
                and (window[m.end : m.end + 1] in _ARTICLES[1:] or fixture_after(window, m.end))
            ):  # fmt: skip
                objects = slot_noun(window, None, m.end)  # "gives a thumbs up with his left hand"
            if objects is None and untargeted(ref.group, states, window[m.end :]):
                states, negated = GRASP, not negated  # "points at something with the other hand": holds nothing
            out.append(StateClaim(sentence, ref, states, objects, negated))
        elif state is not None:
            claimed = instrument_particle(ref.group, window, state)
            objects = _or_lead(object_after(window, state[0] + 1, allow_prep=True), lead)
            if objects is None and aimless(ref.group, claimed, window[state[0] + 1 :]):
                objects = frozenset()  # "waves to the crowd with her right hand": a gesture at no object
            negated = phrases.negated_at(window, state[0])
            if objects is None and (
                window[state[0] + 1 : state[0] + 2] in _ARTICLES[1:] or fixture_after(window, state[0] + 1)
            ):
                objects = slot_noun(window, None, state[0] + 1)  # "gives a thumbs up with his left hand"
            if objects is None and untargeted(ref.group, claimed, window[state[0] + 1 :]):
                claimed, negated = GRASP, not negated  # "waves with the other hand": that hand holds nothing
            out.append(StateClaim(sentence, ref, claimed, objects, negated))
        elif ref.group == "hand" and tokens[max(0, ref.start - 2) : ref.start] == ["nothing", "in"]:
            out.append(
                StateClaim(sentence, ref, frozenset({"no_interaction"}), None)
            )  # "with nothing in his left hand"
        elif ref.group == "hand" and tokens[ref.start - 1 : ref.start] == ["in"] and (owned := held(window)):
            negated = phrases.negated_at(tokens, ref.start - 1)  # "the cup isn't in her hand"
            out.append(
                StateClaim(sentence, ref, frozenset({"hold"}), owned[0], negated)
            )  # "toothbrush in his left hand"
        elif (
            ref.group == "foot" and ref.exactly_one and (at := _foot_verb_at(verb_starts, start, ref.start)) is not None
        ):
            objects = object_after(tokens, at + 1, allow_prep=True)  # "rides the board with one foot": one foot on it
            out.append(StateClaim(sentence, ref, _STAND, objects, implicit=objects))
        elif near_verbs and ref.group == "hand" and (implied := hand_states(near_verbs)):
            acted = None if fronted_at is None else object_after(tokens, fronted_at + 1, allow_prep=True)
            out.append(StateClaim(sentence, ref, implied, acted))  # "tipping it up with his left hand"
            # ("with his left hand he waves to a friend": the verb's own object, the friend)
        elif ref.group in _LIMBS and ref.word not in _TOOL_WORDS and (acted := _acted_on(window)) != _NOTHING:
            out.append(
                StateClaim(sentence, ref, any_contact(ref.group), acted)
            )  # "slaps the ball down with his right hand", "pins the phone with her elbow"
        elif HIDDEN_WORDS.search(text) is None:
            out.append(MentionClaim(sentence, ref, False))
        last = out[-1] if len(out) > n and isinstance(out[-1], StateClaim) and out[-1].part is ref else None


_ARTICLES = (["the"], ["a"], ["an"])


def _objectless(window: list[str], end: int) -> bool:
    """An idle phrase right before the instrument, with no object of its own: 'let go with one hand'
    (not 'dangling it from his right hand', where the hand holds what dangles)."""
    rest = window[end:]
    return (not rest or rest in (["with"], ["using"], ["in"])) and object_after(window, end, allow_prep=False) is None


def _next_start(instruments: list[PartRef], ref: PartRef, default: int) -> int:
    """Where the instrument after ``ref`` starts (the end of the clause if none)."""
    later = [r.start for r in instruments if r.start > ref.start]
    return min(later) if later else default


def _thing_first(tokens: list[str]) -> frozenset[str] | None:
    """The object a clause opens with as its subject ("the phone is pressed ..."), if any (not a person)."""
    if not tokens or tokens[0] not in ("the", "a", "an", "his", "her", "their", "its"):
        return None
    named = object_after(tokens[:4], 0, allow_prep=False)
    return named if named and "person" not in named else None


def _or_lead(objects: frozenset[str] | None, lead: frozenset[str] | None) -> frozenset[str] | None:
    """No object after the state (None, not 'something else'): the thing the clause opened with."""
    return lead if objects is None else objects


def _coordinated(window: list[str]) -> bool:
    """'(in his right hand) and in (his left)': nothing but 'and' and the instrument's preposition between two."""
    return "and" in window and all(w in ("and", "in", "with", "using", "also", "then") for w in window)
