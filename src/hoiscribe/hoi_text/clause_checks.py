"""Small tests over a clause's tokens that the claim reader asks: intention, a guessed future, adjective, thing subject.

Why apart: :mod:`hoiscribe.hoi_text.claims` reads clauses; these say whether a verb there is a
claim at all ("ready to throw it", "a closed book", "a dog is chasing ...") and what a hand
holds when the text names no state ("a toothbrush in his left hand").
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import DETERMINERS, NOT_ROLES, object_surfaces
from hoiscribe.hoi_text.clause_objects import object_after

_INTENT = frozenset({"ready", "about", "going", "trying", "try", "tries", "want", "wants", "wanting", "prepares",
                     "preparing", "prepared", "if", "order", "wait", "waits", "waiting", "plans", "planning",
                     "attempting", "attempts", "set", "hoping", "hopes"})  # fmt: skip


# words that make a later "to <verb>" a choice still open ("deciding which piece to lift", "unsure how to hold it")
_CHOICE = frozenset({"deciding", "decide", "decides", "wondering", "wonders", "whether", "how", "unsure",
                     "choosing", "chooses", "intends", "intending", "eager", "keen", "waiting"})  # fmt: skip


def intended(tokens: list[str], i: int) -> bool:
    """A verb after 'ready to' / 'about to' / 'as if to' / 'deciding which piece to': an intention, not a
    claim that it happens."""
    if i < 2 or tokens[i - 1] != "to":
        return False
    return tokens[i - 2] in _INTENT or not _CHOICE.isdisjoint(tokens[max(0, i - 6) : i - 1])


_MODALS = frozenset({"will", "would", "might", "may", "shall", "could", "'ll"})
_AS_IF = frozenset({"looks", "look", "seems", "seem", "appears", "appear", "as", "if", "though", "like"})
_STILL_NOW = frozenset({"be", "have", "been", "not", "also", "still", "well"})  # "he might be standing": now


def future_guess(tokens: list[str], start: int) -> bool:
    """'he might stand up soon', 'as if she would drop it', 'he will ride it later': a modal right after
    the subject with a bare verb is a guess about what comes, no claim of what is ('he might be standing',
    'he could reach the pedals' are: 'could' counts only after 'as if' / 'as though')."""
    if _MODALS.isdisjoint(tokens[: start + 8]):
        return False
    k = start
    while k < len(tokens) and tokens[k] in _AS_IF:
        k += 1  # "he looks as if he might ...": the hedge, then its own subject
    if k > start and tokens[k : k + 1] in (["he"], ["she"], ["they"], ["it"]):
        start = k + 1
    for k in range(max(0, start - 1), min(len(tokens) - 1, start + 2)):
        t = tokens[k]
        hedged = "if" in tokens[max(0, k - 4) : k] or "though" in tokens[max(0, k - 4) : k]
        if t in _MODALS and tokens[k + 1] not in _STILL_NOW and (t != "could" or hedged):
            return True
    return False


_COUNTS = frozenset({"two", "three", "four", "five", "several", "many", "some", "few", "other", "more"})


def adjective(tokens: list[str], i: int) -> bool:
    """'parked bikes', 'a closed book': a participle right before its noun describes, it does not act."""
    word, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
    prev = tokens[i - 1] if i > 0 else ""
    participle = word.endswith(("ed", "en")) or prev in DETERMINERS or prev in _COUNTS or prev.endswith("ly")
    return participle and nxt in object_surfaces()


def held(window: list[str]) -> tuple[frozenset[str] | None] | None:
    """The object (or part of it) named last before 'in his hand': what that hand holds."""
    for k in range(len(window) - 1, max(-1, len(window) - 5), -1):  # the noun just before "in"
        if window[k] in phrases.OBJECT_PARTS:
            return (None,)
        found = object_after(window, k, allow_prep=False)
        if found is not None:
            return (found,) if found else None  # "his chin in his hand": not an object
    return None


def hand_states(verbs: list[str]) -> frozenset[str]:
    out = set()
    for v in verbs:
        for key in phrases.verb_table()[v]["implies"]:
            group, _, state = key.partition(":")
            if group == "hand":
                out.add(state)
    return frozenset(out)


def thing_subject(before: list[str]) -> bool:
    """'a dog is chasing a frisbee': the verb's subject is a named non-person thing."""
    words = [w for w in before if w not in ("is", "are", "also", "was", "were")]
    if not words:
        return False
    if "of" in words[-3:-1] and words[0] != "one":  # "glasses of water cover the table": the glasses
        words = words[: len(words) - 1 - words[::-1].index("of")]
        if not words:
            return False
    cats = object_surfaces().get(words[-1])
    if cats is None or "person" in cats:
        return False
    for k, w in enumerate(words[:-1]):  # "a traveller with a backpack is ...": the thing is in a modifier
        if w in _MODIFIER_PREPS:
            head = words[:k]
            return not any(t in ("he", "she") or "person" in object_surfaces().get(t, ()) or _role(t) for t in head)
    return True


_MODIFIER_PREPS = frozenset(
    {"with", "in", "on", "from", "of", "at", "near", "beside", "carrying", "holding", "wearing"}
)


def _role(word: str) -> bool:
    return word.endswith(("er", "or", "ist", "ian")) and len(word) > 4 and word not in NOT_ROLES
