"""Checking pose-transition texts wherever they are stored: caption JSON, merged rows, labelled JSONL.

Three layouts carry texts and keypoints: an AutoComPose caption entry (``reference``, ``target``
and the caption fields, with keypoints from hoiscribe's keypoint file), a merged transition row
(flat ``reference_keypoints`` / ``target_keypoints`` and the stage's output dict), and a labelled
record in the corpus schema (one ``text``, keypoints as ``[[x, y, v], ...]``). Each becomes one
result row: per field, per text, the contradictions with their character spans. A bad record is
a row with ``skipped`` and the reason; it never stops the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.records import Keypoints, RecordError
from hoiscribe.pose.captions import CAPTION_FIELDS
from hoiscribe.pose.checker import check_transition, field_facts
from hoiscribe.vocab.keypoints import COCO17, HALPE136

_LAYOUTS = {"coco17": COCO17, "halpe136": HALPE136}


def is_pose_record(rec: dict[str, Any]) -> bool:
    """A record of this task: keypoints of a pair, or an AutoComPose entry (reference, target, captions)."""
    if "reference_keypoints" in rec and "target_keypoints" in rec:
        return True
    return "reference" in rec and "target" in rec and any(f in rec for f in CAPTION_FIELDS)


def load_keypoint_file(path: Path) -> dict[str, dict[str, Any]]:
    """Image name -> {keypoints (flat COCO-17), size} from hoiscribe's keypoint file; ValueError when unusable."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable keypoint file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("images"), dict):
        raise ValueError(f"{path}: expected {{'layout': ..., 'images': {{name: entry}}}}")
    layout = _LAYOUTS.get(str(data.get("layout", "coco17")))
    if layout is None:
        raise ValueError(f"{path}: layout must be one of {', '.join(_LAYOUTS)}")
    out = {}
    for name, entry in data["images"].items():
        if not isinstance(entry, dict):
            continue
        try:
            kps = Keypoints.from_flat(entry.get("keypoints"), layout).as_coco17().as_flat()
        except RecordError:
            continue  # reported per record when a caption entry needs it
        size = [entry["width"], entry["height"]] if "width" in entry and "height" in entry else None
        out[name] = {"keypoints": kps, "size": size}
    return out


def sibling_keypoints(captions: Path) -> Path | None:
    """``<root>/keypoints/<split>.json`` beside ``<root>/captions/<split>.json``, when it exists."""
    if captions.parent.name != "captions":
        return None
    path = captions.parent.parent / "keypoints" / captions.name
    return path if path.is_file() else None


def _flat(value: Any, name: str) -> list[float]:
    if isinstance(value, list) and value and isinstance(value[0], list | tuple):
        value = [v for row in value for v in row]  # [[x, y, v], ...]
    return Keypoints.from_flat(value, COCO17, name).as_flat()


def _pair_record(rec: dict[str, Any], keypoints: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """Flat COCO-17 keypoints (and sizes, for the mirrored fields) of one record; RecordError when absent."""
    if "reference_keypoints" in rec:
        out = {"reference_keypoints": _flat(rec["reference_keypoints"], "reference_keypoints"),
               "target_keypoints": _flat(rec.get("target_keypoints"), "target_keypoints")}  # fmt: skip
        for key in ("reference_size", "target_size"):
            if rec.get(key):
                out[key] = rec[key]
        return out
    if keypoints is None:
        raise RecordError("reference_keypoints", "no keypoints: give --keypoints (hoiscribe's keypoint file)")
    out = {}
    for side in ("reference", "target"):
        entry = keypoints.get(str(rec.get(side)))
        if entry is None:
            raise RecordError(side, f"image {rec.get(side)!r} is not in the keypoint file")
        out[f"{side}_keypoints"] = entry["keypoints"]
        if entry["size"]:
            out[f"{side}_size"] = entry["size"]
    return out


def _texts(rec: dict[str, Any], field: str | None) -> dict[str, list[str]]:
    """Field -> texts: ``text`` of a labelled record, the caption fields, or a stage's output dict."""
    if field is not None:
        value = rec.get(field)
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k in CAPTION_FIELDS and isinstance(v, list)}
        if isinstance(value, str):
            return {field: [value]}
        return {field: value} if isinstance(value, list) else {}
    if isinstance(rec.get("text"), str):
        return {"text": [rec["text"]]}
    found = {k: rec[k] for k in CAPTION_FIELDS if isinstance(rec.get(k), list)}
    if found:
        return found
    for value in rec.values():  # a merged row: the transition stage's output
        if isinstance(value, dict) and any(isinstance(value.get(k), list) for k in CAPTION_FIELDS):
            return {k: v for k, v in value.items() if k in CAPTION_FIELDS and isinstance(v, list)}
    return {}


def check_pose_record(
    rec: dict[str, Any], field: str | None = None, keypoints: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One result row: per field, per text, the verdict and contradicted spans (or ``skipped``)."""
    pair = f"{rec.get('reference')}->{rec.get('target')}" if "reference" in rec else None
    row: dict[str, Any] = {"id": rec.get("id") or rec.get("sample_id") or rec.get("pair_id") or pair}
    texts = _texts(rec, field)
    if not texts:
        row["skipped"] = f"no text in {field!r}" if field else "no transition text"
        return row
    try:
        facts = field_facts(_pair_record(rec, keypoints))
    except RecordError as exc:
        row["skipped"] = f"bad record: {exc}"
        return row
    fields: dict[str, list[dict[str, Any]]] = {}
    for name, items in texts.items():
        fx = facts.get(name, facts["sents"])  # labelled 'text' and unknown fields read forward
        if name in ("mirror", "mirror-reverse") and name not in facts:
            fields[name] = [{"text": t, "skipped": "mirrored fields need image sizes"} for t in items]
            continue
        fields[name] = [_one(t, fx) for t in items]
    row["fields"] = fields
    row["flagged"] = any(item.get("flagged") for items in fields.values() for item in items)
    return row


def _one(text: Any, facts: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(text, str) or not text.strip():
        return {"text": text if isinstance(text, str) else None, "skipped": "empty text"}
    report = check_transition(text, facts).as_dict()
    out = {"text": text if len(text) <= 2000 else text[:2000] + "...", "flagged": report["contradicted"] > 0}
    out.update(report)
    if not report["supported"] and not report["contradicted"] and not report["unverifiable"]:
        out["note"] = report.get("note") or _no_claim_note(text)
    return out


def _no_claim_note(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) < 0.5 * len(letters):
        return "no checkable claim: the text does not look like English"
    return "no checkable claim (no body part with a movement the keypoints measure)"
