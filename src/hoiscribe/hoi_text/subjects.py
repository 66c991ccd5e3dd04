"""Who a clause is about: the annotated person, or someone else named in a longer description.

Why: paragraph-style prose describes several people ("Another woman, on the left, raises her
left hand", "Her friend holds a cup in her left hand", "Across the room, a man washes a
cup"). The annotated person is the first person the text names (its main noun, "a woman");
a clause whose leading noun phrase is another person is no claim about them, and the clauses
that follow it in the same sentence without a subject of their own are about that person too.
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import PART_WORDS, object_surfaces, state_words

_BE = frozenset({"is", "are", "was", "were", "has", "have", "seems", "appears", "can", "looks"})
_PRONOUNS = frozenset({"he", "she", "i", "someone", "somebody", "person"})
_POSSESSIVE = frozenset({"his", "her", "their", "its"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some"})
_STOPS = frozenset({"and", "or", "while", "with", "who", "that", "which"})
_DETERMINERS = frozenset({"a", "an", "the", "one", "another", "his", "her", "their", "this", "that"})
# words that make a noun phrase someone other than the annotated person; plural groups ("four friends",
# "people") may include the person and are left to the verb-level check
_ELSE = frozenset({"another", "other", "others", "else", "second", "third", "spectators", "onlookers",
                   "audience", "bystanders", "passersby", "fans", "crowd"})  # fmt: skip


def is_person_noun(word: str, before: str = "") -> bool:
    """A noun for a person: the lexicon's, or a role noun ('driver', 'cyclist') right after a determiner."""
    cats = object_surfaces().get(word)
    if cats is not None:
        return "person" in cats
    role = word.endswith(("er", "or", "ist", "ian")) and len(word) > 4 and word not in PART_WORDS
    return role and before in _DETERMINERS


def main_person(tokens: list[str]) -> str | None:
    """The first person noun of the text: the annotated person ('woman' in 'In this image, a woman ...')."""
    for i, tok in enumerate(tokens[:12]):
        before = tokens[i - 1] if i > 0 else ""
        if tok in ("he", "she"):
            return None
        if is_person_noun(tok, before) and before not in _POSSESSIVE | {"another", "other"}:
            return tok
    return None


def leading_phrase(tokens: list[str]) -> list[str]:
    """The words before a clause's first verb: its subject noun phrase (empty for a verb-first clause)."""
    states = state_words()
    verbs = phrases.verb_index()
    out: list[str] = []
    for tok in tokens[:8]:
        if tok in _BE or tok in verbs or tok in _STOPS or any(tok in words for words in states.values()):
            break
        out.append(tok)
    return out


def other_person(np: list[str], main: str | None, main_seen: bool) -> bool | None:
    """True: the phrase names someone other than the annotated person; False: that person; None: no subject."""
    if not np:
        return None
    if any(w in ("he", "she") for w in np[-2:]):
        return False
    for i, w in enumerate(np):
        stem = w[:-2] if w.endswith("'s") else w
        before = np[i - 1] if i > 0 else ""
        if not is_person_noun(stem, before):
            continue
        if before in _ELSE or (before in _POSSESSIVE and stem not in ("person", "body", "own")):
            return True  # "the other man", "her friend", "his son"
        if stem == main:
            return False
        return main is not None and main_seen and before in _INDEFINITE  # "a man" after "a woman"
    if any(w in PART_WORDS for w in np):
        return False  # "her left hand", "the other hand": the person's own part
    return True if any(w in _ELSE for w in np) else None
