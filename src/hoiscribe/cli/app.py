"""The ``hoiscribe`` Typer application and its consoles; command groups register on it."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console


class CliConsole(Console):
    """rich's Console, except that output into a file or a pipe is never wrapped.

    A terminal still wraps at its width; a log, CI output or ``2>err.txt`` keeps every message
    (an error naming a long path, a drop reason) on one line, whatever ``COLUMNS`` says. Decided
    per call, so a console made at import follows where its stream points when it prints.
    """

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        if soft_wrap is None and not self.is_terminal:
            soft_wrap = True
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Grounded language for human-centric image datasets: describe, refine, examine, evaluate.",
)
console = CliConsole(stderr=True)  # progress, tables, warnings
out_console = CliConsole()  # the paths a command wrote
