"""What researchers run: single runs and scenarios (simulate.py, scenarios.py), the Python API (api.py), reruns,
the benchmark, and packages for sweeps, analysis, calibration, docs, the browser's helpers and the command line."""
