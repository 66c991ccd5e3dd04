"""Which verb words of a clause are the person's acts: nouns that look like verbs, another instance of a thing,
denials about others, and the person aboard a near miss.

Why apart from :mod:`hoiscribe.hoi_text.person_claims`: each is a test on the words around a verb (or a place)
that decides whether it says anything of the person and the pair's object, not a claim of its own.
"""

from __future__ import annotations

from functools import cache

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import DETERMINERS, PREPOSITIONS, object_surfaces
from hoiscribe.hoi_text.clause_objects import NEAR, object_after, other_subject, person_head

ABOARD = frozenset({"ride", "sit_on", "stand_on"})
_ABOARD_PREPS = frozenset({"on", "aboard", "astride", "atop"})


@cache
def _near_starts() -> frozenset[str]:
    """The words a near miss ends on ('bike' of 'quad bike', 'skates'): one must be in the clause."""
    return frozenset(phrase.split()[-1] for phrase in phrases.near_miss_table())


def _person_first(before: list[str]) -> bool:
    """The words before a place open on the person ('he glides along', 'a man', or none)."""
    return not before or person_head(before[:1]) or person_head(before[:2]) or person_head(before[:3])


def aboard_near_miss(tokens: list[str]) -> frozenset[str] | None:
    """'a man on a quad bike', 'he is on a go-kart': the person is on a near miss (only when every thing named
    there is one); a thing's or someone else's place ('a dog on a sled') is not the person's."""
    if _near_starts().isdisjoint(tokens):
        return None  # no near miss named (the fast path)
    for k, tok in enumerate(tokens):
        if tok not in _ABOARD_PREPS or tokens[k + 1 : k + 2] in ([], ["the"], ["it"]):
            continue  # "on a quad bike", "on roller skates"; not "on the ..." (a place of the scene)
        found = object_after(tokens, k + 1, allow_prep=False)
        if found and all(o.startswith(NEAR) for o in found) and not phrases.negated_at(tokens, k):
            before = tokens[:k]
            surfaces = object_surfaces()
            thing = any(w in surfaces and "person" not in surfaces[w] for w in before)  # "a dog runs on a sled"
            return None if thing or other_subject(before) or not _person_first(before) else found
    return None


_INSTANCE = frozenset({"another", "other", "second", "spare"})
_AWAY = (["in", "the", "background"], ["in", "the", "distance"], ["further", "away"], ["far", "away"])
_AWAY_WORDS = frozenset({"background", "distance", "away"})


def another_thing(before: list[str]) -> bool:
    """'the motorcycle in the background is not being used', 'another kite is ...': the subject is another
    instance of a thing, not the pair's object the person acts on."""
    if not 1 < len(before) < 12 or before[0] not in ("the", "a", "an", "another"):
        return False
    if _INSTANCE.isdisjoint(before) and _AWAY_WORDS.isdisjoint(before):
        return False  # no word of another instance (the fast path)
    surfaces = object_surfaces()
    for k, w in enumerate(before[:4]):
        if w in surfaces and "person" not in surfaces[w]:
            end = k + 1
            while end < len(before) and before[end] in surfaces:
                end += 1  # "the baseball bat": the head noun is the last name
            return _INSTANCE.intersection(before[:k]) != set() or before[end : end + 3] in _AWAY
    return False


_OTHERS = frozenset({"else", "others", "other"})


def by_others(after: list[str]) -> bool:
    """'(not used) by anyone else', 'by the others': a passive whose agent is other people."""
    return any(after[k] == "by" and _OTHERS.intersection(after[k + 1 : k + 4]) for k in range(len(after)))


def noun_after_word(tokens: list[str], i: int) -> bool:
    """A bare verb word right after a preposition (not 'to') or an article is a noun: 'of water', 'a ride'."""
    if i == 0 or tokens[i].endswith(("ing", "ed")):
        return False  # "without touching it", "with his arms folded"
    prev = tokens[i - 1]
    return (prev in PREPOSITIONS and prev not in ("to", "about", "off", "over", "past", "by", "like")) or prev in (
        "a", "an", "the"
    )  # fmt: skip


def noun_before_of(tokens: list[str], vm: phrases.Match) -> bool:
    """'Row of bikes', 'a ride of ...': a one-word verb opening the clause (or after an article) before 'of'."""
    return (
        vm.end - vm.start == 1
        and tokens[vm.end : vm.end + 1] == ["of"]
        and (vm.start == 0 or tokens[vm.start - 1] in DETERMINERS)
        and not tokens[vm.start].endswith(("ing", "ed"))
    )
