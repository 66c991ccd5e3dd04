"""Generic dataset readers (HICO-DET + HAKE, Halpe, COCO, demo, seed format, GT index)."""

from hoiscribe.datasets.base import Drop, ReadResult

__all__ = ["Drop", "ReadResult"]
