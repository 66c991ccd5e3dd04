"""Turning raw model text into data, shared by every engine and task.

Models wrap JSON in code fences, lead with prose, stop mid-object at the token limit, think
aloud in ``<think>`` blocks and write boxes in whatever frame they were trained on. These
helpers recover what can be recovered, say what was repaired, validate against the JSON
schema the request asked for, and always hand back the raw text with any failure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from hoiscribe.core.records import Box, RecordError

# ---- JSON ------------------------------------------------------------------------------


@dataclass(slots=True)
class ParsedJSON:
    """Outcome of JSON extraction: ``value`` when usable, else ``error``; ``raw`` always."""

    raw: str
    value: Any = None
    error: str | None = None
    repaired: bool = False
    schema_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)(?:```|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _candidates(text: str) -> list[str]:
    """Places JSON may start: inside code fences first, then the first bracket."""
    out = [m.group(1) for m in _FENCE.finditer(text) if m.group(1).strip()]
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if starts:
        out.append(text[min(starts) :])
    return out


def _close(fragment: str) -> str:
    """Close an unterminated string and every open bracket; drop a dangling key or comma."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in fragment:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    text = fragment
    if in_string:
        text = text[:-1] if escaped else text
        text += '"'
    in_object = bool(stack) and stack[-1] == "}"
    while True:  # trailing fixes until nothing changes
        before = text
        text = text.rstrip()
        text = re.sub(r"(?<=\d)(?:[.eE]|[eE][-+])$", "", text)  # a number cut in its fraction/exponent
        text = re.sub(r"(?<=[:\[,\s])-$", "", text)  # ... or right after its sign
        text = re.sub(r"\b(t|tr|tru)$", "true", text)  # half-written literals
        text = re.sub(r"\b(f|fa|fal|fals)$", "false", text)
        text = re.sub(r"\b(n|nu|nul)$", "null", text)
        text = re.sub(r'(,\s*)?"(?:[^"\\]|\\.)*"\s*:\s*$', "", text)  # a key without its value
        if in_object:  # a lone string right after { or , in an object is a key
            text = re.sub(r'([{,])\s*"(?:[^"\\]|\\.)*"$', r"\1", text)
        text = re.sub(r",\s*$", "", text)
        if text == before:
            break
    return text + "".join(reversed(stack))


def _decode_prefix(text: str) -> Any:
    """The first JSON value at the start of ``text``, ignoring whatever follows it."""
    value, _ = json.JSONDecoder().raw_decode(text.lstrip())
    return value


def extract_json(text: str, schema: dict[str, Any] | None = None) -> ParsedJSON:
    """The JSON value in a model answer, repaired if cut off, validated against ``schema``."""
    result = ParsedJSON(raw=text)
    thinking, body = split_think(text)
    if thinking and not body:
        result.error = "no answer after the reasoning (cut off while thinking?)"
        return result
    candidates = _candidates(body)
    if not candidates:
        result.error = "no JSON object or array in the answer"
        return result
    last_error = ""
    for candidate in candidates:
        for repaired, attempt in (
            (False, candidate),
            (True, _TRAILING_COMMA.sub(r"\1", candidate)),
            (True, _close(_TRAILING_COMMA.sub(r"\1", candidate))),
        ):
            try:
                value = _decode_prefix(attempt)
            except ValueError as exc:
                last_error = str(exc)
                continue
            result.value, result.repaired = value, repaired
            if schema is not None:
                result.schema_errors = validate(value, schema)
                if result.schema_errors:
                    result.error = "schema: " + "; ".join(result.schema_errors[:5])
            return result
    result.error = f"invalid JSON that could not be repaired ({last_error})"
    return result


