"""spatial_relation: the tool face of :mod:`hoiscribe.geometry.relations` for one pair."""

from __future__ import annotations

from typing import Any

import numpy as np

from hoiscribe.core.records import Box
from hoiscribe.geometry.relations import describe_relation, spatial_relations
from hoiscribe.tools.base import Tool, ToolContext, ToolResult
from hoiscribe.tools.image_ops import _BOX
from hoiscribe.tools.pose import PoseEstimator, akeypoints_for, keypoints_for


class SpatialRelationTool(Tool):
    backend = "pose"
    name = "spatial_relation"
    description = (
        "Spatial relation of a person and an object: normalised distance, IoU and contact, where the object "
        "is (left/right/above/below/in front), the body parts nearest to it and which way the person faces."
    )
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {"human": _BOX, "object": _BOX},
        "required": ["human", "object"],
        "additionalProperties": False,
    }

    def __init__(self, pose: PoseEstimator | None = None) -> None:
        self.pose = pose

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        hbox, kps = keypoints_for(ctx, args["human"], self.pose)
        return self._answer(args, ctx, hbox, kps)

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        hbox, kps = await akeypoints_for(ctx, args["human"], self.pose)
        return self._answer(args, ctx, hbox, kps)

    def _answer(self, args: dict[str, Any], ctx: ToolContext, hbox: Box, kps: np.ndarray | None) -> ToolResult:
        obox, _ = ctx.box_arg(args["object"], "object")
        rel = spatial_relations(
            [hbox.as_xyxy()], [obox.as_xyxy()], ctx.image_size, None if kps is None else kps[None]
        ).record(0)
        h_name = args["human"] if isinstance(args["human"], str) else "person"
        o_name = args["object"] if isinstance(args["object"], str) else "object"
        data = dict(rel, human=[round(v, 1) for v in hbox.as_xyxy()], object=[round(v, 1) for v in obox.as_xyxy()])
        return ToolResult(self.name, data, describe_relation(rel, h_name, o_name))
