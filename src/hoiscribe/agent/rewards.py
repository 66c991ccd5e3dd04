"""Rewards for tool-using HOI reasoning, usable as TRL GRPO reward functions.

Each term lies in [0, 1]; the total is their weighted sum (``RewardWeights``).

* **accuracy**: ``R_acc = 2 TP / (|P| + |G|)`` (F1 of the triplets), 1 when both are empty.
  A prediction is a true positive when its verb and object category equal a GT pair's and
  ``min(IoU_human, IoU_object) >= iou`` (0.5); predictions are matched greedily by score,
  each GT pair at most once.
* **format**: ``R_fmt = mean over turns of (0.5 * think_t + 0.5 * body_t) * 1[last turn answers]``,
  where ``think_t`` = one closed ``<think>`` block that opens the turn, and ``body_t`` = for a
  non-final turn, at least one ``<tool_call>`` and every call parses as ``{"name", "arguments"}``
  and no ``<answer>``; for the final turn, an ``<answer>`` whose JSON parses as HOIs and no call.
* **tool**: ``R_tool = 1[R_acc >= acc_threshold] * 1[n_valid >= 1] * 1[n_invalid = 0] *
  max(0, 1 - max(0, n_calls - free_calls) / free_calls)``: usage is credited only when the
  answer is right and every call was valid, and decays to 0 at twice ``free_calls`` calls.
* **spatial**: for each predicted interaction, ``0.5 * analysed + 0.5 * salient``: ``analysed``
  when a ``spatial_relation`` result covers that pair (both boxes IoU >= 0.5), ``salient`` =
  the weighted share of the relations that matter for its verb (``SALIENT``: contact, the body
  part touching the object, where the object is, facing) that hold in that result. Mean over
  predictions; 0 without predictions (nothing was reasoned about).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from hoiscribe.agent.task import parse_hois
from hoiscribe.agent.toolcalls import parse_turn
from hoiscribe.tasks.base import ParseError


@dataclass(frozen=True, slots=True)
class RewardWeights:
    accuracy: float = 1.0
    format: float = 0.2
    tool: float = 0.3
    spatial: float = 0.3
    iou: float = 0.5
    acc_threshold: float = 0.5
    free_calls: int = 6


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU of (N, 4) and (M, 4) boxes -> (N, M) (continuous convention)."""
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def match_hois(pred: Sequence[dict[str, Any]], gt: Sequence[dict[str, Any]], iou: float = 0.5) -> int:
    """True positives: greedy by score, same verb and object, min of the two IoUs >= ``iou``."""
    if not pred or not gt:
        return 0
    ph = np.asarray([p["human"] for p in pred], dtype=np.float64)
    po = np.asarray([p["object"] for p in pred], dtype=np.float64)
    gh = np.asarray([g["human"] for g in gt], dtype=np.float64)
    go = np.asarray([g["object"] for g in gt], dtype=np.float64)
    overlap = np.minimum(_iou(ph, gh), _iou(po, go))
    same = np.asarray([[p["verb"] == g["verb"] and p["object_category"] == g["object_category"] for g in gt]
                       for p in pred])  # fmt: skip
    overlap = np.where(same, overlap, -1.0)
    taken = np.zeros(len(gt), dtype=bool)
    tp = 0
    for i in np.argsort([-float(p.get("score", 1.0)) for p in pred], kind="stable"):
        cand = np.where(taken, -1.0, overlap[i])
        j = int(np.argmax(cand))
        if cand[j] >= iou:
            taken[j] = True
            tp += 1
    return tp


def accuracy_reward(pred: Sequence[dict[str, Any]], gt: Sequence[dict[str, Any]], iou: float = 0.5) -> float:
    """F1 of the predicted triplets against the GT (see the module docstring)."""
    if not pred and not gt:
        return 1.0
    return 2.0 * match_hois(pred, gt, iou) / (len(pred) + len(gt))


_THINK_OPEN = re.compile(r"^\s*<think>(.*?)</think>", re.DOTALL)


