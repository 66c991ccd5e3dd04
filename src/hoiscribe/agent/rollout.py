"""One agent rollout: generate, run the requested tools, feed results back, until an answer.

The loop is bounded twice: ``max_calls`` tool calls and ``max_turns`` assistant turns. A
call past the call budget is not run; the model is told the budget is spent and gets one
more turn to answer. Every step (thought, calls, results, answer) is recorded in the chain,
with counts of valid and invalid calls and a final ``status``:

* ``answered``: the last turn holds an ``<answer>`` (or, in OpenAI mode, plain text without calls);
* ``no_answer``: the model stopped without calls and without an answer;
* ``budget_exhausted``: turns ran out while the model was still calling tools;
* ``engine_error``: the inner engine failed (its error is passed on, transient or not).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from hoiscribe.agent.toolcalls import Turn, openai_call, parse_turn
from hoiscribe.engines.base import Completion, Engine, ImagePart, Message, Request
from hoiscribe.tools.base import ToolContext
from hoiscribe.tools.registry import ToolBox

ToolMode = Literal["text", "openai"]
ResultRole = Literal["tool", "user"]


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits of one rollout."""

    max_calls: int = 12
    max_turns: int = 6

    def __post_init__(self) -> None:
        if self.max_calls < 0 or self.max_turns < 1:
            raise ValueError(f"budget needs max_calls >= 0 and max_turns >= 1, got {self}")


@dataclass
class ChainRecord:
    """What a rollout did, JSON-able through ``as_meta``."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: int = 0
    calls: int = 0
    valid_calls: int = 0
    invalid_calls: int = 0
    over_budget_calls: int = 0
    invalid_kinds: Counter[str] = field(default_factory=Counter)
    tools_used: Counter[str] = field(default_factory=Counter)
    status: str = "running"

    def as_meta(self, budget: Budget, tool_mode: str) -> dict[str, Any]:
        return {
            "agent": {
                "status": self.status,
                "turns": self.turns,
                "calls": self.calls,
                "valid_calls": self.valid_calls,
                "invalid_calls": self.invalid_calls,
                "over_budget_calls": self.over_budget_calls,
                "invalid_kinds": dict(self.invalid_kinds),
                "tools_used": dict(self.tools_used),
                "max_calls": budget.max_calls,
                "max_turns": budget.max_turns,
                "tool_mode": tool_mode,
            },
            "chain": self.steps,
            "messages": self.messages,
        }


_TEXT_PROTOCOL = """You can call tools to inspect the image before you answer.

# Tools

Function signatures, one per line, inside <tools></tools>:
<tools>
{specs}
</tools>

To call a function, write one block per call:
<tool_call>
{{"name": "<function name>", "arguments": {{<arguments as a JSON object>}}}}
</tool_call>
Results come back in the next message. Think inside <think></think> before each step. You may use at most \
{max_calls} tool calls. When you are done, write the final answer inside <answer></answer> and call no tool in \
that message."""

_OPENAI_PROTOCOL = """You can call the provided tools to inspect the image before you answer (at most {max_calls} \
calls). Think inside <think></think> before each step; write the final answer inside <answer></answer>."""

BUDGET_SPENT = "You have used all {max_calls} tool calls. Give your final answer now inside <answer></answer>."


def system_prompt(toolbox: ToolBox, budget: Budget, tool_mode: ToolMode) -> str:
    """The system turn that explains the tool protocol (Qwen / Hermes style in text mode)."""
    if tool_mode == "openai":
        return _OPENAI_PROTOCOL.format(max_calls=budget.max_calls)
    specs = "\n".join(json.dumps(s, separators=(",", ":")) for s in toolbox.specs())
    return _TEXT_PROTOCOL.format(specs=specs, max_calls=budget.max_calls)


def _message_record(message: Message, image_ops: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A message as chat-format JSON: images by path, or by the tool operation that made them."""
    parts: list[dict[str, Any]] = []
    for p in message.content:
        if isinstance(p, str):
            parts.append({"type": "text", "text": p})
        elif id(p) in image_ops:
            parts.append({"type": "image", "image_op": image_ops[id(p)]})
        else:
            parts.append({"type": "image", "image": p.path})
    if all(part["type"] == "text" for part in parts):
        record: dict[str, Any] = {"role": message.role, "content": "".join(part["text"] for part in parts)}
    else:
        record = {"role": message.role, "content": parts}
    if message.tool_call_id is not None:
        record["tool_call_id"] = message.tool_call_id
    if message.tool_calls:
        record["tool_calls"] = list(message.tool_calls)
    return record


