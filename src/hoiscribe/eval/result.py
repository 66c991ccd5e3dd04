"""Evaluation results: per-setting class statistics, group means and a JSON-ready view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hoiscribe.eval.ap import ClassStats


@dataclass(frozen=True)
class SettingResult:
    """One evaluation setting (e.g. Default or Known-Object) over every class."""

    name: str
    stats: ClassStats
    groups: dict[str, np.ndarray]  # group name -> class ids that enter its mean

    def mean_ap(self, group: str) -> float | None:
        """Mean AP over the group's classes; None when the group is empty."""
        ids = self.groups[group]
        return float(np.mean(self.stats.ap[ids])) if len(ids) else None

    def mean_recall(self, group: str) -> float | None:
        ids = self.groups[group]
        return float(np.mean(self.stats.recall[ids])) if len(ids) else None


@dataclass(frozen=True)
class EvalReport:
    """Everything one ``hoiscribe eval`` run measured, plus what it was told and what it skipped."""

    dataset: str
    options: dict[str, Any]
    class_names: tuple[str, ...]
    settings: tuple[SettingResult, ...]
    gt_summary: dict[str, Any] = field(default_factory=dict)
    pred_summary: dict[str, Any] = field(default_factory=dict)

    def setting(self, name: str) -> SettingResult:
        for s in self.settings:
            if s.name == name:
                return s
        raise KeyError(f"no setting {name!r} in this report; have {', '.join(s.name for s in self.settings)}")

    def summary(self) -> dict[str, dict[str, float | None]]:
        """``{setting: {group: mAP}}`` with mAP as a fraction (0..1)."""
        return {s.name: {g: s.mean_ap(g) for g in s.groups} for s in self.settings}

    def to_dict(self, per_class: bool = True) -> dict[str, Any]:
        """A JSON-serialisable view; ``per_class`` adds AP, recall and counts of every scored class."""
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "options": self.options,
            "gt": self.gt_summary,
            "predictions": self.pred_summary,
            "settings": {},
        }
        for s in self.settings:
            block: dict[str, Any] = {
                "map": {g: s.mean_ap(g) for g in s.groups},
                "mean_recall": {g: s.mean_recall(g) for g in s.groups},
                "n_classes": {g: len(ids) for g, ids in s.groups.items()},
            }
            if per_class:
                member = {g: set(ids.tolist()) for g, ids in s.groups.items()}
                scored = sorted(member.get("full", set()))
                st = s.stats
                block["classes"] = [
                    {
                        "class_id": c,
                        "name": self.class_names[c],
                        "ap": float(st.ap[c]),
                        "recall": float(st.recall[c]),
                        "n_gt": int(st.n_gt[c]),
                        "n_det": int(st.n_det[c]),
                        "n_tp": int(st.n_tp[c]),
                        "n_fp": int(st.n_det[c] - st.n_tp[c]),
                        "groups": [g for g in s.groups if g != "full" and c in member[g]],
                    }
                    for c in scored
                ]
            out["settings"][s.name] = block
        return out
