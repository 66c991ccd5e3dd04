"""The one place that names every engine, task, dataset reader, exporter, tool and executor.

Entries are ``"module:attribute"`` strings imported on first use, so this module costs
nothing to import and never pulls an optional dependency; each entry declares the pip extra
that provides its dependencies, and a missing one produces a single message naming it.
Adding a model backend, task, reader, export format, tool or executor is one line here plus
the module that implements it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoiscribe.core.registry import CatalogError, Registry
from hoiscribe.datasets.base import DatasetError
from hoiscribe.engines.base import EngineError

if TYPE_CHECKING:
    from pathlib import Path

    from hoiscribe.datasets.base import ReadResult
    from hoiscribe.engines.base import Engine
    from hoiscribe.tasks.base import Task
    from hoiscribe.tools.base import Tool


class ExportError(ValueError):
    """An unknown export format (other export problems raise the exporter's own error)."""


ENGINES: Registry[type[Engine]] = Registry("engine", error=EngineError, plugins=True)
ENGINES.add("grounded", "hoiscribe.tasks.grounded:GroundedEngine", help="rule-based writer per task, no weights")
ENGINES.add("transformers", "hoiscribe.engines.transformers:TransformersEngine", "hf", "local VLM on torch")
ENGINES.add("openai", "hoiscribe.engines.openai:OpenAIEngine", "openai", "any OpenAI-compatible server")
ENGINES.add("vllm", "hoiscribe.engines.vllm:VLLMEngine", "vllm", "vLLM servers started and placed by hoiscribe")
ENGINES.add("agent", "hoiscribe.agent.engine:AgentEngine", help="tool-using rollout around an inner engine")
ENGINES.add("expressions_workflow", "hoiscribe.expressions.engine:ExpressionWorkflowEngine",
            help="plan-tool-reflect roles, each on its own engine")  # fmt: skip

TASKS: Registry[Task] = Registry("task")
TASKS.add("describe", "hoiscribe.hoi_text.describe:DESCRIBE", help="long description of a person and interaction")
TASKS.add("refine", "hoiscribe.hoi_text.refine:REFINE", help="2-3 sentence rewrite of a description")
TASKS.add("examine", "hoiscribe.hoi_text.examine:EXAMINE", help="examiner verdict {verdict, problems}")
TASKS.add("transition", "hoiscribe.pose.task:TRANSITION", help="pose-transition instruction")
TASKS.add("transition_composite", "hoiscribe.pose.task:TRANSITION_COMPOSITE", help="transition on a side-by-side image")
TASKS.add("hoi_reason", "hoiscribe.agent.task:HOI_REASON", help="tool-using HOI detection")
TASKS.add("expressions", "hoiscribe.expressions.tasks:EXPRESSIONS", help="positive/negative referring expressions")

# task -> how the HTML report shows its rows (pictures, readable outputs, checks); unlisted tasks get the HOI view
REPORT_VIEWS: Registry[Any] = Registry("report view")
REPORT_VIEWS.add("transition", "hoiscribe.pose.report_view:report_view", help="pose pair, caption lists")
REPORT_VIEWS.add("transition_composite", "hoiscribe.pose.report_view:report_view", help="pose pair, caption lists")
REPORT_VIEWS.add("hoi_reason", "hoiscribe.agent.report_view:report_view", help="predicted HOIs, tool calls")
REPORT_VIEWS.add("expressions", "hoiscribe.expressions.report_view:report_view", help="chosen box, expressions")

READERS: Registry[Any] = Registry("dataset", error=DatasetError)
READERS.add("hico", "hoiscribe.datasets.hico:read_hico", help="HICO-DET + HAKE (+ Halpe keypoints)")
READERS.add("coco", "hoiscribe.datasets.coco:read_coco", help="COCO person keypoints")
READERS.add("demo", "hoiscribe.datasets.demo:read_demo", help="drawn HICO+HAKE demo set")
READERS.add("pose_pairs", "hoiscribe.pose.reader:read_pose_pairs", help="AutoComPose captions + keypoints")
READERS.add("pose_demo", "hoiscribe.pose.demo:read_pose_demo", help="drawn pose pairs")
READERS.add("reallod", "hoiscribe.expressions.reader:read_reallod", help="Real-LOD workflow input")
READERS.add("expression_demo", "hoiscribe.expressions.demo:read_expression_demo", help="drawn Real-LOD scenes")
# readers that draw their own data on first use; without --data-root it goes inside the run directory
SELF_GENERATED = frozenset({"demo", "pose_demo", "expression_demo"})
# short split names, only where they are unambiguous: HICO-DET has exactly one train and one test
# split; COCO gets none, as its reader takes any person_keypoints_{split}.json ("val" may be a file)
SPLIT_ALIASES: dict[str, dict[str, str]] = {
    "hico": {"train": "train2015", "test": "test2015"},
    "demo": {"train": "train2015"},  # the demo set draws only a training split
}


def canonical_split(dataset: str, split: str | None) -> str | None:
    """The reader's name for ``split`` (``train`` -> ``train2015`` for hico); other names unchanged."""
    if split is None:
        return None
    return SPLIT_ALIASES.get(dataset, {}).get(split, split)


EXPORTS: Registry[Any] = Registry("format", error=ExportError)
EXPORTS.add("seed", "hoiscribe.run.merge:export_seed", help="the reference annotation JSON")
EXPORTS.add("jsonl", "hoiscribe.run.merge:export_jsonl", help="one merged record per line")
EXPORTS.add("parquet", "hoiscribe.run.merge:export_parquet", "export", "Hugging Face datasets-loadable parquet")
EXPORTS.add("realdata", "hoiscribe.expressions.realdata:export_realdata", help="Real-LOD Real-Data JSONL")
EXPORTS.add("odvg", "hoiscribe.expressions.odvg:export_odvg", help="MM-Grounding-DINO ODVG grounding JSONL")
EXPORTS.add("autocompose", "hoiscribe.pose.autocompose:export_autocompose", help="AutoComPose caption JSON")
EXPORTS.add("hoi-predictions", "hoiscribe.agent.export:export_hoi_predictions", help="HICO-DET prediction JSON")
EXPORTS.add("hico-gt", "hoiscribe.agent.export:export_hico_gt", help="HICO-DET GT of the run's samples")

TOOLS: Registry[type[Tool]] = Registry("tool")
TOOLS.add("detect_humans", "hoiscribe.tools.detect:DetectHumansTool", help="person boxes")
TOOLS.add("detect_objects", "hoiscribe.tools.detect:DetectObjectsTool", help="object boxes of given categories")
TOOLS.add("estimate_pose", "hoiscribe.tools.pose:EstimatePoseTool", help="COCO-17 keypoints and pose facts")
TOOLS.add("spatial_relation", "hoiscribe.tools.relation:SpatialRelationTool", help="human-object relation")
TOOLS.add("crop", "hoiscribe.tools.image_ops:CropTool", help="a region of the image")
TOOLS.add("zoom", "hoiscribe.tools.image_ops:ZoomTool", help="a region, enlarged")
TOOLS.add("highlight", "hoiscribe.tools.image_ops:HighlightTool", help="the image with a box drawn")
TOOLS.add("imagine", "hoiscribe.tools.imagine:ImagineTool", "imagine", help="an imagined view (diffusers)")

EXECUTORS: Registry[Any] = Registry("executor")
EXECUTORS.add("local", "hoiscribe.run.executors.local:LocalExecutor", help="this process (or this torchrun/Slurm rank)")
EXECUTORS.add("ranks", "hoiscribe.run.executors.ranks:RanksExecutor", help="this torchrun/Slurm rank")
EXECUTORS.add("ray", "hoiscribe.run.executors.ray:RayExecutor", "ray", "one Ray actor per rank")


def engine_class(name: str) -> type[Engine]:
    """The class behind an engine name, or behind a plug-in given as ``package.module:Class``."""
    from hoiscribe.engines.base import Engine

    cls = ENGINES.get(name)
    if not (isinstance(cls, type) and issubclass(cls, Engine)):
        raise EngineError(f"{name} is not an Engine class")
    return cls


def make_engine(name: str, model: str | None = None, **options: Any) -> Engine:
    """Build an engine by name; a missing optional dependency names the extra to install."""
    return engine_class(name)(model=model, **options)


def get_task(name: str) -> Task:
    """The task registered under ``name``; ``CatalogError`` listing the known ones otherwise."""
    return TASKS.get(name)


def read_dataset(
    dataset: str, data_root: Path, split: str | None = None, max_samples: int | None = None, **options: Any
) -> ReadResult:
    """Read a dataset by name; ``split=None`` means the reader's default."""
    from pathlib import Path

    reader = READERS.get(dataset)
    if split is not None:
        options["split"] = canonical_split(dataset, split)
    return reader(Path(data_root), max_samples=max_samples, **options)


__all__ = [
    "ENGINES",
    "EXECUTORS",
    "EXPORTS",
    "READERS",
    "REPORT_VIEWS",
    "SELF_GENERATED",
    "SPLIT_ALIASES",
    "TASKS",
    "TOOLS",
    "CatalogError",
    "ExportError",
    "canonical_split",
    "engine_class",
    "get_task",
    "make_engine",
    "read_dataset",
]
