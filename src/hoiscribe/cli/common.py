"""What every command module shares: one way to report an error and stop."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True)


def fail(message: object) -> NoReturn:
    """Print ``error: message`` (literally: brackets in paths or extras are not markup) and exit 2."""
    err_console.print(f"[red]error:[/red] {escape(str(message))}", highlight=False)
    raise typer.Exit(2)
