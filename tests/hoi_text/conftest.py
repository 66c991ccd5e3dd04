"""Facts of the demo scenes by name ('hold_cup', 'ride_bicycle', ...), for hand-written texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.hoi_text.facts import sample_facts


@pytest.fixture(scope="session")
def demo_facts(demo_root: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for s in read_dataset("demo", demo_root).samples:
        scene = s.file_name.split("_", 3)[-1].rsplit(".", 1)[0]
        out[scene if s.instance_id == 0 else f"{scene}#{s.instance_id}"] = sample_facts(s)
    return out
