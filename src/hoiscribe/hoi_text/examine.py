"""examine: a PASS/FAIL verdict with the problems found, as validated JSON."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from hoiscribe.core.parsing import extract_json, validate
from hoiscribe.hoi_text.grounded import examine
from hoiscribe.hoi_text.task import HOITextTask
from hoiscribe.tasks.base import ParseError

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


@dataclass(frozen=True)
class ExamineTask(HOITextTask):
    checked: bool = False  # its output is a verdict, not prose to check

    def json_schema(self) -> dict[str, Any] | None:
        return VERDICT_SCHEMA

    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        """The grounding checker's verdict on the prior description."""
        return examine(facts, facts.get("prior_text") or "")

    def parse(self, raw: str) -> Any:
        """The verdict JSON in the answer: fences, leading prose and truncation are repaired,
        then the result is validated against ``VERDICT_SCHEMA``."""
        parsed = extract_json(raw)
        if not parsed.ok:
            raise ParseError(parsed.error or "no JSON")
        obj = parsed.value
        if isinstance(obj, dict) and isinstance(obj.get("verdict"), str):
            obj = dict(obj, verdict=obj["verdict"].strip().upper())
            obj.setdefault("problems", [])
        errors = validate(obj, VERDICT_SCHEMA)
        if errors:
            raise ParseError("; ".join(errors[:3]))
        return {
            "verdict": obj["verdict"],
            "problems": [{"claim": p["claim"], "why": p["why"]} for p in obj["problems"]],
        }


EXAMINE = ExamineTask(name="examine", template="examine.j2", needs_image=True, output_field="examiner_result")
