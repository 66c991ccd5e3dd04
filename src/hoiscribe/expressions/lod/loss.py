"""Grounding DINO's own loss with the label offsets of a batch fixed.

transformers' ``GroundingDinoImageLoss._get_target_classes_one_hot`` concatenates the label
maps of a batch (``(sum of phrase counts, text length)``) and indexes them with each image's
class labels plus an offset, but the offset it adds is the image's *own* phrase count instead
of the phrase count of the images before it. With unequal phrase counts a batch of two can
index past the end (IndexError) and a batch of three or more silently reads other images'
phrases as targets. Equal counts only hide it when every image has exactly as many phrases.

The fix lives here, not in site-packages: :class:`OffsetFixedImageLoss` overrides that one
method with cumulative offsets, and :func:`grounding_loss` is a drop-in for the model's
``loss_function`` (same arguments, same weights: matching, focal, L1, GIoU, auxiliary and
two-stage encoder terms), installed on a model instance by :func:`install_fixed_loss`
through transformers' documented ``loss_function`` setter. Everything else (matcher,
normalisation by the number of boxes across processes) is the model's own code.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers.loss.loss_for_object_detection import _set_aux_loss
from transformers.loss.loss_grounding_dino import GroundingDinoHungarianMatcher, GroundingDinoImageLoss


class OffsetFixedImageLoss(GroundingDinoImageLoss):
    """``GroundingDinoImageLoss`` whose one-hot targets index each image's own label map."""

    def _get_target_classes_one_hot(self, outputs: dict[str, Any], targets: list[dict[str, Any]],
                                    indices: list[tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:  # fmt: skip
        logits = outputs["logits"]
        label_maps = outputs["label_maps"]
        offsets = [0]
        for lm in label_maps[:-1]:
            offsets.append(offsets[-1] + len(lm))
        class_labels = torch.cat(
            [t["class_labels"][j] + off for t, (_, j), off in zip(targets, indices, offsets, strict=True)]
        )
        idx = self._get_source_permutation_idx(indices)
        onehot = torch.zeros_like(logits, device=logits.device, dtype=torch.long)
        onehot[idx] = torch.cat(label_maps, dim=0)[class_labels].to(torch.long)
        return onehot


def weights(config: Any) -> dict[str, float]:
    """The loss weights transformers uses for this config (focal 2, L1 and GIoU from the config)."""
    base = {"loss_ce": 2.0, "loss_bbox": config.bbox_loss_coefficient, "loss_giou": config.giou_loss_coefficient}
    out = dict(base)
    if config.two_stage:
        out.update({f"{k}_enc": v for k, v in base.items()})
    if config.auxiliary_loss:
        for i in range(config.decoder_layers - 1):
            out.update({f"{k}_{i}": v for k, v in base.items()})
    return out


def grounding_loss(
    logits: torch.Tensor,
    labels: list[dict[str, torch.Tensor]],
    device: torch.device,
    pred_boxes: torch.Tensor,
    config: Any,
    label_maps: tuple[torch.Tensor, ...],
    text_mask: torch.Tensor,
    outputs_class: torch.Tensor | None = None,
    outputs_coord: torch.Tensor | None = None,
    encoder_logits: torch.Tensor | None = None,
    encoder_pred_boxes: torch.Tensor | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor], list[dict[str, torch.Tensor]] | None]:
    """Drop-in for ``GroundingDinoForObjectDetectionLoss`` with per-image label offsets."""
    matcher = GroundingDinoHungarianMatcher(
        class_cost=config.class_cost, bbox_cost=config.bbox_cost, giou_cost=config.giou_cost
    )
    criterion = OffsetFixedImageLoss(matcher=matcher, focal_alpha=config.focal_alpha,
                                     losses=["labels", "boxes", "cardinality"]).to(device)  # fmt: skip
    outputs: dict[str, Any] = {"logits": logits, "pred_boxes": pred_boxes, "label_maps": label_maps,
                               "text_mask": text_mask}  # fmt: skip
    auxiliary = None
    if config.auxiliary_loss and outputs_class is not None:
        auxiliary = _set_aux_loss(outputs_class, outputs_coord)
        for aux in auxiliary:
            aux.update(label_maps=label_maps, text_mask=text_mask)
        outputs["auxiliary_outputs"] = auxiliary
    loss_dict = criterion(outputs, labels)
    if config.two_stage and encoder_logits is not None:
        enc = {"logits": encoder_logits, "pred_boxes": encoder_pred_boxes, "label_maps": label_maps,
               "text_mask": text_mask}  # fmt: skip
        loss_dict.update({f"{k}_enc": v for k, v in criterion(enc, labels).items()})
    w = weights(config)
    loss = sum(loss_dict[k] * w[k] for k in loss_dict if k in w)
    return loss, loss_dict, auxiliary


def install_fixed_loss(model: Any) -> Any:
    """Make ``model(..., labels=...)`` use :func:`grounding_loss`; returns the model."""
    model.loss_function = grounding_loss
    return model
