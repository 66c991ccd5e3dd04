"""examine: a PASS/FAIL verdict with the problems found, as validated JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hoiscribe.tasks.base import ParseError, Task

VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": ["PASS", "FAIL"]},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"claim": {"type": "string"}, "why": {"type": "string"}},
                "required": ["claim", "why"],
            },
        },
    },
    "required": ["verdict", "problems"],
}
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


@dataclass(frozen=True)
class ExamineTask(Task):
    def json_schema(self) -> dict[str, Any] | None:
        return VERDICT_SCHEMA

    def parse(self, raw: str) -> Any:
        """The first JSON object in the answer (fences and leading prose tolerated), validated."""
        fenced = _FENCE.search(raw)
        text = fenced.group(1) if fenced else raw
        start = text.find("{")
        if start < 0:
            raise ParseError("no JSON object in the answer")
        try:
            obj, _ = json.JSONDecoder().raw_decode(text[start:])
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg}") from None
        verdict = str(obj.get("verdict", "")).upper() if isinstance(obj, dict) else ""
        if verdict not in ("PASS", "FAIL"):
            raise ParseError(
                f"verdict must be PASS or FAIL, got {obj.get('verdict') if isinstance(obj, dict) else obj!r}"
            )
        problems = obj.get("problems") or []
        if not isinstance(problems, list):
            raise ParseError("problems must be a list")
        clean = [
            {"claim": str(p.get("claim", "")), "why": str(p.get("why", ""))} for p in problems if isinstance(p, dict)
        ]
        return {"verdict": verdict, "problems": clean}


EXAMINE = ExamineTask(name="examine", template="examine.j2", needs_image=True)
