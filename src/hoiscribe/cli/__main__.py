"""``python -m hoiscribe.cli`` (torchrun launches ranks this way)."""

from hoiscribe.cli import app

app()
