"""Age and family nouns said of animals: 'between the two adults', 'the calf next to its mother', 'the smallest of
the babies' name the referent's own kind when the referent is an animal, not people.

The lexicon files 'adult', 'baby', 'mother' under person, so for an elephant they were read as people (a count of
the people in the image, a landmark of the wrong kind: false flags). ``spatial_parse`` and ``spatial_counts`` swap
in these forms once the referent is known to be an animal.
"""

from __future__ import annotations

from functools import lru_cache

from hoiscribe.expressions.spatial_words import global_forms

_AGE = ("adult", "adults", "baby", "babies", "infant", "infants", "youngster", "youngsters", "juvenile", "juveniles",
        "mother", "mothers", "parent", "parents", "mom", "moms", "mum", "mums", "father", "fathers", "dad", "dads",
        "grown-up", "grown-ups", "grownup", "grownups")  # fmt: skip


@lru_cache(maxsize=1024)
def _animals(referent: frozenset[str] | str | None) -> frozenset[str]:
    """The animal kinds the referent noun names ('the baby elephant' also names a person through 'baby': dropped),
    or nothing when it names any other kind."""
    names = frozenset({referent}) if isinstance(referent, str) else frozenset(referent or ())
    rest = names - {"person"}
    return rest if rest and rest <= global_forms().get(("animal",), frozenset()) else frozenset()


def aged_forms(
    forms: dict[tuple[str, ...], frozenset[str]], referent: frozenset[str] | str | None
) -> dict[tuple[str, ...], frozenset[str]]:
    """``forms`` with the age nouns naming the referent's kind when it is an animal; ``forms`` itself otherwise."""
    names = _animals(referent)
    return {**forms, **{(w,): names for w in _AGE}} if names else forms
