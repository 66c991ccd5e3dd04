"""Hand, head, leg and hip states said of the whole person: 'without touching it', 'looking away from it',
'riding sidesaddle', 'rising out of the saddle', 'he is dozing off'.

Why apart from :mod:`hoiscribe.hoi_text.person_claims`: that module reads the person's verbs and the hands
a clause names as instruments; this one reads the part states the clause says of the person with no part named.
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, StateClaim
from hoiscribe.hoi_text.clause_checks import thing_subject
from hoiscribe.hoi_text.clause_objects import object_after, other_subject, part_object
from hoiscribe.hoi_text.part_preds import rather_than

PERSON_PARTS = {"hand": PartRef("hand", (None,), "either", "hand", "subject", 0, 0),
                 "head": PartRef("head", (None,), "single", "head", "subject", 0, 0),
                 "leg": PartRef("leg", ("left", "right"), "both", "legs", "subject", 0, 0),
                 "hip": PartRef("hip", (None,), "single", "hip", "subject", 0, 0)}  # fmt: skip


def person_states(
    sentence: str, tokens: list[str], out: list[AnyClaim], verbs: set[int], head_only: bool = False
) -> None:
    """'without touching it', 'looking away from it': a hand or head state said of the person.

    ``head_only`` when the clause names a hand as an instrument: its states are the instrument's.
    ``verbs``: where the clause's HICO verbs start (a verb there is the person's verb, not a state).
    """
    words = set(tokens)
    for group, ref in PERSON_PARTS.items():
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
                elif m.opposed and m.negated and (part_object(after) or object_after(after, 0, True)):
                    out.append(StateClaim(sentence, ref, states, object_after(after, 0, allow_prep=True), True))
                continue  # "rising from the bench": an opposite of sitting, the hip not on it
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
                object_after(after, 0, allow_prep=True) is not None
                or part_object(after)
                or group == "leg"
                or (group == "head" and m.opposed and not _ASLEEP.isdisjoint(tokens[m.start : m.end]))
            ):  # "riding sidesaddle (on the seat)", "he is dozing off": these opposites need no object named
                out.append(StateClaim(sentence, ref, states, object_after(after, 0, allow_prep=True), True))
            elif group == "head" and not m.negated and (instead := rather_than(after[:10])) is not None:
                out.append(StateClaim(sentence, ref, states, instead, True))  # "gazes out instead of at his cup"


_ASLEEP = frozenset({"doze", "dozes", "dozing", "dozed", "sleep", "sleeps", "sleeping", "slept", "asleep", "nap",
                     "naps", "napping", "napped", "nod", "nods", "nodding", "nodded"})  # fmt: skip
