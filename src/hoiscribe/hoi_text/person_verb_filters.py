"""Tests on the words around a verb of a person-level clause: whether the verb is the person's, is denied
after its object, or is a caption's subject noun.

Why apart from :mod:`hoiscribe.hoi_text.person_claims`: each reads only the tokens around one verb match
('pays it no attention', "Cook cutting a pizza", 'looks at a child sitting ...'), none builds a claim.
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases

_HEED = frozenset({"attention", "heed", "notice", "mind", "regard"})


def no_heed(after: list[str]) -> bool:
    """'pays the skateboard no attention', 'gives it no notice': the verb is denied after its object."""
    return any(after[k] == "no" and after[k + 1] in _HEED for k in range(min(5, len(after) - 1)))


def noun_before_participle(tokens: list[str], vm: phrases.Match) -> bool:
    """A bare verb word opening a clause right before a participle is the caption's subject noun:
    "Cook cutting a pizza", "Skater jumping his board"."""
    return (
        vm.start == 0
        and vm.end == 1
        and not tokens[0].endswith(("ing", "ed", "s"))
        and (len(tokens) > 1 and tokens[1].endswith("ing"))
    )


# words before a person the subject attends to or is placed by ("looks at a child sitting ...", "beside a
# woman holding ..."); not the presentational "shows / there is a man riding ...", where he is the person
_ATTEND = frozenset({"at", "watches", "watching", "watched", "helps", "helping", "follows", "following", "passes",
                     "passing", "beside", "behind", "near", "past", "toward", "towards", "joins",
                     "joining", "greets", "greeting", "hugs", "hugging", "approaches", "approaching"})  # fmt: skip
_OTHER_DETS = frozenset({"a", "an", "the", "another", "his", "her", "their", "some", "two", "three", "several"})


def others_participle(tokens: list[str], i: int) -> bool:
    """'He looks at a child sitting on a bench', 'walks beside a woman holding a cup': the participle
    right after a person the subject attends to is that person's doing, not the subject's."""
    if i < 3 or not tokens[i].endswith("ing"):
        return False
    from hoiscribe.hoi_text.subjects import is_person_noun

    for j in range(i - 2, max(0, i - 4), -1):  # the determiner, up to one modifier before the noun
        if tokens[j] in _OTHER_DETS:
            noun = tokens[i - 1]
            plural = noun[:-1] if noun.endswith("s") else noun
            return tokens[j - 1] in _ATTEND and (is_person_noun(noun, "a") or is_person_noun(plural, "a"))
    return False
