"""Executors for a sweep's runs: in this process, a local process pool, or Dask.

Each takes a picklable task function and the tasks, and yields the results as they complete.
Order of completion does not matter: every result names its run, and the storage layer puts
it in its own file.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from analyses.processes import process_alive

Task = dict[str, Any]
Result = dict[str, Any]

ENGINES = ("serial", "local", "dask")
DASK_RETRIES = 3  # a worker that dies mid-run costs a retry, not a result
SCHEDULER_TIMEOUT = "10s"
LOCAL_TRIES = 3  # the same for the local pool: a run is recorded as failed after 3 deaths


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


def _die_with(parent: int) -> None:
    """Pool worker initializer: exit as soon as the sweep's main process is gone (even by
    `kill -9`), instead of computing on for minutes, holding the caller's pipes. The worker's
    parent is the forkserver, so it watches the main process itself (a pidfd, else polling)."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(parent)
        except (AttributeError, OSError):
            while process_alive(parent):
                time.sleep(1.0)
        else:
            select.select([handle], [], [])
        os._exit(1)

    if not process_alive(parent):
        os._exit(1)
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _round(function: Callable[[Task], Result], tasks: Sequence[tuple[int, Task]], width: int
           ) -> Generator[tuple[int, Result], None, list[int]]:
    """Run (position, task) pairs on a fresh pool, at most `width` in flight (so those in
    flight when a worker dies are the ones that may have killed it); yield (position, result);
    return the positions in flight at a worker's death (empty if none died)."""
    pool = ProcessPoolExecutor(max_workers=width, mp_context=_pool_context(),
                               initializer=_die_with, initargs=(os.getpid(),))
    queue = list(reversed(tasks))
    flight: dict[Future[Result], int] = {}
    try:
        while queue or flight:
            while queue and len(flight) < width:
                position, task = queue[-1]
                try:
                    future = pool.submit(function, task)
                except BrokenProcessPool:  # a worker died after its last result came back
                    return list(flight.values())
                queue.pop()
                flight[future] = position
            done, _ = wait(flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                yield flight.pop(future), result
            if broken:
                return list(flight.values())
        return []
    except BaseException:  # interrupted (Ctrl+C, SIGTERM) or abandoned: stop the runs now
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_died(task: Task, tries: int) -> Result:
    """A sweep run's failure record; other tasks (no run id) cannot be recorded: raise."""
    error = f"the process running it died {tries} times (killed, or out of memory?)"
    if "run_id" not in task:
        raise RuntimeError(f"a task of this batch failed: {error}")
    return {"run_id": task["run_id"], "status": "failed", "error": f"WorkerDied: {error}",
            "traceback": "", "values": task.get("values"), "seed": task.get("seed"),
            "point": task.get("point"), "replication": task.get("replication"),
            "row": task.get("row")}


def run_local(function: Callable[[Task], Result], tasks: Sequence[Task],
              workers: int) -> Iterator[Result]:
    """A process pool; a task whose worker dies is tried again alone, like Dask's retries,
    and recorded as failed after LOCAL_TRIES deaths. The other tasks are not charged for it."""
    todo = dict(enumerate(tasks))
    width = max(1, min(workers, len(todo)))
    while todo:
        rounds = _Rounds(function, list(todo.items()), width)
        for position, result in rounds:
            del todo[position]
            yield result
        for position in rounds.in_flight:
            yield from _isolated(function, todo.pop(position))


def _isolated(function: Callable[[Task], Result], task: Task) -> Iterator[Result]:
    for _ in range(LOCAL_TRIES):
        results = [result for _, result in _Rounds(function, [(0, task)], 1)]
        if results:
            yield from results
            return
    yield _worker_died(task, LOCAL_TRIES)


class _Rounds:
    """Iterate `_round`'s results and keep what it returns (the positions in flight at a
    worker's death)."""

    def __init__(self, function: Callable[[Task], Result], tasks: Sequence[tuple[int, Task]],
                 width: int) -> None:
        self.in_flight: list[int] = []
        self._generator = _round(function, tasks, width)

    def __iter__(self) -> Iterator[tuple[int, Result]]:
        self.in_flight = yield from self._generator


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
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, ValueError, TypeError) as exc:
            from simulation.scenario import ScenarioError

            raise ScenarioError(f"--scheduler {scheduler}: no Dask scheduler answers there "
                                f"({exc}); expected an address such as tcp://host:8786 of a "
                                f"running scheduler") from None
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
