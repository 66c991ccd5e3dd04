from hoiscribe.vocab import COCO17, HALPE136, hico, part_state
from hoiscribe.vocab.hake import HAKE_PARTS, PART_KEYPOINTS, group_states, part_group
from hoiscribe.vocab.lexicon import gerund, indefinite, state_predicate


def test_hico_counts_and_index_conventions() -> None:
    v = hico()
    assert len(v.hois) == 600 and len(v.verbs) == 117 and len(v.objects) == 80
    assert len(v.rare) == 138 and len(v.non_rare) == 462
    assert v.hois[0].hoi_id == 1 and (v.hois[0].verb, v.hois[0].object) == ("board", "airplane")
    assert v.verbs[57] == "no_interaction"
    assert v.objects[0] == "person" and v.object_coco_ids[0] == 1
    # every object's block ends with its no_interaction class
    assert sum(h.is_no_interaction for h in v.hois) == 80
    assert v.hoi_for("ride", "bicycle").verb == "ride"
    assert v.hoi_by_id(600).hoi_idx == 599


def test_zero_shot_splits() -> None:
    v = hico()
    sizes = {k: len(v.unseen(k)) for k in ("rare_first", "non_rare_first", "unseen_object", "unseen_verb")}
    assert sizes == {"rare_first": 120, "non_rare_first": 120, "unseen_object": 100, "unseen_verb": 84}
    assert v.unseen("rare_first") <= v.rare
    assert v.unseen("non_rare_first") <= v.non_rare
    assert all(len(v.unseen(f"uc{i}")) == 120 for i in range(5))


def test_hake_parts_groups_and_states() -> None:
    assert [p[0] for p in HAKE_PARTS] == [
        "right foot", "right leg", "left leg", "left foot", "hip", "head",
        "right hand", "right arm", "left arm", "left hand",
    ]  # fmt: skip
    counts = {g: len(s) for g, s in group_states().items()}
    assert counts == {"foot": 12, "leg": 10, "hip": 5, "hand": 31, "arm": 5, "head": 13}
    assert sum(counts.values()) == 76
    assert [part_group(i) for i in range(10)] == [
        "foot", "leg", "leg", "foot", "hip", "head", "hand", "arm", "arm", "hand",
    ]  # fmt: skip
    ps = part_state(9, 0)  # L-hand, first hand state
    assert (ps.part, ps.state, ps.side, ps.global_idx) == ("left hand", "hold", "left", 27)
    assert part_state(5, 12).state == "no_interaction" and part_state(5, 12).global_idx == 75
    assert set(PART_KEYPOINTS) == {p[0] for p in HAKE_PARTS}


def test_part_state_out_of_range_names_the_index() -> None:
    import pytest

    with pytest.raises(ValueError, match="partstate 5 is out of range for hip"):
        part_state(4, 5)
    with pytest.raises(ValueError, match="human_part 10"):
        part_state(10, 0)


def test_keypoint_layouts() -> None:
    assert len(COCO17) == 17 and len(HALPE136) == 136
    assert HALPE136.names[:17] == COCO17.names
    for layout in (COCO17, HALPE136):
        assert all(0 <= a < len(layout) and 0 <= b < len(layout) for a, b in layout.skeleton)
        flip = layout.flip_index
        assert all(flip[flip[i]] == i for i in range(len(layout)))
    assert COCO17.flip_index[COCO17.index("left_wrist")] == COCO17.index("right_wrist")
    assert HALPE136.flip_index[HALPE136.index("left_hand_3")] == HALPE136.index("right_hand_3")


def test_word_forms() -> None:
    assert [gerund(v) for v in ("ride", "sit_on", "tie", "hop_on", "open", "exit", "kick")] == [
        "riding", "sitting on", "tying", "hopping on", "opening", "exiting", "kicking",
    ]  # fmt: skip
    assert indefinite("apple") == "an apple" and indefinite("skis") == "a pair of skis"
    assert state_predicate("hold in both hands", "cup") == "holding the cup in both hands"
    assert state_predicate("be close with", "bench") == "close to the bench"


def test_shared_keypoint_layouts_unpickle_as_themselves() -> None:
    """Runs spill samples to disk and Ray sends them to workers: ``layout is COCO17`` must hold after."""
    import pickle

    from hoiscribe.vocab.keypoints import COCO17, HALPE136, KeypointLayout

    assert pickle.loads(pickle.dumps(COCO17)) is COCO17
    assert pickle.loads(pickle.dumps(HALPE136)) is HALPE136
    own = KeypointLayout("mine", ("a", "b"), ((0, 1),))
    assert pickle.loads(pickle.dumps(own)) == own
