"""Sensitivity analysis: Sobol and Morris indices of a finished sweep (`indices`), and the
sensitivity study behind docs/sensitivity.md (`study`: replications, OFAT, Morris, Sobol)."""
