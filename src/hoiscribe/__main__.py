"""``python -m hoiscribe`` is the ``hoiscribe`` command."""

from hoiscribe.cli import app

app()
