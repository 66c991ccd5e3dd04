"""Person-level claims said of the body without naming a part: beside, on the shoulder, standing.

Why: prose says "stands beside his motorcycle" (feet and hip are not on it), "a bag over her
right shoulder" (that arm carries it), "over just one shoulder", "not on his shoulders" and
"standing in the aisle" (the hip sits on nothing) without a part as the subject.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, StateClaim, VerbClaim
from hoiscribe.hoi_text.claim_words import DETERMINERS, IT_PRONOUN, PART_WORDS, TOKEN, object_re, object_surfaces
from hoiscribe.hoi_text.clause_checks import intended
from hoiscribe.hoi_text.clause_objects import object_after, other_subject, person_head
from hoiscribe.hoi_text.phrases import OBJECT_PARTS, negated_at

_OTHER_SIDE = {"left": "right", "right": "left"}
_BESIDE = re.compile(
    r"\b(?:stand|stands|standing|stood|wait|waits|waiting)\s+"
    r"(?:on the (?:ground|floor|pavement|sidewalk|road|street|platform|grass|sand) )?(?:right |just )?"
    r"(?:beside|next to|alongside|behind|in front of|(?:at|by) the (?:side|edge|foot|end) of|at)\s+(.*)"
)
_SHOULDER = re.compile(
    r"\b(?P<neg>not |never |no longer )?(?P<pre>only |just )?(?:on|over|across|against|from) (?P<only>only |just )?"
    r"(?:(?:his|her|their|the|a) )?"
    r"(?P<side>left |right |one )?shoulder(?P<plural>s)?\b"
)
_LOW_BESIDE = re.compile(
    r"\b(?:kneel|kneels|kneeling|knelt|crouch|crouches|crouching|crouched|squat|squats|squatting|squatted|"
    r"is lying|lies|lay) (?:down )?(?:right |just )?(?:beside|next to|alongside|behind|in front of)\s+(.*)"
)
_HIP = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
_STANDING = frozenset({"stand", "stands", "standing", "stood"})
_SITTING_STATES = frozenset({"sit on", "sit in", "sit beside"})


def beside_and_shoulder(sentence: str, text: str, has_verb: bool, out: list[AnyClaim]) -> None:
    """'stands beside his motorcycle': feet and hip are not on it; 'carries it on his left shoulder': that arm."""
    m = _BESIDE.search(text) if "stand" in text or "stood" in text or "wait" in text else None
    if m and said_of_person(TOKEN.findall(text[: m.start()])):
        objects = object_after(TOKEN.findall(m.group(1)), 0, allow_prep=False)
        at = text[m.start(1) - 3 : m.start(1)] == "at "  # "standing at the table": the feet may stand by it
        if objects:
            for ref in (PartRef("foot", ("left", "right"), "both", "feet", "subject", 0, 0),
                        PartRef("hip", (None,), "single", "hip", "subject", 0, 0))[at:]:  # fmt: skip
                out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), objects))
    k = _LOW_BESIDE.search(text) if "kneel" in text or "crouch" in text or "squat" in text or "lying" in text else None
    if k and said_of_person(TOKEN.findall(text[: k.start()])):  # "kneels beside the bed": the hip is not on it
        objects = object_after(TOKEN.findall(k.group(1)), 0, allow_prep=False)
        if objects:
            out.append(StateClaim(sentence, _HIP, _SITTING_STATES, objects, True))
    s = _SHOULDER.search(text) if "shoulder" in text else None
    if s is None:
        return
    before = text[: s.start()]
    negated = bool(s.group("neg"))
    named = object_re().search(before) or IT_PRONOUN.search(before) or set(TOKEN.findall(before)) & OBJECT_PARTS
    if not (has_verb or negated or named):
        return  # "a bag over her right shoulder", "resting it on his right shoulder", "not on his shoulders"
    if _with_other_thing(before):
        return  # "a suit with sponsor patches on the shoulders": what is on them is no object
    side = (s.group("side") or "").strip()
    carry = frozenset({"shoulder carry"})
    things = list(object_re().finditer(before))
    what = object_surfaces()[things[-1].group(1)] if things else None  # "an umbrella, a bag over one shoulder"
    if s.group("plural"):
        out.append(StateClaim(sentence, PartRef("arm", ("left", "right"), "both", "arm", "subject", 0, 0), carry,
                              what, negated))  # fmt: skip
    elif side == "one" or (not side and (s.group("only") or s.group("pre"))):
        out.append(StateClaim(sentence, PartRef("arm", (None,), "either", "arm", "subject", 0, 0, True), carry, what,
                              negated))  # fmt: skip
    elif side:
        out.append(
            StateClaim(sentence, PartRef("arm", (side,), "single", "arm", "subject", 0, 0), carry, what, negated)
        )
        if s.group("only") or s.group("pre") or text[s.end() :].lstrip().startswith("only"):  # the other: nothing
            other = PartRef("arm", (_OTHER_SIDE[side],), "single", "arm", "subject", 0, 0)
            out.append(StateClaim(sentence, other, frozenset({"no_interaction"}), None))


def _with_other_thing(before: str) -> bool:
    """'with sponsor patches on the shoulders', 'with a towel over her shoulder': a 'with' phrase whose noun,
    right before the place, is no object, no part of one and not 'it': the shoulder carries something else."""
    w = before.rfind("with ")
    if w == -1 or (w > 0 and before[w - 1].isalpha()):
        return False
    words = TOKEN.findall(before[w + 5 :])
    if not words or len(words) > 5:
        return False
    return not (object_re().search(before[w:]) or IT_PRONOUN.search(before[w:]) or set(words) & OBJECT_PARTS)


def said_of_person(before: list[str]) -> bool:
    """Not 'a bedside table with a lamp stands ...' (a thing and no person) nor 'spectators stand ...'."""
    if other_subject(before):
        return False
    surfaces = object_surfaces()
    things = [w for w in before if w in surfaces and "person" not in surfaces[w]]
    people = [w for w in before if w in ("he", "she", "i") or (w in surfaces and "person" in surfaces[w])]
    if people:
        return not things or min(before.index(w) for w in people) < min(before.index(w) for w in things)
    return person_head(before)


def _subject_of(tokens: list[str], i: int) -> list[str]:
    """The words before the subject of ``tokens[i]``: for '-ing' after the main verb's object ('rides the bus
    standing near the doors'), the words before that verb; else all words before it."""
    from hoiscribe.hoi_text.phrases import find, verb_index

    if tokens[i].endswith("ing"):
        verbs = [m for m in find(tokens[:i], verb_index()) if m.end < i]
        if verbs and tokens[i - 1] in object_surfaces():
            return tokens[: verbs[-1].start]
    return tokens[:i]


