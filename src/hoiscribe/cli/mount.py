"""Mount the command groups that live in their own modules."""

from __future__ import annotations

import typer


def mount_groups(app: typer.Typer) -> None:
    from hoiscribe.cli import eval_described  # noqa: F401  adds `eval dod` and `eval omnilabel`
    from hoiscribe.cli.agent import tools_app, train_app
    from hoiscribe.cli.check import check
    from hoiscribe.cli.cpr import cpr_app
    from hoiscribe.cli.eval import eval_app
    from hoiscribe.cli.lod import lod_app

    app.add_typer(eval_app, name="eval", help="HICO-DET / SWIG-HOI mAP")
    app.add_typer(tools_app, name="tools", help="Agent tools: list them with their JSON schemas")
    app.add_typer(train_app, name="train", help="Chain-of-thought export, SFT and GRPO (train extra)")
    app.add_typer(lod_app, name="lod", help="Language-based detection on Real-Data: train, predict (lod extra)")
    app.add_typer(cpr_app, name="cpr", help="Composed pose retrieval: img-sets, train, eval, predict (cpr extra)")
    app.command("check")(check)
