"""describe: the long description of one person and their interaction."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from hoiscribe.hoi_text.grounded import describe
from hoiscribe.hoi_text.task import HOITextTask


@dataclass(frozen=True)
class DescribeTask(HOITextTask):
    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        return describe(facts, rng)


DESCRIBE = DescribeTask(name="describe", template="describe.j2", output_field="description")
