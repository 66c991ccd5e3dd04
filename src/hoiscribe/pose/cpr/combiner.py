"""How a reference image feature and a text feature become one query feature.

Stage ``clip`` uses the normalised element-wise sum; stage ``combiner`` learns the Combiner
of CLIP4Cir: both features projected to ``p`` (ReLU, dropout), concatenated, passed through
a hidden layer of ``h`` to the feature size, plus a learned mixing weight (from the
concatenation, through a sigmoid) between the text and the image feature; the sum is
normalised. The loss (``losses``) compares these against normalised target features.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


def element_wise_sum(image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
    return F.normalize(image + text, dim=-1)


class Combiner(nn.Module):
    def __init__(self, dim: int, projection_dim: int, hidden_dim: int, dropout: float = 0.5) -> None:
        super().__init__()
        self.dim, self.projection_dim, self.hidden_dim, self.dropout = dim, projection_dim, hidden_dim, dropout
        self.text_projection = nn.Linear(dim, projection_dim)
        self.image_projection = nn.Linear(dim, projection_dim)
        self.combiner_layer = nn.Linear(projection_dim * 2, hidden_dim)
        self.output_layer = nn.Linear(hidden_dim, dim)
        self.drop_text, self.drop_image, self.drop_hidden = (
            nn.Dropout(dropout),
            nn.Dropout(dropout),
            nn.Dropout(dropout),
        )
        self.mixing = nn.Sequential(
            nn.Linear(projection_dim * 2, hidden_dim),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_dim, 1),
            nn.Sigmoid(),
        )

    def forward(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        t = self.drop_text(F.relu(self.text_projection(text)))
        i = self.drop_image(F.relu(self.image_projection(image)))
        joint = torch.cat([t, i], dim=-1)
        hidden = self.drop_hidden(F.relu(self.combiner_layer(joint)))
        weight = self.mixing(joint)
        return F.normalize(self.output_layer(hidden) + weight * text + (1 - weight) * image, dim=-1)

    def settings(self) -> dict[str, Any]:
        return {"dim": self.dim, "projection_dim": self.projection_dim, "hidden_dim": self.hidden_dim,
                "dropout": self.dropout}  # fmt: skip


def contrastive_loss(query: torch.Tensor, targets: torch.Tensor, logit_scale: float = 100.0) -> torch.Tensor:
    """Cross-entropy over ``logit_scale`` x cosine of each query against the batch's targets (its own is right)."""
    logits = logit_scale * query @ F.normalize(targets, dim=-1).T
    return F.cross_entropy(logits, torch.arange(len(query), device=query.device))


def batch_loss(
    combine: Any,
    ref: torch.Tensor,
    tgt: torch.Tensor,
    text: torch.Tensor,
    back: torch.Tensor | None,
    has_back: torch.Tensor | None,
    logit_scale: float,
    cycle_weight: float,
) -> tuple[torch.Tensor, dict[str, float]]:
    """The forward loss, plus the cyclic one where items have a way back: combined(target, back) -> reference.

    ``combine`` runs once over both (the forward queries, then the backward ones), as a
    data-parallel module must."""
    use_cycle = back is not None and has_back is not None and len(back) > 0 and cycle_weight > 0
    if not use_cycle:
        loss = contrastive_loss(combine(ref, text), tgt, logit_scale)
        return loss, {"loss_forward": float(loss.detach())}
    assert back is not None and has_back is not None
    idx = has_back.nonzero().squeeze(1)
    queries = combine(torch.cat([ref, tgt[idx]]), torch.cat([text, back]))
    fwd = contrastive_loss(queries[: len(ref)], tgt, logit_scale)
    logits = logit_scale * queries[len(ref) :] @ F.normalize(ref, dim=-1).T  # every in-batch reference competes
    cyc = F.cross_entropy(logits, idx)
    return fwd + cycle_weight * cyc, {"loss_forward": float(fwd.detach()), "loss_cycle": float(cyc.detach())}
