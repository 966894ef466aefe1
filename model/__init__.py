"""The probation model: ``ProbationModel`` (probation_model.py), the parameter tree (parameters.py), and its parts
by concept: engine/, world/, week/, channels/, recording/ (docs/architecture.md)."""
