"""The ``hoiscribe`` command: one module per command group, each thin over catalog and run."""

from hoiscribe.cli import run as _run  # noqa: F401 - registers demo, pipeline, annotate, refine, examine, merge, ...
from hoiscribe.cli.app import app
from hoiscribe.cli.mount import mount_groups

mount_groups(app)

__all__ = ["app"]
