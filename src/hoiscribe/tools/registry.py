"""The tool set of a rollout: build it from a config, list its specs, call tools safely.

``ToolBox.call`` is the only way the agent runs a tool. It checks the name and the
arguments against the tool's JSON schema and turns every failure (unknown tool, bad
arguments, a ``ToolError`` or any exception of a backend) into an error result the model
reads, with ``error_kind`` saying which, so a rollout never crashes on a bad call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from hoiscribe.engines.parsing import validate
from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult
from hoiscribe.tools.detect import DetectHumansTool, DetectObjectsTool, make_detector
from hoiscribe.tools.image_ops import CropTool, HighlightTool, ZoomTool
from hoiscribe.tools.pose import EstimatePoseTool, make_pose
from hoiscribe.tools.relation import SpatialRelationTool

log = logging.getLogger(__name__)

TOOL_NAMES: tuple[str, ...] = (
    "detect_humans",
    "detect_objects",
    "estimate_pose",
    "spatial_relation",
    "crop",
    "zoom",
    "highlight",
)


class ToolBox:
    """Named tools plus the guarded call path."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        self.tools: dict[str, Tool] = {t.name: t for t in tools}

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None) -> ToolBox:
        """``{"detector": "oracle" | {...}, "pose": "oracle" | {...} | None, "enabled": [names]}``.

        Detector and pose specs are described in :func:`make_detector` / :func:`make_pose`;
        ``enabled`` defaults to every tool (``estimate_pose`` only when a pose backend is set)."""
        config = dict(config or {})
        unknown = set(config) - {"detector", "pose", "enabled"}
        if unknown:
            raise ValueError(f"tools: unknown option(s) {', '.join(sorted(unknown))}; known: detector, pose, enabled")
        detector = make_detector(config.get("detector", "oracle"))
        pose = make_pose(config.get("pose", "oracle"))
        enabled = list(config.get("enabled") or TOOL_NAMES)
        bad = [n for n in enabled if n not in TOOL_NAMES]
        if bad:
            raise ValueError(f"tools: unknown tool(s) {', '.join(bad)}; choose from {', '.join(TOOL_NAMES)}")
        made: dict[str, Tool] = {
            "detect_humans": DetectHumansTool(detector),
            "detect_objects": DetectObjectsTool(detector),
            "spatial_relation": SpatialRelationTool(pose),
            "crop": CropTool(),
            "zoom": ZoomTool(),
            "highlight": HighlightTool(),
        }
        if pose is not None:
            made["estimate_pose"] = EstimatePoseTool(pose)
        return cls(made[n] for n in enabled if n in made)

    def specs(self) -> list[dict[str, Any]]:
        """OpenAI ``tools`` specs, in a stable order."""
        return [t.spec() for t in self.tools.values()]

    def call(self, name: Any, arguments: Any, ctx: ToolContext) -> tuple[ToolResult, str | None]:
        """Run one call; returns the result and ``error_kind`` (None for a good call).

        Kinds: ``unknown_tool``, ``bad_arguments`` (schema), ``tool_error`` (the tool refused
        the values: box outside the image, unknown category, unknown id), ``tool_failure``
        (the backend raised)."""
        tool = self.tools.get(name) if isinstance(name, str) else None
        if tool is None:
            known = ", ".join(self.tools)
            return ToolResult(str(name), error=f"unknown tool {name!r}; available tools: {known}"), "unknown_tool"
        if not isinstance(arguments, dict):
            return ToolResult(name, error=f"arguments must be a JSON object, got {arguments!r:.80}"), "bad_arguments"
        problems = validate(arguments, tool.parameters)
        if problems:
            return ToolResult(name, error="bad arguments: " + "; ".join(problems[:4])), "bad_arguments"
        try:
            return tool.run(arguments, ctx), None
        except ToolError as exc:
            return ToolResult(name, error=str(exc)), "tool_error"
        except Exception as exc:  # a backend bug must reach the model as text, not stop the run
            log.warning("tool %s failed: %s", name, exc, exc_info=True)
            return ToolResult(name, error=f"the tool failed ({type(exc).__name__}: {exc})"), "tool_failure"

    def close(self) -> None:
        seen: set[int] = set()
        for t in self.tools.values():
            for backend in (getattr(t, "detector", None), getattr(t, "pose", None)):
                if backend is not None and id(backend) not in seen:
                    seen.add(id(backend))
                    backend.close()


def all_tool_specs() -> list[dict[str, Any]]:
    """Specs of every tool with the oracle backends (what ``hoiscribe tools list`` prints)."""
    return ToolBox.from_config({"detector": "oracle", "pose": "oracle"}).specs()


__all__ = ["TOOL_NAMES", "ToolBox", "ToolContext", "ToolError", "ToolResult", "all_tool_specs"]
