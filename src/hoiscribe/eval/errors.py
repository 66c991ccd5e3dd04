"""The one error type evaluation raises for bad input, and the tally kept when skipping instead."""

from __future__ import annotations

from collections import Counter


class EvalInputError(ValueError):
    """A GT or prediction file holds a value the protocol cannot evaluate.

    The message names the file, the image and the field, so the offending record can be found.
    """


class SkipLog:
    """Counts what was skipped (by reason) when the caller chose to skip invalid input."""

    def __init__(self, skip_invalid: bool, source: str) -> None:
        self.skip_invalid = skip_invalid
        self.source = source
        self.counts: Counter[str] = Counter()

    def reject(self, reason: str, count: int, message: str) -> None:
        """Record ``count`` skipped items, or raise with ``message`` when not skipping."""
        if count <= 0:
            return
        if not self.skip_invalid:
            raise EvalInputError(f"{self.source}: {message} (use --skip-invalid to skip such entries)")
        self.counts[reason] += count

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))
