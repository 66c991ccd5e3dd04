"""Multi-turn GRPO with live oracle tools on a tiny random Qwen2.5-VL (TRL rollout_func)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hoiscribe.agent.grpo_live import PolicyEngine, Track
from hoiscribe.agent.toolcalls import qwen_call_text

pytest.importorskip("trl")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")

CALL = "<think>people</think>" + qwen_call_text("detect_humans", {})
ANSWER = '<think>none</think><answer>{"hois": []}</answer>'


class HalfScripted(PolicyEngine):
    """Turn 0 calls a tool; turn 1 answers in every other rollout and is sampled in the rest, so rewards differ."""

    seen: list[Track] = []  # noqa: RUF012 - the test reads the tracks back

    def sample(self, batch: list[tuple[Track, int]]) -> list[list[int]]:
        sampled = super().sample(batch)
        out = []
        for (track, _), row in zip(batch, sampled, strict=True):
            if track.turns == 0:
                HalfScripted.seen.append(track)
            answers = next(i for i, t in enumerate(HalfScripted.seen) if t is track) % 2 == 0 or track.turns > 1
            script = CALL if track.turns == 0 else ANSWER if answers else None
            ids = self.tokenizer(script, add_special_tokens=False)["input_ids"] + [self.eos_id] if script else row
            out.append(ids)
        return out


@pytest.fixture(scope="module")
def tiny_qwen(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> Path:
    from hoiscribe.testing.tiny import make_tiny_model

    return make_tiny_model("qwen2_5_vl", tmp_path_factory.mktemp("tiny") / "qwen2_5_vl")


def test_multi_turn_grpo_runs_live_tools_and_masks_their_tokens(
    tiny_qwen: Path, demo_root: Path, tmp_path: Path
) -> None:
    import torch
    from safetensors.torch import load_file

    from hoiscribe.agent.trainers import run_grpo_live

    HalfScripted.seen = []
    out = run_grpo_live(
        "demo", demo_root, tiny_qwen, tmp_path / "grpo", max_samples=2, instruction="Find the HOIs.", image_side=56,
        tools={"detector": "oracle", "pose": "oracle", "enabled": ["detect_humans", "spatial_relation"]},
        max_calls=2, max_turns=3, max_new_tokens=48, max_steps=2, num_generations=4, learning_rate=1e-2,
        max_completion_length=400, policy_cls=HalfScripted,
    )  # fmt: skip
    tracks = HalfScripted.seen
    assert len(tracks) == 8  # 2 steps x 4 rollouts
    for t in tracks:
        assert t.turns >= 2 and len(t.mask) == len(t.completion_ids)
        assert 0 in t.mask and 1 in t.mask  # tool results and template text are masked, model turns are not
    before = load_file(str(next(tiny_qwen.glob("*.safetensors"))))
    after = load_file(str(next(out.glob("*.safetensors"))))
    changed = [k for k in before if k in after and not torch.equal(before[k], after[k])]
    assert changed  # rewards differed within groups, so the policy moved


def test_live_rewards_score_the_whole_chain() -> None:
    from hoiscribe.agent.grpo_live import live_reward_funcs

    h, o = [10.0, 10.0, 50.0, 90.0], [30.0, 60.0, 70.0, 95.0]
    gt = [{"human": h, "object": o, "verb": "ride", "object_category": "bicycle"}]
    rel = {"human": h, "object": o, "contact": True, "nearest_parts": [{"part": "left_foot"}], "direction": "below"}
    answer = json.dumps({"hois": [dict(gt[0], score=0.9)]})
    chain = {"agent": {"valid_calls": 2, "invalid_calls": 0},
             "chain": [{"text": "<think>a</think>" + qwen_call_text("spatial_relation", {"human": "h0", "object": "o0"}),  # noqa: E501
                        "results": [{"name": "spatial_relation", "ok": True, "data": rel}]},
                       {"text": f"<think>b</think><answer>{answer}</answer>"}]}  # fmt: skip
    bad = {"agent": {"valid_calls": 0, "invalid_calls": 1}, "chain": [{"text": "no answer"}]}
    cols = {"chain": [json.dumps(chain), json.dumps(bad)], "gt": [json.dumps(gt)] * 2}
    acc, fmt, tool, spatial = (f(["", ""], **cols) for f in live_reward_funcs())
    assert acc == [1.0, 0.0] and fmt[0] == 1.0 and fmt[1] == 0.0
    assert tool[0] == 1.0 and tool[1] == 0.0 and spatial[0] == 1.0 and spatial[1] == 0.0
