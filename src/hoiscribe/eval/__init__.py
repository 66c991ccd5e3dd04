"""Evaluation: HICO-DET and SWiG-HOI mAP reproducing the reference protocols, vectorised.

``eval/`` knows nothing about engines: it reads GT and prediction files and returns numbers.
"""

from hoiscribe.eval.ap import ClassStats, MatchRules, evaluate_classes
from hoiscribe.eval.errors import EvalInputError
from hoiscribe.eval.gt_readers import GroundTruth, read_hico_gt, read_swig_gt
from hoiscribe.eval.hico import HicoOptions, evaluate_hico, evaluate_hico_files, hico_class_space
from hoiscribe.eval.predictions import Detections, read_predictions
from hoiscribe.eval.result import EvalReport, SettingResult
from hoiscribe.eval.swig import evaluate_swig, evaluate_swig_files, swig_class_space

__all__ = [
    "ClassStats",
    "Detections",
    "EvalInputError",
    "EvalReport",
    "GroundTruth",
    "HicoOptions",
    "MatchRules",
    "SettingResult",
    "evaluate_classes",
    "evaluate_hico",
    "evaluate_hico_files",
    "evaluate_swig",
    "evaluate_swig_files",
    "hico_class_space",
    "read_hico_gt",
    "read_predictions",
    "read_swig_gt",
    "swig_class_space",
]
