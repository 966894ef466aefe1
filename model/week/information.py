"""Phase j - information and trust: ties between police, NPS, CRCs and providers gain trust
from co-location and successful exchanges and lose it with turnover and confidentiality."""

from __future__ import annotations

import numpy as np

from agents import PoliceForce
from model.world.network import POLICE_PROBATION


def share_information(model) -> None:
    """Each police force decides what it shares with its probation partners (``PoliceForce.share_information``)."""
    forces = model.agents_by_type.get(PoliceForce)
    if forces is not None:
        forces.do("share_information")


def information(model) -> None:
    """Update trust on every active tie; refresh the information-flow table."""
    i = model.params.information
    ties = model.ties
    if ties.trust.size == 0:
        return
    a, b, kind = model.interagency.a, model.interagency.b, model.interagency.kind
    t = ties.trust
    colo = 1.0 + i.colocation_boost * ties.colocated
    conf = 1.0 - i.confidentiality_penalty * np.maximum(model.ops.confidential[a], model.ops.confidential[b])
    turnover = np.maximum(model.ops.turnover[a], model.ops.turnover[b])
    growth = i.growth_rate * colo * conf * (1.0 - t)
    decay = i.decay_rate * (1.0 + i.turnover_decay * turnover) * t
    t += np.where(ties.active, growth - decay, 0.0)
    np.clip(t, 0.0, 1.0, out=t)
    share_information(model)
    police = ties.active & (kind == POLICE_PROBATION)
    model.counts["police_probation_trust"] = float(t[police].mean()) if police.any() else float("nan")
