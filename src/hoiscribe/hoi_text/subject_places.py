"""Subjects placed by the person, or inside a picture: 'Across the table sits her husband', 'two children walk
ahead of her', 'a boy sits next to him', 'the TV in the corner shows a man riding a bike'.

Why apart from :mod:`hoiscribe.hoi_text.subjects`: that module decides, from the subject noun phrase and the
discourse, who a clause is about; these read the clause's place words and verbs around the phrase.
"""

from __future__ import annotations

from hoiscribe.hoi_text.subject_focus import _GROUPS, _someone
from hoiscribe.hoi_text.subjects import _NEAR, Discourse, is_person_noun, leading_phrase

_INVERSION_VERBS = frozenset({"sits", "sat", "stands", "stood", "is", "are", "was", "were", "waits", "lies", "lay",
                              "walks", "rides", "kneels", "leans", "comes", "crouches", "squats", "hovers",
                              "looms", "perches"})  # fmt: skip


def inverted_subject(np: list[str], rest: list[str]) -> list[str]:
    """'Across the table sits her husband': after a place phrase and a verb of place, the subject.

    Empty unless the clause opens with a preposition and goes on with such a verb and a noun phrase.
    """
    if not np or np[0] not in _NEAR or not rest or rest[0] not in _INVERSION_VERBS:
        return []
    return leading_phrase(rest[1:])


def group_apart(np: list[str], tokens: list[str]) -> bool:
    """'Two children walk ahead of her': a counted group that the clause places by the person is others.

    A group alone ("two friends sit on a couch") may include the person and stays theirs.
    """
    if len(np) < 2 or np[-2] not in _NUMBERS or not is_person_noun(np[-1], "a"):
        return False
    rest = tokens[len(np) :]
    return any(
        (
            w in _NEAR
            and any(t in ("him", "her", "himself", "herself") for t in rest[i + 1 : i + 4])
            and rest[i + 1 : i + 2] != ["her"]
        )
        or (w in _NEAR and rest[i + 1 : i + 2] == ["her"] and i + 2 == len(rest))
        for i, w in enumerate(rest)
    )


_NUMBERS = frozenset({"two", "three", "four", "five", "several", "some", "many", "few", "other", "more"})


_BY_WORDS = frozenset({"beside", "behind", "next", "near", "alongside", "opposite", "past", "toward", "towards",
                       "watches", "watching", "helps", "helping", "joins", "follows", "following", "approaches",
                       "approaching", "ahead"})  # fmt: skip


def placed_by_person(np: list[str], rest: list[str], disc: Discourse, fronted: bool = False) -> bool:
    """'A child stands nearby', 'a boy sits next to him', 'a woman watches her': a person newly named (an
    indefinite noun, after the first sentence) whom the predicate places by the person is someone else;
    so is one after a fronted place by the person (``fronted``: "To his left, a boy sits ...")."""
    if len(np) < 2 or np[0] not in ("a", "an") or not is_person_noun(np[-1], "a") or np[-1] in _GROUPS:
        return False
    if fronted:
        return _someone(np[-1], disc)
    for i, w in enumerate(rest[:8]):
        if i > 0 and (w == "nearby" or (w in ("past", "by") and i == len(rest) - 1)):
            return _someone(np[-1], disc)  # "a child stands nearby", "a woman walks past"
        if w in _BY_WORDS:
            after = rest[i + 1 : i + 4]
            if "him" in after or "himself" in after or (after[-1:] == ["her"] or after[:2] in (["to", "her"], ["her"])):
                return _someone(np[-1], disc)
            if disc.main is not None and disc.main in after[:3] and after[:1] in (["the"], ["to"]):
                return _someone(np[-1], disc)
    return False


_DEPICTS = frozenset({"shows", "showed", "depicts", "depicted", "displays", "displayed", "features", "showing",
                      "depicting", "displaying", "featuring", "portrays", "portraying"})  # fmt: skip
_DEPICTERS = frozenset({"tv", "television", "screen", "monitor", "poster", "posters", "painting", "paintings",
                        "mural", "sign", "billboard", "banner", "advert", "advertisement", "magazine", "cover",
                        "tattoo", "shirt", "logo", "drawing", "sketch", "statue", "postcard", "calendar"})  # fmt: skip
_FRAMES = frozenset({"picture", "pictures", "photo", "photos", "photograph", "photographs", "print", "frame"})


def depicted(np: list[str], nxt: str) -> bool:
    """'The TV in the corner shows a man riding a bike', 'a poster on the wall depicts ...': a person in a
    picture inside the scene, not the annotated one (not 'The image / photo shows a man ...')."""
    words = [*np, nxt]
    at = next((i for i, w in enumerate(words) if w in _DEPICTS), 0)
    if not at:
        return False
    np = words[:at]
    if not _DEPICTERS.isdisjoint(np):
        return True
    return not _FRAMES.isdisjoint(np) and any(w in ("on", "above", "behind", "over", "in") for w in np[1:])
