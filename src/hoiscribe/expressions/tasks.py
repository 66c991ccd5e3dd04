"""expressions: referring expressions for one chosen object, and the prompts of its workflow roles.

The stage task (``EXPRESSIONS``) asks for a best expression plus positive and negative
expressions in one shot; the plan-tool-reflect workflow (``hoiscribe.expressions``) answers
the same request through several roles, each with its own template and parser here:

* planner -> JSON ``{reasoning, actions: [{tool, parameters}]}`` (no actions = accept);
* VQA -> free text about the chosen object;
* rewriter -> one line ``Rewritten expression: ...`` or JSON ``{"rewritten_expression": ...}``;
* reflector -> ``Verdict: correct|uncertain|wrong`` + ``Feedback: ...`` lines, or the same as JSON;
* generator -> JSON lists of short/long positives and negatives.

Every label a parser looks for is a constant rendered into its prompt from the same name,
so the prompt and the parser cannot drift apart (the published workflow's parser looked for
a different label than its prompt asked for, and dropped every rewrite).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.core.parsing import extract_json, split_think, validate
from hoiscribe.engines.base import ImagePart, Message, Request, Sampling
from hoiscribe.expressions.grounded import respond
from hoiscribe.tasks.base import ParseError, Task, template_env, template_hash

PACKAGE = __name__.rpartition(".")[0]  # this feature's templates/ folder

REWRITE_LABEL = "Rewritten expression:"
VERDICT_LABEL = "Verdict:"
FEEDBACK_LABEL = "Feedback:"
VERDICTS = ("correct", "uncertain", "wrong")
VIEW_TOOLS = ("crop", "extended_crop", "highlight")
TOOLS = (*VIEW_TOOLS, "vqa", "rewrite")
ROLES = ("plan", "vqa", "rewrite", "reflect", "generate")
MAX_EXPRESSION_CHARS = 300
SOURCES = ("llm", "vlm_short", "vlm_long", "grounded")

_STRINGS = {"type": "array", "items": {"type": "string"}}
PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reasoning": {"type": "string"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"tool": {"type": "string", "enum": list(TOOLS)}, "parameters": {"type": "object"}},
                "required": ["tool"],
            },
        },
    },
    "required": ["actions"],
}
REWRITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"rewritten_expression": {"type": "string", "minLength": 1, "maxLength": MAX_EXPRESSION_CHARS}},
    "required": ["rewritten_expression"],
}
VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"verdict": {"type": "string", "enum": list(VERDICTS)}, "feedback": {"type": "string"}},
    "required": ["verdict"],
}
GENERATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"short": _STRINGS, "long": _STRINGS, "negative_short": _STRINGS, "negative_long": _STRINGS},
    "required": ["short", "long"],
}
DIRECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "expression": {"type": "string", "minLength": 1, "maxLength": MAX_EXPRESSION_CHARS},
        "positive": {"type": "object", "properties": {"short": _STRINGS, "long": _STRINGS}},
        "negative": _STRINGS,
    },
    "required": ["expression", "positive"],
}
_SOURCE_SCHEMA = {"type": "object", "properties": {"positive": _STRINGS, "negative": _STRINGS},
                  "required": ["positive", "negative"]}  # fmt: skip
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["solved", "unsolved", "failed", "unverified"]},
        "expression": {"type": ["string", "null"]},
        "sources": {"type": "object", "additionalProperties": _SOURCE_SCHEMA},
    },
    "required": ["status", "sources"],
}
# what a request asks the engine to decode (servers enforce it): JSON only where the prompt asks for
# JSON; the rewrite and reflect prompts ask for labelled lines, which their parsers schema-check
ROLE_SCHEMAS: dict[str, dict[str, Any] | None] = {
    "plan": PLAN_SCHEMA,
    "vqa": None,
    "rewrite": None,
    "reflect": None,
    "generate": GENERATE_SCHEMA,
}


# ---- facts ---------------------------------------------------------------------------------


def expression_facts(sample: Any, num_short: int = 3, num_long: int = 2, num_negative: int = 3) -> dict[str, Any]:
    """What every role request carries: the image, the chosen object first among all objects."""
    objects = [o.as_dict() for o in sample.objects]
    return {
        "sample_id": sample.sample_id,
        "file_name": sample.file_name,
        "image_size": [sample.width, sample.height],
        "target": objects[0],
        "objects": objects,
        "raw_expression": sample.raw_expression,
        "global_caption": sample.global_caption,
        "num_short": num_short,
        "num_long": num_long,
        "num_negative": num_negative,
        "role": "direct",
        "rewrite_label": REWRITE_LABEL,
        "verdict_label": VERDICT_LABEL,
        "feedback_label": FEEDBACK_LABEL,
    }


def role_template(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown expressions role {role!r}; choose one of {', '.join(ROLES)}")
    return f"expressions_{role}.j2"


def render_role(role: str, facts: dict[str, Any]) -> str:
    return template_env(PACKAGE).get_template(role_template(role)).render(facts=facts)


def role_request(
    role: str,
    facts: dict[str, Any],
    sampling: Sampling,
    images: tuple[ImagePart, ...] = (),
    render: bool = True,
    request_id: str = "",
) -> Request:
    """One role's request: its images (views), then its rendered prompt (or template identity)."""
    payload = dict(facts, role=role)
    identity = f"<expressions:{role}:{template_hash(PACKAGE, role_template(role))}>"
    text = render_role(role, payload) if render else identity
    return Request(
        task="expressions",
        messages=[Message("user", (*images, text))],
        sampling=sampling,
        json_schema=ROLE_SCHEMAS[role],
        facts=payload,
        request_id=f"{request_id}:{role}" if request_id else role,
    )