def format_reward(turns: Sequence[str]) -> float:
    """Structure of the assistant turns of a chain (see the module docstring)."""
    if not turns:
        return 0.0
    scores = []
    for k, text in enumerate(turns):
        final = k == len(turns) - 1
        think = bool(_THINK_OPEN.match(text)) and text.count("<think>") == 1
        turn = parse_turn(text, k)
        if final:
            body = not turn.calls and turn.answer is not None and _answer_parses(turn.answer)
        else:
            body = bool(turn.calls) and all(c.error is None for c in turn.calls) and "<answer>" not in text
        scores.append(0.5 * think + 0.5 * body)
    last = parse_turn(turns[-1], len(turns) - 1)
    answered = not last.calls and last.answer is not None
    return float(np.mean(scores)) if answered else 0.0


def _answer_parses(answer: str) -> bool:
    try:
        parse_hois(f"<answer>{answer}</answer>")
    except ParseError:
        return False
    return True


def tool_reward(
    accuracy: float, valid_calls: int, invalid_calls: int, weights: RewardWeights = RewardWeights()
) -> float:
    """Tool usage credited only for a right answer reached with valid calls; excess calls cost."""
    if accuracy < weights.acc_threshold or valid_calls < 1 or invalid_calls > 0:
        return 0.0
    free = max(1, weights.free_calls)
    excess = max(0, valid_calls + invalid_calls - free)
    return max(0.0, 1.0 - excess / free)


# verb -> (relation, weight) pairs that should hold for it; a relation is checked on a
# spatial_relation result: "contact", "part:<substring of a nearest part>", "dir:<direction>",
# "far" (no contact), "facing" (the person faces the object)
SALIENT: dict[str, tuple[tuple[str, float], ...]] = {
    **{v: (("contact", 0.5), ("part:hand", 0.5)) for v in
       ("hold", "carry", "drink_with", "read", "eat", "cut_with", "swing", "push", "pull", "open", "hug", "drag",
        "pick_up", "lift", "inspect", "pour", "sip", "brush_with", "wash", "repair", "zip", "pack", "load")},
    **{v: (("contact", 0.4), ("part:hip", 0.4), ("dir:below", 0.2)) for v in ("sit_on", "lie_on", "straddle")},
    **{v: (("contact", 0.4), ("part:foot", 0.3), ("dir:below", 0.3)) for v in
       ("ride", "stand_on", "kick", "walk", "jump", "hop_on", "grind", "flip")},
    **{v: (("far", 0.5), ("dir:above", 0.5)) for v in ("fly", "launch", "stand_under")},
    **{v: (("part:hand", 0.5), ("facing", 0.5)) for v in ("throw", "catch", "block", "serve", "hit", "dribble")},
    **{v: (("facing", 0.6), ("far", 0.4)) for v in ("watch", "look_at", "no_interaction")},
}  # fmt: skip
DEFAULT_SALIENT: tuple[tuple[str, float], ...] = (("contact", 1.0),)


def _holds(relation: str, rel: dict[str, Any]) -> bool:
    parts = [p["part"] for p in rel.get("nearest_parts") or []]
    if relation == "contact":
        return bool(rel.get("contact"))
    if relation == "far":
        return not rel.get("contact")
    if relation == "facing":
        return rel.get("facing_object") is True or rel.get("facing") == "camera"
    if relation.startswith("part:"):
        return any(relation[5:] in p for p in parts[:1])
    if relation.startswith("dir:"):
        return rel.get("direction") == relation[4:]
    return False


def spatial_reward(pred: Sequence[dict[str, Any]], relations: Sequence[dict[str, Any]], iou: float = 0.5) -> float:
    """Credit for predictions backed by a relation analysis whose salient relations hold."""
    if not pred:
        return 0.0
    rel_h = np.asarray([r["human"] for r in relations], dtype=np.float64).reshape(-1, 4)
    rel_o = np.asarray([r["object"] for r in relations], dtype=np.float64).reshape(-1, 4)
    total = 0.0
    for p in pred:
        if not len(relations):
            continue
        both = np.minimum(
            _iou(np.asarray([p["human"]], float), rel_h)[0], _iou(np.asarray([p["object"]], float), rel_o)[0]
        )
        j = int(np.argmax(both))
        if both[j] < iou:
            continue
        salient = SALIENT.get(p["verb"], DEFAULT_SALIENT)
        share = sum(w for r, w in salient if _holds(r, relations[j])) / sum(w for _, w in salient)
        total += 0.5 + 0.5 * share
    return total / len(pred)


