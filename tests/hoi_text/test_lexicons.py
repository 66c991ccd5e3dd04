"""The generated lexicon tables cover the vocabularies and match their generator."""

from __future__ import annotations

import json

import pytest

from hoiscribe.hoi_text.phrases import DATA
from hoiscribe.vocab.hake import group_states
from hoiscribe.vocab.hico import hico


def test_tables_cover_every_verb_state_and_object() -> None:
    verbs = json.loads((DATA / "hoi_verbs.json").read_text())
    states = json.loads((DATA / "hoi_states.json").read_text())
    objects = json.loads((DATA / "hoi_objects.json").read_text())
    assert len(verbs["verbs"]) == 116 == len({h.verb for h in hico().hois}) - 1  # 117 with no_interaction
    n_states = sum(len([s for s in v if s != "no_interaction"]) for v in group_states().values())
    assert len(states["states"]) == n_states and set(states["idle"]) == set(group_states())
    assert set(objects["objects"]) == set(hico().objects)
    assert "knives" in objects["objects"]["knife"] and "bikes" in objects["objects"]["bicycle"]
    assert {"rode", "riding", "rides"} <= set(verbs["verbs"]["ride"]["surfaces"])
    for table in (verbs, states, objects):
        assert table["source"]


def test_committed_tables_match_the_generator() -> None:
    pytest.importorskip("lemminflect")
    from hoiscribe.hoi_text.lexicon_build import build

    for name, table in build().items():
        assert json.loads((DATA / name).read_text()) == json.loads(json.dumps(table)), name
