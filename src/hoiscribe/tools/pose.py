"""estimate_pose: COCO-17 keypoints for one person, from the annotation or a pose model.

Backends: ``oracle`` (the annotated keypoints of the matching GT person), ``hf`` (a
top-down transformers pose model folder such as ViTPose, given the person box) or a
``package.module:Class`` plug-in. The keypoints are kept on the person's entity, so
``spatial_relation`` can name the body parts nearest to an object.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.core.records import Box, Keypoints
from hoiscribe.datasets.gt_index import keypoint_array
from hoiscribe.geometry.posecodes import posecodes
from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult, ToolSetupError, build_backend
from hoiscribe.tools.image_ops import _BOX
from hoiscribe.vocab.keypoints import COCO17

MATCH_IOU = 0.5


class PoseEstimator(ABC):
    """Keypoints (17, 3) in image pixels for a person box, or None when unknown."""

    name: str = "pose"

    @abstractmethod
    def estimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model."""


class OraclePose(PoseEstimator):
    """The annotated keypoints of the GT person that best overlaps the box (IoU >= 0.5)."""

    name = "oracle"

    def estimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None:
        ann = ctx.annotation
        if ann is None:
            raise ToolError("the oracle pose estimator has no annotation for this image")
        best, best_iou = None, MATCH_IOU
        for b, k in zip(ann.humans, ann.keypoints, strict=True):
            iou = b.iou(box)
            if iou >= best_iou and k is not None:
                best, best_iou = k, iou
        return None if best is None else keypoint_array(best)


class HFPose(PoseEstimator):
    """A top-down transformers pose model (ViTPose family) from a local folder."""

    name = "hf"

    def __init__(self, model: str, device: str = "cpu", min_score: float = 0.3) -> None:
        try:
            import torch  # noqa: F401
            import transformers
        except ModuleNotFoundError as exc:
            raise ToolSetupError(f"the hf pose estimator needs {exc.name!r}: pip install 'hoiscribe[hf]'") from exc
        folder = Path(model).expanduser()
        if not (folder / "config.json").is_file():
            raise ToolSetupError(f"pose model folder {folder} has no config.json")
        self.processor = transformers.AutoProcessor.from_pretrained(folder)
        self.model = transformers.AutoModel.from_pretrained(folder).to(device).eval()
        self.device, self.min_score = device, float(min_score)

    def estimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None:
        import torch

        image = ctx.pixels()
        boxes = [[box.as_xywh()]]
        inputs = self.processor(image, boxes=boxes, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            outputs = self.model(**inputs)
        res = self.processor.post_process_pose_estimation(outputs, boxes=boxes)[0][0]
        kps = res["keypoints"].cpu().numpy()[:17]
        scores = res["scores"].cpu().numpy()[:17]
        vis = np.where(scores >= self.min_score, 2.0, 0.0)
        return np.concatenate([kps, vis[:, None]], axis=1)


def make_pose(spec: str | dict[str, Any] | PoseEstimator | None) -> PoseEstimator | None:
    """``"oracle"``, ``{"kind": "hf", "model": PATH}``, ``"package.module:Class"`` or None (no pose)."""
    if spec is None or isinstance(spec, PoseEstimator):
        return spec
    return build_backend(spec, PoseEstimator, {"oracle": OraclePose, "hf": HFPose}, "pose estimator")


def keypoints_for(ctx: ToolContext, human: Any, pose: PoseEstimator | None) -> tuple[Box, np.ndarray | None]:
    """The person's box and keypoints: cached on the entity, else estimated (and cached)."""
    box, ent = ctx.box_arg(human, "human")
    if ent is not None and ent.keypoints is not None:
        return box, ent.keypoints
    kps = pose.estimate(ctx, box) if pose is not None else None
    if ent is not None and kps is not None:
        ent.keypoints = kps
    return box, kps


class EstimatePoseTool(Tool):
    backend = "pose"
    requires_backend = True
    name = "estimate_pose"
    description = "Body keypoints (COCO-17) and pose facts of one person, given a human id or box."
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {"human": _BOX},
        "required": ["human"],
        "additionalProperties": False,
    }

    def __init__(self, pose: PoseEstimator) -> None:
        self.pose = pose

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        _, kps = keypoints_for(ctx, args["human"], self.pose)
        who = args["human"] if isinstance(args["human"], str) else "the person"
        if kps is None or not (kps[:, 2] > 0).any():
            return ToolResult(self.name, {"keypoints": None}, f"no keypoints could be found for {who}")
        points = {n: [round(float(kps[i, 0]), 1), round(float(kps[i, 1]), 1)]
                  for i, n in enumerate(COCO17.names) if kps[i, 2] > 0}  # fmt: skip
        codes = [pc.as_dict() for pc in posecodes(Keypoints(kps.copy(), COCO17))]
        facts = "; ".join(f"{c['code']}{' (' + c['side'] + ')' if c['side'] else ''}: {c['value']}" for c in codes)
        hidden = [n for i, n in enumerate(COCO17.names) if kps[i, 2] <= 0]
        text = f"{who}: {len(points)} visible keypoints" + (f" (not visible: {', '.join(hidden)})" if hidden else "")
        text += f"; pose: {facts}" if facts else ""
        return ToolResult(self.name, {"keypoints": points, "posecodes": codes}, text)
