"""The claims the rule tier (and the extractor tier) hand to the verifier: small frozen records.

Why a module of their own: the clause reader (:mod:`hoiscribe.hoi_text.claims`), the helpers it
delegates to and the extractor all build them, and the checker judges them.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    exactly_one: bool = False  # "with one hand": one side does it and the other does not


@dataclass(frozen=True, slots=True)
class StateClaim:
    text: str
    part: PartRef
    states: frozenset[str]
    objects: frozenset[str] | None  # HICO categories named; None: no object named; empty: not an object
    negated: bool = False
    span: str = ""
    implicit: frozenset[str] | None = None  # no object named: about the pair's object only if of these kinds


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
    at_most: int | None = None  # "only two people", "about ten": the text also bounds the count from above


@dataclass(frozen=True, slots=True)
class ObjectCountClaim:
    """'a single kite', 'the only plane', 'no other bikes': at most ``at_most`` of a category, the person's
    (``scope`` "person") or in the whole image ("image")."""

    text: str
    category: str
    at_most: int
    scope: str


@dataclass(frozen=True, slots=True)
class OppositeClaim:
    """'closing the fridge': the person undoes ``opposes`` (HICO verbs) with the object named."""

    text: str
    opposes: frozenset[str]
    objects: frozenset[str] | None
    span: str = ""


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """The text names its person by the role of a HICO verb ("the driver"): if the pair's person does not
    do that verb, the text may be about someone else, and none of its claims can contradict."""

    text: str
    noun: str
    verb: str


AnyClaim = StateClaim | PoseClaim | MentionClaim | VerbClaim | CountClaim | OppositeClaim | RoleClaim | ObjectCountClaim
