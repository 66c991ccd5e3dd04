"""hoi_reason: open-vocabulary HOI detection for one image, answered with tool-using reasoning.

The request is per image (its facts hold no pair-specific field), so the pair samples of
one image send identical requests, which the agent engine answers with one rollout. The
answer is ``<answer>{"hois": [...]}</answer>``: human box, object box, object category,
verb and score per detected interaction, boxes in pixels of the original image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hoiscribe.core.parsing import extract_json, split_think
from hoiscribe.datasets.gt_index import hoi_lookup, normalise_object, normalise_verb
from hoiscribe.tasks.base import ParseError, Task
from hoiscribe.vocab.hico import hico


def _box(value: Any) -> list[float] | None:
    if not isinstance(value, list | tuple) or len(value) != 4:
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not all(abs(v) < 1e7 for v in (x1, y1, x2, y2)) or x2 <= x1 or y2 <= y1:
        return None
    return [x1, y1, x2, y2]


def parse_hois(raw: str) -> dict[str, Any]:
    """The ``hois`` of an answer, each validated; unusable entries are counted, not fatal.

    ``ParseError`` only when there is no answer at all (no JSON list or object to read)."""
    thinking, body = split_think(raw)
    parsed = extract_json(body if body else raw)
    if not parsed.ok:
        raise ParseError(f"no HOI answer: {parsed.error}")
    value = parsed.value
    items = value.get("hois") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise ParseError('the answer must be {"hois": [...]} or a list of interactions')
    lookup = hoi_lookup()
    hois, skipped = [], 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        human, obj = (
            _box(item.get("human") or item.get("human_box")),
            _box(item.get("object") or item.get("object_box")),
        )
        verb = item.get("verb") or item.get("action")
        category = item.get("object_category") or item.get("category") or item.get("object_name")
        score = item.get("score", 1.0)
        if human is None or obj is None or not isinstance(verb, str) or not isinstance(category, str):
            skipped += 1
            continue
        try:
            score = min(max(float(score), 0.0), 1.0)
        except (TypeError, ValueError):
            score = 1.0
        verb, category = normalise_verb(verb), normalise_object(category)
        hoi = lookup.get((verb, category))
        hois.append({"human": human, "object": obj, "verb": verb, "object_category": category, "score": score,
                     "hoi_idx": hoi.hoi_idx if hoi is not None else None})  # fmt: skip
    return {"hois": hois, "skipped": skipped, "thinking": thinking, "repaired": parsed.repaired}


@dataclass(frozen=True)
class HoiReasonTask(Task):
    """Per-image HOI detection over the HICO-DET vocabulary (or a reader-given query)."""

    def facts(self, sample: Any) -> dict[str, Any]:
        vocab = hico()
        extra = getattr(sample, "extra", {}) or {}
        return {
            "file_name": sample.file_name,
            "image_size": [sample.width, sample.height],
            "verbs": [v.replace("_", " ") for v in vocab.verbs],
            "objects": [o for o in vocab.objects if o != "person"],
            "query": extra.get("query"),
        }

    def parse(self, raw: str) -> Any:
        return parse_hois(raw)


HOI_REASON = HoiReasonTask(name="hoi_reason", template="hoi_reason.j2", parser_version="1")
