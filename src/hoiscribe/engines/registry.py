"""Engine names -> implementations, imported lazily so heavy extras load only when used."""

from __future__ import annotations

import importlib
from typing import Any

from hoiscribe.engines.base import Engine, EngineError

# name -> (module, class, extra that provides its dependencies)
ENGINES: dict[str, tuple[str, str, str | None]] = {
    "grounded": ("hoiscribe.engines.grounded", "GroundedEngine", None),
    "transformers": ("hoiscribe.engines.transformers", "TransformersEngine", "hf"),
    "openai": ("hoiscribe.engines.openai", "OpenAIEngine", "openai"),
    "vllm": ("hoiscribe.engines.vllm", "VLLMEngine", "vllm"),
    "agent": ("hoiscribe.agent.engine", "AgentEngine", None),
}


def engine_class(name: str) -> type[Engine]:
    """The class behind an engine name, or behind a plug-in given as ``package.module:Class``."""
    if ":" in name:
        module_name, cls_name, extra = *name.split(":", 1), None
    elif name in ENGINES:
        module_name, cls_name, extra = ENGINES[name]
    else:
        known = ", ".join(sorted(ENGINES))
        raise EngineError(f"unknown engine {name!r}; choose one of {known} or module:Class")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("hoiscribe"):
            raise EngineError(f"engine {name!r} is not available in this build ({exc.name})") from exc
        hint = f" Install it with: pip install 'hoiscribe[{extra}]'" if extra else ""
        raise EngineError(f"engine {name!r} needs the package {exc.name!r}.{hint}") from exc
    cls = getattr(module, cls_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Engine)):
        raise EngineError(f"{module_name}:{cls_name} is not an Engine class")
    return cls


def make_engine(name: str, model: str | None = None, **options: Any) -> Engine:
    """Build an engine by name; a missing optional dependency names the extra to install."""
    return engine_class(name)(model=model, **options)
