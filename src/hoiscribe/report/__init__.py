"""Static HTML gallery of a run: pictures with boxes, skeleton and part states beside every stage's text."""

from hoiscribe.report.build import build_report

__all__ = ["build_report"]
