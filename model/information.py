"""Phase j - information and trust: ties between police, NPS, CRCs and providers gain trust
from co-location and successful exchanges and lose it with turnover and confidentiality."""

from __future__ import annotations

import numpy as np

from model.network import POLICE_PROBATION


def information(model) -> None:
    """Update trust on every active tie; refresh the information-flow table."""
    i = model.params.information
    ties = model.ties
    if ties.trust.size == 0:
        return
    a, b, kind = model.tie_a, model.tie_b, model.tie_kind
    t = ties.trust
    colo = 1.0 + i.colocation_boost * ties.colocated
    conf = 1.0 - i.confidentiality_penalty * np.maximum(model.org_confidential[a], model.org_confidential[b])
    turnover = np.maximum(model.org_turnover[a], model.org_turnover[b])
    growth = i.growth_rate * colo * conf * (1.0 - t)
    decay = i.decay_rate * (1.0 + i.turnover_decay * turnover) * t
    t += np.where(ties.active, growth - decay, 0.0)
    np.clip(t, 0.0, 1.0, out=t)
    model.refresh_information()
    police = ties.active & (kind == POLICE_PROBATION)
    model.counts["police_probation_trust"] = float(t[police].mean()) if police.any() else float("nan")
