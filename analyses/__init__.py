"""Command line and result handling for the concertation model.

Nothing here models anything: `runs` calls `simulation` and writes what it returns,
`figures` draws it, `cli` wires both to the `concertation` command.
"""

import os

# The model's matrices are small: BLAS threads only fight the worker processes for cores.
# This must happen before NumPy loads, so it lives at the package's entry.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
