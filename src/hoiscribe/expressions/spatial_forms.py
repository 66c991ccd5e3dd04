"""Small word tests for prose the templates did not write: a superlative after an ordinal ("the second largest",
a learner's "the second most big") and "right" as an adverb ("right next to"). Kept out of ``spatial_scope`` (at its
size limit); ``spatial_parse`` asks them at a word."""

from __future__ import annotations

from hoiscribe.expressions.spatial_scope import LANDMARK_EXTREMES
from hoiscribe.expressions.spatial_words import ADVERB_RIGHT, SIZE_WORDS

__all__ = ["adverb_right", "ranked_extreme"]


def ranked_extreme(words: list[str], k: int) -> tuple[str, int] | None:
    """What an ordinal ranks by when a superlative follows it ('the second largest', 'second from top' via
    'topmost', a learner's 'second most big'), as (value, end); None otherwise."""
    if k < len(words) and words[k] in LANDMARK_EXTREMES:
        return LANDMARK_EXTREMES[words[k]], k + 1
    if words[k : k + 1] == ["most"] and words[k + 1 : k + 2] and words[k + 1] in SIZE_WORDS:
        return SIZE_WORDS[words[k + 1]], k + 2
    return None


def adverb_right(words: list[str], i: int) -> bool:
    """'right next to', 'right behind': 'right' as an adverb, not a side ('the right one', 'on the right')."""
    return words[i] == "right" and words[i + 1 : i + 2] != [] and words[i + 1] in ADVERB_RIGHT and not (
        i and words[i - 1] in ("the", "on", "to", "far"))  # fmt: skip
