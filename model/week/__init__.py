"""The week: its phases in the order ``WEEK`` runs them (``ProbationModel.step``), and the case transitions
they share (``cases``: who is supervised and by whom, recall, cohorts; ``sentences``: the law's terms).

A phase takes the model and changes its state; it never calls another phase. Policy events fall
between weeks (``model/channels/policy.py``); the week's record follows the last phase when reporting
(``model/recording/metrics.py``).
"""

from model.week.allocation import allocation
from model.week.custody import custody
from model.week.enforcement import enforcement
from model.week.finance import finance
from model.week.information import information
from model.week.needs import needs
from model.week.offending import ageing, offending
from model.week.relationships import relationships
from model.week.risk import risk
from model.week.sentencing import sentencing
from model.week.supervision import supervision
from model.week.workforce import workforce

WEEK = (
    ageing,         # everyone a week older; propensities decline
    sentencing,     # courts: due cases sentenced, newcomers make up the week's disposals
    custody,        # releases, ends of orders and licences; cohorts close; the settled leave
    allocation,     # cases to organisations and officers; the IOM cohort
    supervision,    # officers' hours shared over caseloads: contact, dose, quality
    relationships,  # offender-staff relationships built or eroded
    needs,          # referrals to providers, officers' work on needs, relapse
    information,    # trust on inter-agency ties; police share information
    offending,      # offences, detection, court dates; charged on licence: recall
    enforcement,    # absences, breaches, recalls and revocations
    risk,           # risk of harm moves; escalated CRC cases to the NPS
    finance,        # money; quarterly PbR, reviews and providers' decisions
    workforce,      # stress, sickness, leavers, hires, learning
)
