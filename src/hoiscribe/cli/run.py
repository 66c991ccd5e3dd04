"""Run commands: demo, pipeline, annotate, refine, examine, merge, report, make-tiny-model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from hoiscribe.catalog import ENGINES, EXECUTORS, EXPORTS, READERS, SPLIT_ALIASES, canonical_split
from hoiscribe.cli.app import app, console, out_console
from hoiscribe.cli.common import INCOMPLETE, fail
from hoiscribe.run.config import ConfigError, PipelineConfig, load_config
from hoiscribe.testing.tiny import ALL_FAMILIES

if TYPE_CHECKING:
    from hoiscribe.run.pipeline import RunReport

# every list of choices below comes from the catalog's names (free: nothing behind them is imported)
_ALIASES = "; ".join(f"{ds}: " + ", ".join(f"{a}={full}" for a, full in names.items())
                     for ds, names in SPLIT_ALIASES.items())  # fmt: skip
DatasetOpt = Annotated[str | None, typer.Option("--dataset", help=f"one of {', '.join(READERS.names())}")]
RootOpt = Annotated[Path | None, typer.Option("--data-root", help="dataset root directory")]
SplitOpt = Annotated[
    str | None, typer.Option("--split", help=f"the reader's split name (default: its own), or a short one ({_ALIASES})")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="run directory (default: the config's out, else runs/<dataset>[-<split>])")
]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="override a config key: a.b=value")]
MaxOpt = Annotated[int | None, typer.Option("--max-samples", help="stop after N samples")]


def _flags(**flags: Any) -> list[str]:
    return [f"{k}={v}" for k, v in flags.items() if v is not None]


def _config(path: Path | None, sets: list[str], base: dict[str, Any] | None = None) -> PipelineConfig:
    try:
        cfg = load_config(path, sets, base)
    except ConfigError as exc:
        fail(str(exc))
    return _with_run_defaults(cfg)


def _with_run_defaults(cfg: PipelineConfig) -> PipelineConfig:
    """A short split name resolved (``train`` -> ``train2015``); without ``--out`` or an ``out`` in the
    config, the run directory is the dataset's own, ``runs/<dataset>[-<split>]``, never another's run."""
    update: dict[str, Any] = {}
    split = canonical_split(cfg.dataset, cfg.split)
    if split != cfg.split:
        update["split"] = split
    if "out" not in cfg.model_fields_set:
        update["out"] = default_out(cfg.dataset, split)
    return cfg.model_copy(update=update) if update else cfg


def default_out(dataset: str, split: str | None = None) -> str:
    """The run directory of a run given neither ``--out`` nor a config ``out``."""
    return f"runs/{dataset}-{split}" if split else f"runs/{dataset}"


def _execute(cfg: PipelineConfig, only: list[str] | None = None) -> Path | None:
    """Run with the configured executor and print where the output is."""
    from hoiscribe.catalog import EXECUTORS
    from hoiscribe.core.io import DiskFullError
    from hoiscribe.datasets.base import DatasetError
    from hoiscribe.engines.base import EngineError, EngineFatalError
    from hoiscribe.run.attempt import StageStopped
    from hoiscribe.run.lock import RunLockedError

    try:
        result = EXECUTORS.get(cfg.executor)(cfg, only=only, console=console).run()
    except (StageStopped, EngineFatalError, DiskFullError) as exc:  # stopped early, none blamed: a rerun resumes
        fail(str(exc), INCOMPLETE)
    except (ConfigError, DatasetError, EngineError, ValueError, RunLockedError) as exc:
        fail(str(exc))
    for report in result.reports:  # ranks of this process; Ray actors send back counts only
        _print_read(report)
        _print_changed(report)
    if result.merged_path is None:
        if result.reports:
            r = result.reports[0]
            out_console.print(f"rank {r.rank}/{r.world_size} finished; other ranks still running. Run dir: {cfg.out}")
        else:
            n = result.world_size
            out_console.print(f"all {n} ranks finished, but a stage left out by --only is not done; not merged. "
                              f"Run dir: {cfg.out}")  # fmt: skip
    else:
        _print_stats(Path(cfg.out))
        out_console.print(f"merged output: {result.merged_path}")
    if result.failed_stages:  # after the table: not every sample is done, so exit 1
        fail(f"stage(s) {', '.join(result.failed_stages)} ended with failed rows the engine never answered "
             "(see the table above)", INCOMPLETE)  # fmt: skip
    return result.merged_path


def _print_changed(report: RunReport) -> None:
    """One line: samples redone because their input (annotation, image) changed since their rows were written."""
    n = max((s.counts.get("input_changed", 0) for s in report.stages), default=0)  # counted in every stage it reran
    if n:
        console.print(f"{n} sample{'s' if n != 1 else ''} changed since the last run: redone")


def _print_read(report: RunReport) -> None:
    """What the dataset reader joined and dropped, as read by this rank."""
    matched = report.read.stats.get("keypoints_matched")
    if matched is not None:
        n = report.read.stats.get("pairs", len(report.read.samples))  # a streamed read keeps no samples
        console.print(f"keypoints joined to {matched} of {n} samples (Halpe, box IoU >= 0.5)")
    if report.read.dropped:
        from hoiscribe.run.rundir import RunDir

        console.print(f"[yellow]{len(report.read.dropped)} record(s) dropped while reading[/yellow]")
        kinds = report.read.drop_summary()  # kind (as its first drop's message) -> count, most first
        for example, n in list(kinds.items())[:DROP_KINDS_SHOWN]:
            console.print(f"  {n} x {'e.g. ' if n > 1 else ''}{escape(example)}", highlight=False)
        if len(kinds) > DROP_KINDS_SHOWN:
            more = len(kinds) - DROP_KINDS_SHOWN
            where = escape(str(RunDir(report.out).reader_drops_path))
            console.print(f"  {more} more kind{'s' if more != 1 else ''}, see {where}", highlight=False)


DROP_KINDS_SHOWN = 10


def _print_stats(run_dir: Path) -> None:
    from hoiscribe.run.rundir import RunDir

    stats = json.loads(RunDir(run_dir).stats_path.read_text())
    table = Table(title=f"{run_dir} ({stats['records']} records)")
    for col in ("stage", "ok", "dropped", "failed", "retried", "http retries", "tokens out"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    for name, s in stats["stages"].items():
        st = s["status"]
        table.add_row(
            name,
            str(st.get("ok", 0)),
            str(st.get("dropped", 0)),
            str(st.get("failed", 0)),
            str(s["retried_rows"]),
            str(s.get("http_retries", 0)),  # absent from runs merged before it was counted
            str(s["completion_tokens"]),
        )
    console.print(table)


@app.command()
def demo(out: Annotated[Path, typer.Option("--out", help="run directory")] = Path("runs/demo")) -> None:
    """Annotate the bundled demo set with all three stages on the grounded engine."""
    from hoiscribe.run.defaults import grounded_stages

    base = {"dataset": "demo", "out": str(out), "stages": grounded_stages(), "samples_per_unit": 8}
    if _execute(_config(None, [], base)) is not None:
        _write_report(out)


def _write_report(run_dir: Path) -> None:
    try:
        from hoiscribe.report import build_report
    except ImportError:  # the gallery module is optional in slim builds
        return
    out_console.print(f"report: {build_report(run_dir)}")


@app.command()
def report(run_dir: Annotated[Path, typer.Argument(help="a hoiscribe run directory")]) -> None:
    """Write a self-contained HTML gallery of a run (images, skeletons, every stage's text)."""
    from hoiscribe.core.io import MergeError
    from hoiscribe.run.rundir import RunDir

    try:
        RunDir(run_dir).manifest  # noqa: B018 - refuse a folder that is not a run
    except MergeError as exc:
        fail(str(exc))
    _write_report(run_dir)


@app.command()
def pipeline(
    config: Annotated[Path, typer.Argument(help="pipeline YAML")],
    dataset: DatasetOpt = None,
    data_root: RootOpt = None,
    split: SplitOpt = None,
    out: OutOpt = None,
    max_samples: MaxOpt = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="run only this stage (repeatable)")] = None,
    executor: Annotated[
        str | None, typer.Option("--executor", help=f"one of {', '.join(EXECUTORS.names())} (default: the config's)")
    ] = None,
    set_: SetOpt = None,
) -> None:
    """Run every stage of a pipeline config (resumes whatever is already done)."""
    sets = _flags(dataset=dataset, data_root=data_root, split=split, out=out, max_samples=max_samples,
                  executor=executor) + list(set_ or [])  # fmt: skip
    cfg = _config(config, sets)
    names = [s.name for s in cfg.stages]
    for name in only or []:
        if name not in names:
            fail(f"--only {name!r}: no such stage in {config}; stages: {', '.join(names)}")
    _execute(cfg, only)