_KNEEL = re.compile(
    r"\bkneel(?:s|ing|ed|t)? (?:(?:down|up|upright|still|low|there|quietly|carefully) ){0,2}"
    r"(?:on|upon|atop) (.*)"
)
_FEET = PartRef("foot", ("left", "right"), "both", "feet", "subject", 0, 0)


_NOT_ON = re.compile(r"\b(?:not|no longer|never) (?:on|upon|atop|aboard) (.*)")
_ON_VERBS = frozenset({"stand_on", "sit_on", "ride", "lie_on", "straddle"})


def not_on(sentence: str, text: str) -> list[AnyClaim]:
    """'a snowboarder not on his board': denies every verb that puts the person on it (stand on, sit on, ride)."""
    m = _NOT_ON.search(text) if "not " in text or "no longer " in text or "never " in text else None
    if m is None or not said_of_person(TOKEN.findall(text[: m.start()])):
        return []
    after = TOKEN.findall(m.group(1))
    objects = object_after(after, 0, allow_prep=False)
    if not objects and after[:1] != ["it"]:
        return []
    return [VerbClaim(sentence, "stand_on", objects or None, _ON_VERBS, False, True)]


_ON_LAP = re.compile(
    r"\b(?P<verb>rests?|resting|balanced|propped|perched|placed|lies|lying|sits|sitting)\s+(?:up\s+)?"
    r"(?:on|against|across|in)\s+(?:his|her|their)\s+(?P<part>knees?|lap|thighs?)\b"
)
_THING_VERBS = frozenset({"balanced", "propped", "perched", "placed"})


