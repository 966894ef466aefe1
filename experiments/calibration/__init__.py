"""ABC-SMC calibration against pre-reform figures, its posterior and report, and validation."""
