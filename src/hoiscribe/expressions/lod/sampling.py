"""Positive/negative sampling of one training prompt per image, as Real-LOD trains Real-Model.

Each prompt is a list of phrases joined ``"a. b. c."``. Positives: the image's pairs are grouped
by the boxes they refer to (a ``single`` pair one box, a ``multiple`` pair all of its boxes);
each chosen group contributes one of its positive expressions at random. The phrase is
labelled on *every* box it is positive for in the image (relation-aware: "the cups" of a
``multiple`` pair marks all cups, and an expression that two pairs share marks both). Negatives:
the pairs' negative expressions that are not positive for anything in the image, plus, on
request, expressions of other images (global negatives); they pad the prompt up to
``max_phrases`` while the text stays within the model's token budget. Randomness comes from
``Random(seed, epoch, index)`` so a worker process, a resume and a rerun draw the same prompt.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from hoiscribe.expressions.lod.realdata_io import ImageEntry

Box = tuple[float, float, float, float]
_SEPARATORS = re.compile(r"[.?]+")
_SPACES = re.compile(r"\s+")


class SamplingOptions(BaseModel):
    """How prompts are drawn; Real-LOD pads to 85 phrases."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 0
    max_positives: int = Field(8, ge=1, description="box groups (one positive phrase each) per prompt")
    max_phrases: int = Field(85, ge=1, description="positives + negatives per prompt")
    global_negatives: int = Field(0, ge=0, description="negatives drawn from other images' expressions")
    sources: list[str] | None = Field(None, description="pair sources to train on (vlm_short, vlm_long, llm, ...)")


@dataclass(frozen=True, slots=True)
class Prompt:
    """One training text and its targets: ``labels[i]`` is the phrase index of ``boxes[i]``."""

    phrases: tuple[str, ...]
    boxes: tuple[Box, ...]
    labels: tuple[int, ...]

    @property
    def text(self) -> str:
        return join_phrases(self.phrases)


@lru_cache(maxsize=200_000)
def clean_phrase(text: str) -> str:
    """Lower case, without the characters the model reads as phrase separators ('.', '?')."""
    return _SPACES.sub(" ", _SEPARATORS.sub(" ", text)).strip().lower()


def join_phrases(phrases: Sequence[str]) -> str:
    return ". ".join(phrases) + "." if phrases else ""


def prompt_tokens(count: Callable[[str], int], phrases: Sequence[str]) -> int:
    """Tokens of the joined prompt: [CLS] + each phrase + its '.' + [SEP]."""
    return 2 + sum(count(p) + 1 for p in phrases)


def rng_for(seed: int, epoch: int, index: int) -> random.Random:
    return random.Random(f"{seed}:{epoch}:{index}")


def _positive_boxes(entry: ImageEntry, sources: set[str] | None) -> dict[str, list[Box]]:
    """Cleaned positive expression -> every box it is positive for (first seen first)."""
    out: dict[str, list[Box]] = {}
    for pair in entry.pairs:
        if sources is not None and pair.source not in sources:
            continue
        for text in pair.positives:
            boxes = out.setdefault(clean_phrase(text), [])
            boxes.extend(b for b in pair.boxes if b not in boxes)
    return out


def sample_prompt(
    entry: ImageEntry,
    rng: random.Random,
    options: SamplingOptions,
    count: Callable[[str], int],
    budget: int,
    pool: Sequence[str] = (),
) -> Prompt:
    """Draw one prompt for ``entry``; ``count`` counts a phrase's tokens, ``budget`` caps the prompt."""
    sources = set(options.sources) if options.sources else None
    positive = {t: b for t, b in _positive_boxes(entry, sources).items() if t}
    groups: dict[tuple[Box, ...], list[str]] = {}
    for pair in entry.pairs:
        if sources is None or pair.source in sources:
            texts = groups.setdefault(pair.boxes, [])
            texts.extend(c for t in pair.positives if (c := clean_phrase(t)) and c not in texts)
    order = list(groups)
    rng.shuffle(order)
    phrases: list[str] = []
    for key in order[: options.max_positives]:
        free = [t for t in groups[key] if t not in phrases]
        if free:
            pick = rng.choice(free)
            if prompt_tokens(count, [*phrases, pick]) <= budget:
                phrases.append(pick)
    known = {clean_phrase(t) for t in entry.expressions()}
    negatives = [c for p in entry.pairs for t in p.negatives if (c := clean_phrase(t)) and c not in positive]
    negatives = list(dict.fromkeys(negatives))
    rng.shuffle(negatives)
    if options.global_negatives and pool:
        picks = rng.sample(list(pool), min(len(pool), options.global_negatives * 3))
        extra = [c for t in picks if (c := clean_phrase(t)) and c not in known and c not in negatives]
        negatives += extra[: options.global_negatives]
    used = prompt_tokens(count, phrases)
    for text in negatives:
        if len(phrases) >= options.max_phrases:
            break
        cost = count(text) + 1
        if used + cost <= budget and text not in phrases:
            phrases.append(text)
            used += cost
    rng.shuffle(phrases)
    boxes: list[Box] = []
    labels: list[int] = []
    for i, text in enumerate(phrases):
        for box in positive.get(text, []):
            boxes.append(box)
            labels.append(i)
    return Prompt(tuple(phrases), tuple(boxes), tuple(labels))
