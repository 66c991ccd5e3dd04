"""describe: the long description of one person and their interaction."""

from hoiscribe.tasks.base import Task

DESCRIBE = Task(name="describe", template="describe.j2", checkable=True)
