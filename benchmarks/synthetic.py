"""Synthetic HICO-DET+HAKE layouts of any size, scaled up from the real 200-image subset.

Each copy of an image record gets a new file name; boxes, HOIs and part states are the
real ones, so the per-pair work (validation, facts, text) is what the full file costs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUBSET = REPO / "tests" / "data" / "hake" / "hico-det-training-set-instance-level.first200.json"


def write_scaled_hake(root: Path, n_pairs: int) -> int:
    """Write ``root`` in the HICO layout with about ``n_pairs`` pairs; returns the exact count."""
    base = json.loads(SUBSET.read_text())
    items = list(base.items())
    out: dict[str, dict] = {}
    pairs = 0
    copy = 0
    while pairs < n_pairs:
        for name, entry in items:
            if pairs >= n_pairs:
                break
            out[f"{Path(name).stem}_c{copy:04d}.jpg"] = entry
            pairs += len(entry["labels"])
        copy += 1
    ann = root / "Annotation" / "hico-det-instance-level"
    ann.mkdir(parents=True, exist_ok=True)
    (ann / "hico-det-training-set-instance-level.json").write_text(json.dumps(out))
    (root / "Images" / "images" / "train2015").mkdir(parents=True, exist_ok=True)
    return pairs


if __name__ == "__main__":
    print(write_scaled_hake(Path(sys.argv[1]), int(sys.argv[2])))
