"""Built-in stage lists, so ``hoiscribe demo`` and ``annotate`` need no config file."""

from __future__ import annotations

from typing import Any


def grounded_stages() -> list[dict[str, Any]]:
    """describe -> refine -> examine, all on the embedded grounded engine."""
    return [
        {"name": "describe", "task": "describe", "engine": {"name": "grounded"}, "grounding": True},
        {"name": "refine", "task": "refine", "engine": {"name": "grounded"}, "grounding": True},
        {"name": "examine", "task": "examine", "engine": {"name": "grounded"}, "input": "describe"},
    ]
