"""``hoiscribe tools ...`` and ``hoiscribe train ...``: thin CLI over tools/ and train/.

Mounted by ``cli.py`` with ``app.add_typer(tools_app, name="tools")`` and
``app.add_typer(train_app, name="train")``; ``cot_export`` is ``hoiscribe train cot-export``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hoiscribe.cli.common import fail

tools_app = typer.Typer(help="Agent tools: list them with their JSON schemas.", no_args_is_help=True,
                        add_completion=False)  # fmt: skip
train_app = typer.Typer(help="Chain-of-thought export and SFT / GRPO training (needs the train extra).",
                        no_args_is_help=True, add_completion=False)  # fmt: skip


@tools_app.command("list")
def tools_list(
    as_json: Annotated[bool, typer.Option("--json", help="print the OpenAI tools array as JSON")] = False,
) -> None:
    """Every tool with its description and JSON schema for arguments."""
    from hoiscribe.agent.toolbox import all_tool_specs

    specs = all_tool_specs()
    if as_json:
        typer.echo(json.dumps(specs, indent=1))
        return
    for spec in specs:
        fn = spec["function"]
        typer.echo(f"{fn['name']}: {fn['description']}")
        typer.echo(json.dumps(fn["parameters"], indent=1))
        typer.echo("")


@train_app.command("cot-export")
def cot_export(
    run_dir: Annotated[Path, typer.Option("--run-dir", help="a hoiscribe run with a hoi_reason stage")],
    out: Annotated[Path, typer.Option("--out", help="folder for cot.jsonl, cot_llamafactory.json, stats.json")],
    threshold: Annotated[float, typer.Option("--threshold", help="keep chains with accuracy reward >= this")] = 0.5,
    stage: Annotated[str | None, typer.Option("--stage", help="hoi_reason stage name (default: the last)")] = None,
) -> None:
    """Keep the chains whose final answer matches the GT; write them as a chat training set."""
    from hoiscribe.agent.export import export_cot
    from hoiscribe.core.io import MergeError
    from hoiscribe.run.rundir import RunDir

    try:
        stats = export_cot(RunDir(run_dir), out, threshold=threshold, stage=stage)
    except (MergeError, ValueError, OSError) as exc:
        fail(str(exc))
    typer.echo(json.dumps(stats, indent=1))


@train_app.command("sft")
def sft(
    data: Annotated[Path, typer.Option("--data", help="cot.jsonl from cot-export")],
    model: Annotated[Path, typer.Option("--model", help="model folder (e.g. Qwen2.5-VL)")],
    out: Annotated[Path, typer.Option("--out", help="output folder")],
    max_steps: Annotated[int, typer.Option("--max-steps", help="-1: one pass over the data")] = -1,
    lr: Annotated[float, typer.Option("--lr")] = 1e-5,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 1,
    max_length: Annotated[int | None, typer.Option("--max-length", help="truncate sequences (tokens)")] = None,
) -> None:
    """Supervised fine-tuning on exported chains (TRL SFTTrainer)."""
    from hoiscribe.agent.trainers import TrainSetupError, run_sft

    try:
        path = run_sft(data, model, out, max_steps=max_steps, learning_rate=lr, batch_size=batch_size,
                       max_length=max_length)  # fmt: skip
    except TrainSetupError as exc:
        fail(str(exc))
    typer.echo(f"saved {path}")


@train_app.command("grpo")
def grpo(
    model: Annotated[Path, typer.Option("--model", help="model folder (usually the SFT output)")],
    out: Annotated[Path, typer.Option("--out", help="output folder")],
    mode: Annotated[
        str | None, typer.Option("--mode", help="multi-turn (live tools) or final-turn (default with --data)")
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help="final-turn: cot.jsonl from cot-export")] = None,
    dataset: Annotated[str, typer.Option("--dataset", help="multi-turn: dataset reader (prompts + GT)")] = "hico",
    data_root: Annotated[Path | None, typer.Option("--data-root", help="multi-turn: dataset root")] = None,
    split: Annotated[str | None, typer.Option("--split")] = None,
    max_samples: Annotated[int | None, typer.Option("--max-samples")] = None,
    tools: Annotated[str | None, typer.Option("--tools", help="multi-turn: tool box as JSON")] = None,
    max_calls: Annotated[int, typer.Option("--max-calls", help="multi-turn: tool calls per rollout")] = 6,
    max_turns: Annotated[int, typer.Option("--max-turns", help="multi-turn: assistant turns per rollout")] = 4,
    max_steps: Annotated[int, typer.Option("--max-steps", help="-1: one pass over the data")] = -1,
    lr: Annotated[float, typer.Option("--lr")] = 5e-7,
    num_generations: Annotated[int, typer.Option("--num-generations", help="rollouts per prompt")] = 4,
    max_completion_length: Annotated[int, typer.Option("--max-completion-length")] = 1024,
    weights: Annotated[str, typer.Option("--weights", help="accuracy,format,tool,spatial")] = "1.0,0.2,0.3,0.3",
) -> None:
    """GRPO with the four HOI rewards: whole multi-turn rollouts with live tools, or the final turn only."""
    from hoiscribe.agent.rewards import RewardWeights
    from hoiscribe.agent.trainers import TrainSetupError, run_grpo, run_grpo_live

    try:
        a, f, t, s = (float(v) for v in weights.split(","))
    except ValueError:
        fail(f"--weights needs four comma-separated numbers, got {weights!r}")
    w = RewardWeights(accuracy=a, format=f, tool=t, spatial=s)
    mode = mode or ("final-turn" if data is not None else "multi-turn")
    try:
        if mode == "final-turn":
            if data is None:
                fail("--mode final-turn needs --data (cot.jsonl)")
            path = run_grpo(data, model, out, max_steps=max_steps, learning_rate=lr, num_generations=num_generations,
                            max_completion_length=max_completion_length, weights=w)  # fmt: skip
        elif mode == "multi-turn":
            if data_root is None:
                fail("--mode multi-turn needs --data-root (and --dataset)")
            try:
                tool_config = json.loads(tools) if tools else None
            except ValueError as exc:
                fail(f"--tools is not JSON: {exc}")
            path = run_grpo_live(dataset, data_root, model, out, split=split, max_samples=max_samples,
                                 tools=tool_config, max_calls=max_calls, max_turns=max_turns, max_steps=max_steps,
                                 learning_rate=lr, num_generations=num_generations,
                                 max_completion_length=max_completion_length, weights=w)  # fmt: skip
        else:
            fail(f"--mode must be multi-turn or final-turn, got {mode!r}")
    except TrainSetupError as exc:
        fail(str(exc))
    typer.echo(f"saved {path}")
