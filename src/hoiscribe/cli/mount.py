"""Mount the command groups that live in their own modules."""

from __future__ import annotations

import typer


def mount_groups(app: typer.Typer) -> None:
    from hoiscribe.cli.agent import tools_app, train_app
    from hoiscribe.cli.check import check
    from hoiscribe.cli.eval import eval_app

    app.add_typer(eval_app, name="eval", help="HICO-DET / SWIG-HOI mAP")
    app.add_typer(tools_app, name="tools", help="Agent tools: list them with their JSON schemas")
    app.add_typer(train_app, name="train", help="Chain-of-thought export, SFT and GRPO (train extra)")
    app.command("check")(check)
