"""Constrained JSON decoding in the transformers engine: a random tiny model's sampled answers
always parse under the request's schema, and nothing changes for requests without one."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hoiscribe.core.parsing import validate
from hoiscribe.engines.base import Message, Request, Sampling

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("outlines_core")

from hoiscribe.hoi_text.examine import EXAMINE, VERDICT_SCHEMA


def _bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """The examiner's verdict schema with short strings and at most two problems, so a random
    model's answer always fits the token budget (unbounded strings may run past any budget)."""
    out = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and "enum" not in node:
                node["maxLength"] = 6
            if node.get("type") == "array":
                node["maxItems"] = 2
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    return out


SCHEMA = _bounded(VERDICT_SCHEMA)


def _requests(n: int, schema: dict[str, Any] | None = SCHEMA) -> list[Request]:
    return [
        Request(
            "examine",
            [Message("user", (f"examine the description number {i}",))],
            Sampling(max_tokens=160, temperature=1.0, seed=i),
            json_schema=schema,
            request_id=f"req-{i}",
        )
        for i in range(n)
    ]


def test_sampled_answers_always_parse_under_the_schema(tiny_engine) -> None:
    engine = tiny_engine("qwen2_5_vl")
    completions = engine.generate(_requests(8))
    assert [c.error for c in completions] == [None] * 8
    for c in completions:
        value = json.loads(c.text)
        assert validate(value, SCHEMA) == [], c.text
        assert EXAMINE.parse(c.text)["verdict"] in {"PASS", "FAIL"}  # the task's own parser accepts it


def test_free_decoding_of_the_same_model_does_not_parse(tiny_engine) -> None:
    """The constraint is what makes the answers parse: without it the random model babbles."""
    engine = tiny_engine("qwen2_5_vl", json_decoding="free")
    texts = [c.text for c in engine.generate(_requests(8))]

    def parses(text: str) -> bool:
        try:
            return validate(json.loads(text), SCHEMA) == []
        except ValueError:
            return False

    assert sum(map(parses, texts)) < len(texts)


def test_requests_without_a_schema_decode_as_before(tiny_engine) -> None:
    constrained = tiny_engine("qwen2_5_vl")
    free = tiny_engine("qwen2_5_vl", json_decoding="free")
    mixed = _requests(2) + _requests(2, schema=None)
    plain = _requests(2, schema=None)
    got = constrained.generate(mixed)
    assert [c.text for c in got[2:]] == [c.text for c in free.generate(plain)]
    assert all(validate(json.loads(c.text), SCHEMA) == [] for c in got[:2])


def test_the_decoding_mode_is_part_of_the_fingerprint(tiny_engine) -> None:
    assert tiny_engine("qwen2_5_vl").fingerprint() != tiny_engine("qwen2_5_vl", json_decoding="free").fingerprint()


def test_a_schema_that_cannot_compile_fails_its_requests_with_a_message(tiny_engine) -> None:
    engine = tiny_engine("qwen2_5_vl")
    bad = {"type": "object", "properties": {"x": {"$ref": "#/definitions/missing"}}, "required": ["x"]}
    completions = engine.generate(_requests(2, schema=bad) + _requests(1, schema=None))
    assert [c.finish_reason for c in completions[:2]] == ["error", "error"]
    assert all("cannot be compiled" in (c.error or "") for c in completions[:2])
    assert completions[2].error is None