async def run_rollout(
    engine: Engine,
    request: Request,
    toolbox: ToolBox,
    ctx: ToolContext,
    budget: Budget,
    tool_mode: ToolMode = "text",
    result_role: ResultRole = "tool",
) -> Completion:
    """Run the tool loop for one request; the completion's ``meta`` holds the chain."""
    t0 = time.perf_counter()
    record = ChainRecord()
    image_ops: dict[int, dict[str, Any]] = {}
    messages: list[Message] = [Message.text("system", system_prompt(toolbox, budget, tool_mode))]
    messages += [m for m in request.messages if m.role != "system"]
    system_extra = "\n\n".join(m.text_content for m in request.messages if m.role == "system")
    if system_extra:
        messages[0] = Message.text("system", messages[0].text_content + "\n\n" + system_extra)
    tools = toolbox.specs() if tool_mode == "openai" else None
    last: Completion | None = None
    final_text = ""
    prompt_tokens = completion_tokens = 0
    budget_told = False
    tools_s = 0.0  # wall time inside tool calls (what the agent layer's overhead is measured against)

    for turn_index in range(budget.max_turns):
        req = Request(
            task=request.task,
            messages=list(messages),
            sampling=request.sampling,
            json_schema=None,
            tools=tools,
            facts=request.facts,
            request_id=f"{request.request_id}#t{turn_index}",
        )
        last = (await engine.agenerate([req]))[0]
        prompt_tokens += last.prompt_tokens
        completion_tokens += last.completion_tokens
        if last.error is not None:
            record.status = "engine_error"
            break
        record.turns += 1
        turn: Turn = parse_turn(last.text, turn_index)
        final_text = last.text
        if tool_mode == "openai" and turn.calls:  # the API wants the calls back, linked to their results
            api_calls = tuple(openai_call(c) for c in turn.calls if c.name is not None)
            messages.append(Message("assistant", (turn.thought,), tool_calls=api_calls))
        else:
            messages.append(Message.text("assistant", last.text))
        step: dict[str, Any] = {"turn": turn_index, "text": last.text, "thought": turn.thought,
                                "calls": [c.as_record() for c in turn.calls], "answer": turn.answer}  # fmt: skip
        record.steps.append(step)
        if not turn.calls:
            answered = turn.answer is not None or (tool_mode == "openai" and bool(last.text.strip()))
            record.status = "answered" if answered else "no_answer"
            break
        results = []
        new_images: list[tuple[str, Any, dict[str, Any] | None]] = []
        for call in turn.calls:
            record.calls += 1
            if record.calls > budget.max_calls:
                record.over_budget_calls += 1
                res = {
                    "name": call.name,
                    "ok": False,
                    "error": "tool budget exhausted; not run",
                    "text": f"error: tool budget of {budget.max_calls} calls exhausted; this call was not run",
                }
                results.append(res)  # fmt: skip
                continue
            if call.error is not None:
                record.invalid_calls += 1
                record.invalid_kinds["malformed_call"] += 1
                results.append({"name": call.name, "ok": False, "error": call.error, "text": f"error: {call.error}"})
                continue
            t_tool = time.perf_counter()
            result, kind = await toolbox.acall(call.name, call.arguments, ctx)  # batched across rollouts
            tools_s += time.perf_counter() - t_tool
            if kind is None:
                record.valid_calls += 1
                record.tools_used[result.name] += 1
            else:
                record.invalid_calls += 1
                record.invalid_kinds[kind] += 1
            rec = result.as_record()
            rec["id"] = call.id
            results.append(rec)
            if result.image is not None:
                new_images.append((result.name, result.image, result.image_op))
        step["results"] = results
        for res, call in zip(results, turn.calls, strict=True):
            text = res["text"]
            if result_role == "tool":
                linked = call.id if tool_mode == "openai" and call.name is not None else None
                messages.append(Message("tool", (text,), tool_call_id=linked))
            else:
                messages.append(Message.text("user", f"<tool_response>\n{text}\n</tool_response>"))
        for name, image, op in new_images:
            part = ImagePart(image=image)
            image_ops[id(part)] = dict(op or {}, tool=name)
            messages.append(Message("user", (part, f"The image returned by {name}.")))
        if record.calls >= budget.max_calls and not budget_told:
            budget_told = True
            messages.append(Message.text("user", BUDGET_SPENT.format(max_calls=budget.max_calls)))
    else:
        record.status = "budget_exhausted"

    record.messages = [_message_record(m, image_ops) for m in messages]
    if last is None:  # max_turns >= 1, so the engine always ran once
        raise RuntimeError("rollout ran no turn")
    meta = dict(last.meta)
    meta.update(record.as_meta(budget, tool_mode))
    timings = {"rollout_s": round(time.perf_counter() - t0, 4), "tools_s": round(tools_s, 4)}
    if last.error is not None:
        return Completion("", "error", prompt_tokens, completion_tokens, timings, last.fingerprint, last.error,
                          last.transient, meta)  # fmt: skip
    return Completion(final_text, last.finish_reason, prompt_tokens, completion_tokens, timings, last.fingerprint,
                      meta=meta)  # fmt: skip