def _single_stage(
    task: str,
    config: Path | None,
    engine: str,
    model: str | None,
    engine_opt: list[str] | None,
    sets: list[str],
    out: Path | None,
) -> None:
    """Run one stage; refine/examine add their stage to an existing run directory."""
    from hoiscribe.core.io import MergeError
    from hoiscribe.run.rundir import RunDir

    stage: dict[str, Any] = {"name": task, "task": task, "engine": {"name": engine, "model": model}}
    for opt in engine_opt or []:
        key, _, value = opt.partition("=")
        stage["engine"].setdefault("options", {})[key] = _yaml_value(value)
    if task == "describe":
        base: dict[str, Any] = {"stages": [stage]}
    else:
        if out is None:
            fail(f"{task} needs --out: the run directory whose earlier stages it reads")
        try:
            base = dict(RunDir(out).manifest.config)
        except MergeError as exc:
            fail(str(exc))
        base["out"] = str(out)  # the manifest's own may be relative to another working directory
        base["stages"] = [s for s in base["stages"] if s["name"] != task] + [stage]
    cfg = _config(config, sets, base)
    _execute(cfg, only=[task])


def _yaml_value(value: str) -> Any:
    import yaml

    return yaml.safe_load(value)


EngineOpt = Annotated[
    str, typer.Option("--engine", help=f"one of {', '.join(ENGINES.names())}, or package.module:Class (a plug-in)")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="model folder or served model name")]
