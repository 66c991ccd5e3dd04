"""One registry of VLM model families for the transformers engine.

A family says what differs between models that otherwise share one code path: which
``config.json`` model types it covers, whether the processor wants images nested per
sample, how its pixel budget is read from the image processor, which coordinate frame its
grounding outputs use. Adding a family is one ``register(Family(...))`` call; nothing else
branches on family names. This module imports no heavy dependency.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hoiscribe.engines.base import EngineError

BoxFrame = Literal["abs_resized", "norm1000", "norm1"]
BudgetRule = Literal["qwen", "longest_edge", "fixed"]


@dataclass(frozen=True, slots=True)
class Family:
    """What the engine needs to know about one model family."""

    name: str
    model_types: tuple[str, ...]
    # transformers model class; None means AutoModelForImageTextToText picks it
    model_class: str | None = None
    # processor(images=...) takes one list per sample rather than one flat list
    nested_images: bool = False
    # how the pixel budget is read from the image processor ("qwen": its size is a pixel
    # range the processor call also accepts, so the budget is passed on to it)
    budget: BudgetRule = "fixed"
    # coordinate frame of boxes the family was trained to emit
    box_frame: BoxFrame = "norm1"


FAMILIES: dict[str, Family] = {}
GENERIC = Family("auto", ())


def register(family: Family) -> Family:
    """Add a family; model types must not be claimed twice."""
    for other in FAMILIES.values():
        clash = set(other.model_types) & set(family.model_types)
        if clash and other.name != family.name:
            raise ValueError(f"model types {sorted(clash)} already belong to family {other.name!r}")
    FAMILIES[family.name] = family
    return family


register(Family("qwen2_vl", ("qwen2_vl",), budget="qwen", box_frame="norm1000"))
register(Family("qwen2_5_vl", ("qwen2_5_vl",), budget="qwen", box_frame="abs_resized"))
register(Family("qwen3_vl", ("qwen3_vl",), budget="qwen", box_frame="norm1000"))
register(Family("qwen3_vl_moe", ("qwen3_vl_moe",), budget="qwen", box_frame="norm1000"))
register(Family("llava", ("llava",)))
register(Family("llava_next", ("llava_next",)))
register(Family("llava_onevision", ("llava_onevision",)))
register(Family("idefics3", ("idefics3",), nested_images=True, budget="longest_edge"))
register(Family("smolvlm", ("smolvlm",), nested_images=True, budget="longest_edge"))
register(Family("gemma3", ("gemma3",), nested_images=True))


def read_model_config(model_dir: Path) -> dict:
    """The model folder's ``config.json``; a clear error when the folder is not a model."""
    if not model_dir.is_dir():
        raise EngineError(
            f"model {str(model_dir)!r} is not a local folder; models load offline only "
            "(download it first, e.g. with `huggingface-cli download`, and pass its path)"
        )
    path = model_dir / "config.json"
    if not path.is_file():
        raise EngineError(f"model {str(model_dir)!r} has no config.json")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise EngineError(f"model {str(model_dir)!r}: unreadable config.json ({exc})") from exc


def detect_family(model_dir: Path, override: str | None = None) -> Family:
    """Family from an explicit name, else from ``model_type``/``architectures`` in config.json.

    Model types no family claims fall back to the generic AutoModelForImageTextToText path,
    which the loader checks against transformers' own mapping.
    """
    if override:
        if override == GENERIC.name:
            return GENERIC
        if override not in FAMILIES:
            raise EngineError(
                f"unknown model family {override!r} for model {str(model_dir)!r}; "
                f"choose one of {', '.join(sorted(FAMILIES))} or 'auto'"
            )
        return FAMILIES[override]
    config = read_model_config(model_dir)
    model_type = config.get("model_type")
    for family in FAMILIES.values():
        if model_type in family.model_types:
            return family
    # a config without a known model_type: the longest family prefix of an architecture name
    best: tuple[int, Family] | None = None
    for arch in config.get("architectures") or []:
        flat = arch.lower().replace("_", "")
        for family in FAMILIES.values():
            for mt in family.model_types:
                key = mt.replace("_", "")
                if flat.startswith(key) and (best is None or len(key) > best[0]):
                    best = (len(key), family)
    if best is not None:
        return best[1]
    if not model_type:
        raise EngineError(f"model {str(model_dir)!r}: config.json has no model_type")
    return GENERIC
