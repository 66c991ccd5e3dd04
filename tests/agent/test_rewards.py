"""Each reward term on hand-made cases, and the TRL adapter."""

from __future__ import annotations

import json

import pytest

from hoiscribe.agent.rewards import (
    RewardWeights,
    accuracy_reward,
    format_reward,
    score_chain,
    spatial_reward,
    tool_reward,
    trl_reward_funcs,
)
from hoiscribe.agent.toolcalls import qwen_call_text

H, OB = [100, 100, 200, 400], [180, 300, 300, 420]
GT = [{"human": H, "object": OB, "verb": "ride", "object_category": "bicycle"},
      {"human": H, "object": OB, "verb": "hold", "object_category": "bicycle"}]  # fmt: skip


def _p(verb: str, human: list[float] = H, obj: list[float] = OB, score: float = 0.9, cat: str = "bicycle") -> dict:
    return {"human": human, "object": obj, "verb": verb, "object_category": cat, "score": score}


def test_accuracy_is_f1_of_matched_triplets() -> None:
    assert accuracy_reward([_p("ride"), _p("hold")], GT) == 1.0
    assert accuracy_reward([_p("ride")], GT) == pytest.approx(2 / 3)
    assert accuracy_reward([_p("ride"), _p("ride")], GT) == pytest.approx(0.5)  # a duplicate cannot match twice
    assert accuracy_reward([_p("ride", human=[100, 100, 150, 200])], GT) == 0.0  # human IoU 1/6 < 0.5
    assert accuracy_reward([_p("ride", cat="motorcycle")], GT) == 0.0
    assert accuracy_reward([], []) == 1.0 and accuracy_reward([], GT) == 0.0


ANSWER = '<answer>{"hois": []}</answer>'
CALL = qwen_call_text("detect_humans", {})


def test_format_reward() -> None:
    assert format_reward([f"<think>a</think>{CALL}", f"<think>b</think>{ANSWER}"]) == 1.0
    assert format_reward([f"{CALL}", f"<think>b</think>{ANSWER}"]) == 0.75  # first turn has no think
    assert format_reward(["<think>a</think><tool_call>{bad</tool_call>", f"<think>b</think>{ANSWER}"]) == 0.75
    assert format_reward([f"<think>a</think>{CALL}"]) == 0.0  # never answered
    assert format_reward(["<think>a</think><answer>not json</answer>"]) == 0.5
    assert format_reward([]) == 0.0


def test_tool_reward_needs_right_answer_valid_calls_and_thrift() -> None:
    w = RewardWeights(free_calls=4)
    assert tool_reward(1.0, 3, 0, w) == 1.0
    assert tool_reward(0.2, 3, 0, w) == 0.0  # wrong answer: no credit
    assert tool_reward(1.0, 3, 1, w) == 0.0  # an invalid call: no credit
    assert tool_reward(1.0, 0, 0, w) == 0.0  # no tool used
    assert tool_reward(1.0, 6, 0, w) == 0.5  # two calls over the free four
    assert tool_reward(1.0, 9, 0, w) == 0.0


def _rel(contact: bool, part: str, direction: str) -> dict:
    return {"human": H, "object": OB, "contact": contact, "direction": direction, "facing": "camera",
            "facing_object": None, "nearest_parts": [{"part": part, "distance": 0.0}]}  # fmt: skip


def test_spatial_reward_credits_salient_relations() -> None:
    assert spatial_reward([_p("ride")], [_rel(True, "right foot", "below")]) == 1.0
    assert spatial_reward([_p("ride")], [_rel(True, "right hand", "right")]) == pytest.approx(0.5 + 0.5 * 0.4)
    assert spatial_reward([_p("hold")], [_rel(False, "head", "above")]) == 0.5  # analysed, nothing salient holds
    assert spatial_reward([_p("ride", human=[0, 0, 20, 20])], [_rel(True, "right foot", "below")]) == 0.0
    assert spatial_reward([], [_rel(True, "right foot", "below")]) == 0.0


def test_score_chain_and_trl_adapter_agree() -> None:
    final = f"<think>feet</think><answer>{json.dumps({'hois': [_p('ride'), _p('hold')]})}</answer>"
    turns = [f"<think>a</think>{CALL}", final]
    rels = [_rel(True, "right foot", "below")]
    s = score_chain(turns, rels, 1, 0, GT)
    assert (s.accuracy, s.format, s.tool) == (1.0, 1.0, 1.0) and s.spatial == pytest.approx((1.0 + 0.75) / 2)
    funcs = trl_reward_funcs()
    assert [f.__name__ for f in funcs] == ["accuracy", "format", "tool", "spatial"]
    cols = {"gt": [json.dumps(GT)], "prior_turns": [json.dumps(turns[:1])], "relations": [json.dumps(rels)],
            "prior_valid_calls": [1], "prior_invalid_calls": [0]}  # fmt: skip
    got = [f(prompts=[[]], completions=[[{"role": "assistant", "content": final}]], **cols)[0] for f in funcs]
    assert got == [s.accuracy, s.format, s.tool, s.spatial]
