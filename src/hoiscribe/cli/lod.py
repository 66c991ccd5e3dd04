"""``hoiscribe lod train|predict|demo|dcube``: language-based detection on Real-Data (``lod`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from hoiscribe.cli.app import out_console
from hoiscribe.cli.common import fail

lod_app = typer.Typer(
    help="Train and run a Grounding DINO-family detector on Real-Data (Real-LOD's Real-Model).",
    no_args_is_help=True,
    add_completion=False,
)
_EXTRA = "pip install 'hoiscribe[lod]'"


def _missing(exc: ModuleNotFoundError) -> None:
    fail(f"lod needs the package '{exc.name}'. Install it with: {_EXTRA}")


@lod_app.command("train")
def train_command(
    data: Annotated[Path, typer.Option("--data", help="Real-Data JSONL (merge --format realdata).")],
    images: Annotated[Path, typer.Option("--images", help="Folder the lines' filenames are relative to.")],
    model: Annotated[str, typer.Option("--model", help="Model folder or hub id (grounding_dino family).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder; rerun with the same one to resume.")],
    epochs: Annotated[int, typer.Option(help="Passes over the data.")] = 1,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many optimizer steps.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Images per device per step.")] = 2,
    grad_accum: Annotated[int, typer.Option("--grad-accum", help="Batches per optimizer step.")] = 1,
    lr: Annotated[float, typer.Option(help="AdamW learning rate.")] = 1e-4,
    warmup_steps: Annotated[int, typer.Option("--warmup-steps")] = 0,
    workers: Annotated[int, typer.Option(help="Data-loader worker processes.")] = 2,
    mixed_precision: Annotated[str, typer.Option("--mixed-precision", help="auto, no, bf16 or fp16.")] = "auto",
    save_every: Annotated[int, typer.Option("--save-every", help="Checkpoint every N optimizer steps.")] = 200,
    log_every: Annotated[int, typer.Option("--log-every", help="Metrics row every N steps.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of sampling, order and initialisation.")] = 0,
    max_phrases: Annotated[int, typer.Option("--max-phrases", help="Positives + negatives per prompt.")] = 85,
    max_positives: Annotated[int, typer.Option("--max-positives", help="Positive phrases per prompt.")] = 8,
    global_negatives: Annotated[int, typer.Option("--global-negatives", help="Negatives from other images.")] = 0,
    sources: Annotated[list[str] | None, typer.Option("--source", help="Train on these pair sources only.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Fine-tune on Real-Data with the model's own loss; resumes from the newest checkpoint in --out."""
    from pydantic import ValidationError

    try:
        from hoiscribe.expressions.lod.sampling import SamplingOptions
        from hoiscribe.expressions.lod.trainer import LodError, TrainConfig, train
    except ModuleNotFoundError as exc:
        _missing(exc)
    if not data.is_file():
        fail(f"--data {data}: no such file")
    try:
        sampling = SamplingOptions(seed=seed, max_phrases=max_phrases, max_positives=max_positives,
                                   global_negatives=global_negatives, sources=sources or None)  # fmt: skip
        cfg = TrainConfig(data=data, images=images, model=model, out=out, epochs=epochs, max_steps=max_steps,
                          batch_size=batch_size, grad_accum=grad_accum, lr=lr, warmup_steps=warmup_steps,
                          workers=workers, mixed_precision=mixed_precision, save_every=save_every,
                          log_every=log_every, progress=progress, sampling=sampling)  # fmt: skip
        result = train(cfg)
    except ValidationError as exc:
        fail(f"bad option: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
    except ModuleNotFoundError as exc:
        _missing(exc)
    except (LodError, OSError) as exc:
        fail(str(exc))
    resumed = f", resumed from step {result.resumed_from}" if result.resumed_from else ""
    out_console.print(f"trained {result.steps} steps on {result.images} images{resumed}; "
                      f"{len(result.drops.drops)} dropped (see {out / 'drops.json'})", highlight=False)  # fmt: skip
    out_console.print(f"model: {result.final}\nmetrics: {result.metrics}", highlight=False)


@lod_app.command("predict")
def predict_command(
    model: Annotated[str, typer.Option("--model", help="Trained folder (lod train's out/final) or hub id.")],
    queries: Annotated[Path, typer.Option("--queries", help="Real-Data JSONL, D-cube or OmniLabel JSON.")],
    images: Annotated[Path, typer.Option("--images", help="Folder the file names are relative to.")],
    output: Annotated[Path, typer.Option("--output", help="Prediction JSON (COCO result list).")],
    threshold: Annotated[float, typer.Option(help="Keep boxes scoring at least this.")] = 0.1,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Expressions per forward batch.")] = 16,
    top_k: Annotated[int, typer.Option("--top-k", help="Boxes kept per expression.")] = 100,
    device: Annotated[str, typer.Option(help="auto, cpu, cuda, cuda:1, ...")] = "auto",
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Boxes for every expression of every image, one forward pass per expression."""
    try:
        from hoiscribe.expressions.lod.predict import predict, read_queries
        from hoiscribe.expressions.lod.trainer import LodError
    except ModuleNotFoundError as exc:
        _missing(exc)
    if not queries.is_file():
        fail(f"--queries {queries}: no such file")
    try:
        results, skipped = predict(model, read_queries(queries), images, threshold, batch_size, top_k, device,
                                   progress)  # fmt: skip
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(orjson.dumps(results))
    except ModuleNotFoundError as exc:
        _missing(exc)
    except (LodError, OSError) as exc:
        fail(str(exc))
    for s in skipped:
        out_console.print(f"skipped image {s['image_id']} ({s['field']}): {s['reason']}", highlight=False)
    out_console.print(f"{len(results)} boxes ({len(skipped)} images skipped): {output}", highlight=False)


@lod_app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for scenes, Real-Data and D-cube files.")],
) -> None:
    """Draw the expression demo scenes with Real-Data and D-cube files, to try train -> predict -> eval."""
    from hoiscribe.expressions.lod.demo import realdata_to_dcube, write_demo_realdata
    from hoiscribe.expressions.lod.realdata_io import read_realdata

    data = write_demo_realdata(out)
    files = realdata_to_dcube(read_realdata(data, out)[0], out / "dcube")
    out_console.print(f"Real-Data: {data}\nimages: {out}\nD-cube: {files['full'].parent}", highlight=False)


@lod_app.command("dcube")
def dcube_command(
    data: Annotated[Path, typer.Option("--data", help="Real-Data JSONL to score on (a held-out split).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for d3_{full,pres,abs}_annotations.json.")],
) -> None:
    """D-cube FULL/PRES/ABS annotation files from Real-Data: each expression is a description."""
    from hoiscribe.expressions.lod.demo import realdata_to_dcube
    from hoiscribe.expressions.lod.realdata_io import read_realdata

    if not data.is_file():
        fail(f"--data {data}: no such file")
    entries, log = read_realdata(data)
    files = realdata_to_dcube(entries, out)
    out_console.print(f"{len(entries)} images ({len(log.drops)} lines dropped): {files['full'].parent}",
                      highlight=False)  # fmt: skip
