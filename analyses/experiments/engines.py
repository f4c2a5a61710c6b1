"""Executors for a sweep's runs: in this process, a local process pool, or Dask.

Each takes a picklable task function and the tasks, and yields the results as they complete.
Order of completion does not matter: every result names its run, and the storage layer puts
it in its own file.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

Task = dict[str, Any]
Result = dict[str, Any]

ENGINES = ("serial", "local", "dask")
DASK_RETRIES = 3  # a worker that dies mid-run costs a retry, not a result


def relax_malloc() -> None:
    """Undo a fixed MALLOC_TRIM_THRESHOLD_ (set by Dask nannies, e.g. on a SLURM cluster):
    with it glibc stops raising its mmap threshold and every mid-sized NumPy temporary costs
    an mmap/munmap pair. Raising both thresholds restores heap reuse. Linux/glibc only."""
    import ctypes
    import os

    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
    libc.mallopt(m_trim_threshold, 64 * 1024 * 1024)


def run_serial(function: Callable[[Task], Result], tasks: Sequence[Task]) -> Iterator[Result]:
    for task in tasks:
        yield function(task)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Forkserver: forking a process whose pyarrow or tqdm threads run is unsafe; the server
    preloads the model once so each worker starts warm."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["analyses.experiments.sweep"])
    return context


def run_local(function: Callable[[Task], Result], tasks: Sequence[Task],
              workers: int) -> Iterator[Result]:
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(tasks))),
                               mp_context=_pool_context())
    try:
        futures = [pool.submit(function, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(function: Callable[[Task], Result], tasks: Sequence[Task], workers: int,
             scheduler: str | None = None) -> Iterator[Result]:
    """On a running Dask scheduler (an address), or on a local cluster started here."""
    import dask
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    # The statistical profiler samples every worker's stack every 10 ms: pure overhead here.
    # Dask's MALLOC_TRIM_THRESHOLD_ also freezes glibc's mmap threshold, so each of the model's
    # ~150 kB temporaries is mmapped and unmapped: runs were 2.5x slower (docs/performance.md).
    dask.config.set({"distributed.worker.profile.enabled": False,
                     "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        futures = client.map(function, list(tasks), pure=False, retries=DASK_RETRIES)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(function: Callable[[Task], Result], tasks: Sequence[Task], engine: str,
            workers: int, scheduler: str | None = None) -> Iterator[Result]:
    if not tasks:
        return iter(())
    if engine == "serial" or (engine == "local" and workers <= 1):
        return run_serial(function, tasks)
    if engine == "local":
        return run_local(function, tasks, workers)
    if engine == "dask":
        return run_dask(function, tasks, workers, scheduler)
    raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")
