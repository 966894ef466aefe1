"""Weekly phase - relationships: built by continuous good contact, eroded without it."""

from __future__ import annotations

import numpy as np

from model.engine.kernels import kernel


def relationships(model) -> None:
    """Move each relationship toward its ceiling by dose and quality; decay without contact."""
    r, pop = model.params.relationships, model.pop
    v = pop.view()
    ceiling = _ceilings(pop.org[v], model.ops.profit_perception, r.profit_discount)
    _relationships(pop.relationship[v], pop.dose[v], pop.quality[v], ceiling, r.build_rate, r.decay_rate, r.ceiling_pull)


@kernel
def _ceilings(org, profit_perception, profit_discount):
    """Each row's ceiling: cut where the supervising organisation is seen to profit (a lookup pass,
    skipped when no organisation is)."""
    ceiling = np.ones(org.shape[0], dtype=np.float64)
    if profit_perception.max() > 0.0:
        for i in range(org.shape[0]):
            o = org[i]
            ceiling[i] = 1.0 - profit_discount * profit_perception[max(o, 0)] * (1.0 if o >= 0 else 0.0)
    return ceiling


@kernel
def _relationships(rel, dose, quality, ceilings, build_rate, decay_rate, ceiling_pull):
    """r += build x dose x quality x (ceiling - r)+ - decay x (1 - dose) x r - pull x (r - ceiling)+,
    clipped to [0, 1] (dose capped at 1)."""
    for i in range(rel.shape[0]):
        d = min(dose[i], 1.0)
        r = np.float64(rel[i])
        ceiling = ceilings[i]
        grow = build_rate * d * quality[i] * max(ceiling - r, 0.0)
        decay = decay_rate * (1.0 - d) * r
        above = ceiling_pull * max(r - ceiling, 0.0)
        rel[i] = min(max(r + grow - decay - above, 0.0), 1.0)