EngineOptOpt = Annotated[list[str] | None, typer.Option("--engine-opt", help="engine option key=value")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="optional pipeline YAML to start from")]


@app.command()
def annotate(
    dataset: DatasetOpt = None,
    data_root: RootOpt = None,
    split: SplitOpt = None,
    engine: EngineOpt = "grounded",
    model: ModelOpt = None,
    engine_opt: EngineOptOpt = None,
    out: OutOpt = None,
    max_samples: MaxOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
) -> None:
    """Write long descriptions (stage 1) and the seed-format merged JSON."""
    sets = _flags(dataset=dataset, data_root=data_root, split=split, out=out, max_samples=max_samples)
    _single_stage("describe", config, engine, model, engine_opt, sets + list(set_ or []), out)


def _later_stage(task: str, summary: str) -> None:
    """Register ``hoiscribe refine`` / ``examine``: one stage added to an existing run directory."""

    def command(
        out: Annotated[Path | None, typer.Option("--out", help="the run directory to add this stage to")] = None,
        engine: EngineOpt = "grounded",
        model: ModelOpt = None,
        engine_opt: EngineOptOpt = None,
        config: ConfigOpt = None,
        set_: SetOpt = None,
    ) -> None:
        _single_stage(task, config, engine, model, engine_opt, list(set_ or []), out)

    command.__doc__ = summary
    app.command(task)(command)


_later_stage("refine", "Add refined 2-3 sentence versions to a run directory (stage 2).")
_later_stage("examine", "Add examiner verdicts to a run directory (stage 3).")


@app.command()
def merge(
    output_path: Annotated[Path, typer.Option("--output-path", help="file to write")],
    run_dir: Annotated[Path | None, typer.Option("--run-dir", help="a hoiscribe run directory")] = None,
    fmt: Annotated[str, typer.Option("--format", help=f"one of {', '.join(EXPORTS.names())}")] = "seed",
    input_dir: Annotated[Path | None, typer.Option("--input-dir", help="folder of per-rank JSON files")] = None,
    pattern: Annotated[str, typer.Option("--pattern", help="glob for per-rank files")] = "labels_*.json",
) -> None:
    """Merge a run directory (in any export format), or the reference implementation's per-rank files."""
    from hoiscribe.core.io import DiskFullError
    from hoiscribe.run.merge import MergeError, export_run, merge_rank_files

    try:
        if run_dir is not None:
            path = export_run(run_dir, output_path, fmt)
            out_console.print(f"merged output ({fmt}): {path}")
        elif input_dir is not None:
            n, dups = merge_rank_files(input_dir, pattern, output_path)
            out_console.print(f"merged {n} records ({dups} duplicates dropped): {output_path}")
        else:
            fail("give --run-dir or --input-dir")
    except MergeError as exc:
        fail(str(exc))
    except DiskFullError as exc:  # nothing half-written is left; a rerun writes it whole
        fail(str(exc), INCOMPLETE)
    except OSError as exc:  # an output path in a missing or read-only folder, or naming a folder
        fail(f"cannot write {output_path}: {exc.strerror or exc}")


@app.command("make-tiny-model")
def make_tiny_model(
    family: Annotated[str, typer.Option("--family", help=f"one of {', '.join(ALL_FAMILIES)}")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the model to")],
) -> None:
    """Write a tiny random-weight model of a family (offline), for tests and dry runs."""
    from hoiscribe.engines.base import EngineError
    from hoiscribe.testing.tiny import make_tiny_model as make

    try:
        path = make(family, out)
    except ModuleNotFoundError as exc:
        fail(f"make-tiny-model needs the hf extra ({exc.name} missing): pip install 'hoiscribe[hf]'")
    except (EngineError, OSError) as exc:
        fail(str(exc))
    out_console.print(f"tiny {family} model: {path}")
