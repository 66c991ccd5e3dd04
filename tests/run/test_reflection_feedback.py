"""The reflection loop's feedback quotes the contradicted span; a stage may name a claim extractor."""

from __future__ import annotations

import pytest

from hoiscribe.run.config import GroundingConfig, StageConfig
from hoiscribe.run.reflection import feedback_text


def test_feedback_quotes_each_contradicted_span() -> None:
    problems = [{"claim": "his left hand\n grips the umbrella", "why": "part_state: HAKE marks the left hand idle"},
                {"claim": "", "why": "examiner verdict FAIL"}]  # fmt: skip
    text = feedback_text(problems)
    assert (
        text.splitlines()[0]
        == '- "his left hand grips the umbrella" is wrong: part_state: HAKE marks the left hand idle'
    )
    assert text.splitlines()[1] == "- examiner verdict FAIL"


def test_stage_grounding_takes_an_extractor() -> None:
    stage = StageConfig.model_validate(
        {"name": "d", "task": "describe", "grounding": {"extractor": {"name": "openai", "model": "m"}}}
    )
    assert isinstance(stage.grounding, GroundingConfig) and stage.grounding.extractor.name == "openai"
    assert bool(stage.grounding)
    assert StageConfig.model_validate({"name": "d", "task": "describe", "grounding": False}).grounding is False
    with pytest.raises(ValueError):
        StageConfig.model_validate({"name": "d", "task": "describe", "grounding": {"extractr": {}}})
