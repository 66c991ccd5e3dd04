"""What every command module shares: one way to report an error and stop.

Exit codes (README, "Exit codes"): 0 done; 1 the run stopped early (its engine could serve no
request; a rerun resumes it) or a stage ended with ``failed`` rows the engine never answered; 2 bad
usage, configuration or input.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.markup import escape

from hoiscribe.cli.app import CliConsole

err_console = CliConsole(stderr=True)  # not wrapped when stderr is a file or pipe


USAGE, INCOMPLETE = 2, 1


def fail(message: object, code: int = USAGE) -> NoReturn:
    """Print ``error: message`` on one line (literally: brackets in paths or extras are not markup) and exit
    with ``code``: 2 (bad usage, config or input) unless told, 1 for a run left incomplete."""
    err_console.print(f"[red]error:[/red] {escape(str(message))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
