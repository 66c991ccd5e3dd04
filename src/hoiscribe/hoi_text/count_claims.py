"""Person counts in a text: lower bounds ("two people", "a crowd"), "alone", and upper bounds ("only two").

Why its own module: counts follow their own evidence rule. An annotation count is a lower
bound (HICO-DET annotates some people, not all), so "two people" is never false; only what
the annotation makes certain can be: "alone" / "nobody else", or an upper bound ("just two
friends", "only a handful", "about ten passengers") below the number of annotated people.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.claim_types import AnyClaim, CountClaim
from hoiscribe.hoi_text.claim_words import AT_LEAST_WORDS, NUMBER_WORDS, PEOPLE_NOUNS, object_surfaces

_BOUNDS = {"only": 1.0, "just": 1.0, "exactly": 1.0, "nearly": 1.0, "almost": 1.0, "about": 2.0, "around": 2.0,
           "roughly": 2.0, "approximately": 2.0}  # fmt: skip  # how far above its number a bounded count may be
_COUNT_RE = re.compile(
    r"\b(?:(?P<bound>" + "|".join(_BOUNDS) + r") )?"
    r"(?P<n>" + "|".join(sorted({*NUMBER_WORDS, *AT_LEAST_WORDS} - {"one"}, key=len, reverse=True)) + r"|\d+)"
    r"\s+(?P<extra>other\s+|more\s+|different\s+|young\s+|adult\s+)?(?:" + "|".join(PEOPLE_NOUNS) + r")\b"
)
_ALONE_RE = re.compile(
    r"\b(only one (?:person|man|woman|child)|the only (?:person|one)|no one else|nobody else|no other (?:people|person)"
    r"|(?<!not )(?<!never )(?<!hand )alone|no one else|nobody else|by (?:him|her)self"
    r"|on (?:his|her) own(?= *(?:[,.;:!?)]|$| (?:in|at|on|with|and|or|but|while|as|to|for|by|near|along|across"
    r"|through|into|down|up|again|now|today|here|there|this|that|the|a|an)\b))"
    r"|(?:a|the) (?:single|lone|solitary|sole) (?:person|man|woman|rider|skier|surfer|player|figure|guest|sailor"
    r"|customer|diner|passenger|worker|child|boy|girl|kid)|the only (?:guest|one|customer|diner|man|woman|rider))\b"
)
_ANOTHER_RE = re.compile(r"\banother (person|man|woman|child|kid|boy|girl|player)\b")

_HANDFUL = re.compile(r"\b(?:only|just) (?:a handful|a few|a couple) of (?:" + "|".join(PEOPLE_NOUNS) + r")\b")


_JUST_OF = re.compile(r"\b(?:only|just) (?:the )?(two|three|four|five|six) of (?:them|us)\b")
_LONE = re.compile(r"\b(?:lone|solitary|sole|single) ([a-z]+)\b")
_ONLY_ROLE = re.compile(r"\b(the only ([a-z]+))\b")  # "the only cyclist on the road": an activity noun
# a word every match of _ALONE_RE or _LONE holds ("alone" holds "lone", "on his own" " own"): without one, no match
_ALONE_HINTS = ("only", "no one", "nobody", "no other", "lone", "self", " own", "single", "solitary", "sole")


def _lone_person(low: str) -> bool:
    """'lone biker', 'a solitary hiker': a person noun (or a role noun) after lone / solitary."""
    from hoiscribe.hoi_text.person_words import age, gender
    from hoiscribe.hoi_text.subjects import is_person_noun

    if any(is_person_noun(m.group(1), "a") for m in _LONE.finditer(low)):
        return True
    return any(  # an activity noun, not "the only woman / child" (the others may be men or adults)
        is_person_noun(w := m.group(2), "a") and age(w) is None and gender(w) is None and not _thing_alone(low, m)
        for m in _ONLY_ROLE.finditer(low)
    )


_COPULAS = frozenset({"is", "was", "remains", "seems", "looks"})


_RESTRICTED = re.compile(r" (?:who|that|wearing|dressed)\b")


def _thing_alone(low: str, m: re.Match[str]) -> bool:
    """'the truck is not the only one here', 'the kite is the only one in the sky': a thing's count, or a
    denial of being alone (a lower bound that no annotation refutes), not the person alone; 'the only
    person wearing a hat', 'the only one who ...': the only one of some kind, others besides."""
    if not m.group(1).startswith("the only"):
        return False
    if _RESTRICTED.match(low, m.end()):
        return True
    before = low[max(0, m.start() - 40) : m.start()]
    if before.endswith(("not ", "n't ")):
        return True
    words = re.findall(r"[a-z]+", before)[-3:]
    if words[-1:] == ["not"]:
        words = words[:-1]
    surfaces = object_surfaces()  # the subject right before the copula: "the truck is the only one"
    return len(words) >= 2 and words[-1] in _COPULAS and words[-2] in surfaces and "person" not in surfaces[words[-2]]


def count_claims(sentence: str, low: str) -> list[AnyClaim]:
    """Every count said in a sentence (lower-cased ``low``), with its bounds."""
    out: list[AnyClaim] = []
    counted = any(noun in low for noun in PEOPLE_NOUNS)  # what a count and a handful end on
    for m in _COUNT_RE.finditer(low) if counted else ():
        word, extra, bound = m.group("n"), (m.group("extra") or "").strip(), m.group("bound")
        if word.isdigit():
            n, at_least = int(word), False
        elif word in AT_LEAST_WORDS:
            n, at_least = AT_LEAST_WORDS[word], True
        else:
            n, at_least = NUMBER_WORDS[word], False
        if extra in ("other", "more"):
            n += 1  # "two other people" besides the subject
        at_most = int(n * _BOUNDS[bound]) if bound and not at_least else None
        out.append(CountClaim(sentence, n, at_least, at_most=at_most))
    if "of " in low and (m := _JUST_OF.search(low)):  # "just the two of them": nobody else
        n = NUMBER_WORDS[m.group(1)]
        out.append(CountClaim(sentence, n, False, at_most=n))
    if counted and _HANDFUL.search(low):
        out.append(CountClaim(sentence, 2, True, at_most=6))
    if any(hint in low for hint in _ALONE_HINTS) and (
        ((m := _ALONE_RE.search(low)) and not _thing_alone(low, m)) or _lone_person(low)
    ):
        out.append(CountClaim(sentence, 1, False))
    if "another" in low and _ANOTHER_RE.search(low):
        out.append(CountClaim(sentence, 2, True))
    return out