# ---- whole chains ------------------------------------------------------------------------


@dataclass(slots=True)
class ChainScore:
    accuracy: float
    format: float
    tool: float
    spatial: float
    total: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def chain_parts(meta: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]], int, int]:
    """(assistant turn texts, spatial_relation results, valid calls, invalid calls) of a stored chain."""
    steps = meta.get("chain") or []
    turns = [s.get("text") or "" for s in steps]
    relations = [r["data"] for s in steps for r in s.get("results") or []
                 if r.get("name") == "spatial_relation" and r.get("ok") and r.get("data")]  # fmt: skip
    agent = meta.get("agent") or {}
    return turns, relations, int(agent.get("valid_calls", 0)), int(agent.get("invalid_calls", 0))


def predicted_hois(text: str) -> list[dict[str, Any]]:
    """The HOIs of a final answer, or [] when it has none."""
    try:
        return parse_hois(text)["hois"]
    except ParseError:
        return []


def score_chain(
    turns: Sequence[str],
    relations: Sequence[dict[str, Any]],
    valid_calls: int,
    invalid_calls: int,
    gt: Sequence[dict[str, Any]],
    weights: RewardWeights = RewardWeights(),
) -> ChainScore:
    """All four terms and the weighted total for one chain against its image's GT pairs."""
    pred = predicted_hois(turns[-1]) if turns else []
    if turns and parse_turn(turns[-1]).calls:
        pred = []  # a chain that never answered has no prediction
    acc = accuracy_reward(pred, gt, weights.iou)
    fmt = format_reward(turns)
    tool = tool_reward(acc, valid_calls, invalid_calls, weights)
    spatial = spatial_reward(pred, relations, weights.iou)
    total = weights.accuracy * acc + weights.format * fmt + weights.tool * tool + weights.spatial * spatial
    return ChainScore(acc, fmt, tool, spatial, total)


# ---- TRL adapters ------------------------------------------------------------------------


def _completion_text(completion: Any) -> str:
    """TRL passes strings (standard) or message lists (conversational) as completions."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        texts = []
        for m in completion:
            content = m.get("content") if isinstance(m, dict) else m
            if isinstance(content, list):
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
            texts.append(str(content or ""))
        return "\n".join(texts)
    return str(completion)


def _loads(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return value


def trl_reward_funcs(weights: RewardWeights = RewardWeights()) -> list[Callable[..., list[float]]]:
    """The four terms as TRL reward functions (pass ``reward_weights`` = the term weights).

    Dataset columns they read: ``gt`` (JSON list of GT pairs), ``prior_turns`` (JSON list of
    the assistant turns before the completion), ``relations`` (JSON list of spatial_relation
    results seen before it), ``prior_valid_calls`` and ``prior_invalid_calls``."""

    def _rows(completions: list[Any], kwargs: dict[str, Any]) -> list[ChainScore]:
        n = len(completions)
        out = []
        for i in range(n):

            def col(name: str, default: Any, i: int = i) -> Any:
                values = kwargs.get(name)
                return _loads(values[i], default) if values is not None else default

            turns = [*col("prior_turns", []), _completion_text(completions[i])]
            out.append(score_chain(turns, col("relations", []), int(col("prior_valid_calls", 0)),
                                   int(col("prior_invalid_calls", 0)), col("gt", []), weights))  # fmt: skip
        return out

    def accuracy(completions: list[Any], **kwargs: Any) -> list[float]:
        return [s.accuracy for s in _rows(completions, kwargs)]

    def format_(completions: list[Any], **kwargs: Any) -> list[float]:
        return [s.format for s in _rows(completions, kwargs)]

    def tool(completions: list[Any], **kwargs: Any) -> list[float]:
        return [s.tool for s in _rows(completions, kwargs)]

    def spatial(completions: list[Any], **kwargs: Any) -> list[float]:
        return [s.spatial for s in _rows(completions, kwargs)]

    format_.__name__ = "format"
    return [accuracy, format_, tool, spatial]


__all__ = [
    "SALIENT",
    "ChainScore",
    "RewardWeights",
    "accuracy_reward",
    "chain_parts",
    "format_reward",
    "match_hois",
    "score_chain",
    "spatial_reward",
    "tool_reward",
    "trl_reward_funcs",
]
