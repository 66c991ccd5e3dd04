"""``hoiscribe cpr img-sets|train|eval|predict``: thin CLI over :mod:`hoiscribe.pose.cpr`.

Training runs data-parallel when launched by accelerate or torchrun, e.g.
``accelerate launch -m hoiscribe cpr train ...`` or ``torchrun --nproc_per_node 2 -m hoiscribe cpr train ...``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from hoiscribe.cli.app import out_console
from hoiscribe.cli.common import fail

cpr_app = typer.Typer(
    help="Composed pose retrieval (AutoComPose on CLIP4Cir): img_set groups, training, R@K / Rs@K (cpr extra).",
    no_args_is_help=True,
    add_completion=False,
)


class StageChoice(StrEnum):
    clip = "clip"
    combiner = "combiner"


class SetupChoice(StrEnum):
    human_1 = "human-1"
    auto_3 = "auto-3"
    auto_3_cycle = "auto-3-cycle"
    mllm_mirror_reverse_3_cycle = "mllm-mirror-reverse_3-cycle"


class BackendChoice(StrEnum):
    transformers = "transformers"
    open_clip = "open_clip"


RootOpt = Annotated[Path, typer.Option("--data-root", help="AutoComPose root: captions/, image_splits/, images/")]
ModelOpt = Annotated[str, typer.Option("--model", help="a CLIP folder / id, or a `cpr train` output folder")]
BackendOpt = Annotated[BackendChoice, typer.Option("--backend", help="CLIP backend for a plain CLIP")]
CacheOpt = Annotated[Path | None, typer.Option("--feature-cache", help="image feature cache folder")]


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call into the library, turning its input errors into ``error: ...`` (exit 2)."""
    from pydantic import ValidationError

    try:
        return fn(*args, **kwargs)
    except ModuleNotFoundError as exc:
        msg = str(exc)
        fail(msg if "hoiscribe[" in msg else f"cpr needs {exc.name or 'a package'}: pip install 'hoiscribe[cpr]'")
    except ValidationError as exc:
        errs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        fail(f"bad training option: {errs}")
    except (ValueError, OSError) as exc:  # CprDataError and DatasetError are ValueErrors
        fail(str(exc))


@cpr_app.command("img-sets")
def img_sets(
    data_root: RootOpt,
    split: Annotated[str, typer.Option("--split")] = "test",
    k: Annotated[int, typer.Option("--k", help="gallery poses nearest the target to add to its group")] = 5,
    output: Annotated[Path | None, typer.Option("--output", help="write here instead of in place")] = None,
    keypoints: Annotated[
        Path | None, typer.Option("--keypoints", help="keypoint file (default keypoints/SPLIT.json)")
    ] = None,
) -> None:
    """Fill each pair's img_set with its target plus the K nearest gallery poses (for Rs@K)."""
    from hoiscribe.pose.cpr.imgsets import fill_img_sets

    counts = _run(fill_img_sets, data_root, split, k, output, keypoints)
    out_console.print(json.dumps(counts), highlight=False, soft_wrap=True)


@cpr_app.command("train")
def train_cmd(
    data_root: RootOpt,
    model: ModelOpt,
    out: Annotated[Path, typer.Option("--out", help="run folder (resumes its newest checkpoint)")],
    stage: Annotated[StageChoice, typer.Option("--stage")] = StageChoice.clip,
    setup: Annotated[SetupChoice, typer.Option("--setup")] = SetupChoice.human_1,
    split: Annotated[str, typer.Option("--split")] = "train",
    backend: BackendOpt = BackendChoice.transformers,
    sets: Annotated[list[str] | None, typer.Option("--set", help="override an option: key=value (JSON value)")] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Train stage clip (text encoder, summed features) or stage combiner (Combiner on cached features)."""
    from hoiscribe.pose.cpr.setups import build_config, parse_value
    from hoiscribe.pose.cpr.train import train

    overrides: dict[str, Any] = {"split": split, "backend": backend.value, "progress": progress}
    if max_steps is not None:
        overrides["max_steps"] = max_steps
    for item in sets or []:
        key, eq, value = item.partition("=")
        if not eq or not key:
            fail(f"--set {item!r}: expected key=value")
        overrides[key.strip()] = parse_value(value)
    cfg = _run(build_config, stage.value, setup.value, model, str(data_root), overrides)
    result = _run(train, cfg, out)
    out_console.print(
        f"trained {cfg.stage} ({cfg.setup}): {result.steps} steps on {result.items} items, "
        f"last loss {result.last_loss:.4f}; dropped {json.dumps(result.dropped)}; {out}",
        highlight=False, soft_wrap=True,
    )  # fmt: skip


@cpr_app.command("eval")
def eval_cmd(
    data_root: RootOpt,
    model: ModelOpt,
    split: Annotated[str, typer.Option("--split")] = "test",
    field: Annotated[str, typer.Option("--field", help="caption field whose text makes the query")] = "sents",
    all_texts: Annotated[bool, typer.Option("--all-texts", help="one query per text, not the first only")] = False,
    backend: BackendOpt = BackendChoice.transformers,
    json_out: Annotated[Path | None, typer.Option("--json-out", help="also write the result here")] = None,
    feature_cache: CacheOpt = None,
) -> None:
    """R@1/5/10/50 over the split's gallery and Rs@1/3/5 over img_set groups, in percent."""
    from hoiscribe.pose.cpr.evaluate import evaluate

    result = _run(evaluate, model, data_root, split, field, all_texts, backend.value, "cpu", feature_cache)
    line = "  ".join(f"{k} {v:.2f}" if v is not None else f"{k} -" for k, v in result.items()
                     if k.startswith("R"))  # fmt: skip
    out_console.print(f"{line}  ({result['queries']} queries, gallery {result['gallery']})", highlight=False)
    if "note" in result:
        out_console.print(result["note"], highlight=False)
    target = json_out or (Path(model) / f"eval-{split}.json" if (Path(model) / "train_config.json").is_file() else None)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, indent=1))
        out_console.print(f"written: {target}", highlight=False, soft_wrap=True)


@cpr_app.command("predict")
def predict_cmd(
    data_root: RootOpt,
    model: ModelOpt,
    reference: Annotated[str, typer.Option("--reference", help="a gallery image name or an image file")],
    text: Annotated[str, typer.Option("--text", help="the transition text")],
    split: Annotated[str, typer.Option("--split")] = "test",
    top_k: Annotated[int, typer.Option("--top-k", min=1)] = 10,
    backend: BackendOpt = BackendChoice.transformers,
    feature_cache: CacheOpt = None,
) -> None:
    """The top-K gallery images for a reference image and a text (JSON lines: rank, image, score)."""
    from hoiscribe.pose.cpr.predict import predict

    for row in _run(predict, model, data_root, reference, text, split, top_k, backend.value, "cpu", feature_cache):
        typer.echo(json.dumps(row))
