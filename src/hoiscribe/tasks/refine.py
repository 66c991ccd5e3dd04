"""refine: 2-3 sentences aligned with the HOI label, keeping only supported claims."""

from hoiscribe.tasks.base import Task

REFINE = Task(name="refine", template="refine.j2", needs_image=False, checkable=True)
