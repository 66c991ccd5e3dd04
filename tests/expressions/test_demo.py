from pathlib import Path

import numpy as np
from PIL import Image

from hoiscribe.catalog import read_dataset
from hoiscribe.expressions.demo import COLOURS, scenes


def test_demo_scenes_have_duplicates_and_read_back_through_the_real_lod_reader(tmp_path: Path) -> None:
    read = read_dataset("expression_demo", tmp_path / "demo")
    assert not read.dropped and len(read.samples) == sum(len(things) for _, things in scenes())
    assert all(any(sum(t.category == u.category for u in things) > 1 for t in things) for _, things in scenes()[:6])
    s = next(x for x in read.samples if x.file_name.endswith("cups_row.png") and x.chosen.id == 1)
    assert s.chosen.box.as_xyxy() == [250.0, 180.0, 350.0, 300.0] and len(s.others) == 3
    assert s.raw_expression == "a cup"  # ambiguous on purpose: three cups
    # the drawing matches the annotation: the blue cup's colour fills its box
    pixels = np.asarray(Image.open(s.image_path))
    assert tuple(pixels[240, 280]) == COLOURS["blue"]
    # written once; a second read reuses the files
    stamp = (tmp_path / "demo" / "annotations.json").stat().st_mtime_ns
    read_dataset("expression_demo", tmp_path / "demo")
    assert (tmp_path / "demo" / "annotations.json").stat().st_mtime_ns == stamp
