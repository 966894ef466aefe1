"""Phase e - relationships: built by continuous good contact, eroded without it."""

from __future__ import annotations

import numpy as np

from model.jit import kernel


def relationships(model) -> None:
    """Move each relationship toward its ceiling by dose and quality; decay without contact."""
    r, pop = model.params.relationships, model.pop
    v = pop.view()
    ceiling = _ceilings(pop.org[v], model.org_profit_perception, r.profit_discount)
    _relationships(pop.relationship[v], pop.dose[v], pop.quality[v], ceiling, r.build_rate, r.decay_rate)


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
def _relationships(rel, dose, quality, ceilings, build_rate, decay_rate):
    """rel += grow - decay - above ceiling, clipped to [0, 1] (numpy's float32/float64 steps kept; vectorised)."""
    f32 = np.float32
    for i in range(rel.shape[0]):
        d = min(dose[i], f32(1.0))
        ceiling = ceilings[i]
        x = np.float64(rel[i])
        grow = np.float64(f32(f32(build_rate) * d) * quality[i]) * max(ceiling - x, 0.0)
        decay = f32(f32(decay_rate) * f32(f32(1.0) - d)) * rel[i]
        above = max(x - ceiling, 0.0) * 0.1
        y = rel[i] + f32(grow - np.float64(decay) - above)
        rel[i] = min(max(y, f32(0.0)), f32(1.0))
