"""Language-based object detection on Real-Data: Real-LOD's Real-Model half.

Train a Grounding DINO / MM-Grounding-DINO detector (transformers) on the Real-Data JSONL that
``merge --format realdata`` writes, and predict with one forward pass per expression for
``hoiscribe eval dod`` / ``eval omnilabel``. Needs the ``lod`` extra (torch, transformers,
accelerate, safetensors); nothing here is imported by the rest of ``expressions``.
"""
