"""Who is in focus besides the annotated person: the other people a text names, recorded on the discourse,
and whether a subject pronoun ('he', 'she') or a possessive ('his left hand') is the person's or theirs.

Why apart from :mod:`hoiscribe.hoi_text.subjects`: these read and update only the discourse's record of the
other people (their genders, whether one is in the current sentence); the noun phrase is the caller's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hoiscribe.hoi_text.person_words import gender

if TYPE_CHECKING:
    from hoiscribe.hoi_text.subjects import Discourse


_GROUPS = frozenset({"people", "men", "women", "children", "crowd", "group", "family", "couple", "team", "pair",
                     "someone", "anyone", "everyone"})  # fmt: skip


def _someone(noun: str, disc: Discourse, plural: bool = False) -> bool:
    """Record another person in focus ("the other man" too: the person's own noun, someone else)."""
    disc.other_plural = plural or noun in _GROUPS or (noun.endswith("s") and not noun.endswith("ss"))
    if noun and noun != disc.main:
        disc.others.add(noun)
    disc.other_gender = gender(noun) if noun else disc.other_gender  # the latest other person's, if it says
    disc.genders_named.add(gender(noun) or "")
    disc.other_here = True
    return True


def _pronoun(word: str, disc: Discourse) -> bool | None:
    """'he' / 'she' as a subject: someone else when of the other gender, else the person (None: inherit)."""
    sex = gender(word)
    if disc.gender is not None and sex != disc.gender and (sex in disc.genders_named or disc.genderless_named):
        return True  # "he" when the text is about a woman and has named a man (or "her partner")
    if disc.other_here and disc.other_gender in (None, sex) and not disc.other_plural:
        return None  # "her friend holds a cup, but she is not drinking": the nearest person, the friend
    return False


def _possessive(owner: str, disc: Discourse) -> bool | None:
    """'his left hand': someone else's when 'his' is not the person's gender; the person's otherwise.

    None (the last subject's) when the sentence has just named another person of the same gender,
    or of no known gender: "his friend walks beside him; his hands are in his pockets".
    """
    sex = gender(owner) if owner in ("his", "her") else None
    if sex is not None and disc.gender is not None and sex != disc.gender and sex in disc.genders_named:
        return True  # a pronoun that fits no one else named is the person's, whatever its gender
    if sex is not None and disc.other_gender is not None and disc.other_gender != sex:
        return False
    return None
