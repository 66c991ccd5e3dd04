"""The agent's tool box: the catalog's tools, configured from a stage's ``tools`` options."""

from __future__ import annotations

from typing import Any

from hoiscribe.catalog import TOOLS
from hoiscribe.tools.base import Tool
from hoiscribe.tools.registry import ToolBox


def tool_classes() -> dict[str, type[Tool]]:
    """Every tool in the catalog, in its listed order."""
    return {name: TOOLS.get(name) for name in TOOLS}


def build_toolbox(config: dict[str, Any] | None = None) -> ToolBox:
    """``{"detector": ..., "pose": ..., "enabled": [...]}`` over the catalog's tools."""
    return ToolBox.from_config(config, tool_classes())


def all_tool_specs() -> list[dict[str, Any]]:
    """Specs of every tool in the catalog, backends or not (what ``hoiscribe tools list`` prints)."""
    return [cls.spec() for cls in tool_classes().values()]
