"""The ``hoiscribe`` Typer application and its consoles; command groups register on it."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Grounded language for human-centric image datasets: describe, refine, examine, evaluate.",
)
console = Console(stderr=True)  # progress, tables, warnings
out_console = Console()  # the paths a command wrote
