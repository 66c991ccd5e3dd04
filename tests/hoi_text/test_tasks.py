"""Prompt building is deterministic and golden-tested; answers are parsed or kept with the error."""

import os
from pathlib import Path

import pytest

from hoiscribe.catalog import get_task, read_dataset
from hoiscribe.engines.base import ImagePart, Sampling
from hoiscribe.tasks.base import ParseError

GOLDEN = Path(__file__).parents[1] / "data" / "golden"
UPDATE = os.environ.get("HOISCRIBE_UPDATE_GOLDEN") == "1"


def _prompt(task: str, sample: object, prior: str | None, feedback: str | None = None) -> str:
    t = get_task(task)
    req = t.build(sample, t.facts(sample), prior, Sampling(), feedback=feedback)
    return req.messages[0].text_content


@pytest.mark.parametrize(
    ("task", "scene", "prior", "feedback"),
    [
        ("describe", "ride_bicycle", None, None),
        ("describe", "near_bicycle", None, "- The left hand is holding the bicycle.: left_right_swap"),
        ("refine", "drink_cup", "A person is drinking with a cup.\n\n- The right hand is holding the cup.", None),
        ("examine", "kick_ball", "A person is kicking a sports ball.", None),
    ],
)
def test_prompts_match_golden_files(
    demo_root: Path, task: str, scene: str, prior: str | None, feedback: str | None
) -> None:
    sample = next(s for s in read_dataset("demo", demo_root).samples if scene in s.file_name)
    text = _prompt(task, sample, prior, feedback)
    assert text == _prompt(task, sample, prior, feedback)  # deterministic
    golden = GOLDEN / f"{task}_{scene}{'_feedback' if feedback else ''}.txt"
    if UPDATE:
        golden.write_text(text)
    assert text == golden.read_text()


def test_describe_request_carries_the_image_and_facts(demo_root: Path) -> None:
    sample = read_dataset("demo", demo_root).samples[0]
    t = get_task("describe")
    req = t.build(sample, t.facts(sample), None, Sampling(seed=3))
    parts = req.messages[0].content
    assert isinstance(parts[0], ImagePart) and parts[0].path == sample.image_path
    assert req.facts["interaction"] == {"hoi_id": 19, "verb": "ride", "object": "bicycle"}
    assert req.sampling.seed == 3 and req.json_schema is None
    assert get_task("examine").build(sample, t.facts(sample), "x", Sampling()).json_schema is not None


@pytest.mark.parametrize(
    ("raw", "verdict", "n_problems"),
    [
        ('{"verdict": "PASS", "problems": []}', "PASS", 0),
        ('Here you go:\n```json\n{"verdict": "fail", "problems": [{"claim": "a", "why": "b"}]}\n```', "FAIL", 1),
        ('Sure. {"verdict": "FAIL", "problems": [{"claim": "left hand holds", "why": "right', "FAIL", 1),
        ('{"verdict": "PASS"}', "PASS", 0),
    ],
)
def test_examine_parses_fenced_chatty_and_truncated_answers(raw: str, verdict: str, n_problems: int) -> None:
    out = get_task("examine").parse(raw)
    assert out["verdict"] == verdict and len(out["problems"]) == n_problems


@pytest.mark.parametrize(
    ("raw", "message"),
    [("Looks correct to me.", "no JSON"), ('{"verdict": "MAYBE", "problems": []}', "PASS"), ("", "no JSON")],
)
def test_unparseable_answers_raise_parse_error(raw: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        get_task("examine").parse(raw)
    with pytest.raises(ParseError, match="empty"):
        get_task("describe").parse("   ")