def object_on_lap(sentence: str, text: str) -> list[AnyClaim]:
    """'the book balanced on his knees', '..., propped against his knees': the legs touch the object.

    Only when the thing is the subject: the pair's object or 'it' before the verb, or no subject at all
    with a verb said of things ('propped', 'balanced'); not 'his hands resting on his knees' nor 'he sits'.
    """
    m = _ON_LAP.search(text) if "knee" in text or "lap" in text or "thigh" in text else None
    if m is None:
        return []
    before = TOKEN.findall(text[: m.start()])
    if any(w in PART_WORDS or w in ("he", "she", "they", "i") for w in before[-3:]):
        return []
    lead = before[-4:]
    lead = lead[len(lead) - lead[::-1].index("with") :] if "with" in lead else before[-3:]  # "with the book resting"
    named = object_after(lead, 0, allow_prep=False) if lead else None
    if not (named or before[-1:] == ["it"] or (not before and m.group("verb") in _THING_VERBS)):
        return []
    plural = m.group("part") in ("knees", "thighs", "lap")
    ref = PartRef("leg", ("left", "right") if plural else (None,), "both" if plural else "either", "legs",
                  "subject", 0, 0)  # fmt: skip
    return [StateClaim(sentence, ref, frozenset({"is close with"}), named or None)]


_WITHOUT = re.compile(
    r"(?:^|\b(?:is|are|was|were|walks?|walking|stands?|standing|sits?|sitting|left) )without (.*)"
    r"|\b(?:has|have|had|having|carries|carrying) no (.*)"
)  # "Without an umbrella, she ...", "she has no umbrella with her"
_HAVE_VERBS = frozenset({"hold", "carry", "wear"})


def without_object(sentence: str, text: str) -> list[AnyClaim]:
    """'she is without her umbrella': denies holding, carrying or wearing it (a named object, not a part)."""
    m = _WITHOUT.search(text) if "without " in text or " no " in text else None
    if m is None or not said_of_person(TOKEN.findall(text[: m.start()])):
        return []
    after = TOKEN.findall(m.group(1) or "")
    if m.group(2) is not None:
        after = ["a", *TOKEN.findall(m.group(2))]  # "has no umbrella": the thing right after "no"
    if after[:1] and after[0] in ("a", "an", "the", "his", "her", "their", "any"):
        objects = object_after(after, 0, allow_prep=False)
        if objects:
            return [VerbClaim(sentence, "hold", objects, _HAVE_VERBS, False, True)]
    return []


def kneeling(sentence: str, text: str) -> list[AnyClaim]:
    """'kneeling on the chair': the knees are on it, so the feet do not stand on it nor the hip sit on it."""
    m = _KNEEL.search(text) if "kneel" in text else None
    if m is None or not said_of_person(TOKEN.findall(text[: m.start()])):
        return []
    objects = object_after(TOKEN.findall(m.group(1)), 0, allow_prep=False)
    if not objects:
        return []
    hip = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
    return [StateClaim(sentence, _FEET, frozenset({"stand on"}), objects, True),
            StateClaim(sentence, hip, frozenset({"sit on", "sit in"}), objects, True)]  # fmt: skip


_ON_GROUND = re.compile(
    r"\bstand(?:s|ing)?(?: (?:still|there|up|upright|alone|firmly|back))? on (?:the )?"
    r"(?:(?:wet|dry|bare|solid|firm|hard) )?"
    r"(ground|pavement|sidewalk|road|street|tarmac|asphalt|grass|dirt|gravel|concrete|curb|kerb|dock|pier)\b"
)


_PLACED = re.compile(r"\b(?:beside|next to|by|near|behind|alongside|in front of|at)\b")


def ground_stance(sentence: str, text: str) -> list[AnyClaim]:
    """'stands on the ground beside the tailgate': the feet stand on the ground, so not on the object."""
    m = _ON_GROUND.search(text) if "stand" in text else None
    if m is None or not said_of_person(TOKEN.findall(text[: m.start()])):
        return []
    if _PLACED.search(text, m.end()):
        return []  # "stands on the pavement next to the truck": the beside rule says it, once
    return [StateClaim(sentence, _FEET, frozenset({"stand on", "tread on"}), None, True)]


