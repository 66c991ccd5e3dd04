"""Access to the JSON/TSV files shipped in ``hoiscribe/vocab/data``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> Any:
    """Parse one shipped JSON file once per process."""
    return json.loads(resources.files("hoiscribe.vocab").joinpath("data", name).read_text("utf-8"))


@cache
def load_tsv(name: str) -> list[list[str]]:
    """Rows of a shipped TSV file, skipping ``#`` comment lines."""
    text = resources.files("hoiscribe.vocab").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
