"""English word forms for verbs, part states and object names.

Shared by the grounded writer (which phrases facts) and the grounding checker (which finds
the same phrases in any text), so both agree on what a verb looks like in a sentence.
"""

from __future__ import annotations

from functools import cache

_GERUND_EXCEPTIONS = {
    "lie": "lying",
    "tie": "tying",
    "die": "dying",
    "be": "being",
    "see": "seeing",
    "exit": "exiting",
    "open": "opening",
    "visit": "visiting",
    "control": "controlling",
    "lasso": "lassoing",
    "text": "texting",
    "board": "boarding",
    "shoulder": "shouldering",
    "gesture": "gesturing",
}
_VOWELS = set("aeiou")
_PLURAL_OBJECTS = {"skis": "a pair of skis", "scissors": "a pair of scissors"}


@cache
def gerund(verb: str) -> str:
    """'ride' -> 'riding', 'sit' -> 'sitting', 'tie' -> 'tying'; only the first word changes."""
    head, _, rest = verb.replace("_", " ").partition(" ")
    word = _GERUND_EXCEPTIONS.get(head) or _gerund_word(head)
    return f"{word} {rest}" if rest else word


def _gerund_word(w: str) -> str:
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith("ee") or w.endswith("ye") or w.endswith("oe"):
        return w + "ing"
    if w.endswith("e") and len(w) > 2:
        return w[:-1] + "ing"
    vowel_groups = sum(1 for i, c in enumerate(w) if c in _VOWELS and (i == 0 or w[i - 1] not in _VOWELS))
    if (
        vowel_groups == 1
        and len(w) >= 3
        and w[-1] not in _VOWELS | set("wxy")
        and w[-2] in _VOWELS
        and w[-3] not in _VOWELS
    ):
        return w + w[-1] + "ing"
    return w + "ing"


def object_text(name: str) -> str:
    """'dining_table' -> 'dining table'."""
    return name.replace("_", " ")


def indefinite(name: str) -> str:
    """'a bicycle', 'an apple', 'a pair of skis'."""
    text = object_text(name)
    if text in _PLURAL_OBJECTS:
        return _PLURAL_OBJECTS[text]
    return ("an " if text[0] in _VOWELS else "a ") + text


def definite(name: str) -> str:
    return "the " + object_text(name)


@cache
def state_predicate(state: str, obj: str | None) -> str:
    """Progressive predicate of a HAKE part state, e.g. 'holding the cup', 'close to the bench'.

    ``obj`` is the object name of the pair, or None for pose-only samples.
    """
    the_obj = definite(obj) if obj else "something"
    special = {
        "raise(over head)": f"raising {the_obj} over the head",
        "shoulder carry": f"carrying {the_obj} on the shoulder",
        "hold in both hands": f"holding {the_obj} in both hands",
        "put something over head": f"putting {the_obj} over the head",
        "use something to point to": f"using {the_obj} to point",
        "jump down": "jumping down",
    }
    if state in special:
        return special[state]
    if state.startswith(("be ", "is ")):
        return state.split(" ", 1)[1].replace("close with", "close to") + f" {the_obj}"
    if "something" in state:
        return gerund(state).replace("something", the_obj)
    if state.endswith(" away"):
        return f"{gerund(state)} from {the_obj}"
    return f"{gerund(state)} {the_obj}"


@cache
def state_keyword(state: str) -> str:
    """The word that signals a state in free text ('holding' for hold, 'close' for be close to)."""
    if state == "raise(over head)":
        return "raising"
    if state == "shoulder carry":
        return "carrying"
    if state.startswith(("be ", "is ")):
        return "close"
    return gerund(state).split(" ")[0]