def posture_claims(sentence: str, tokens: list[str]) -> list[AnyClaim]:
    """'standing in the aisle', 'on foot': the person stands, so the hip sits on nothing.

    A claim that the hip is not in a sitting state; it contradicts only a hip HAKE has sit.
    """
    for i, tok in enumerate(tokens):
        on_foot = tok == "foot" and i > 0 and tokens[i - 1] == "on"
        on_foot |= tok == "feet" and tokens[max(0, i - 2) : i] in _ON_OWN  # "he is (back) on his feet"
        if not (tok in _STANDING or on_foot):
            continue
        if i > 0 and (tokens[i - 1] in DETERMINERS or tokens[i - 1] == "to") and not on_foot:
            continue  # "the stands", "a fruit stand", "ready to stand"
        cut = i - 1 - (tok == "feet") - (tokens[i - 2 : i - 1] == ["to"])  # "he gets to his feet": he
        if not person_head(tokens[:cut] if on_foot else _subject_of(tokens, i)):
            continue  # "a lamp stands on the table", "one man stands near the door"
        hedged = i >= 3 and tokens[i - 3] in _HEDGES and tokens[i - 2 : i] == ["to", "be"]  # "seems to be standing"
        window = tokens[max(0, i - 4) : i - 3] if hedged else tokens[max(0, i - 4) : max(0, i - 1)]
        if tok == "feet":
            window = tokens[max(0, i - 5) : i - 2]  # "he gets to his feet": not the "to" of the place
        if any(t.endswith("ing") or t in ("to", "at", "with") for t in window):
            continue  # "listening to an instructor standing ...": the participle is the instructor's
        hip = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
        return [StateClaim(sentence, hip, _SITTING_STATES, None, True)]
    return seated(sentence, tokens)


_NOT = frozenset({"not", "n't", "never", "no", "longer", "yet"})
_HEDGES = frozenset({"seems", "seem", "seemed", "appears", "appear", "appeared"})
_ON_OWN = (["on", "his"], ["on", "her"], ["on", "their"], ["to", "his"], ["to", "her"], ["to", "their"])
_SEATED = frozenset({"seated", "sitting", "sits", "sat"})
_STILL = frozenset({"still", "quietly", "idle", "idly", "around", "back"})  # "isn't sitting still": seated
_SPOTS = frozenset({"back", "front", "middle", "rear", "aisle", "window", "corner", "end"})


def seated(sentence: str, tokens: list[str]) -> list[AnyClaim]:
    """'Passenger seated', 'she sits quietly, reading': the hip sits on what one sits on or rides.

    Only with no seat named after it ("sitting on a bench" is the verb's, with its object), and said
    of the things HICO has people sit on or ride (a bus, a horse; not a book she reads sitting).
    """
    for i, tok in enumerate(tokens):
        if tok not in _SEATED or (i > 0 and tokens[i - 1] in DETERMINERS):
            continue
        k = i + 1
        while k < len(tokens) and (tokens[k].endswith("ly") or tokens[k] in ("down", "still", "upright", "up", "yet")):
            k += 1
        place = tokens[k : k + 3]
        if place[:1] in (["in"], ["at"]) and place[1:2] == ["the"] and place[2:] and place[2] in _SPOTS:
            k = len(tokens)  # "seated at the back of the bus", "sitting in the front": a spot, no seat
        if k < len(tokens) and tokens[k] not in ("and", "with", "as", "while", "near", "by", "behind", "beside"):
            return []  # "sitting on a bench", "seated at the table": a seat of its own
        subject = [t for t in _subject_of(tokens, i) if t not in _NOT and not t.endswith("n't")]  # "he is not"
        if not person_head(subject) and not (i == 1 and tokens[0] in object_surfaces()):
            return []
        hip = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
        negated = negated_at(tokens, i) and not _STILL.intersection(tokens[i + 1 : i + 3])
        if negated and intended(tokens, i):
            return []  # "not about to sit down"
        seats = _seats()
        if k < len(tokens) and tokens[k] in _BY_PLACES:  # "sits beside a young student": on a seat by the student
            at = k + 2 if tokens[k + 1 : k + 2] == ["to"] else k + 1
            if _SPOTS.isdisjoint(tokens[at : at + 2]):  # not "seated near the back of the bus": a spot in it
                seats = seats - (object_after(tokens, at, allow_prep=False) or frozenset())
        return [StateClaim(sentence, hip, frozenset({"sit on", "sit in"}), None, negated, implicit=seats)]
    return []


_BY_PLACES = frozenset({"near", "by", "behind", "beside", "next"})


