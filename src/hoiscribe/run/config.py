"""Pipeline configuration: one YAML file, validated, plus ``--set key=value`` overrides."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(ValueError):
    """A configuration that cannot run, with the file and key at fault."""


# config values that become a path component inside the run directory (stage names)
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngineConfig(_Strict):
    name: str = "grounded"  # a registered engine or "package.module:Class"
    model: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class SamplingConfig(_Strict):
    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 512
    seed: int = 0


class GroundingConfig(_Strict):
    extractor: EngineConfig | None = None

    def __bool__(self) -> bool:
        return True


class StageConfig(_Strict):
    name: str
    task: str  # a task named in hoiscribe.catalog.TASKS
    engine: EngineConfig = Field(default_factory=EngineConfig)
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)
    input: str | None = None  # stage whose output this stage reads; default: the previous one
    concurrency: int = Field(8, ge=1)  # requests (or batches) in flight
    batch_size: int = Field(1, ge=1)  # requests per engine call, for engines that batch themselves
    max_attempts: int = Field(3, ge=1)  # for transient failures
    backoff_s: float = Field(0.5, ge=0)
    timeout_s: float | None = Field(None, gt=0)
    max_pixels: int = Field(1024 * 1024, gt=0)
    # images whose header claims more pixels are dropped before decoding (decompression bombs); the
    # default (engines.images.DEFAULT_MAX_IMAGE_PIXELS) is above any real photo, see there
    max_image_pixels: int = Field(100_000_000, gt=0)
    draw_boxes: bool = False  # draw the person (green) and object (red) boxes on the image
    cache: bool | None = None  # request cache; default on for every engine except grounded
    # store the grounding check per row (default on except for grounded); {extractor: {name, model, options}}
    # checks with an LLM claim extractor judged by the same rules (hoi_text.extractor), rule tier on failure
    grounding: bool | GroundingConfig | None = None
    verify: list[Literal["grounding", "examiner"]] = Field(default_factory=list)  # the reflection loop
    reflect_attempts: int = Field(3, ge=1)  # attempts per sample when verify finds problems
    examiner: EngineConfig | None = None  # engine for verify: [examiner]; default: this stage's engine

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        """The name is a folder in the run directory (``stages/<name>/``, ``cache/<name>/``)."""
        if not SAFE_NAME.fullmatch(name) or ".." in name:
            raise ValueError(f"{name!r} is not a safe stage name: it names the stage's folders in the run "
                             "directory, so use 1-64 letters, digits, '_', '.' or '-', starting with a letter "
                             "or digit, without '..'")  # fmt: skip
        return name


class PipelineConfig(_Strict):
    dataset: str = "demo"  # a reader named in hoiscribe.catalog.READERS
    data_root: str | None = None
    split: str | None = None
    out: str = "runs/demo"
    max_samples: int | None = Field(None, ge=1)
    reader: dict[str, Any] = Field(default_factory=dict)  # extra reader options
    samples_per_unit: int = Field(512, ge=1)
    image_workers: int = Field(2, ge=1)
    # what identifies a sample's image file in its input digest (resume redoes a sample whose digest
    # changed): "stat" = path + size + mtime (one os.stat per image); "hash" = a hash of the file's
    # bytes (reads every image once per run; ignores touch/copy/move, catches same-size edits)
    image_identity: Literal["stat", "hash"] = "stat"
    executor: str = "local"  # a name in hoiscribe.catalog.EXECUTORS: local, ranks (torchrun/Slurm), ray
    ray: dict[str, Any] = Field(default_factory=dict)  # e.g. {"num_workers": 2, "num_gpus_per_worker": 1}
    progress: bool = True
    stages: list[StageConfig] = Field(min_length=1)

    @field_validator("executor")
    @classmethod
    def _check_executor(cls, name: str) -> str:
        from hoiscribe.catalog import EXECUTORS

        if name not in EXECUTORS:
            raise ValueError(EXECUTORS.unknown_message(name))
        return name

    @model_validator(mode="after")
    def _check_stages(self) -> PipelineConfig:
        from hoiscribe.catalog import READERS, TASKS

        if self.dataset not in READERS:
            raise ValueError(READERS.unknown_message(self.dataset))

        names = [s.name for s in self.stages]
        for s in self.stages:
            if s.task not in TASKS:
                raise ValueError(f"stage {s.name!r}: {TASKS.unknown_message(s.task)}")
        if len(set(names)) != len(names):
            raise ValueError(f"stage names must be unique, got {names}")
        for i, s in enumerate(self.stages):
            if s.input is not None and s.input not in names[:i]:
                raise ValueError(f"stage {s.name!r}: input {s.input!r} is not an earlier stage")

        # engine options against each engine's options model: a typo fails here, before any model loads
        from pydantic_core import PydanticCustomError

        from hoiscribe.catalog import ENGINES, engine_class
        from hoiscribe.engines.base import Engine, engine_option_problems

        def resolve(name: str) -> type[Engine] | None:
            """A registered engine or a module:Class plug-in; None where construction will report it."""
            if name not in ENGINES and ":" not in name:
                return None
            try:
                return engine_class(name)  # imports the engine's module only: nothing is built or started
            except Exception:  # a missing extra, a broken plug-in
                return None

        problems: list[str] = []
        for s in self.stages:
            for role, engine in (("engine", s.engine), ("examiner", s.examiner)):
                if engine is None:
                    continue
                for p in engine_option_problems(engine.name, engine.options, resolve):
                    where = f"stages.{s.name}.{role}.options.{p.path}" if p.path else f"stages.{s.name}.{role}.options"
                    problems.append(f"{where}: engine {p.engine!r}: {p.message}")
        if problems:
            listed = "\n  ".join(problems)
            raise PydanticCustomError("engine_options", "invalid engine options:\n  {problems}", {"problems": listed})
        return self

    def resolved_data_root(self) -> Path:
        """The dataset root; the self-drawing demo sets live inside the run directory unless one is given."""
        from hoiscribe.catalog import SELF_GENERATED

        if self.data_root is not None:
            return Path(self.data_root)
        if self.dataset in SELF_GENERATED:
            return Path(self.out) / f"{self.dataset.replace('_', '-')}-data"
        raise ValueError(f"dataset {self.dataset!r} needs --data-root")

    def input_of(self, index: int) -> int | None:
        """Index of the stage whose output stage ``index`` reads (None for the first)."""
        if index == 0:
            return None
        name = self.stages[index].input
        return index - 1 if name is None else [s.name for s in self.stages].index(name)


def _coerce(value: str) -> Any:
    """Values of ``--set`` are YAML scalars: numbers, booleans, null, or strings."""
    return yaml.safe_load(value) if value != "" else ""


def apply_override(data: dict[str, Any], assignment: str) -> None:
    """Apply ``a.b.c=value``; list items (stages) are addressed by their ``name`` or index."""
    if "=" not in assignment:
        raise ConfigError(f"--set expects key=value, got {assignment!r}")
    key, value = assignment.split("=", 1)
    parts = key.strip().split(".")
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            match = [j for j, item in enumerate(node) if isinstance(item, dict) and item.get("name") == part]
            if match:
                idx = match[0]
            elif part.isdigit() and int(part) < len(node):
                idx = int(part)
            else:
                raise ConfigError(f"--set {key}: no list item named {part!r}")
            if last:
                node[idx] = _coerce(value)
            else:
                node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = _coerce(value)
            else:
                node = node.setdefault(part, {})
        else:
            raise ConfigError(f"--set {key}: {'.'.join(parts[:i])} is not a mapping or list")


def load_config(
    path: Path | None, overrides: list[str] | None = None, base: dict[str, Any] | None = None
) -> PipelineConfig:
    """Read YAML (or start from ``base``), apply overrides, validate; errors name file and key."""
    data: dict[str, Any] = dict(base or {})
    source = "config"
    if path is not None:
        source = str(path)
        try:
            loaded = yaml.safe_load(Path(path).read_text())
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level")
        data.update(loaded)
    for item in overrides or []:
        apply_override(data, item)
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{source}: invalid configuration:\n  " + "\n  ".join(lines)) from None
