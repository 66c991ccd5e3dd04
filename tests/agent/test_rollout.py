"""Rollouts: an oracle-tool chain driven by a scripted engine, malformed calls, budgets."""

from __future__ import annotations

import asyncio
import json

import pytest

from hoiscribe.agent.engine import AgentEngine
from hoiscribe.agent.policies import ScriptedEngine
from hoiscribe.agent.rewards import accuracy_reward
from hoiscribe.agent.rollout import Budget, run_rollout
from hoiscribe.agent.task import parse_hois
from hoiscribe.agent.toolbox import build_toolbox
from hoiscribe.agent.toolcalls import parse_turn, qwen_call_text
from hoiscribe.catalog import make_engine
from hoiscribe.datasets.gt_index import AnnotationIndex, ImageAnnotation
from hoiscribe.engines.base import Completion, ImagePart, Message, Request
from hoiscribe.tools.base import ToolContext


def _request(ann: ImageAnnotation, rid: str = "s#0") -> Request:
    facts = {"file_name": ann.file_name, "image_size": list(ann.size)}
    return Request("hoi_reason", [Message("user", (ImagePart(path=ann.image_path), "find the HOIs"))], facts=facts,
                   request_id=rid)  # fmt: skip


def _answer_from_tools(request: Request) -> str:
    """The scripted final turn: read the boxes from the tool results the model saw."""
    tool_text = "\n".join(m.text_content for m in request.messages if m.role == "tool")
    assert "h0 -> o0" in tool_text and "contact yes" in tool_text  # the relation result reached the model
    boxes = {}
    for line in tool_text.splitlines():
        if line[:3] in ("h0:", "o0:"):
            boxes[line[:2]] = json.loads(line.split(" box ")[1].split(" score")[0])
    hoi = {"human": boxes["h0"], "object": boxes["o0"], "object_category": "bicycle", "verb": "ride", "score": 0.9}
    return f"<think>feet on the pedals</think><answer>{json.dumps({'hois': [hoi]})}</answer>"


SCRIPT = [
    "<think>find people and bikes</think>" + qwen_call_text("detect_humans", {})
    + qwen_call_text("detect_objects", {"categories": ["bicycle"]}),
    "<think>relate them</think>" + qwen_call_text("spatial_relation", {"human": "h0", "object": "o0"}),
    _answer_from_tools,
]  # fmt: skip


def _ctx(ann: ImageAnnotation) -> ToolContext:
    return ToolContext(ann.size, ann.image_path, file_name=ann.file_name, annotation=ann)


def test_scripted_oracle_rollout_calls_tools_and_answers_right(ride_bicycle: ImageAnnotation) -> None:
    engine = ScriptedEngine(script=SCRIPT)
    comp = asyncio.run(run_rollout(engine, _request(ride_bicycle), build_toolbox(), _ctx(ride_bicycle),
                                   Budget(8, 5)))  # fmt: skip
    agent = comp.meta["agent"]
    assert agent["status"] == "answered" and agent["turns"] == 3
    assert agent["valid_calls"] == 3 and agent["invalid_calls"] == 0
    calls = [c["name"] for step in comp.meta["chain"] for c in step["calls"]]
    assert calls == ["detect_humans", "detect_objects", "spatial_relation"]
    hois = parse_hois(comp.text)["hois"]
    assert accuracy_reward(hois, ride_bicycle.triplets()) == 1.0
    # the system turn carries the tool specs; every request saw the growing conversation
    assert "<tools>" in engine.requests[0].messages[0].text_content
    assert [m.role for m in engine.requests[2].messages][-2:] == ["assistant", "tool"]
    roles = [m["role"] for m in comp.meta["messages"]]
    assert roles == ["system", "user", "assistant", "tool", "tool", "assistant", "tool", "assistant"]


def test_malformed_calls_are_answered_and_counted(ride_bicycle: ImageAnnotation) -> None:
    bad = (
        "<tool_call>{not json</tool_call>"
        + qwen_call_text("teleport", {})
        + qwen_call_text("crop", {"box": [-500, -500, -10, -10]})
        + '<tool_call>{"arguments": {}}</tool_call>'
    )
    engine = ScriptedEngine(script=[bad, '<think>ok</think><answer>{"hois": []}</answer>'])
    comp = asyncio.run(run_rollout(engine, _request(ride_bicycle), build_toolbox(), _ctx(ride_bicycle),
                                   Budget(8, 4)))  # fmt: skip
    agent = comp.meta["agent"]
    assert agent["status"] == "answered" and agent["invalid_calls"] == 4 and agent["valid_calls"] == 0
    assert agent["invalid_kinds"] == {"malformed_call": 2, "unknown_tool": 1, "tool_error": 1}
    tool_msgs = [m.text_content for m in engine.requests[1].messages if m.role == "tool"]
    assert len(tool_msgs) == 4 and all(t.startswith("error:") for t in tool_msgs)
    assert "outside the 640x480 image" in tool_msgs[2]


