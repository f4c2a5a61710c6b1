"""Comparing scenarios for planners: replicated runs under uncertain conditions (`compare`),
final-state statistics and robustness (`final_state`), figures (`figures`), plain-language
sentences (`narrative`) and the self-contained HTML report (`report`)."""
