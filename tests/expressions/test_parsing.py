"""The role parsers read exactly the labels their prompts ask for (the published workflow did not)."""

import pytest

from hoiscribe.expressions.tasks import (
    EXPRESSIONS,
    FEEDBACK_LABEL,
    REWRITE_LABEL,
    VERDICT_LABEL,
    parse_generation,
    parse_plan,
    parse_rewrite,
    parse_verdict,
    render_role,
)
from hoiscribe.tasks.base import ParseError

FACTS = {
    "sample_id": "s", "image_size": [640, 480], "target": {"id": 0, "category": "cup", "bbox": [1, 2, 30, 40]},
    "objects": [{"id": 0, "category": "cup", "bbox": [1, 2, 30, 40]},
                {"id": 1, "category": "cup", "bbox": [300, 2, 330, 40]}],
    "raw_expression": "a cup", "global_caption": "", "expression": "a cup", "evidence": [], "feedback": None,
    "instruction": "", "cycle": 1, "max_cycles": 3, "question": "q", "view": "crop", "num_short": 3, "num_long": 2,
    "num_negative": 3, "rewrite_label": REWRITE_LABEL, "verdict_label": VERDICT_LABEL,
    "feedback_label": FEEDBACK_LABEL,
}  # fmt: skip


def test_rewrite_prompt_asks_for_the_label_the_parser_reads() -> None:
    prompt = render_role("rewrite", FACTS)
    last = prompt.strip().splitlines()[-1]
    assert last.startswith(REWRITE_LABEL)
    # a model that follows the prompt answers with that label: the rewrite must not be lost
    answer = f"{REWRITE_LABEL} the cup on the left"
    assert parse_rewrite(answer) == "the cup on the left"
    assert parse_rewrite(f'Sure.\n\n**{REWRITE_LABEL}** "the cup on the left"\n') == "the cup on the left"
    assert parse_rewrite(f"<think>which cup?</think>{REWRITE_LABEL}\n  the left cup") == "the left cup"
    assert parse_rewrite('```json\n{"rewritten_expression": "the left cup"}\n```') == "the left cup"


def test_rewrite_with_another_label_is_an_error_not_a_guess() -> None:
    with pytest.raises(ParseError, match="Rewritten expression"):
        parse_rewrite("Refined expression: the cup on the left")
    with pytest.raises(ParseError):
        parse_rewrite('{"expression": "the cup on the left"}')  # not the field the prompt asks for
    with pytest.raises(ParseError):
        parse_rewrite(f"{REWRITE_LABEL} " + "very " * 80 + "long")  # schema: maxLength


def test_reflector_verdict_labels_and_json() -> None:
    prompt = render_role("reflect", FACTS)
    assert VERDICT_LABEL in prompt and FEEDBACK_LABEL in prompt
    v = parse_verdict(f"{VERDICT_LABEL} Wrong.\n{FEEDBACK_LABEL} it is the right cup")
    assert (v.verdict, v.feedback) == ("wrong", "it is the right cup")
    v = parse_verdict('{"verdict": "uncertain", "feedback": "cannot see"}')
    assert (v.verdict, v.feedback) == ("uncertain", "cannot see")
    with pytest.raises(ParseError, match="not one of"):
        parse_verdict(f"{VERDICT_LABEL} maybe")
    with pytest.raises(ParseError):
        parse_verdict('{"verdict": "fine"}')
    with pytest.raises(ParseError):
        parse_verdict("Judgement: correct")


def test_plan_json_is_schema_checked() -> None:
    actions = '[{"tool": "extended_crop", "parameters": {"margin": 0.3}}, {"tool": "vqa", "parameters": {}}]'
    plan = parse_plan('Plan:\n```json\n{"reasoning": "ambiguous", "actions": ' + actions + "}\n```")
    assert [a.tool for a in plan.actions] == ["extended_crop", "vqa"] and plan.actions[0].parameters["margin"] == 0.3
    assert parse_plan('{"reasoning": "fine", "actions": []}').accepts
    with pytest.raises(ParseError, match="zoom"):
        parse_plan('{"actions": [{"tool": "zoom"}]}')
    with pytest.raises(ParseError):
        parse_plan("I would crop the image first.")
    prompt = render_role("plan", FACTS)
    assert all(tool in prompt for tool in ("crop", "extended_crop", "highlight", "vqa", "rewrite"))


def test_generation_and_task_output_shapes() -> None:
    gen = parse_generation('{"short": ["the left cup", " the left cup "], "long": []}')
    assert gen == {"short": ["the left cup"], "long": [], "negative_short": [], "negative_long": []}
    with pytest.raises(ParseError, match="short"):
        parse_generation('{"short": ["the left cup", 3], "long": []}')
    direct = EXPRESSIONS.parse('{"expression": "the left cup", "positive": {"short": ["a"], "long": ["b"]}, '
                               '"negative": ["c"]}')  # fmt: skip
    assert direct["status"] == "unverified"
    assert direct["sources"]["vlm_short"] == {"positive": ["a"], "negative": ["c"]}
    with pytest.raises(ParseError):
        EXPRESSIONS.parse('{"status": "done", "sources": {}}')
