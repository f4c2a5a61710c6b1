"""What researchers and planners do with the model, one subpackage per job.

- `experiments`: experiment files, designs, engines, storage, the resumable sweep;
- `sensitivity`: Sobol and Morris indices, the sensitivity study;
- `comparison`: scenario comparisons, final-state statistics, figures, narrative, the report;
- `validation`: the patterns P1-P7, null models, the validation report, calibration;
- beside them: `runs` (one run and its record files), `library` (the scenario library),
  `benchmark` (speed and memory).

Nothing here is a command line or an app (those are in `concertation/`, which imports this
package, never the reverse).
"""

import os

# The model's matrices are small: BLAS threads only fight the worker processes for cores.
# This must happen before NumPy loads, so it lives at the package's entry.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
