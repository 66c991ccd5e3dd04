"""Detector and pose tools on tiny random transformers models, run through the agent engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hoiscribe.agent.policies import ScriptedEngine
from hoiscribe.agent.toolcalls import qwen_call_text
from hoiscribe.catalog import make_engine
from hoiscribe.engines.base import ImagePart, Message, Request
from hoiscribe.tools.base import ToolContext, ToolSetupError

pytest.importorskip("transformers")
W, H = 96, 48  # not square: OWLv2's square padding must not leak into the boxes


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> dict[str, Path]:
    from hoiscribe.testing.tiny import make_tiny_model

    root = tmp_path_factory.mktemp("tool-models")
    return {f: make_tiny_model(f, root / f) for f in ("owlv2", "detr", "rt_detr", "vitpose", "grounding_dino")}


def _request(image: Image.Image, rid: str) -> Request:
    return Request("hoi_reason", [Message("user", (ImagePart(image=image), "find the HOIs"))],
                   facts={"image_size": [W, H]}, request_id=rid)  # fmt: skip


SCRIPT = [
    "<think>look</think>" + qwen_call_text("detect_humans", {}) + qwen_call_text("detect_objects", {"categories": ["cup"]}),  # noqa: E501
    "<think>pose</think>" + qwen_call_text("estimate_pose", {"human": [10, 4, 40, 44]}),
    '<think>done</think><answer>{"hois": []}</answer>',
]  # fmt: skip


def _agent(detector: dict | str, pose: dict | str | None) -> object:
    return make_engine("agent", inner=ScriptedEngine(script=SCRIPT), share_identical=False,
                       tools={"detector": detector, "pose": pose})  # fmt: skip


@pytest.mark.parametrize("family", ["owlv2", "detr", "rt_detr", "grounding_dino"])
def test_detectors_run_through_the_agent_in_pixel_frame(models: dict[str, Path], family: str) -> None:
    agent = _agent(
        {"kind": "hf", "model": str(models[family]), "threshold": 0.0}, {"kind": "hf", "model": str(models["vitpose"])}
    )
    images = [Image.new("RGB", (W, H), (20 * i, 90, 60)) for i in range(4)]
    comps = agent.generate([_request(im, f"s{i}") for i, im in enumerate(images)])
    for comp in comps:
        meta = comp.meta["agent"]
        assert meta["status"] == "answered" and meta["invalid_calls"] == 0 and meta["valid_calls"] == 3
        results = [r for step in comp.meta["chain"] for r in step.get("results", [])]
        boxes = [e["box"] for r in results[:2] for e in r["data"].get("humans", []) + r["data"].get("objects", [])]
        assert all(0 <= x1 <= x2 <= W and 0 <= y1 <= y2 <= H for x1, y1, x2, y2 in boxes)
        assert all(e["category"] == "cup" for e in results[1]["data"]["objects"])
        pose = results[2]["data"]
        assert pose.get("keypoints") is None or all(0 <= x <= W and 0 <= y <= H for x, y in pose["keypoints"].values())
    detector = agent.toolbox.tools["detect_objects"].detector
    assert max(detector._batcher.batch_sizes) > 1  # the 4 rollouts' calls shared forward passes
    assert max(agent.toolbox.tools["estimate_pose"].pose._batcher.batch_sizes) > 1


def test_owlv2_boxes_ignore_the_square_padding(models: dict[str, Path]) -> None:
    """The same picture padded to a square by hand gives the same boxes: the padding is OWLv2's own frame."""
    from hoiscribe.tools.detect import make_detector

    det = make_detector({"kind": "hf", "model": str(models["owlv2"]), "threshold": 0.0})
    rng = np.random.default_rng(0)
    wide = Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8))
    square = Image.new("RGB", (W, W), (0, 0, 0))  # what the OWLv2 processor pads with
    square.paste(wide, (0, 0))
    got = det.detect(ToolContext((W, H), image=wide), ["cup"])
    ref = det.detect(ToolContext((W, W), image=square), ["cup"])
    clipped = [(min(b.box[0], W), min(b.box[1], H), min(b.box[2], W), min(b.box[3], H)) for b in ref]
    assert len(got) == len(ref) > 0
    dist = np.abs(np.asarray([d.box for d in got])[:, None, :] - np.asarray(clipped)[None, :, :]).max(axis=2)
    assert (dist.min(axis=1) <= 1.0).all()  # every box has its twin (score order may differ by a hair)


def test_vitpose_keypoints_follow_the_box(models: dict[str, Path]) -> None:
    """Top-down pose: moving the person box moves the keypoints with it, in image pixels."""
    from hoiscribe.core.records import Box
    from hoiscribe.tools.pose import make_pose

    pose = make_pose({"kind": "hf", "model": str(models["vitpose"])})
    image = Image.new("RGB", (W, H), (90, 90, 90))
    a = pose.estimate(ToolContext((W, H), image=image), Box(4, 4, 36, 44, W, H))
    b = pose.estimate(ToolContext((W, H), image=image), Box(54, 4, 86, 44, W, H))
    assert a.shape == (17, 3) and np.allclose(b[:, 0] - a[:, 0], 50, atol=2) and np.allclose(b[:, 1], a[:, 1], atol=2)
    batch = pose.estimate_batch([(ToolContext((W, H), image=image), Box(4, 4, 36, 44, W, H))] * 3)
    assert all(np.allclose(k, a, atol=1e-3) for k in batch)


def test_models_load_from_a_folder_or_fail_clearly(tmp_path: Path) -> None:
    from hoiscribe.tools.detect import make_detector

    with pytest.raises(ToolSetupError, match=r"no config\.json"):
        make_detector({"kind": "hf", "model": str(tmp_path)})
    with pytest.raises(ToolSetupError, match="neither a folder nor a hub id"):
        make_detector({"kind": "hf", "model": "./missing/folder/x"})
    with pytest.raises(ToolSetupError, match="cannot load"):
        make_detector({"kind": "hf", "model": "nobody/no-such-detector"})  # offline, not cached


def test_concurrent_batcher_returns_each_caller_its_own_result() -> None:
    from hoiscribe.core.batcher import Batcher

    b: Batcher[int, int] = Batcher(lambda jobs: [j * 10 for j in jobs], max_batch=4)

    async def main() -> list[int]:
        return list(await asyncio.gather(*(b.submit(i) for i in range(10))))

    assert asyncio.run(main()) == [i * 10 for i in range(10)]
    assert sum(b.batch_sizes) == 10 and max(b.batch_sizes) == 4
