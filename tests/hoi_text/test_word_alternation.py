"""WordAlternation gives exactly the matches of the regex alternation it stands in for."""

from __future__ import annotations

import itertools
import re

import pytest

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import object_re, object_surfaces
from hoiscribe.hoi_text.clause_objects import near_re
from hoiscribe.hoi_text.word_alternation import WordAlternation

_STRINGS = (
    "a man rides a horse past the hot dog stand",
    "her blow-dryer and his blow dryer lie on the dryer's lid",
    "the cellphones, a cell phone's case; phone-cases",
    "dogs dog dogged hotdog hot dogs",
    "Umbrella umbrella_stand umbrellas2 umbrella",
    "the skateboarder's skateboard and a skate board",
    "can of beers can of beer cans",
    "",
    "  ",
    "tie ties tied necktie a tie-rack",
    "the cat's cats catalogue, a cat",
    "motorbike motor bike dirt bike bike",
)


def _regex(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


def _as_tuple(m: object) -> tuple[str, int, int] | None:
    return None if m is None else (m.group(1), m.start(), m.end())  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["objects", "near misses"])
def test_same_matches_as_the_regex(which: str) -> None:
    names = list(object_surfaces()) if which == "objects" else list(phrases.near_miss_table())
    rx, alt = _regex(names), (object_re() if which == "objects" else near_re())
    strings = [*_STRINGS, *names[:200], *(f"the {a} and {b}s" for a, b in itertools.pairwise(names))]
    for s in strings:
        assert [_as_tuple(m) for m in alt.finditer(s)] == [_as_tuple(m) for m in rx.finditer(s)]
        assert _as_tuple(alt.match(s)) == _as_tuple(rx.match(s))
        assert _as_tuple(alt.search(s)) == _as_tuple(rx.search(s))
        assert _as_tuple(alt.fullmatch(s)) == _as_tuple(rx.fullmatch(s))


def test_longest_name_first_and_boundaries() -> None:
    alt = WordAlternation(["hot", "hot dog", "dog"])
    assert [m.group(1) for m in alt.finditer("a hot dog, hot dogs, a hotdog")] == ["hot dog", "hot"]
    assert alt.match("hot dog stand").end() == len("hot dog")
    assert alt.fullmatch("hot dog") is not None and alt.fullmatch("hot do") is None


def test_names_must_start_and_end_with_a_word_character() -> None:
    with pytest.raises(ValueError):
        WordAlternation(["ok", "-dash"])
