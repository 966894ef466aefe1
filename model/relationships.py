"""Phase e - relationships: built by continuous good contact, eroded without it."""

from __future__ import annotations

import numpy as np


def relationships(model) -> None:
    """Move each relationship toward its ceiling by dose and quality; decay without contact."""
    r, pop = model.params.relationships, model.pop
    v = pop.view()
    rel = pop.relationship[v]
    dose = np.minimum(pop.dose[v], 1.0)
    ceiling = 1.0 - r.profit_discount * model.org_profit_perception[np.maximum(pop.org[v], 0)] * (pop.org[v] >= 0)
    grow = r.build_rate * dose * pop.quality[v] * np.maximum(ceiling - rel, 0.0)
    decay = r.decay_rate * (1.0 - dose) * rel
    above = np.maximum(rel - ceiling, 0.0) * 0.1
    rel += (grow - decay - above).astype(np.float32)
    np.clip(rel, 0.0, 1.0, out=rel)