def test_looping_model_stops_at_the_budget(ride_bicycle: ImageAnnotation) -> None:
    loop = "<think>again</think>" + qwen_call_text("detect_humans", {}) + qwen_call_text("detect_humans", {})
    engine = ScriptedEngine(script=[loop])
    comp = asyncio.run(run_rollout(engine, _request(ride_bicycle), build_toolbox(), _ctx(ride_bicycle),
                                   Budget(max_calls=3, max_turns=4)))  # fmt: skip
    agent = comp.meta["agent"]
    assert agent["status"] == "budget_exhausted" and agent["turns"] == 4
    assert agent["valid_calls"] == 3 and agent["over_budget_calls"] == 5
    assert any("used all 3 tool calls" in m.text_content for m in engine.requests[-1].messages)
    assert comp.error is None  # the row keeps the chain; the task's parser reports the missing answer


def test_openai_tool_calls_are_understood() -> None:
    fn = {"name": "zoom", "arguments": json.dumps({"box": "o0", "factor": 2})}
    text = json.dumps({"tool_calls": [{"id": "c1", "type": "function", "function": fn}]})
    turn = parse_turn(text)
    assert [(c.name, c.arguments, c.id) for c in turn.calls] == [("zoom", {"box": "o0", "factor": 2}, "c1")]
    bad = parse_turn(json.dumps({"tool_calls": [{"function": {"name": "zoom", "arguments": "{oops"}}]}))
    assert bad.calls[0].error is not None


class _Failing(ScriptedEngine):
    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return [Completion("", "error", error="503", transient=True) for _ in requests]


def test_engine_errors_pass_through(ride_bicycle: ImageAnnotation) -> None:
    comp = asyncio.run(run_rollout(_Failing(), _request(ride_bicycle), build_toolbox(), _ctx(ride_bicycle),
                                   Budget()))  # fmt: skip
    assert comp.error == "503" and comp.transient and comp.meta["agent"]["status"] == "engine_error"


def test_agent_engine_shares_one_rollout_per_image(demo_index: AnnotationIndex, ride_bicycle: ImageAnnotation) -> None:
    inner = ScriptedEngine(script=SCRIPT)
    engine = make_engine("agent", inner=inner, oracle=demo_index, max_calls=8)
    assert isinstance(engine, AgentEngine)
    comps = engine.generate([_request(ride_bicycle, "a#0"), _request(ride_bicycle, "a#1")])
    assert [c.meta["agent"]["status"] for c in comps] == ["answered", "answered"]
    assert len(inner.requests) == 3  # one rollout of three turns served both samples
    assert comps[1].meta.get("shared") is True and comps[0].text == comps[1].text


def test_agent_engine_rejects_unknown_options() -> None:
    from hoiscribe.engines.base import EngineError

    with pytest.raises(EngineError, match="unknown option"):
        make_engine("agent", inner={"name": "grounded"}, tool_budget=3)
    with pytest.raises(EngineError, match="inner"):
        make_engine("agent")


def _openai_turn(request: Request) -> str:
    """What the openai engine hands over for a reply with text and one call (see engines/openai.py)."""
    fn = {"name": "detect_humans", "arguments": "{}"}
    return json.dumps({"content": "look for people first", "tool_calls": [{"id": "c7", "type": "function",
                                                                           "function": fn}]})  # fmt: skip


def test_openai_tools_protocol_links_calls_and_results(ride_bicycle: ImageAnnotation) -> None:
    engine = ScriptedEngine(script=[_openai_turn, "There is one person."])
    comp = asyncio.run(run_rollout(engine, _request(ride_bicycle), build_toolbox(), _ctx(ride_bicycle),
                                   Budget(4, 3), tool_mode="openai"))  # fmt: skip
    assert comp.meta["agent"]["status"] == "answered"
    second = engine.requests[1].messages
    assistant = next(m for m in second if m.role == "assistant")
    assert assistant.text_content == "look for people first"  # the text beside the call is kept
    assert [c["id"] for c in assistant.tool_calls] == ["c7"]
    assert assistant.tool_calls[0]["function"] == {"name": "detect_humans", "arguments": "{}"}
    (tool,) = [m for m in second if m.role == "tool"]
    assert tool.tool_call_id == "c7" and "h0:" in tool.text_content
    from hoiscribe.engines.openai import OpenAIEngine

    body = json.loads(OpenAIEngine(model="m", base_url="http://127.0.0.1:9/v1")._payload(engine.requests[1]))
    sent = [m for m in body["messages"] if m["role"] in ("assistant", "tool")]
    assert sent[0]["tool_calls"][0]["id"] == "c7" and sent[1]["tool_call_id"] == "c7"
