"""The imagine tool on tiny random diffusers pipelines, through the agent: images, budgets, bad calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.agent.policies import ScriptedEngine
from hoiscribe.agent.toolcalls import qwen_call_text
from hoiscribe.catalog import make_engine
from hoiscribe.engines.base import ImagePart, Message, Request
from hoiscribe.tools.base import ToolContext, ToolSetupError
from hoiscribe.tools.imagine import outpaint_canvas

pytest.importorskip("diffusers")
W, H = 64, 48


@pytest.fixture(scope="module")
def pipes(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> dict[str, str]:
    from hoiscribe.testing.tiny import make_tiny_model

    root = tmp_path_factory.mktemp("pipes")
    return {"edit": str(make_tiny_model("instruct_pix2pix", root / "edit")),
            "fill": str(make_tiny_model("sd_inpaint", root / "fill"))}  # fmt: skip


def _run(pipes: dict[str, str], script: list[str], tmp_path: Path, **imagine: object) -> dict:
    tools = {"detector": "oracle", "pose": None,
             "imagine": {**pipes, "steps": 1, "save_dir": str(tmp_path / "pics"), **imagine}}  # fmt: skip
    agent = make_engine("agent", inner=ScriptedEngine(script=script), tools=tools, max_calls=8, max_turns=8)
    req = Request("hoi_reason", [Message("user", (ImagePart(image=Image.new("RGB", (W, H), (90, 120, 60))), "go"))],
                  facts={"image_size": [W, H]}, request_id="s0")  # fmt: skip
    return agent.generate([req])[0].meta


def _call(args: dict) -> str:
    return "<think>imagine</think>" + qwen_call_text("imagine", args)


ANSWER = '<think>done</think><answer>{"hois": []}</answer>'


def test_each_operation_adds_the_next_user_image(pipes: dict[str, str], tmp_path: Path) -> None:
    script = [
        _call({"operation": "view_change", "instruction": "seen from the left"}),
        _call({"operation": "outpaint", "instruction": "more floor", "sides": ["left", "bottom"], "amount": 0.5}),
        _call({"operation": "inpaint_box", "instruction": "no cup", "box": [8, 8, 30, 30]}),
        ANSWER,
    ]
    meta = _run(pipes, script, tmp_path, max_calls=3)
    assert meta["agent"]["valid_calls"] == 3 and meta["agent"]["status"] == "answered"
    images = [p for m in meta["messages"] if m["role"] == "user" and isinstance(m["content"], list)
              for p in m["content"] if p["type"] == "image" and "image_op" in p]  # fmt: skip
    assert [p["image_op"]["operation"] for p in images] == ["view_change", "outpaint", "inpaint_box"]
    sizes = [Image.open(p["image_op"]["path"]).size for p in images]
    assert sizes == [(W, H), (W + 32, H + 24), (W, H)]  # outpaint: half a side more on the left and at the bottom
    assert images[1]["image_op"]["original_at"] == [32, 0, 32 + W, H]
    # the user turn with the picture comes right after the tool turn that made it
    roles = [m["role"] for m in meta["messages"]]
    assert roles[roles.index("tool") + 1] == "user"


def test_outpaint_canvas_masks_only_the_new_border() -> None:
    image = Image.new("RGB", (40, 20), (200, 10, 10))
    canvas, mask, place = outpaint_canvas(image, ["right", "top"], 0.5)
    assert canvas.size == (60, 30) and place == (0, 10, 40, 30)
    assert mask.getpixel((5, 15)) == 0 and mask.getpixel((45, 15)) == 255 and mask.getpixel((5, 2)) == 255
    assert canvas.getpixel((5, 15)) == (200, 10, 10)


@pytest.mark.parametrize(
    ("call", "kind", "needle"),
    [
        ({"name": "dream", "arguments": {}}, "unknown_tool", "unknown tool"),
        ({"name": "imagine", "arguments": {"operation": "outpaint", "instruction": 3}}, "bad_arguments", "expected"),
        ({"name": "imagine", "arguments": {"operation": "teleport", "instruction": "x"}}, "bad_arguments", "one of"),
        ({"name": "imagine", "arguments": {"operation": "inpaint_box", "instruction": "x", "box": [500, 500, 600, 700]}},  # noqa: E501
         "tool_error", "outside"),
        ({"name": "imagine", "arguments": {"operation": "inpaint_box", "instruction": "x"}}, "tool_error", "needs `box`"),  # noqa: E501
        ({"name": "imagine", "arguments": {"operation": "outpaint", "instruction": "x", "amount": 1000}}, "tool_error",
         "outside (0, 1.0]"),
        ({"name": "detect_humans", "arguments": {"min_score": "high"}}, "bad_arguments", "expected"),
    ],
)  # fmt: skip
def test_bad_calls_reach_the_model_as_errors(
    pipes: dict[str, str], tmp_path: Path, call: dict, kind: str, needle: str
) -> None:
    import json

    script = [f"<think>try</think><tool_call>\n{json.dumps(call)}\n</tool_call>", ANSWER]
    meta = _run(pipes, script, tmp_path)
    assert meta["agent"]["status"] == "answered" and meta["agent"]["invalid_kinds"] == {kind: 1}
    result = meta["chain"][0]["results"][0]
    assert not result["ok"] and needle in result["error"]
    assert needle in next(m["content"] for m in meta["messages"] if m["role"] == "tool")


def test_budgets_on_calls_and_pixels(pipes: dict[str, str], tmp_path: Path) -> None:
    big = _call({"operation": "outpaint", "instruction": "wider", "sides": ["left", "right"], "amount": 1.0})
    meta = _run(pipes, [big, ANSWER], tmp_path, max_pixels=W * H * 2)  # 3x as wide: over the per-image limit
    assert "over the limit" in meta["chain"][0]["results"][0]["error"]
    small = _call({"operation": "view_change", "instruction": "closer"})
    meta = _run(pipes, [small, small, ANSWER], tmp_path, max_calls=1)
    first, second = meta["chain"][0]["results"][0], meta["chain"][1]["results"][0]
    assert first["ok"] and not second["ok"] and "budget spent" in second["error"]
    meta = _run(pipes, [small, small, ANSWER], tmp_path, max_total_pixels=int(W * H * 1.5))
    assert "pixel budget" in meta["chain"][1]["results"][0]["error"]


def test_setup_errors_are_clear(pipes: dict[str, str], tmp_path: Path) -> None:
    from hoiscribe.tools.imagine import make_imagine

    with pytest.raises(ToolSetupError, match="edit"):
        make_imagine({})
    with pytest.raises(ToolSetupError, match=r"model_index\.json"):
        make_imagine({"fill": str(tmp_path)})
    with pytest.raises(ToolSetupError, match="extra"):
        make_imagine({"fill": pipes["fill"], "colour": "red"})
    only_fill = make_imagine({"fill": pipes["fill"], "steps": 1})
    from hoiscribe.tools.imagine import ImagineTool

    res = ImagineTool(only_fill).run  # view_change needs the edit pipeline
    with pytest.raises(Exception, match="not available"):
        res({"operation": "view_change", "instruction": "x"}, ToolContext((W, H), image=Image.new("RGB", (W, H))))
