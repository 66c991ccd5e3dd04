"""Print the facts of each HICO-DET/HAKE pair in the test subset, compactly, for the corpus writer.

Reading facts only (the annotation), never the checkers, so the corpus stays independent of them.
Usage: python tests/data/grounding_corpus/dump_facts.py [first_image_no] [last_image_no]
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from conftest import make_hico_root
from hoiscribe.catalog import read_dataset


def main(argv: list[str]) -> None:
    """Print image, pair index, verbs, people count, part states and boxes of each pair."""
    lo = int(argv[1]) if len(argv) > 1 else 0
    hi = int(argv[2]) if len(argv) > 2 else 10**9
    samples = read_dataset("hico", make_hico_root(Path(tempfile.mkdtemp()))).samples
    by_image: dict[str, list] = defaultdict(list)
    for s in samples:
        by_image[s.file_name].append(s)
    for name, group in by_image.items():
        no = int(name.split("_")[-1].split(".")[0])
        if not lo <= no <= hi:
            continue
        print(f"== {name} {group[0].width}x{group[0].height} people={group[0].extra.get('people_in_image')}")
        for i, s in enumerate(group):
            pb, ob = s.person.box, s.object.box
            parts = ", ".join(f"{p.part}:{p.state}" for p in s.person.part_states) or "-"
            print(
                f"  [{i}] {s.sample_id} {s.interaction.verb} {s.object.category}"
                f" verbs={s.extra.get('pair_verbs')} P=({pb.x1:.0f},{pb.y1:.0f},{pb.x2:.0f},{pb.y2:.0f})"
                f" O=({ob.x1:.0f},{ob.y1:.0f},{ob.x2:.0f},{ob.y2:.0f})\n      parts: {parts}"
            )


if __name__ == "__main__":
    main(sys.argv)
