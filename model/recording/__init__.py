"""What a run records: weekly series, cohort tallies, the summary, and the state-variable tables."""
