"""Police forces and their officers (IOM and neighbourhood roles)."""

from __future__ import annotations

import mesa
import numpy as np

from agents.organisation import Organisation

MAX_INFORMATION = 1.2  # information flow can exceed its pre-reform level by a fifth at full trust


class PoliceForce(Organisation):
    """One of the 43 forces; staffs IOM teams in its area and shares intelligence on IOM cases."""

    def __init__(self, model: mesa.Model, name: str, cpas: list[int]) -> None:
        super().__init__(model, name, cpas)

    def share_information(self) -> None:
        """This week's information on IOM cases with each probation partner: the trust on the tie times
        the partner's access to police systems, relative to the pre-reform reference trust, capped."""
        net = self.model.interagency
        partners, trust = net.police_ties(self.index)
        row = np.zeros(net.info.shape[1])
        reference = net.reference_trust
        row[partners] = np.clip(trust * self.model.ops.access[partners] / reference, 0.0, MAX_INFORMATION)
        net.info[self.index] = row