# ---- parsers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    tool: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    reasoning: str
    actions: tuple[Action, ...]

    @property
    def accepts(self) -> bool:
        return not self.actions


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    feedback: str


def _answer(raw: str) -> str:
    thinking, body = split_think(raw)
    if thinking and not body:
        raise ParseError("no answer after the reasoning (cut off while thinking?)")
    return body


def parse_plan(raw: str) -> Plan:
    """The planner's JSON plan, schema-checked: tools must be ones the workflow has."""
    parsed = extract_json(_answer(raw), PLAN_SCHEMA)
    if not parsed.ok:
        raise ParseError(f"plan: {parsed.error}")
    value = parsed.value
    actions = tuple(Action(a["tool"], dict(a.get("parameters") or {})) for a in value["actions"])
    return Plan(str(value.get("reasoning") or ""), actions)


def _label_line(body: str, label: str) -> str | None:
    """The text after ``label`` (markdown bold and quotes tolerated), or None when it is absent.

    Only the label the prompt asked for counts: a model that answers with another label has
    not followed the prompt, and guessing which line it meant is how rewrites get lost."""
    name = re.escape(label.rstrip(":").strip())
    pattern = re.compile(rf"^[\s>*_#-]*{name}[\s*_]*:[\s*_]*(.*)$", re.IGNORECASE | re.MULTILINE)
    m = pattern.search(body)
    if m is None:
        return None
    text = m.group(1).strip()
    if not text:  # the value on the next non-empty line
        rest = [ln.strip() for ln in body[m.end() :].splitlines() if ln.strip()]
        text = rest[0] if rest else ""
    return _clean(text)


def _clean(text: str) -> str:
    text = " ".join(text.strip().strip("*_`").split())
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        text = text[1:-1].strip()
    return text


def parse_rewrite(raw: str, label: str = REWRITE_LABEL) -> str:
    """The rewritten expression: the ``label`` line the prompt asks for, or the JSON form."""
    body = _answer(raw)
    text = _label_line(body, label)
    if text is None:
        parsed = extract_json(body, REWRITE_SCHEMA) if "{" in body else None
        if parsed is None or not parsed.ok:
            why = parsed.error if parsed is not None else "no JSON either"
            raise ParseError(f"rewrite: no {label!r} line and no JSON with 'rewritten_expression' ({why})")
        text = _clean(parsed.value["rewritten_expression"])
    errors = validate({"rewritten_expression": text}, REWRITE_SCHEMA)
    if errors:
        raise ParseError(f"rewrite: {'; '.join(errors)}")
    return text


