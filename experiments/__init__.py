"""Scenarios, single runs, sweeps, analysis and reports."""
