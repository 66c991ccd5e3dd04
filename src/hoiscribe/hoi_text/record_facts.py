"""Rebuild a sample's facts from a merged (seed-format) record, to check text after the run.

The record is turned back into a :class:`hoiscribe.core.records.Sample` and handed to
``tasks.facts.sample_facts``, so the checker sees exactly the facts the run saw. What a
single record cannot know (people in its image, the other HOI labels of the same
person-object pair) comes from its neighbours in the file: :func:`facts_for_records`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hoiscribe.core.records import Box, Interaction, Keypoints, Object, Person, RecordError, Sample
from hoiscribe.datasets.hico import add_image_context, parse_part_states
from hoiscribe.hoi_text.facts import sample_facts
from hoiscribe.hoi_text.person_parts import add_person_parts
from hoiscribe.vocab.hico import hico


def record_sample(rec: dict[str, Any]) -> Sample:
    """The Sample a merged record was written from; ``RecordError`` naming the bad field."""
    if not isinstance(rec, dict):
        raise RecordError("record", "expected an object")
    width, height = rec.get("width"), rec.get("height")
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or value <= 0:
            raise RecordError(name, f"expected a positive integer, got {value!r}")
    size = (width, height)
    person = Person(
        box=Box.from_xyxy(rec.get("human_bbox"), size, "human_bbox"),
        keypoints=_keypoints(rec),
        part_states=parse_part_states(rec.get("action_labels")),
    )
    obj, interaction = None, None
    if rec.get("object_bbox") is not None:
        hoi = _hoi(rec)
        obj = Object(Box.from_xyxy(rec["object_bbox"], size, "object_bbox"), hoi.object)
        interaction = Interaction(hoi.hoi_idx, hoi.verb, hoi.object)
    file_name = str(rec.get("file_name", ""))
    instance = rec.get("instance_id", 0)
    extra = {"people_in_image": rec["people_in_image"]} if isinstance(rec.get("people_in_image"), int) else {}
    return Sample(
        sample_id=str(rec.get("sample_id") or f"{file_name}#{instance}"),
        dataset=str(rec.get("dataset", "merged")),
        file_name=file_name,
        image_id=int(rec.get("image_id", 0) or 0),
        instance_id=int(instance or 0),
        width=width,
        height=height,
        person=person,
        object=obj,
        interaction=interaction,
        extra=extra,
    )


def facts_from_record(rec: dict[str, Any]) -> dict[str, Any]:
    """The same dict ``sample_facts`` gives for the sample this record was written from."""
    return sample_facts(record_sample(rec))


def facts_for_records(records: list[dict[str, Any]]) -> list[dict[str, Any] | RecordError]:
    """Facts per record plus what the file knows beyond each record; a bad record gives its error.

    Adds ``person_parts`` (the parts any label of the same person lists; see ``person_parts``),
    ``people_in_image`` (distinct human boxes among the file's records of that image)
    where the record has none, and ``pair_verbs``: every HOI verb the file gives the same
    person-object pair, so a text naming another true label of the pair is not contradicted.
    """
    samples: list[Sample | RecordError] = []
    for rec in records:
        try:
            samples.append(record_sample(rec))
        except (RecordError, KeyError, TypeError, ValueError) as exc:
            samples.append(exc if isinstance(exc, RecordError) else RecordError("record", str(exc)))
    by_image: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        if isinstance(s, Sample):
            by_image[s.file_name].append(s)
    for neighbours in by_image.values():
        add_image_context(neighbours)
    out = [s if isinstance(s, RecordError) else sample_facts(s) for s in samples]
    add_person_parts([f for f in out if isinstance(f, dict)])  # parts no label of the person lists are idle
    return out


def _hoi(rec: dict[str, Any]) -> Any:
    vocab = hico()
    hoi_id = rec.get("hoi_id")
    if isinstance(hoi_id, int):
        try:
            return vocab.hoi_by_id(hoi_id)
        except KeyError as exc:
            raise RecordError("hoi_id", str(exc)) from None
    if isinstance(rec.get("verb"), str) and isinstance(rec.get("object"), str):
        try:
            return vocab.hoi_for(rec["verb"], rec["object"])
        except KeyError as exc:
            raise RecordError("verb", str(exc)) from None
    raise RecordError("hoi_id", "a record with object_bbox needs hoi_id (or verb and object)")


def _keypoints(rec: dict[str, Any]) -> Keypoints | None:
    """COCO-17 keypoints; ``vis`` (when present) says which are visible, as in the seed files."""
    flat = rec.get("keypoints")
    if flat is None:
        return None
    kps = Keypoints.from_flat(flat)
    vis = rec.get("vis")
    if isinstance(vis, list) and len(vis) == len(flat):
        xyv = kps.xyv.copy()
        for i in range(len(xyv)):
            xyv[i, 2] = 2.0 if any(v > 0 for v in vis[3 * i : 3 * i + 3]) and xyv[i, 2] > 0 else 0.0
        kps = Keypoints(xyv, kps.layout)
    return kps if kps.num_visible > 0 else None
