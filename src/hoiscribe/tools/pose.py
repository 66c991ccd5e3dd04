"""estimate_pose: COCO-17 keypoints for one person, from the annotation or a pose model.

Backends: ``oracle`` (the annotated keypoints of the matching GT person), ``hf``
(``tools.hf_pose``: a top-down transformers pose model such as ViTPose from a folder or hub
id, given the person box; batched across rollouts) or a ``package.module:Class`` plug-in.
The keypoints are kept on the person's entity, so
``spatial_relation`` can name the body parts nearest to an object.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from hoiscribe.core.batcher import Batcher
from hoiscribe.core.records import Box, Keypoints
from hoiscribe.datasets.gt_index import keypoint_array
from hoiscribe.geometry.posecodes import posecodes
from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult, build_backend
from hoiscribe.tools.image_ops import _BOX
from hoiscribe.vocab.keypoints import COCO17

MATCH_IOU = 0.5


class PoseEstimator(ABC):
    """Keypoints (17, 3) in image pixels for a person box, or None when unknown."""

    name: str = "pose"
    batched: bool = False  # True: concurrent calls share one estimate_batch call
    max_batch: int = 16
    _batcher: Batcher[tuple[ToolContext, Box], np.ndarray | None] | None = None

    @abstractmethod
    def estimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None: ...

    def estimate_batch(self, jobs: Sequence[tuple[ToolContext, Box]]) -> list[np.ndarray | None]:
        """Several persons at once; a model backend overrides this with one forward pass."""
        return [self.estimate(ctx, box) for ctx, box in jobs]

    async def aestimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None:
        if not self.batched:
            return self.estimate(ctx, box)
        if self._batcher is None:
            self._batcher = Batcher(self.estimate_batch, self.max_batch)
        return await self._batcher.submit((ctx, box))

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


def make_pose(spec: str | dict[str, Any] | PoseEstimator | None) -> PoseEstimator | None:
    """``"oracle"``, ``{"kind": "hf", "model": PATH}``, ``"package.module:Class"`` or None (no pose)."""
    if spec is None or isinstance(spec, PoseEstimator):
        return spec
    return build_backend(spec, PoseEstimator, {"oracle": OraclePose, "hf": _hf_pose}, "pose estimator")


def _hf_pose(**options: Any) -> PoseEstimator:
    from hoiscribe.tools.hf_pose import HFPose  # imports this module: built on first use

    return HFPose(**options)


def keypoints_for(ctx: ToolContext, human: Any, pose: PoseEstimator | None) -> tuple[Box, np.ndarray | None]:
    """The person's box and keypoints: cached on the entity, else estimated (and cached)."""
    box, ent = ctx.box_arg(human, "human")
    if ent is not None and ent.keypoints is not None:
        return box, ent.keypoints
    kps = pose.estimate(ctx, box) if pose is not None else None
    if ent is not None and kps is not None:
        ent.keypoints = kps
    return box, kps


async def akeypoints_for(ctx: ToolContext, human: Any, pose: PoseEstimator | None) -> tuple[Box, np.ndarray | None]:
    """:func:`keypoints_for` inside a rollout in flight (the estimate is batched across rollouts)."""
    box, ent = ctx.box_arg(human, "human")
    if ent is not None and ent.keypoints is not None:
        return box, ent.keypoints
    kps = await pose.aestimate(ctx, box) if pose is not None else None
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
        return self._answer(args, keypoints_for(ctx, args["human"], self.pose)[1])

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return self._answer(args, (await akeypoints_for(ctx, args["human"], self.pose))[1])

    def _answer(self, args: dict[str, Any], kps: np.ndarray | None) -> ToolResult:
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
