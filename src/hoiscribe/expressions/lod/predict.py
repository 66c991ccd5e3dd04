"""``lod predict``: boxes for every (image, expression) pair, one forward pass per expression.

Real-Model is evaluated with each description as its own prompt (not all of an image's
descriptions joined into one text, where they would compete for the same queries), so every
expression is a separate text; the expressions of one image are batched over one encoded
image. A query's score for an expression is the highest sigmoid over the expression's tokens.
Queries come from a Real-Data JSONL (an image's positive and negative expressions), a D-cube
annotation file (an image's ``sent_ids``, else every category) or an OmniLabel file (each
description's ``image_ids``). The output is one COCO-style result list, ``bbox`` as
``[x, y, w, h]`` pixels, read by ``eval dod`` and ``eval omnilabel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.expressions.lod.realdata_io import read_realdata
from hoiscribe.expressions.lod.sampling import clean_phrase
from hoiscribe.expressions.lod.trainer import LodError

SPECIAL_IDS = (0, 101, 102, 1012, 1029)  # [PAD] [CLS] [SEP] . ? as the model hard-codes them


@dataclass(frozen=True)
class ImageQueries:
    image_id: int
    file_name: str
    items: tuple[tuple[int, str], ...]  # (category / description id, text)


def _json_queries(path: Path, data: dict[str, Any]) -> list[ImageQueries]:
    if "descriptions" in data:  # OmniLabel: descriptions name the images whose label space they join
        per: dict[int, list[tuple[int, str]]] = {}
        for d in data["descriptions"]:
            for img in d.get("image_ids", []):
                per.setdefault(int(img), []).append((int(d["id"]), str(d["text"])))
        return [ImageQueries(int(im["id"]), im["file_name"], tuple(per.get(int(im["id"]), [])))
                for im in data["images"]]  # fmt: skip
    if "categories" in data:  # D-cube / COCO: an image's group sentences, else every category
        names = {int(c["id"]): str(c["name"]) for c in data["categories"]}
        out = []
        for im in data["images"]:
            ids = im.get("sent_ids") or list(names)
            out.append(ImageQueries(int(im["id"]), im["file_name"], tuple((i, names[i]) for i in ids if i in names)))
        return out
    raise LodError(f"{path}: neither 'descriptions' (OmniLabel) nor 'categories' (D-cube/COCO) found")


def read_queries(path: Path) -> list[ImageQueries]:
    """The (image, expressions) to predict, from Real-Data JSONL, D-cube or OmniLabel JSON."""
    path = Path(path)
    if path.suffix == ".jsonl":
        entries, _ = read_realdata(path)
        ids: dict[str, int] = {}
        out = []
        for n, e in enumerate(entries, 1):
            items = tuple((ids.setdefault(t, len(ids) + 1), t) for t in e.expressions())
            out.append(ImageQueries(n, e.filename, items))
        return out
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise LodError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(data, dict) or "images" not in data:
        raise LodError(f"{path}: no 'images' list")
    return _json_queries(path, data)


def _device(choice: str) -> str:
    import torch

    return ("cuda" if torch.cuda.is_available() else "cpu") if choice == "auto" else choice


def predict(model_dir: str, queries: list[ImageQueries], images: Path, threshold: float = 0.1,
            batch_size: int = 16, top_k: int = 100, device: str = "auto", progress: bool = False,
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """(detections, skipped images) for every query; a missing image is skipped and named."""
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

    from hoiscribe.expressions.lod.dataset import encode_image, load_rgb, pad_tokens

    dev = _device(device)
    processor = AutoProcessor.from_pretrained(model_dir)
    model = AutoModelForZeroShotObjectDetection.from_pretrained(model_dir).to(dev).eval()
    budget = int(model.config.max_text_len)
    special = torch.tensor(SPECIAL_IDS, device=dev)
    use_bf16 = dev.startswith("cuda") and torch.cuda.is_bf16_supported()
    results: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for q in tqdm(queries, desc="lod predict", disable=not progress):
        path = Path(images) / q.file_name
        try:
            image = load_rgb(path)
        except OSError as exc:
            skipped.append({"image_id": q.image_id, "file_name": q.file_name, "field": "file_name",
                            "reason": f"cannot read {path}: {exc}"})  # fmt: skip
            continue
        w, h = image.size
        pixels = encode_image(processor.image_processor, image).to(dev)
        for start in range(0, len(q.items), batch_size):
            chunk = q.items[start : start + batch_size]
            tokens = [processor.tokenizer(clean_phrase(t) + ".", truncation=True, max_length=budget)["input_ids"]
                      for _, t in chunk]  # fmt: skip
            ids, att = pad_tokens([torch.tensor(t) for t in tokens])
            ids, att = ids.to(dev), att.to(dev)
            batch = pixels[None].expand(len(chunk), -1, -1, -1)
            with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
                out = model(
                    pixel_values=batch,
                    input_ids=ids,
                    attention_mask=att,
                    token_type_ids=torch.zeros_like(ids),
                    pixel_mask=torch.ones_like(batch[:, 0]).long(),
                )
            phrase = (att.bool() & ~torch.isin(ids, special))[:, None, :]
            probs = out.logits.float().sigmoid()[..., : ids.shape[1]]
            scores = probs.masked_fill(~phrase, 0).amax(-1)  # (n, queries)
            boxes = out.pred_boxes.float()
            for k, (cid, text) in enumerate(chunk):
                s, order = scores[k].sort(descending=True)
                for score, qi in zip(s[:top_k].tolist(), order[:top_k].tolist(), strict=True):
                    if score < threshold:
                        break
                    cx, cy, bw, bh = boxes[k, qi].tolist()
                    x1, y1 = max(0.0, (cx - bw / 2) * w), max(0.0, (cy - bh / 2) * h)
                    x2, y2 = min(float(w), (cx + bw / 2) * w), min(float(h), (cy + bh / 2) * h)
                    results.append({"image_id": q.image_id, "category_id": cid, "score": round(score, 5),
                                    "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)],
                                    "file_name": q.file_name, "expression": text})  # fmt: skip
    return results, skipped
