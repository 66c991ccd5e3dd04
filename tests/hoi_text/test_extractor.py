"""The claim-extraction tier: scripted and tiny-model engines, the shared verifier, cache and fallback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hoiscribe.engines.base import Completion, Engine, Request
from hoiscribe.hoi_text.extractor import (
    ClaimCache,
    ExtractorConfig,
    ReplayEngine,
    check_with_extractor,
    extraction_request,
    parse_answer,
)

Facts = dict[str, dict[str, Any]]


def claim(**kw: Any) -> dict[str, Any]:
    base = {"subject": "person", "body_part": None, "side": None, "object": None, "negated": False, "span": ""}
    return base | kw


class CountingEngine(Engine):
    """Answers every request with one fixed text and counts the calls."""

    def __init__(self, answer: str, error: str | None = None) -> None:
        self.answer, self.error, self.calls = answer, error, 0

    def fingerprint(self) -> str:
        return "counting:v1"

    def generate(self, requests: list[Request]) -> list[Completion]:
        self.calls += len(requests)
        return [Completion(self.answer, error=self.error) for _ in requests]


def test_replayed_claims_are_judged_by_the_rule_verifier(demo_facts: Facts) -> None:
    facts = demo_facts["hold_cup"]  # the right hand holds the cup
    text = "She lifts the mug with her left hand. A waiter watches her."
    span = "lifts the mug with her left hand"
    answers = {"t1": {"claims": [
        claim(body_part="hand", side="left", predicate="hold", object="the mug", span=span),
        claim(subject="other_person", predicate="watch", object="her", span="A waiter watches her"),
    ]}}  # fmt: skip
    result = check_with_extractor(text, facts, ReplayEngine(answers), cache=ClaimCache(), key="t1")
    assert result.tier == "extractor" and result.fingerprint.startswith("replay_claims:")
    bad = result.report.contradicted
    assert [c.type for c in bad] == ["left_right_swap"] and bad[0].text == "lifts the mug with her left hand"
    assert len(result.report.claims) == 1  # the waiter's claim is not about the person


def test_negated_claim_is_false_when_the_positive_holds(demo_facts: Facts) -> None:
    facts = demo_facts["hold_cup"]
    text = "The woman is not holding the cup."
    answers = {"n": {"claims": [claim(predicate="hold", object="cup", negated=True, span="is not holding the cup")]}}
    result = check_with_extractor(text, facts, ReplayEngine(answers), cache=ClaimCache(), key="n")
    assert [c.type for c in result.report.contradicted] == ["negation"]
    answers["n"]["claims"][0]["negated"] = False
    again = check_with_extractor(text, facts, ReplayEngine(answers), cache=ClaimCache(), key="n")
    assert again.report.contradicted == []


def test_answers_are_cached_by_content_and_fingerprint(demo_facts: Facts, tmp_path: Path) -> None:
    facts = demo_facts["ride_bicycle"]
    engine = CountingEngine(json.dumps({"claims": [claim(predicate="ride", object="a horse", span="rides a horse")]}))
    cache = ClaimCache(tmp_path)
    first = check_with_extractor("A man rides a horse.", facts, engine, cache=cache)
    second = check_with_extractor("A man rides a horse.", facts, engine, cache=ClaimCache(tmp_path))
    assert engine.calls == 1 and not first.cached and second.cached
    assert [c.type for c in second.report.contradicted] == ["wrong_object"]
    assert second.as_dict()["extractor"] == "counting:v1" and second.as_dict()["tier"] == "extractor"
    check_with_extractor("A man rides a bike.", facts, engine, cache=cache)
    assert engine.calls == 2  # another text is another key


@pytest.mark.parametrize(("answer", "error"), [("not json at all", None), ('{"claims": [{"x": 1}]}', None),
                                               ("", "HTTP 500")])  # fmt: skip
def test_failures_fall_back_to_the_rule_tier(demo_facts: Facts, answer: str, error: str | None) -> None:
    facts = demo_facts["ride_bicycle"]
    result = check_with_extractor("A man rides a horse.", facts, CountingEngine(answer, error), cache=ClaimCache())
    assert result.tier == "rule" and result.error
    assert [c.type for c in result.report.contradicted] == ["wrong_object"]  # the rule tier still judged it


@pytest.mark.parametrize("text", ["", "   ", "x" * 50_000])
def test_bad_input_gets_a_clear_result(demo_facts: Facts, text: str) -> None:
    engine = CountingEngine("{}")
    result = check_with_extractor(text, demo_facts["hold_cup"], engine, cache=ClaimCache())
    assert result.tier == "rule" and result.error and engine.calls == 0


def test_request_carries_the_schema_and_parse_accepts_a_bare_list() -> None:
    req = extraction_request("A man rides a bike.")
    assert req.json_schema is not None and "claims" in req.json_schema["properties"]
    assert "A man rides a bike." in req.messages[0].text_content
    atoms = parse_answer(json.dumps([claim(predicate="ride", object="bike")]))
    assert atoms[0].predicate == "ride"
    with pytest.raises(ValueError, match="claim schema"):
        parse_answer('{"claims": [{"subject": "martian", "predicate": "x"}]}')
    with pytest.raises(ValueError):
        ExtractorConfig.model_validate({"name": "openai", "unknown": 1})


@pytest.mark.slow
def test_tiny_model_extractor_runs_and_falls_back(demo_facts: Facts, tmp_path: Path) -> None:
    """A random-weight model answers nonsense: the result is the rule tier's, tagged with its fingerprint."""
    pytest.importorskip("transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from hoiscribe.hoi_text.extractor import build_extractor
    from hoiscribe.testing.tiny import FAMILIES, make_tiny_model

    path = make_tiny_model(FAMILIES[0], tmp_path / "tiny")
    engine = build_extractor(ExtractorConfig(name="transformers", model=str(path), options={"device_map": "cpu"}))
    result = check_with_extractor("A man rides a horse.", demo_facts["ride_bicycle"], engine, max_tokens=16)
    assert result.fingerprint and result.tier in ("rule", "extractor")
    if result.tier == "rule":
        assert [c.type for c in result.report.contradicted] == ["wrong_object"]


def test_task_check_uses_the_extractor_when_given(demo_facts: Facts) -> None:
    from hoiscribe.catalog import get_task

    engine = CountingEngine(json.dumps({"claims": [claim(predicate="ride", object="a horse", span="rides a horse")]}))
    report = get_task("describe").check("A man rides a horse.", demo_facts["ride_bicycle"], extractor=engine)
    assert report.as_dict()["tier"] == "extractor" and [c.type for c in report.contradicted] == ["wrong_object"]
