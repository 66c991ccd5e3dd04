"""The tool set of a rollout: build it from a config, list its specs, call tools safely.

``ToolBox.call`` is the only way the agent runs a tool. It checks the name and the
arguments against the tool's JSON schema and turns every failure (unknown tool, bad
arguments, a ``ToolError`` or any exception of a backend) into an error result the model
reads, with ``error_kind`` saying which, so a rollout never crashes on a bad call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from hoiscribe.core.parsing import validate
from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult
from hoiscribe.tools.detect import make_detector
from hoiscribe.tools.imagine import make_imagine
from hoiscribe.tools.pose import make_pose

log = logging.getLogger(__name__)


class ToolBox:
    """Named tools plus the guarded call path."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        self.tools: dict[str, Tool] = {t.name: t for t in tools}

    @classmethod
    def from_config(cls, config: dict[str, Any] | None, classes: Mapping[str, type[Tool]]) -> ToolBox:
        """``{"detector": ..., "pose": ..., "imagine": ..., "enabled": [names]}``.

        ``classes`` are the tools by name (``hoiscribe.catalog.TOOLS``), in the order specs list
        them. Backend specs are described in :func:`make_detector`, :func:`make_pose` and
        :func:`hoiscribe.tools.imagine.make_imagine` (off unless configured); ``enabled`` defaults
        to every tool (a tool that requires a missing backend is left out)."""
        config = dict(config or {})
        unknown = set(config) - {"detector", "pose", "imagine", "enabled"}
        if unknown:
            raise ValueError(f"tools: unknown option(s) {', '.join(sorted(unknown))}; "
                             "known: detector, pose, imagine, enabled")  # fmt: skip
        backends = {"detector": make_detector(config.get("detector", "oracle")),
                    "pose": make_pose(config.get("pose", "oracle")),
                    "imagine": make_imagine(config.get("imagine"))}  # fmt: skip
        enabled = list(config.get("enabled") or classes)
        bad = [n for n in enabled if n not in classes]
        if bad:
            raise ValueError(f"tools: unknown tool(s) {', '.join(bad)}; choose from {', '.join(classes)}")
        made: list[Tool] = []
        for name in classes:
            tool_cls = classes[name]
            if name not in enabled:
                continue
            if tool_cls.backend is None:
                made.append(tool_cls())
            elif backends[tool_cls.backend] is not None or not tool_cls.requires_backend:
                made.append(tool_cls(backends[tool_cls.backend]))
        return cls(made)

    def specs(self) -> list[dict[str, Any]]:
        """OpenAI ``tools`` specs, in a stable order."""
        return [t.spec() for t in self.tools.values()]

    def call(self, name: Any, arguments: Any, ctx: ToolContext) -> tuple[ToolResult, str | None]:
        """Run one call; returns the result and ``error_kind`` (None for a good call).

        Kinds: ``unknown_tool``, ``bad_arguments`` (schema), ``tool_error`` (the tool refused
        the values: box outside the image, unknown category, unknown id), ``tool_failure``
        (the backend raised)."""
        tool, refused = self._check(name, arguments)
        if tool is None:
            return refused
        try:
            return tool.run(arguments, ctx), None
        except Exception as exc:
            return _failed(tool.name, exc)

    async def acall(self, name: Any, arguments: Any, ctx: ToolContext) -> tuple[ToolResult, str | None]:
        """``call`` inside a rollout in flight: model-backed tools batch with other rollouts' calls."""
        tool, refused = self._check(name, arguments)
        if tool is None:
            return refused
        try:
            return await tool.arun(arguments, ctx), None
        except Exception as exc:
            return _failed(tool.name, exc)

    def _check(self, name: Any, arguments: Any) -> tuple[Tool | None, tuple[ToolResult, str | None]]:
        tool = self.tools.get(name) if isinstance(name, str) else None
        if tool is None:
            known = ", ".join(self.tools)
            return None, (ToolResult(str(name), error=f"unknown tool {name!r}; available tools: {known}"),
                          "unknown_tool")  # fmt: skip
        if not isinstance(arguments, dict):
            return None, (ToolResult(name, error=f"arguments must be a JSON object, got {arguments!r:.80}"),
                          "bad_arguments")  # fmt: skip
        problems = validate(arguments, tool.parameters)
        if problems:
            return None, (ToolResult(name, error="bad arguments: " + "; ".join(problems[:4])), "bad_arguments")
        return tool, (ToolResult(name), None)

    def close(self) -> None:
        seen: set[int] = set()
        for t in self.tools.values():
            for backend in (getattr(t, "detector", None), getattr(t, "pose", None), getattr(t, "imagine", None)):
                if backend is not None and id(backend) not in seen:
                    seen.add(id(backend))
                    backend.close()


def _failed(name: str, exc: Exception) -> tuple[ToolResult, str]:
    """A refused call (``ToolError``) or a backend that raised, as the error the model reads."""
    if isinstance(exc, ToolError):
        return ToolResult(name, error=str(exc)), "tool_error"
    log.warning("tool %s failed: %s", name, exc, exc_info=True)  # a backend bug reaches the model as text
    return ToolResult(name, error=f"the tool failed ({type(exc).__name__}: {exc})"), "tool_failure"


__all__ = ["ToolBox", "ToolContext", "ToolError", "ToolResult"]