def _seats() -> frozenset[str]:
    from hoiscribe.hoi_text.phrases import verb_table

    table = verb_table()
    return frozenset(table["sit_on"]["objects"]) | frozenset(table["ride"]["objects"])


_NO_HANDS = re.compile(
    r"\b(?:with )?no hands\b|\bno[- ]handed\b|\bwithout (?:using )?(?:his |her |their )?hands\b(?! on| in| around)"
)
_FOLDED = re.compile(
    r"\b(?:arms|hands) (?:are |were |now |tightly |loosely )*(?:folded|crossed)\b"
    r"(?:(?= (?:over|across) (?:his |her |their )?(?:chest|body|belly|stomach|front)\b)|(?! over| around| on))"
    r"|\b(?:folded|crossed) (?:his |her |their )?arms\b"
)
_BOTH_HANDS = PartRef("hand", ("left", "right"), "both", "hands", "subject", 0, 0)
# the hands busy with each other: "claps his hands", "rubs her hands together", "wringing their hands"
_CLAPS = re.compile(
    r"\b(?:claps?|clapping|clapped|rubs?|rubbing|rubbed|wrings?|wringing|wrung) (?:his|her|their) hands\b"
    r"(?! (?:on|over|against|along|across|with|around|on) )"
)


def hands_free(sentence: str, text: str) -> list[AnyClaim]:
    """'rides with no hands', 'arms folded': neither hand does anything with the object.

    Folded or crossed arms hold the hands against the body, so the hands are idle too (the arms'
    own idle phrase is read with the arm's states).
    """
    m = (_NO_HANDS.search(text) or _CLAPS.search(text) if "hand" in text else None) or (
        _FOLDED.search(text) if "folded" in text or "crossed" in text else None
    )
    before = TOKEN.findall(text[: m.start()]) if m is not None else []
    if m is None or other_subject(before):
        return []
    if m.re is _CLAPS and negated_at([*before, "clap"], len(before)):
        return []  # "he doesn't clap his hands"
    return [StateClaim(sentence, _BOTH_HANDS, frozenset({"no_interaction"}), None)]


_EMPTY_SEAT = re.compile(
    r"\b(?:the|his|her|their) ((?:[a-z]+ )?[a-z]+) (?:is|was|stands|sits|remains|stays|lies|looks) "
    r"(?:now |still |completely |totally |entirely )?(?:empty|unoccupied|vacant)\b"
)


def empty_seat(sentence: str, text: str) -> list[AnyClaim]:
    """'the chair is empty', 'his saddle remains vacant': nobody sits on it, so the person's hip does not.

    Only the definite noun right before the verb ("the chair next to him is empty" is another chair)."""
    m = _EMPTY_SEAT.search(text) if "empty" in text or "vacant" in text or "unoccupied" in text else None
    if m is None:
        return []
    objects = object_after(TOKEN.findall(m.group(1)), 0, allow_prep=False)
    if not objects or "person" in objects:
        return []
    return [StateClaim(sentence, _HIP, _SITTING_STATES, objects, True)]


_PASSENGER = re.compile(
    r"\b(?:in|from) the (?:front )?(?:passenger|back|rear) seats?\b|\b(?:as|is|was) (?:just |only )?a passenger\b"
)
_OUTSIDE = re.compile(r"\b(?:is|are|stands|standing|waits|waiting|stays|remains) (?:just )?outside (?:of )?(.*)")


def passenger_or_outside(sentence: str, text: str) -> list[AnyClaim]:
    """'sits in the passenger seat', 'is just a passenger': he does not drive; 'is outside the car': the hip
    is not in it. Said of the person only."""
    out: list[AnyClaim] = []
    m = _PASSENGER.search(text) if "passenger" in text or "seat" in text else None
    before = TOKEN.findall(text[: m.start()]) if m else []
    if m and said_of_person(before) and not negated_at([*before, "x"], len(before)):  # not "is not a passenger"
        out.append(VerbClaim(sentence, "drive", None, frozenset({"drive"}), True, True))
    o = _OUTSIDE.search(text) if "outside" in text else None
    if o and said_of_person(TOKEN.findall(text[: o.start()])):
        objects = object_after(TOKEN.findall(o.group(1)), 0, allow_prep=False)
        if objects:
            out.append(StateClaim(sentence, _HIP, _SITTING_STATES, objects, True))
    return out
