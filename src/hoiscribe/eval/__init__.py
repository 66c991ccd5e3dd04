"""Evaluation: HICO-DET and SWiG-HOI mAP reproducing the reference protocols, vectorised.

``eval/`` knows nothing about engines: it reads GT and prediction files and returns numbers. The names
below load with their module on first use (PEP 562), so that importing one submodule (the CLI's error
type) does not load every evaluator.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "ClassStats": "ap", "MatchRules": "ap", "evaluate_classes": "ap",
    "EvalInputError": "errors",
    "GroundTruth": "gt_readers", "read_hico_gt": "gt_readers", "read_swig_gt": "gt_readers",
    "HicoOptions": "hico", "evaluate_hico": "hico", "evaluate_hico_files": "hico", "hico_class_space": "hico",
    "Detections": "predictions", "read_predictions": "predictions",
    "EvalReport": "result", "SettingResult": "result",
    "evaluate_swig": "swig", "evaluate_swig_files": "swig", "swig_class_space": "swig",
}  # fmt: skip

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