# ---- a validator for the JSON-schema subset tasks emit ----------------------------------

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is_type(value: Any, name: str) -> bool:
    if name in ("number", "integer") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Errors of ``value`` against ``schema`` (type, enum, const, properties, required,
    additionalProperties, items, min/maxItems, minimum/maximum, min/maxLength, anyOf/oneOf,
    allOf). An empty list means valid."""
    errors: list[str] = []
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf") or []
        if not any(not validate(value, s, path) for s in options):
            errors.append(f"{path}: matches none of the allowed alternatives")
    for sub in schema.get("allOf", []):
        errors += validate(value, sub, path)
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is_type(value, k) for k in kinds):
            return [*errors, f"{path}: expected {' or '.join(kinds)}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required property {key!r}")
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected property {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += validate(item, schema["additionalProperties"], f"{path}.{key}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{path}: {len(value)} items, at least {schema['minItems']} required")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: {len(value)} items, at most {schema['maxItems']} allowed")
        if isinstance(schema.get("items"), dict):
            for i, item in enumerate(value):
                errors += validate(item, schema["items"], f"{path}[{i}]")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > maximum {schema['maximum']}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']} characters")
    return errors


# ---- <think> / <answer> -------------------------------------------------------------------

_THINK = re.compile(r"<think>(.*?)(?:</think>|$)", re.DOTALL)
_ANSWER = re.compile(r"<answer>(.*?)(?:</answer>|$)", re.DOTALL)


def split_think(text: str) -> tuple[str, str]:
    """(reasoning, answer) from ``<think>``/``<answer>`` markup.

    Handles a missing opening ``<think>`` (templates that put it in the prompt), an
    unterminated ``<think>`` (cut off while thinking: no answer yet) and a missing
    ``<answer>`` wrapper (everything after ``</think>`` is the answer)."""
    thinking = ""
    rest = text
    if "</think>" in text and "<think>" not in text.split("</think>", 1)[0]:
        thinking, rest = text.split("</think>", 1)
    else:
        m = _THINK.search(text)
        if m:
            thinking = m.group(1)
            rest = text[: m.start()] + text[m.end() :]
            if not m.group(0).endswith("</think>"):
                return thinking.strip(), ""
    m = _ANSWER.search(rest)
    answer = m.group(1) if m else rest
    return thinking.strip(), answer.strip()


# ---- boxes -------------------------------------------------------------------------------

Frame = Literal["abs", "abs_resized", "norm1000", "norm1"]
_NUM = r"(-?\d+(?:\.\d+)?)"
_BOX_PATTERNS = [
    # [x1, y1, x2, y2] (JSON lists, bbox_2d, plain text)
    re.compile(rf"\[\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*\]"),
    # (x1,y1),(x2,y2) as in Qwen-VL's <|box_start|> markup
    re.compile(rf"\(\s*{_NUM}\s*,\s*{_NUM}\s*\)\s*,?\s*\(\s*{_NUM}\s*,\s*{_NUM}\s*\)"),
]


def find_boxes(text: str) -> list[list[float]]:
    """Every four-number box written in ``text``, in order of appearance."""
    found: list[tuple[int, list[float]]] = []
    for pattern in _BOX_PATTERNS:
        found += [(m.start(), [float(g) for g in m.groups()]) for m in pattern.finditer(text)]
    return [coords for _, coords in sorted(found, key=lambda x: x[0])]


def to_box(
    coords: list[float],
    frame: Frame,
    image_size: tuple[int, int],
    input_size: tuple[int, int] | None = None,
) -> Box:
    """A box in model coordinates converted to pixels of the original image.

    ``frame``: ``abs`` (original pixels), ``abs_resized`` (pixels of the resized input the
    model saw: pass ``input_size``), ``norm1000`` (0-1000) or ``norm1`` (0-1). Corners are
    put in order and clamped to the image; a box that is empty afterwards is an error."""
    if len(coords) != 4:
        raise RecordError("box", f"expected 4 numbers, got {coords!r}")
    w, h = image_size
    x1, y1, x2, y2 = (float(c) for c in coords)
    if frame == "abs_resized":
        if input_size is None:
            raise ValueError("frame 'abs_resized' needs the model's input_size")
        sx, sy = w / input_size[0], h / input_size[1]
    elif frame == "norm1000":
        sx, sy = w / 1000.0, h / 1000.0
    elif frame == "norm1":
        sx, sy = float(w), float(h)
    elif frame == "abs":
        sx = sy = 1.0
    else:
        raise ValueError(f"unknown box frame {frame!r}")
    xs = sorted((min(max(x1 * sx, 0.0), w), min(max(x2 * sx, 0.0), w)))
    ys = sorted((min(max(y1 * sy, 0.0), h), min(max(y2 * sy, 0.0), h)))
    if xs[0] == xs[1] or ys[0] == ys[1]:
        raise RecordError("box", f"box {coords} in frame {frame} is empty inside the {w}x{h} image")
    return Box.from_xyxy([xs[0], ys[0], xs[1], ys[1]], image_size)


def parse_boxes(
    text: str,
    frame: Frame,
    image_size: tuple[int, int],
    input_size: tuple[int, int] | None = None,
) -> list[Box]:
    """All usable boxes in ``text`` as original-image boxes; unusable ones are skipped."""
    boxes = []
    for coords in find_boxes(text):
        try:
            boxes.append(to_box(coords, frame, image_size, input_size))
        except RecordError:
            continue
    return boxes
