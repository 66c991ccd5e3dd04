"""describe: the long description of one person and their interaction."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from hoiscribe.hoi_text.grounded import describe, describe_packed
from hoiscribe.hoi_text.task import HOITextTask


@dataclass(frozen=True)
class DescribeTask(HOITextTask):
    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        return describe(facts, rng)

    def write_packed(self, data: list[Any], rng: random.Random) -> str | None:
        return describe_packed(data, rng)


DESCRIBE = DescribeTask(name="describe", template="describe.j2", output_field="description")
