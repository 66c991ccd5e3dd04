"""The plan-tool-reflect rollout, driven by scripted role engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.engines.base import Completion, EngineError, ImagePart, Sampling
from hoiscribe.expressions.engine import ExpressionWorkflowEngine
from hoiscribe.expressions.tasks import EXPRESSIONS, REWRITE_LABEL, VERDICT_LABEL

from .helpers import ScriptedEngine

W, H = 400, 200
CUPS = [[20, 50, 80, 150], [150, 60, 230, 160], [300, 70, 340, 110]]  # left, middle (largest), right (smallest)


class _Sample:
    """Just what the task reads from an expression sample."""

    def __init__(self, image_path: str | None, raw: str = "a cup", target: int = 1) -> None:
        from hoiscribe.core.records import Box
        from hoiscribe.expressions.reader import LocatedObject

        objs = [LocatedObject(i, "cup", Box.from_xyxy(b, (W, H))) for i, b in enumerate(CUPS)]
        self.sample_id, self.file_name, self.image_path = "img.png#o1", "img.png", image_path
        self.width, self.height, self.raw_expression, self.global_caption = W, H, raw, ""
        self.chosen, self.others = objs[target], tuple(o for o in objs if o.id != target)
        self.objects = (self.chosen, *self.others)


@pytest.fixture
def image_path(tmp_path: Path) -> str:
    path = tmp_path / "img.png"
    Image.new("RGB", (W, H), (200, 200, 200)).save(path)
    return str(path)


def _run(engine: ExpressionWorkflowEngine, sample: _Sample) -> tuple[Completion, dict]:
    req = EXPRESSIONS.build(sample, EXPRESSIONS.facts(sample), None, Sampling(), render=False)
    (comp,) = engine.generate([req])
    return comp, (EXPRESSIONS.parse(comp.text) if comp.error is None else {})


def _plan(*actions: tuple[str, dict]) -> str:
    return json.dumps({"reasoning": "r", "actions": [{"tool": t, "parameters": p} for t, p in actions]})


def _engine(**roles: ScriptedEngine) -> ExpressionWorkflowEngine:
    grounded = {"name": "grounded"}
    return ExpressionWorkflowEngine(**{r: roles.get(r, grounded) for r in ("planner", "vqa", "rewriter",
                                                                            "reflector", "generator")})  # fmt: skip


def test_three_cycle_rollout_solves_on_the_third(image_path: str) -> None:
    planner = ScriptedEngine(answers={"plan": [
        _plan(("crop", {}), ("vqa", {"question": "which cup?"}), ("rewrite", {})),
        _plan(("extended_crop", {"margin": 0.25}), ("vqa", {"question": "and now?"}), ("rewrite", {})),
        _plan(("highlight", {}), ("vqa", {"question": "last look"}), ("rewrite", {"instruction": "use size"})),
    ]})  # fmt: skip
    vqa = ScriptedEngine(answers={"vqa": ["a blue cup", "the middle cup", "the biggest cup"]}, needs_images=True)
    rewriter = ScriptedEngine(answers={"rewrite": [
        f"{REWRITE_LABEL} the cup on the left",  # wrong: the spatial checker must overrule the reflector
        "Refined expression: a blue cup",  # another label: recorded as an error, not silently used
        '{"rewritten_expression": "the largest cup"}',
    ]})  # fmt: skip
    reflector = ScriptedEngine(answers={"reflect": [f"{VERDICT_LABEL} correct", f"{VERDICT_LABEL} uncertain\n"
                                                    "Feedback: cannot tell", '{"verdict": "correct"}']})  # fmt: skip
    generator = ScriptedEngine(answers={"generate": [json.dumps({
        "short": ["the largest cup", "the cup on the right"], "long": ["the cup in the middle of the three cups"],
        "negative_short": ["the leftmost cup", "the largest cup"], "negative_long": []})]})  # fmt: skip
    engine = _engine(planner=planner, vqa=vqa, rewriter=rewriter, reflector=reflector, generator=generator)
    comp, out = _run(engine, _Sample(image_path))
    assert comp.error is None
    assert out["status"] == "solved" and out["cycles"] == 3 and out["expression"] == "the largest cup"
    history = comp.meta["history"]
    assert [h["reflection"]["verdict"] for h in history] == ["correct", "uncertain", "correct"]
    assert [h["verdict"] for h in history] == ["wrong", "wrong", "correct"]  # the boxes contradict "left"
    assert history[0]["overruled_by"] == "spatial"
    assert "error" in history[1]["steps"][2] and history[1]["expression_out"] == "the cup on the left"
    # each VQA call saw the view its plan asked for, in pixels
    sizes = [r.messages[0].content[0].image.size for r in vqa.requests["vqa"]]
    assert sizes == [(80, 100), (120, 150), (W, H)]
    assert history[1]["steps"][0]["view"]["region"] == [130, 35, 250, 185]
    # the planner of cycle 2 was told what cycle 1 found
    assert "left" in planner.requests["plan"][1].facts["feedback"]
    assert len(planner.requests["plan"][2].facts["evidence"]) == 2
    src = out["sources"]
    assert src["llm"]["positive"] == ["the largest cup"]
    assert src["vlm_short"]["positive"] == ["the largest cup"] and src["vlm_long"]["positive"]
    assert src["vlm_short"]["negative"] == ["the leftmost cup"]
    assert {r["text"] for r in out["rejected"]} == {"the cup on the right", "the largest cup"}
    assert src["grounded"]["positive"] and src["grounded"]["negative"]
    assert comp.meta["calls"] == {"planner": 3, "vqa": 3, "rewriter": 3, "reflector": 3, "generator": 1}


def test_unsolved_after_the_bound_keeps_history_and_last_expression() -> None:
    planner = ScriptedEngine(answers={"plan": [_plan(("rewrite", {}))]})
    rewriter = ScriptedEngine(answers={"rewrite": [f"{REWRITE_LABEL} a cup"]})
    reflector = ScriptedEngine(answers={"reflect": [f"{VERDICT_LABEL} uncertain"]})
    engine = _engine(planner=planner, rewriter=rewriter, reflector=reflector)
    engine.settings = type(engine.settings)(max_cycles=2)
    comp, out = _run(engine, _Sample(None))
    assert out["status"] == "unsolved" and out["cycles"] == 2 and "after 2 cycles" in out["reason"]
    assert out["expression"] == "a cup" and out["sources"]["llm"]["positive"] == []
    assert out["sources"]["grounded"]["positive"]  # the baseline still describes the object
    assert len(comp.meta["history"]) == 2


def test_accepting_plan_is_vetoed_when_boxes_contradict_it() -> None:
    planner = ScriptedEngine(answers={"plan": ['{"actions": []}']})
    comp, out = _run(_engine(planner=planner), _Sample(None, raw="the cup on the right"))
    assert out["status"] == "unsolved" and all(h["verdict"] == "wrong" for h in comp.meta["history"])
    comp, out = _run(_engine(planner=planner), _Sample(None, raw="the largest cup"))
    assert out["status"] == "solved" and out["cycles"] == 1 and comp.meta["history"][0]["accepted_by"] == "planner"


def test_failures_end_with_a_status_and_history() -> None:
    garbage = ScriptedEngine(answers={"plan": ["I think we should crop."]})
    comp, out = _run(_engine(planner=garbage), _Sample(None))
    assert out["status"] == "failed" and "no usable plan" in out["reason"] and len(comp.meta["history"]) == 3
    broken = ScriptedEngine(answers={"plan": [_plan(("vqa", {}))]})
    vqa = ScriptedEngine(answers={"vqa": [Completion("", "error", error="model refused")]}, needs_images=False)
    comp, out = _run(_engine(planner=broken, vqa=vqa), _Sample(None))
    assert out["status"] == "failed" and "vqa engine error: model refused" in out["reason"]
    flaky = ScriptedEngine(answers={"vqa": [Completion("", "error", error="503", transient=True)]}, needs_images=False)
    comp, _ = _run(_engine(planner=broken, vqa=flaky), _Sample(None))
    assert comp.error and comp.transient and comp.meta["history"]  # the run layer retries it


def test_missing_image_fails_only_when_a_role_looks_at_pixels(tmp_path: Path) -> None:
    planner = ScriptedEngine(answers={"plan": [_plan(("crop", {}), ("vqa", {}))]})
    looking = ScriptedEngine(answers={"vqa": ["a cup"]}, needs_images=True)
    comp, out = _run(_engine(planner=planner, vqa=looking), _Sample(str(tmp_path / "gone.png")))
    assert out["status"] == "failed" and out["reason"].startswith("image: cannot open")
    comp, out = _run(_engine(planner=planner), _Sample(str(tmp_path / "gone.png")))  # grounded vqa: facts only
    assert out["status"] in ("solved", "unsolved") and comp.meta["history"][0]["steps"][0]["view"]["op"] == "crop"


def test_engine_options_are_validated_and_roles_share_instances() -> None:
    with pytest.raises(EngineError, match="unknown option"):
        ExpressionWorkflowEngine(plannr={"name": "grounded"})
    engine = ExpressionWorkflowEngine(default={"name": "grounded"})
    assert engine.roles.planner is engine.roles.reflector and not engine.roles.need_pixels
    assert engine.fingerprint().startswith("expressions-workflow:v2:")
    assert ImagePart  # imported for readers of this test: views travel as in-memory ImageParts