def parse_verdict(raw: str) -> Verdict:
    """The reflector's verdict (correct/uncertain/wrong) and feedback, as labelled lines or JSON."""
    body = _answer(raw)
    verdict = _label_line(body, VERDICT_LABEL)
    if verdict is not None:
        word = verdict.lower().strip(" .!*")
        if word not in VERDICTS:
            raise ParseError(f"reflect: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        return Verdict(word, _label_line(body, FEEDBACK_LABEL) or "")
    parsed = extract_json(body, VERDICT_SCHEMA) if "{" in body else None
    if parsed is None or not parsed.ok:
        why = parsed.error if parsed is not None else "no JSON either"
        raise ParseError(f"reflect: no {VERDICT_LABEL!r} line and no JSON verdict ({why})")
    return Verdict(parsed.value["verdict"], str(parsed.value.get("feedback") or ""))


def _texts(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    out = [_clean(t) for t in items if isinstance(t, str)]
    return [t for t in dict.fromkeys(out) if t and len(t) <= MAX_EXPRESSION_CHARS]


def parse_generation(raw: str) -> dict[str, list[str]]:
    """The generator's expression lists, cleaned and de-duplicated."""
    parsed = extract_json(_answer(raw), GENERATE_SCHEMA)
    if not parsed.ok:
        raise ParseError(f"generate: {parsed.error}")
    return {k: _texts(parsed.value.get(k)) for k in ("short", "long", "negative_short", "negative_long")}


def empty_sources() -> dict[str, dict[str, list[str]]]:
    return {s: {"positive": [], "negative": []} for s in SOURCES}


# ---- the stage task ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpressionsTask(Task):
    """Referring expressions for one chosen object (``ExpressionSample``)."""

    num_short: int = 3
    num_long: int = 2
    num_negative: int = 3

    def identity(self) -> str:
        """Covers every role template: a prompt change anywhere in the workflow is a new stage."""
        names = ["expressions_scene.j2", self.template, *(role_template(r) for r in ROLES)]
        h = hashlib.sha256("".join(template_hash(PACKAGE, n) for n in names).encode()).hexdigest()[:16]
        return f"{self.name}:{h}:{self.num_short}/{self.num_long}/{self.num_negative}"

    def facts(self, sample: Any) -> dict[str, Any]:
        if not hasattr(sample, "chosen") or not hasattr(sample, "raw_expression"):
            raise TypeError(f"the expressions task needs expression samples, got {type(sample).__name__}")
        return expression_facts(sample, self.num_short, self.num_long, self.num_negative)

    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        return respond(facts, rng)

    def json_schema(self) -> dict[str, Any] | None:
        return DIRECT_SCHEMA

    def parse(self, raw: str) -> Any:
        """The workflow's output (status + sources) or a single-shot answer, in one shape."""
        parsed = extract_json(_answer(raw))
        if not parsed.ok or not isinstance(parsed.value, dict):
            raise ParseError(f"expressions: {parsed.error or 'expected a JSON object'}")
        value = parsed.value
        if "status" in value:
            errors = validate(value, OUTPUT_SCHEMA)
            if errors:
                raise ParseError(f"expressions: {'; '.join(errors[:5])}")
            return value
        errors = validate(value, DIRECT_SCHEMA)
        if errors:
            raise ParseError(f"expressions: {'; '.join(errors[:5])}")
        sources = empty_sources()
        positive = value.get("positive") or {}
        sources["vlm_short"]["positive"] = _texts(positive.get("short"))
        sources["vlm_long"]["positive"] = _texts(positive.get("long"))
        sources["vlm_short"]["negative"] = _texts(value.get("negative"))
        return {"status": "unverified", "expression": _clean(value["expression"]), "sources": sources}


EXPRESSIONS = ExpressionsTask(name="expressions", template="expressions_direct.j2", needs_image=True)
