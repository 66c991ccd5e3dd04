"""Ordinal phrases in free prose: which rank a phrase names and which end it counts from.

"last but one", "second-to-last", "number 3 from the left", "the fourth book down", "at either end of the
row", "two from the left": ``spatial_scope`` and ``spatial_parse`` ask here for the rank an ordinal phrase
starting at a word names, the direction it counts from, and whether it counts something other than the
referent ("the second row"). Re-exported by ``spatial_scope``.
"""

from __future__ import annotations

from hoiscribe.expressions.spatial_words import ORDINALS, SIDE_WORDS

CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10}  # fmt: skip
# an ordinal before one of these counts something else ("the second row", "first base")
ORDINAL_OTHER = frozenset(
    {"row", "rows", "shelf", "shelves", "level", "floor", "tier", "line", "column", "lane", "step", "stair", "base",
     "time", "half", "layer", "stack", "round", "page", "carriage", "wagon", "stall", "deck", "storey", "story"}
)  # fmt: skip


def cardinal_from(words: list[str], i: int) -> int:
    """The end of 'two from the left' at ``i`` (a cardinal where an ordinal is meant, or a distance), else 0."""
    if words[i] not in CARDINALS or words[i] == "one" or words[i + 1 : i + 2] != ["from"]:
        return 0
    k = i + 2 + (words[i + 2 : i + 3] == ["the"])
    return k + 1 if k < len(words) and words[k] in SIDE_WORDS else 0


def ordinal_at(words: list[str], i: int) -> tuple[int, int] | None:
    """(rank, end) of an ordinal phrase at ``i``: rank 1-based from the start, negative from the end
    ("last" -1, "second to last" / "last but one" / "second last" -2); None when there is none."""
    t = words[i]
    nxt = words[i + 1 : i + 3]
    if t == "last" and nxt and nxt[0] == "but":
        k = CARDINALS.get(words[i + 2], 0) if i + 2 < len(words) else 0
        return (-1 - k, i + 3) if k else None
    if t == "next" and nxt == ["to", "last"]:
        return -2, i + 3
    if t == "before" and (nxt == ["the", "last"] or nxt[:1] == ["last"]):  # "the one before (the) last"
        end = i + 2 if nxt[:1] == ["last"] else i + 3
        return (-2, end) if end >= len(words) or words[end] in ("one", "from", "in", "on", "of", "at") else None
    if t in ("number", "position", "place", "spot") and i + 1 < len(words):  # "at position three from the left"
        k = ORDINALS.get(words[i + 1]) or CARDINALS.get(words[i + 1]) or _digits(words[i + 1])
        return (k, i + 2) if k and k > 0 else None
    if t not in ORDINALS:
        return None
    rank = ORDINALS[t]
    if rank > 0 and nxt in (["to", "last"], ["from", "last"]):
        return -rank, i + 3
    if rank > 1 and nxt[:1] == ["last"]:
        return -rank, i + 2  # "second last", "second-last"
    if rank > 0 and nxt[:2] == ["from", "the"] and words[i + 3 : i + 4] in (["end"], ["last"]):
        return -rank, i + 4
    return rank, i + 1


def _digits(word: str) -> int | None:
    return int(word) if word.isdigit() and len(word) <= 2 else None


def ordinal_direction(words: list[str], end: int, rank: int) -> tuple[str, bool, int, int, int | None]:
    """Where an ordinal counts from: (direction, explicit, rank, end of the phrase, first word to consume).
    'second from the right', 'third one counting from the left'; 'the last one on the right' is the extreme
    on that side; 'the second one on the right' counts from the right."""
    for k in range(end, min(end + 6, len(words))):
        if words[k] in ("down", "up") and words[k + 1 : k + 2] in ([], ["in"], ["on"], ["of"], ["and"]):
            return ("top" if words[k] == "down" else "bottom"), True, rank, k + 1, k  # "the fourth book down"
        if words[k] == "from":
            nxt = k + 2 if words[k + 1 : k + 2] in (["the"], ["its"]) else k + 1
            if nxt < len(words) and words[nxt] in SIDE_WORDS:
                return SIDE_WORDS[words[nxt]], True, rank, nxt + 1, k
            break
        if words[k] in ("on", "at", "to") and k + 1 < len(words):
            nxt = k + 2 if words[k + 1] == "the" else k + 1
            if nxt < len(words) and words[nxt] in SIDE_WORDS and words[nxt] not in ("top", "bottom", "upper", "lower"):
                # "the second to last one on the right": that side is the end the count starts from
                return SIDE_WORDS[words[nxt]], True, abs(rank), nxt + 1, k
            break
    return "left", False, rank, end, None


def leading_direction(words: list[str], i: int) -> int | None:
    """'(counting) from the right, the second cup': the end of 'from the right' when an ordinal follows it."""
    if words[i] != "from":
        return None
    k = i + 1 + (words[i + 1 : i + 2] == ["the"])
    if k >= len(words) or words[k] not in SIDE_WORDS:
        return None
    follows = any(ordinal_at(words, m) is not None for m in range(k + 1, min(k + 6, len(words))))
    return k + 1 if follows else None


def at_an_end(words: list[str], i: int) -> bool:
    """'at the end of the row', 'at either end', 'on one end': the first from one side or the other."""
    if words[i] not in ("at", "on") or words[i + 1 : i + 2] not in (["the"], ["either"], ["one"], ["an"], ["end"]):
        return False
    k = i + 1 + (words[i + 1] != "end")
    if words[k : k + 1] != ["end"]:
        return False
    after = words[k + 1 : k + 3]
    return not after or after[0] != "of" or (after[1:] in (["row"], ["line"], ["the"]) and words[k + 3 : k + 4] in (
        ["row"], ["line"], ["group"], []))  # fmt: skip


def counts_other(words: list[str], end: int) -> bool:
    """'the second row', 'first base': the ordinal counts something other than the referent."""
    return end < len(words) and words[end] in ORDINAL_OTHER
