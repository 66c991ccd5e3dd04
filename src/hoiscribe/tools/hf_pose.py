"""The ``hf`` pose backend: ViTPose through transformers, person boxes in, COCO-17 keypoints out.

ViTPose is top-down: each person box (COCO ``[x, y, w, h]`` in image pixels) is cropped and
warped to the model's input size, and ``post_process_pose_estimation`` maps the heatmap
peaks back into the image's pixel frame. Concurrent calls from many rollouts (any images,
one box each) go through one forward pass with a ``core.batcher.Batcher``. ViTPose+ (the
mixture-of-experts variants) is told which dataset head to use with ``dataset_index``
(0 = COCO).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hoiscribe.core.records import Box
from hoiscribe.tools.base import ToolContext, ToolSetupError
from hoiscribe.tools.hf_models import load, model_ref, require_torch
from hoiscribe.tools.pose import PoseEstimator


class HFPose(PoseEstimator):
    """A top-down transformers pose model (ViTPose family) from a folder or hub id."""

    name = "hf"
    batched = True

    def __init__(
        self, model: str, device: str = "cpu", min_score: float = 0.3, max_batch: int = 16, dataset_index: int = 0
    ) -> None:
        transformers = require_torch("hf pose estimator")
        ref = model_ref(model, "pose")
        config = load(transformers.AutoConfig, ref, "pose")
        if config.model_type != "vitpose":
            raise ToolSetupError(
                f"pose model {ref!r} is a {config.model_type!r} model; the hf pose backend runs vitpose"
            )
        self.processor = load(transformers.AutoImageProcessor, ref, "pose")
        self.model = load(transformers.VitPoseForPoseEstimation, ref, "pose").to(device).eval()
        experts = int(getattr(getattr(config, "backbone_config", None), "num_experts", 1) or 1)
        self.dataset_index = int(dataset_index) if experts > 1 else None
        self.device, self.min_score, self.max_batch = device, float(min_score), int(max_batch)

    def estimate(self, ctx: ToolContext, box: Box) -> np.ndarray | None:
        return self.estimate_batch([(ctx, box)])[0]

    def estimate_batch(self, jobs: Sequence[tuple[ToolContext, Box]]) -> list[np.ndarray | None]:
        """(17, 3) keypoints (x, y in image pixels; visibility 2 or 0 by score) per job, one forward pass."""
        import torch

        images = [ctx.pixels() for ctx, _ in jobs]
        boxes = [[list(box.as_xywh())] for _, box in jobs]
        inputs = self.processor(images, boxes=boxes, return_tensors="pt").to(self.device)
        extra = {}
        if self.dataset_index is not None:
            extra["dataset_index"] = torch.full((len(jobs),), self.dataset_index, device=self.device)
        with torch.inference_mode():
            outputs = self.model(**inputs, **extra)
        results = self.processor.post_process_pose_estimation(outputs, boxes=boxes)
        out: list[np.ndarray | None] = []
        for per_image in results:
            res = per_image[0]
            kps = res["keypoints"].cpu().numpy()[:17].astype(np.float64)
            scores = res["scores"].cpu().numpy()[:17]
            vis = np.where(scores >= self.min_score, 2.0, 0.0)
            out.append(np.concatenate([kps, vis[:, None]], axis=1))
        return out

    def close(self) -> None:
        self.model = None
