"""What researchers and planners do with the model, one subpackage per job.

- `experiments`: experiment files, designs, engines, storage, the resumable sweep, and
  `run_outcomes` (one run as an outcomes dict, for EMA Workbench and SALib);
- `sensitivity`: Sobol and Morris indices, the sensitivity study;
- `comparison`: scenario comparisons, final-state statistics, figures, narrative, the report;
- `validation`: the patterns P1-P7, null models, the validation report, calibration;
- beside them: `runs` (one run and its record files), `library` (the scenario library),
  `benchmark` (speed and memory), `processes` (whether a process still runs), `termination`
  (SIGTERM handled like Ctrl+C).

Nothing here is a command line or an app (those are in `concertation/`, which imports this
package, never the reverse). `from analyses import run_outcomes` loads the model on first use.
"""

import os

# The model's matrices are small: BLAS threads only fight the worker processes for cores.
# This must happen before NumPy loads, so it lives at the package's entry.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__all__ = ["run_outcomes"]


def __getattr__(name: str):  # lazy: importing `analyses` must stay cheap (the command line)
    if name == "run_outcomes":
        from .experiments.outcomes import run_outcomes

        return run_outcomes
    raise AttributeError(f"module 'analyses' has no attribute {name!r}")
