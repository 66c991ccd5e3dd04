"""Readers and writers, one module per format. Each reader returns a ``ReadResult``."""

from hoiscribe.datasets.base import Drop, ReadResult, read_dataset

__all__ = ["Drop", "ReadResult", "read_dataset"]
