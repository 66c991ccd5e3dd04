"""Task names -> task objects, imported lazily so each task module loads only when used.

Adding a task is one entry here: ``name: "module:ATTRIBUTE"``.
"""

from __future__ import annotations

import importlib
from functools import cache

from hoiscribe.tasks.base import Task

TASK_PATHS: dict[str, str] = {
    "describe": "hoiscribe.tasks.describe:DESCRIBE",
    "refine": "hoiscribe.tasks.refine:REFINE",
    "examine": "hoiscribe.tasks.examine:EXAMINE",
    "transition": "hoiscribe.tasks.transition:TRANSITION",
    "transition_composite": "hoiscribe.tasks.transition:TRANSITION_COMPOSITE",
    "hoi_reason": "hoiscribe.tasks.hoi_reason:HOI_REASON",
    "expressions": "hoiscribe.tasks.expressions:EXPRESSIONS",
}
TASKS: dict[str, Task] = {}  # loaded tasks; tests may replace entries


@cache
def _load(path: str) -> Task:
    module, attr = path.split(":", 1)
    return getattr(importlib.import_module(module), attr)


def get_task(name: str) -> Task:
    """The task registered under ``name``; ``KeyError`` listing the known ones otherwise."""
    if name not in TASKS:
        if name not in TASK_PATHS:
            raise KeyError(f"unknown task {name!r}; choose one of {', '.join(TASK_PATHS)}")
        TASKS[name] = _load(TASK_PATHS[name])
    return TASKS[name]
