"""Task names -> task objects."""

from hoiscribe.tasks.base import Task
from hoiscribe.tasks.describe import DESCRIBE
from hoiscribe.tasks.examine import EXAMINE
from hoiscribe.tasks.refine import REFINE

TASKS: dict[str, Task] = {t.name: t for t in (DESCRIBE, REFINE, EXAMINE)}


def get_task(name: str) -> Task:
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    return TASKS[name]
