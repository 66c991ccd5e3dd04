"""Reading one assistant turn: its thought, its tool calls and its final answer.

Two call formats are understood: Qwen / Hermes text, ``<tool_call>{"name": ..., "arguments":
{...}}</tool_call>`` (one block per call), and the OpenAI ``tools`` API, which the
``openai`` engine hands over as ``{"tool_calls": [{"id", "function": {"name", "arguments"}}]}``.
A block that cannot be read becomes a call with ``error`` set, so the rollout can answer
the model with what was wrong and count it as invalid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.core.parsing import extract_json

_CALL = re.compile(r"<tool_call>(.*?)(?:</tool_call>|$)", re.DOTALL)
_THINK = re.compile(r"<think>(.*?)(?:</think>|$)", re.DOTALL)
_ANSWER = re.compile(r"<answer>(.*?)(?:</answer>|$)", re.DOTALL)


@dataclass(slots=True)
class ToolCall:
    """One requested call; ``error`` says why it could not be read (then name may be None)."""

    name: str | None
    arguments: Any = None
    id: str = ""
    error: str | None = None

    def as_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"id": self.id, "name": self.name, "arguments": self.arguments}
        if self.error is not None:
            rec["error"] = self.error
        return rec


@dataclass(slots=True)
class Turn:
    """An assistant turn split into its parts."""

    text: str
    thought: str = ""
    calls: list[ToolCall] = field(default_factory=list)
    answer: str | None = None


def _load(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        parsed = extract_json(raw)
        if not parsed.ok:
            raise ValueError(parsed.error) from None
        return parsed.value


def _call_from(obj: Any, call_id: str) -> ToolCall:
    """A call from a decoded ``{"name", "arguments"}`` or OpenAI ``{"function": {...}}`` object."""
    if not isinstance(obj, dict):
        return ToolCall(None, None, call_id, f"a tool call must be a JSON object, got {type(obj).__name__}")
    fn = obj.get("function") if isinstance(obj.get("function"), dict) else obj
    call_id = str(obj.get("id") or call_id)
    name = fn.get("name")
    if not isinstance(name, str) or not name:
        return ToolCall(None, fn.get("arguments"), call_id, 'the tool call has no "name"')
    args = fn.get("arguments", fn.get("parameters", {}))
    if isinstance(args, str):  # OpenAI sends arguments as a JSON string
        try:
            args = _load(args) if args.strip() else {}
        except ValueError as exc:
            return ToolCall(name, args, call_id, f"arguments are not valid JSON ({exc})")
    if args is None:
        args = {}
    return ToolCall(name, args, call_id)


def parse_turn(text: str, turn_index: int = 0) -> Turn:
    """Split an assistant message into thought, tool calls and answer."""
    turn = Turn(text=text)
    think = _THINK.search(text)
    if think:
        turn.thought = think.group(1).strip()
    elif "</think>" in text:
        turn.thought = text.split("</think>", 1)[0].strip()
    stripped = text.strip()
    if stripped.startswith("{") and '"tool_calls"' in stripped:
        try:
            obj = _load(stripped)
        except ValueError:
            obj = None
        if isinstance(obj, dict) and isinstance(obj.get("tool_calls"), list):
            turn.calls = [_call_from(c, f"call_{turn_index}_{i}") for i, c in enumerate(obj["tool_calls"])]
            turn.thought = str(obj.get("content") or turn.thought)
            return turn
    for i, m in enumerate(_CALL.finditer(text)):
        call_id = f"call_{turn_index}_{i}"
        body = m.group(1).strip()
        if not m.group(0).endswith("</tool_call>"):
            turn.calls.append(ToolCall(None, body, call_id, "unterminated <tool_call> block"))
            continue
        try:
            turn.calls.append(_call_from(_load(body), call_id))
        except ValueError as exc:
            turn.calls.append(ToolCall(None, body, call_id, f"the tool call is not valid JSON ({exc})"))
    if not turn.thought and turn.calls:
        first = text.find("<tool_call>")
        turn.thought = text[:first].strip() if first > 0 else ""
    answer = _ANSWER.search(text)
    if answer and not turn.calls:
        turn.answer = answer.group(1).strip()
    return turn


def qwen_call_text(name: str, arguments: dict[str, Any]) -> str:
    """A call written the Qwen / Hermes way (what scripted policies and exports emit)."""
    return "<tool_call>\n" + json.dumps({"name": name, "arguments": arguments}) + "\n</tool_call>"


def openai_call(call: ToolCall) -> dict[str, Any]:
    """A call in the OpenAI API shape, to hand back in the assistant turn that made it."""
    args = call.arguments if call.arguments is not None else {}
    return {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": json.dumps(args)}}
